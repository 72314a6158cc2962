// The lab file as the editor holds it: the YAML data as plain values, every field kept,
// known or not, valid or not. Reading it back (parseLabText) is what checks it; this
// module only reads, writes and looks things up, so a half-typed lab is never lost.

import { Document, isMap, isScalar, isSeq } from 'yaml';
import type { Problem } from './model.js';
import { parseLabText, readYaml, splitProblemPath } from './parse.js';

/** A mapping of the lab file, as read from YAML. Edits never mutate one: they make a new one. */
export type LabMapping = { readonly [key: string]: unknown };

/** The whole lab file. */
export type LabDocument = LabMapping;

/** `hosts[1].ip` as segments: ['hosts', 1, 'ip']. */
export type FieldPath = readonly (string | number)[];

export type DocumentReadResult = { ok: true; doc: LabDocument } | { ok: false; problems: Problem[] };

/** Known fields of each mapping, in the order the README documents them. */
export const FIELD_ORDER = {
  lab: ['version', 'name', 'title', 'description', 'underlay', 'hosts', 'overlays', 'containers', 'layout'],
  underlay: ['subnet', 'mtu'],
  host: ['name', 'ip'],
  overlay: ['name', 'vni', 'subnet', 'port', 'mtu'],
  container: ['name', 'host', 'image', 'interfaces'],
  interface: ['overlay', 'ip'],
  layout: ['hosts', 'overlays', 'containers'],
  position: ['x', 'y', 'w', 'h'],
} as const;

export function isMapping(value: unknown): value is LabMapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- text <-> document ------------------------------------------------------------------------

/**
 * Reads lab file text into a document. Fails only when there is no mapping to edit:
 * a YAML syntax error, or a file that is a list or a scalar. Empty text is an empty lab.
 */
export function parseLabDocument(text: string): DocumentReadResult {
  // Within the size and nesting limits, as `vxlab validate` reads it.
  const read = readYaml(text);
  if (!read.ok) return { ok: false, problems: read.problems };
  const yamlDoc = read.doc;
  // parseLabText words syntax problems the way `vxlab validate` does.
  if (yamlDoc.errors.length > 0) return { ok: false, problems: problemsOf(text) };
  let data: unknown;
  try {
    data = yamlDoc.toJS();
  } catch {
    // toJS throws for alias bombs and the like, which the parser itself accepts.
    return { ok: false, problems: problemsOf(text) };
  }
  if (data === null || data === undefined) return { ok: true, doc: {} };
  if (!isMapping(data)) return { ok: false, problems: problemsOf(text) };
  return { ok: true, doc: data };
}

function problemsOf(text: string): Problem[] {
  const result = parseLabText(text);
  return result.ok ? [] : result.problems;
}

/**
 * Writes a document as YAML: known fields in the README's order, each unknown field
 * right after the field it followed, and the hand-written style of the templates
 * (one line per host, interfaces as a flow list, long text folded).
 */
export function serializeLabDocument(doc: LabDocument, header = ''): string {
  const yamlDoc = new Document(orderLab(doc));
  styleLab(yamlDoc);
  return header + yamlDoc.toString({ lineWidth: 80 });
}

/**
 * The comment lines a file starts with, such as the templates' yaml-language-server
 * modeline. The document holds data only, so the editor hands these back to
 * serializeLabDocument: saving a template keeps people's editors checking it.
 */
export function leadingComment(text: string): string {
  return /^(?:[ \t]*#[^\n]*\n)+/.exec(text)?.[0] ?? '';
}

function orderLab(doc: LabDocument): LabMapping {
  const lab = orderKeys(doc, FIELD_ORDER.lab);
  const ordered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(lab)) {
    ordered[key] = orderSection(key, value);
  }
  return ordered;
}

function orderSection(key: string, value: unknown): unknown {
  switch (key) {
    case 'underlay':
      return isMapping(value) ? orderKeys(value, FIELD_ORDER.underlay) : value;
    case 'hosts':
      return mapEntries(value, (host) => orderKeys(host, FIELD_ORDER.host));
    case 'overlays':
      return mapEntries(value, (overlay) => orderKeys(overlay, FIELD_ORDER.overlay));
    case 'containers':
      return mapEntries(value, (container) => {
        const ordered = orderKeys(container, FIELD_ORDER.container);
        if (!Array.isArray(ordered.interfaces)) return ordered;
        return { ...ordered, interfaces: mapEntries(ordered.interfaces, (iface) => orderKeys(iface, FIELD_ORDER.interface)) };
      });
    case 'layout':
      return isMapping(value) ? orderKeys(value, FIELD_ORDER.layout) : value;
    default:
      return value;
  }
}

function mapEntries(list: unknown, order: (entry: LabMapping) => LabMapping): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((entry: unknown) => (isMapping(entry) ? order(entry) : entry));
}

/**
 * Known keys in `order`; an unknown key stays attached after the key it followed, so a
 * comment-like `x-note` written under `ip` is still under `ip` after saving.
 */
export function orderKeys(mapping: LabMapping, order: readonly string[]): LabMapping {
  const known = new Set<string>(order);
  const leading: string[] = [];
  const trailing = new Map<string, string[]>();
  let previousKnown: string | undefined;
  for (const key of Object.keys(mapping)) {
    if (known.has(key)) {
      previousKnown = key;
      continue;
    }
    if (previousKnown === undefined) leading.push(key);
    else trailing.set(previousKnown, [...(trailing.get(previousKnown) ?? []), key]);
  }
  const result: Record<string, unknown> = {};
  for (const key of leading) result[key] = mapping[key];
  for (const key of order) {
    if (!(key in mapping)) continue;
    result[key] = mapping[key];
    for (const unknown of trailing.get(key) ?? []) result[unknown] = mapping[unknown];
  }
  return result;
}

