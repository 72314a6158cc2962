// Lab file text <-> Lab: YAML parsing with positions for every problem, and writing a Lab as YAML.

import { Composer, Document, Lexer, LineCounter, Parser, YAMLParseError, isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { CST, Node as YamlNode, YAMLError } from 'yaml';
import { MAX_LAB_FILE_BYTES, MAX_PROBLEMS, MAX_YAML_DEPTH, MAX_YAML_TOKENS, capProblems, formatBytes, utf8Length } from './limits.js';
import type { LabData, LabResult, Problem } from './model.js';
import { splitProblemPath } from './problem-path.js';
import { validateLab } from './validate.js';

export function parseLabText(text: string): LabResult {
  const read = readYaml(text);
  if (!read.ok) return read;
  const { doc, lineCounter } = read;
  if (doc.errors.length > 0) {
    // Only the problems shown are positioned: a file of garbage can hold thousands.
    const shown = doc.errors.slice(0, MAX_PROBLEMS).map((error) => syntaxProblem(error, lineCounter));
    return { ok: false, problems: capProblems(shown, doc.errors.length) };
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // toJS throws for alias bombs and similar, which the parser itself accepts.
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ code: 'yaml-syntax', path: '', line: 1, column: 1, message: `The YAML cannot be read: ${reason}` }] };
  }
  const result = validateLab(data);
  if (result.ok) return result;
  return {
    ok: false,
    problems: result.problems.map((problem) => ({ ...problem, ...positionOf(doc, problem.path, lineCounter) })),
  };
}

/**
 * Parses YAML within the limits: the size before parsing, the number of tokens and the nesting
 * while parsing, before the document is built (the YAML library builds it recursively, so 5,000
 * levels would overflow the stack). Syntax errors are left in the document for the caller.
 */
export function readYaml(text: string): { ok: true; doc: Document.Parsed; lineCounter: LineCounter } | { ok: false; problems: Problem[] } {
  const bytes = text.length > MAX_LAB_FILE_BYTES ? text.length : text.length * 3 > MAX_LAB_FILE_BYTES ? utf8Length(text) : 0;
  if (bytes > MAX_LAB_FILE_BYTES) {
    const message =
      `The lab file is ${text.length > MAX_LAB_FILE_BYTES ? 'more than ' : ''}${formatBytes(bytes)}, larger than the ` +
      `${formatBytes(MAX_LAB_FILE_BYTES)} a lab file may be: remove what it does not need (a lab file is usually a few KiB)`;
    return { ok: false, problems: [{ code: 'limit-exceeded', path: '', line: 1, column: 1, message }] };
  }
  const lineCounter = new LineCounter();
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0); // as Parser.parse does: the first line starts at 0
  const tokens: CST.Token[] = [];
  let lexemes = 0;
  // Parsing costs per token: past the budget the file is refused, so no file costs more.
  for (const lexeme of new Lexer().lex(text)) {
    if (++lexemes > MAX_YAML_TOKENS) {
      const message =
        `The lab file holds more than ${MAX_YAML_TOKENS.toLocaleString('en-US')} YAML tokens (keys, values, punctuation, ` +
        'comments), far more than a lab of the largest allowed size: remove what it does not need';
      return { ok: false, problems: [{ code: 'limit-exceeded', path: '', line: 1, column: 1, message }] };
    }
    tokens.push(...parser.next(lexeme));
    // The parser's stack holds the document, each open mapping or list, and the scalar being read.
    if (parser.stack.length > MAX_YAML_DEPTH + 2) {
      const { line, col } = lineCounter.linePos(parser.offset);
      const message = `The file nests mappings and lists more than ${MAX_YAML_DEPTH} levels deep here, more than a lab file may: flatten it`;
      return { ok: false, problems: [{ code: 'limit-exceeded', path: '', line, column: col, message }] };
    }
  }
  tokens.push(...parser.end());
  let doc: Document.Parsed | undefined;
  for (const next of new Composer({}).compose(tokens, true, text.length)) {
    if (doc === undefined) {
      doc = next;
      continue;
    }
    // As parseDocument does: a lab file is one document.
    doc.errors.push(new YAMLParseError(next.range.slice(0, 2) as [number, number], 'MULTIPLE_DOCS', 'Source contains multiple documents'));
    break;
  }
  // compose(…, true) always ends with a document, if an empty one.
  return { ok: true, doc: doc as Document.Parsed, lineCounter };
}

