// Lab file text <-> Lab: YAML parsing with positions for every problem, and writing a Lab as YAML.

import { Document, LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode, YAMLError } from 'yaml';
import type { LabData, LabResult, Problem } from './model.js';
import { validateLab } from './validate.js';

export function parseLabText(text: string): LabResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return { ok: false, problems: doc.errors.map((error) => syntaxProblem(error, lineCounter)) };
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

function syntaxProblem(error: YAMLError, lineCounter: LineCounter): Problem {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  const reason = error.message.replace(/\.$/, '');
  return { code: 'yaml-syntax', path: '', line, column: col, message: `The file is not valid YAML here (${reason}): fix the syntax at this position` };
}

/** Splits `containers[1].interfaces[0].ip` into ['containers', 1, 'interfaces', 0, 'ip']. */
export function splitProblemPath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    segments.push(match[2] !== undefined ? Number(match[2]) : (match[1] ?? ''));
  }
  return segments;
}

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