const FOLD_TEXT_LONGER_THAN = 60;

function styleLab(yamlDoc: Document): void {
  for (const key of ['title', 'description']) {
    const node = yamlDoc.get(key, true);
    if (!isScalar(node) || typeof node.value !== 'string') continue;
    if (node.value.includes('\n')) node.type = 'BLOCK_LITERAL';
    else if (node.value.length > FOLD_TEXT_LONGER_THAN && key === 'description') node.type = 'BLOCK_FOLDED';
  }
  const hosts = yamlDoc.get('hosts', true);
  if (isSeq(hosts)) for (const host of hosts.items) flowIfFlat(host);
  const containers = yamlDoc.get('containers', true);
  if (isSeq(containers)) {
    for (const container of containers.items) {
      if (!isMap(container)) continue;
      const interfaces = container.get('interfaces', true);
      if (isSeq(interfaces) && interfaces.items.every((item) => isMap(item) && isFlat(item))) interfaces.flow = true;
    }
  }
  const layout = yamlDoc.get('layout', true);
  if (isMap(layout)) {
    for (const section of FIELD_ORDER.layout) {
      const positions = layout.get(section, true);
      if (isMap(positions)) for (const pair of positions.items) flowIfFlat(pair.value);
    }
  }
}

function isFlat(node: unknown): boolean {
  return isMap(node) && node.items.every((pair) => isScalar(pair.value) && !(typeof pair.value.value === 'string' && pair.value.value.includes('\n')));
}

function flowIfFlat(node: unknown): void {
  if (isMap(node) && isFlat(node)) node.flow = true;
}

// ---- typed reads, tolerant of anything a person may have typed -----------------------------

export interface HostEntry {
  /** Position in `hosts`, which problem paths use. */
  index: number;
  name: string;
  ip: string;
}

export interface OverlayEntry {
  index: number;
  name: string;
  /** Undefined when it is missing or not a number (validation says which). */
  vni?: number;
  subnet: string;
  port?: number;
  mtu?: number;
}

export interface InterfaceEntry {
  index: number;
  overlay: string;
  ip: string;
}

export interface ContainerEntry {
  index: number;
  name: string;
  host: string;
  image?: string;
  interfaces: InterfaceEntry[];
}

export function listOf(doc: LabMapping, key: string): readonly unknown[] {
  const value = doc[key];
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function wholeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** Entries that are mappings, with their index in the list; anything else is skipped. */
function entriesOf<T>(doc: LabMapping, key: string, read: (entry: LabMapping, index: number) => T): T[] {
  const result: T[] = [];
  listOf(doc, key).forEach((entry, index) => {
    if (isMapping(entry)) result.push(read(entry, index));
  });
  return result;
}

export function hostsOf(doc: LabDocument): HostEntry[] {
  return entriesOf(doc, 'hosts', (host, index) => ({ index, name: text(host.name), ip: text(host.ip) }));
}

export function overlaysOf(doc: LabDocument): OverlayEntry[] {
  return entriesOf(doc, 'overlays', (overlay, index) => {
    const entry: OverlayEntry = { index, name: text(overlay.name), subnet: text(overlay.subnet) };
    const vni = wholeNumber(overlay.vni);
    const port = wholeNumber(overlay.port);
    const mtu = wholeNumber(overlay.mtu);
    if (vni !== undefined) entry.vni = vni;
    if (port !== undefined) entry.port = port;
    if (mtu !== undefined) entry.mtu = mtu;
    return entry;
  });
}

export function containersOf(doc: LabDocument): ContainerEntry[] {
  return entriesOf(doc, 'containers', (container, index) => {
    const entry: ContainerEntry = {
      index,
      name: text(container.name),
      host: text(container.host),
      interfaces: entriesOf(container, 'interfaces', (iface, ifaceIndex) => ({
        index: ifaceIndex,
        overlay: text(iface.overlay),
        ip: text(iface.ip),
      })),
    };
    if (typeof container.image === 'string') entry.image = container.image;
    return entry;
  });
}

export function labNameOf(doc: LabDocument): string {
  return typeof doc.name === 'string' ? doc.name : '';
}

export function underlayOf(doc: LabDocument): LabMapping {
  return isMapping(doc.underlay) ? doc.underlay : {};
}

/** The value at a path, or undefined when any step of it is missing. */
export function getField(doc: LabDocument, path: FieldPath | string): unknown {
  let value: unknown = doc;
  for (const segment of toPath(path)) {
    if (typeof segment === 'number') {
      if (!Array.isArray(value)) return undefined;
      value = value[segment];
    } else {
      if (!isMapping(value)) return undefined;
      value = value[segment];
    }
  }
  return value;
}

export function toPath(path: FieldPath | string): FieldPath {
  return typeof path === 'string' ? splitProblemPath(path) : path;
}

/** `['containers', 0, 'interfaces', 1, 'ip']` as `containers[0].interfaces[1].ip`, like problem paths. */
export function formatPath(path: FieldPath): string {
  let result = '';
  for (const segment of path) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else result += result === '' ? segment : `.${segment}`;
  }
  return result;
}