function syntaxProblem(error: YAMLError, lineCounter: LineCounter): Problem {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  // The library quotes the offending source, which may be long.
  const message = error.message.replace(/\.$/, '');
  const reason = message.length > 160 ? `${message.slice(0, 160)}…` : message;
  return { code: 'yaml-syntax', path: '', line, column: col, message: `The file is not valid YAML here (${reason}): fix the syntax at this position` };
}

export { splitProblemPath };

function childOf(node: YamlNode, segment: string | number, doc: Document): YamlNode | undefined {
  const target = isAlias(node) ? node.resolve(doc) : node;
  if (typeof segment === 'number') {
    if (!isSeq(target)) return undefined;
    const item: unknown = target.items[segment];
    return isNode(item) ? item : undefined;
  }
  if (!isMap(target)) return undefined;
  for (const pair of target.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (key !== segment) continue;
    // A key with no value (`ip:`) points at the key itself.
    if (isNode(pair.value)) return pair.value;
    return isNode(pair.key) ? pair.key : undefined;
  }
  return undefined;
}

function isNode(value: unknown): value is YamlNode {
  return isScalar(value) || isMap(value) || isSeq(value) || isAlias(value);
}

/** Position of the value at `path`, or of the deepest mapping or list on the way when it is missing. */
function positionOf(doc: Document, path: string, lineCounter: LineCounter): { line: number; column: number } {
  let node: YamlNode | undefined = isNode(doc.contents) ? doc.contents : undefined;
  for (const segment of splitProblemPath(path)) {
    if (node === undefined) break;
    const child = childOf(node, segment, doc);
    if (child === undefined) break;
    node = child;
  }
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** "FILE:LINE:COL path: message", leaving out whatever the problem does not have. */
export function formatProblem(problem: Problem, fileName?: string): string {
  let location = fileName ?? '';
  if (problem.line !== undefined) {
    location += `${location === '' ? '' : ':'}${problem.line}`;
    if (problem.column !== undefined) location += `:${problem.column}`;
  }
  const head = [location, problem.path].filter((piece) => piece !== '').join(' ');
  return head === '' ? problem.message : `${head}: ${problem.message}`;
}

/** Writes a Lab as YAML, fields in the documented order; used when there is no original text to edit. */
export function stringifyLab(lab: LabData): string {
  const ordered = {
    version: lab.version,
    name: lab.name,
    ...(lab.title === '' ? {} : { title: lab.title }),
    ...(lab.description === '' ? {} : { description: lab.description }),
    underlay: { subnet: lab.underlay.subnet, mtu: lab.underlay.mtu },
    hosts: lab.hosts.map((host) => ({ name: host.name, ip: host.ip })),
    overlays: lab.overlays.map((overlay) => ({
      name: overlay.name,
      vni: overlay.vni,
      subnet: overlay.subnet,
      port: overlay.port,
      mtu: overlay.mtu,
    })),
    containers: lab.containers.map((container) => ({
      name: container.name,
      host: container.host,
      ...(container.image === undefined ? {} : { image: container.image }),
      interfaces: container.interfaces.map((iface) => ({ overlay: iface.overlay, ip: iface.ip })),
    })),
    layout: lab.layout,
  };
  const doc = new Document(ordered);
  // One line per host and per interface list, as in hand-written lab files.
  setFlow(doc.getIn(['hosts']), 'items');
  lab.containers.forEach((_, index) => setFlow(doc.getIn(['containers', index, 'interfaces']), 'self'));
  return doc.toString();
}

function setFlow(node: unknown, which: 'self' | 'items'): void {
  if (!isSeq(node)) return;
  if (which === 'self') {
    node.flow = true;
    return;
  }
  for (const item of node.items) if (isMap(item)) item.flow = true;
}
