// Edits of a lab document. Each takes a document and returns a new one, never touching
// the old (the editor's undo history is a list of documents). Fields an edit does not
// know are carried along untouched. Edits never refuse a half-valid lab: they do what
// they can and leave the judging to validation, which the editor shows live.

import { assignableRange, contains, hostRange, overlaps, parseCidr, parseIPv4, proposeIp, reservedRole, formatIPv4 } from './addressing.js';
import type { AddressPlanInput } from './addressing.js';
import { containersOf, hostsOf, isMapping, listOf, overlaysOf, toPath, underlayOf } from './document.js';
import type { FieldPath, LabDocument, LabMapping } from './document.js';
import { GEOMETRY, materializeLayout, removeFromLayout, renameInLayout, resolveLayout, setPositions } from './layout.js';
import type { Box, Point, PositionUpdate } from './layout.js';
import { LAB_FILE_VERSION, MAX_VNI } from './model.js';
import { MAX_NODE_NAME_LENGTH } from './names.js';

export type NodeKind = 'host' | 'container' | 'overlay';

/** A host, container or overlay by name; `index` picks one of several entries that share a name. */
export interface ElementRef {
  kind: NodeKind;
  name: string;
  index?: number;
}

/** A container's interface on an overlay: the line between them on the canvas. */
export interface InterfaceRef {
  kind: 'interface';
  container: string;
  overlay: string;
}

export type EditTarget = ElementRef | InterfaceRef;

const DEFAULT_UNDERLAY_SUBNET = '192.168.50.0/24';
const DEFAULT_UNDERLAY_MTU = 1500;
/** The textbook's VNI, for a lab's first overlay. */
const FIRST_VNI = 42;
/** The textbook's host addresses: .10, .20, ... */
const HOST_ADDRESS_STEP = 10;

// ---- small immutable helpers ----------------------------------------------------------------

function deepCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (isMapping(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, deepCopy(item)])) as T;
  return value;
}

function replaceList(doc: LabDocument, key: string, list: readonly unknown[]): LabDocument {
  return { ...doc, [key]: list };
}

/** Maps the mapping entries of a list; anything else in it is kept as it is. */
function mapList(doc: LabDocument, key: string, change: (entry: LabMapping, index: number) => LabMapping): LabDocument {
  if (!Array.isArray(doc[key])) return doc;
  let changed = false;
  const list = listOf(doc, key).map((entry, index) => {
    if (!isMapping(entry)) return entry;
    const next = change(entry, index);
    if (next !== entry) changed = true;
    return next;
  });
  return changed ? replaceList(doc, key, list) : doc;
}

function append(doc: LabDocument, key: string, entry: LabMapping): LabDocument {
  return replaceList(doc, key, [...listOf(doc, key), entry]);
}

/** Hosts and containers share one set of names (both become Docker containers and hostnames). */
function nodeNames(doc: LabDocument): Set<string> {
  return new Set([...hostsOf(doc).map((host) => host.name), ...containersOf(doc).map((container) => container.name)]);
}

function overlayNames(doc: LabDocument): Set<string> {
  return new Set(overlaysOf(doc).map((overlay) => overlay.name));
}

function numbered(prefix: string, start: number, taken: Set<string>): string {
  let n = Math.max(1, start);
  while (taken.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

/**
 * A name like `base` that is not taken: a trailing number counts up (container1 ->
 * container3), anything else gets one (host-a -> host-a-2). Always a fresh name.
 */
export function uniqueName(base: string, taken: ReadonlySet<string>, maxLength = MAX_NODE_NAME_LENGTH): string {
  const match = /^(.*?)(\d+)$/.exec(base);
  const prefix = match ? (match[1] ?? '') : `${base}-`;
  let n = match ? Number(match[2]) + 1 : 2;
  for (;;) {
    const suffix = String(n);
    const candidate = `${prefix.slice(0, Math.max(1, maxLength - suffix.length))}${suffix}`;
    if (!taken.has(candidate)) return candidate;
    n++;
  }
}

// ---- proposals ------------------------------------------------------------------------------

export function nextHostName(doc: LabDocument): string {
  return numbered('host-', hostsOf(doc).length + 1, nodeNames(doc));
}

export function nextContainerName(doc: LabDocument): string {
  return numbered('container', containersOf(doc).length + 1, nodeNames(doc));
}

export function nextOverlayName(doc: LabDocument): string {
  return numbered('overlay-', overlaysOf(doc).length + 1, overlayNames(doc));
}

/** The VNI after the highest in use (42 for a lab's first overlay), or the lowest free one. */
export function nextVni(doc: LabDocument): number {
  const used = new Set(overlaysOf(doc).flatMap((overlay) => (overlay.vni === undefined ? [] : [overlay.vni])));
  if (used.size === 0) return FIRST_VNI;
  const highest = Math.max(...used);
  if (highest < MAX_VNI) return highest + 1;
  let vni = 1;
  while (used.has(vni)) vni++;
  return vni;
}

/**
 * 10.<n>.0.0/16 for the lowest n that neither the underlay nor another overlay covers
 * (172.16-31.0.0/16 when the underlay takes all of 10/8).
 */
export function proposeOverlaySubnet(doc: LabDocument): string {
  const underlay = parseCidr(String(underlayOf(doc).subnet ?? ''));
  const others = overlaysOf(doc).flatMap((overlay) => {
    const cidr = parseCidr(overlay.subnet);
    return cidr === undefined ? [] : [cidr];
  });
  const candidates = [
    ...Array.from({ length: 256 }, (_, n) => `10.${n}.0.0/16`),
    ...Array.from({ length: 16 }, (_, n) => `172.${16 + n}.0.0/16`),
  ];
  for (const candidate of candidates) {
    if (underlay !== undefined && overlaps(candidate, underlay)) continue;
    if (others.some((other) => overlaps(candidate, other))) continue;
    return candidate;
  }
  return '10.0.0.0/16';
}

/**
 * An unused underlay address for a new host, never the network, gateway or broadcast
 * address. It follows the lab's pattern: .10 first, then .20, .30 like the textbook, or
 * the step the existing hosts use; it falls back to the lowest free address.
 */
export function proposeHostIp(doc: LabDocument): string {
  const subnet = parseCidr(String(underlayOf(doc).subnet ?? ''));
  if (subnet === undefined) return '';
  const { first, last } = assignableRange(subnet);
  if (first > last) return '';
  const used = new Set(hostsOf(doc).flatMap((host) => {
    const address = parseIPv4(host.ip);
    return address === undefined ? [] : [address];
  }));
  const inSubnet = [...used].filter((address) => contains(subnet, address)).sort((a, b) => a - b);
  let preferred: number;
  if (inSubnet.length === 0) {
    preferred = subnet.network + HOST_ADDRESS_STEP;
  } else {
    const highest = inSubnet[inSubnet.length - 1] ?? first;
    const steps = inSubnet.slice(1).map((address, index) => address - (inSubnet[index] ?? address));
    const step = steps.length > 0 && steps.every((value) => value === steps[0]) ? (steps[0] ?? 1) : inSubnet.length === 1 ? HOST_ADDRESS_STEP : 1;
    preferred = highest + step;
  }
  const free = (address: number) => !used.has(address) && reservedRole(subnet, address) === undefined;
  if (preferred >= first && preferred <= last && free(preferred)) return formatIPv4(preferred);
  if (preferred >= first) for (let address = preferred; address <= last; address++) if (free(address)) return formatIPv4(address);
  for (let address = first; address <= last; address++) if (free(address)) return formatIPv4(address);
  return '';
}

/** What proposeIp reads, taken from a document that may be half-written. */
function addressPlanOf(doc: LabDocument, skipContainer?: string): AddressPlanInput {
  return {
    hosts: hostsOf(doc),
    overlays: overlaysOf(doc),
    containers: containersOf(doc).filter((container) => container.name !== skipContainer),
  };
}

// ---- whole lab ------------------------------------------------------------------------------

/** An empty lab in canonical order; its problems say what to add first. */
export function newLab(name = 'new-lab'): LabDocument {
  return {
    version: LAB_FILE_VERSION,
    name,
    underlay: { subnet: DEFAULT_UNDERLAY_SUBNET, mtu: DEFAULT_UNDERLAY_MTU },
    hosts: [],
    overlays: [],
    containers: [],
    layout: {},
  };
}

// ---- adding ---------------------------------------------------------------------------------

export interface AddOptions {
  name?: string;
  /** Absolute for hosts and overlays, relative to the host for containers. */
  position?: Point;
}

export function addHost(doc: LabDocument, options: AddOptions & { ip?: string } = {}): LabDocument {
  const name = options.name ?? nextHostName(doc);
  const next = append(doc, 'hosts', { name, ip: options.ip ?? proposeHostIp(doc) });
  return options.position ? setPositions(next, [{ kind: 'host', name, ...options.position }]) : next;
}

export function addOverlay(doc: LabDocument, options: AddOptions & { vni?: number; subnet?: string } = {}): LabDocument {
  const name = options.name ?? nextOverlayName(doc);
  const next = append(doc, 'overlays', {
    name,
    vni: options.vni ?? nextVni(doc),
    subnet: options.subnet ?? proposeOverlaySubnet(doc),
  });
  return options.position ? setPositions(next, [{ kind: 'overlay', name, ...options.position }]) : next;
}

export function addContainer(doc: LabDocument, host: string, options: AddOptions = {}): LabDocument {
  const name = options.name ?? nextContainerName(doc);
  const next = append(doc, 'containers', { name, host, interfaces: [] });
  return options.position ? setPositions(next, [{ kind: 'container', name, ...options.position }]) : next;
}

// ---- containers and networks -----------------------------------------------------------------

function firstIndexOf(doc: LabDocument, key: 'hosts' | 'containers' | 'overlays', name: string): number {
  return listOf(doc, key).findIndex((entry) => isMapping(entry) && entry.name === name);
}

function updateEntry(doc: LabDocument, key: 'hosts' | 'containers' | 'overlays', index: number, change: (entry: LabMapping) => LabMapping): LabDocument {
  if (index < 0) return doc;
  return mapList(doc, key, (entry, at) => (at === index ? change(entry) : entry));
}

/**
 * Puts a container on another host. Addresses it took from its old host's range
 * (the ones proposeIp would have given it there) are proposed afresh in the new
 * host's range; addresses chosen by hand stay as they are. It lands at `position`
 * (relative to the new host), or else in a free place there.
 */
export function moveContainer(doc: LabDocument, container: string, toHost: string, options: { position?: Point } = {}): LabDocument {
  const index = firstIndexOf(doc, 'containers', container);
  const entry = containersOf(doc).find((candidate) => candidate.index === index);
  if (entry === undefined) return doc;
  if (entry.host === toHost) {
    return options.position ? setPositions(doc, [{ kind: 'container', name: container, ...options.position }]) : doc;
  }
  // Pin every place first, so the newcomer never shifts the containers already on the host.
  const pinned = materializeLayout(doc);
  const moved = updateEntry(pinned, 'containers', index, (raw) =>
    Array.isArray(raw.interfaces)
      ? { ...raw, host: toHost, interfaces: reproposeForHost(doc, container, entry.host, toHost, raw.interfaces) }
      : { ...raw, host: toHost },
  );
  if (options.position) return setPositions(moved, [{ kind: 'container', name: container, ...options.position }]);
  // Its place was relative to the old host; without a new one it takes the first free slot.
  return removeFromLayout(moved, 'containers', [container]);
}

function reproposeForHost(doc: LabDocument, container: string, fromHost: string, toHost: string, interfaces: readonly unknown[]): unknown[] {
  const hosts = hostsOf(doc);
  const fromIndex = hosts.findIndex((host) => host.name === fromHost);
  const overlays = overlaysOf(doc);
  const plan = addressPlanOf(doc, container);
  // Addresses given out in this move count as used for the next interface.
  const givenOut: { interfaces: { overlay: string; ip: string }[] } = { interfaces: [] };
  const planWithMove: AddressPlanInput = { ...plan, containers: [...plan.containers, givenOut] };
  return interfaces.map((iface) => {
    if (!isMapping(iface) || typeof iface.overlay !== 'string' || typeof iface.ip !== 'string') return iface;
    const overlay = overlays.find((candidate) => candidate.name === iface.overlay);
    const range = overlay && fromIndex >= 0 && parseCidr(overlay.subnet) ? hostRange(overlay.subnet, fromIndex, hosts.length) : undefined;
    const proposed = range !== undefined && contains(range, iface.ip) ? proposeIp(planWithMove, iface.overlay, toHost) : undefined;
    const ip = proposed ?? iface.ip;
    givenOut.interfaces.push({ overlay: iface.overlay, ip });
    return ip === iface.ip ? iface : { ...iface, ip };
  });
}

/** Joins a container to an overlay; the address is proposed unless given (and stays editable). */
export function attach(doc: LabDocument, container: string, overlay: string, ip?: string): LabDocument {
  const index = firstIndexOf(doc, 'containers', container);
  const entry = containersOf(doc).find((candidate) => candidate.index === index);
  if (entry === undefined || entry.interfaces.some((iface) => iface.overlay === overlay)) return doc;
  const address = ip ?? proposeIp(addressPlanOf(doc), overlay, entry.host) ?? '';
  return updateEntry(doc, 'containers', index, (raw) => ({
    ...raw,
    interfaces: [...(Array.isArray(raw.interfaces) ? raw.interfaces : []), { overlay, ip: address }],
  }));
}

export function detach(doc: LabDocument, container: string, overlay: string): LabDocument {
  const index = firstIndexOf(doc, 'containers', container);
  return updateEntry(doc, 'containers', index, (raw) => {
    if (!Array.isArray(raw.interfaces)) return raw;
    const kept = raw.interfaces.filter((iface: unknown) => !(isMapping(iface) && iface.overlay === overlay));
    return kept.length === raw.interfaces.length ? raw : { ...raw, interfaces: kept };
  });
}

// ---- renaming -------------------------------------------------------------------------------

const LIST_OF = { host: 'hosts', container: 'containers', overlay: 'overlays' } as const;

function namesInNamespace(doc: LabDocument, kind: NodeKind): string[] {
  if (kind === 'overlay') return overlaysOf(doc).map((overlay) => overlay.name);
  return [...hostsOf(doc), ...containersOf(doc)].map((entry) => entry.name);
}

/**
 * Renames a host, container or overlay, and every reference to it: containers' `host`,
 * interfaces' `overlay`, and its `layout` entry. When several entries share the old name
 * (a problem validation reports), only the one at `index` (default: the first) is renamed
 * and references stay, since they cannot tell which one they meant.
 */
export function rename(doc: LabDocument, kind: NodeKind, oldName: string, newName: string, index?: number): LabDocument {
  if (oldName === newName) return doc;
  const key = LIST_OF[kind];
  const at = index ?? firstIndexOf(doc, key, oldName);
  if (at < 0 || !isMapping(listOf(doc, key)[at]) || (listOf(doc, key)[at] as LabMapping).name !== oldName) return doc;
  const shared = namesInNamespace(doc, kind).filter((name) => name === oldName).length > 1;
  let next = updateEntry(doc, key, at, (entry) => ({ ...entry, name: newName }));
  if (shared) return next;
  if (kind === 'host') {
    next = mapList(next, 'containers', (container) => (container.host === oldName ? { ...container, host: newName } : container));
  }
  if (kind === 'overlay') {
    next = mapList(next, 'containers', (container) => {
      if (!Array.isArray(container.interfaces)) return container;
      if (!container.interfaces.some((iface: unknown) => isMapping(iface) && iface.overlay === oldName)) return container;
      return {
        ...container,
        interfaces: container.interfaces.map((iface: unknown) => (isMapping(iface) && iface.overlay === oldName ? { ...iface, overlay: newName } : iface)),
      };
    });
  }
  return renameInLayout(next, key, oldName, newName);
}

// ---- removing -------------------------------------------------------------------------------

function indicesToRemove(doc: LabDocument, kind: NodeKind, targets: readonly EditTarget[]): Set<number> {
  const key = LIST_OF[kind];
  const indices = new Set<number>();
  for (const target of targets) {
    if (target.kind !== kind) continue;
    const at = target.index ?? firstIndexOf(doc, key, target.name);
    const entry = listOf(doc, key)[at];
    if (isMapping(entry) && entry.name === target.name) indices.add(at);
  }
  return indices;
}

function withoutIndices(doc: LabDocument, key: string, indices: Set<number>): LabDocument {
  if (indices.size === 0 || !Array.isArray(doc[key])) return doc;
  return replaceList(doc, key, listOf(doc, key).filter((_, index) => !indices.has(index)));
}

/** Names that the removed entries had and that no remaining entry still has. */
function vanishedNames(before: LabDocument, after: LabDocument, key: 'hosts' | 'containers' | 'overlays'): Set<string> {
  const remaining = new Set(listOf(after, key).flatMap((entry) => (isMapping(entry) && typeof entry.name === 'string' ? [entry.name] : [])));
  return new Set(listOf(before, key).flatMap((entry) => (isMapping(entry) && typeof entry.name === 'string' && !remaining.has(entry.name) ? [entry.name] : [])));
}

/**
 * Removes hosts (with the containers on them), overlays (and every interface on them),
 * containers and single interfaces, and the layout entries of whatever is gone.
 */
export function remove(doc: LabDocument, targets: readonly EditTarget[]): LabDocument {
  let next = withoutIndices(doc, 'hosts', indicesToRemove(doc, 'host', targets));
  const goneHosts = vanishedNames(doc, next, 'hosts');
  next = withoutIndices(next, 'overlays', indicesToRemove(doc, 'overlay', targets));
  const goneOverlays = vanishedNames(doc, next, 'overlays');

  const containerIndices = indicesToRemove(doc, 'container', targets);
  listOf(doc, 'containers').forEach((entry, index) => {
    if (isMapping(entry) && typeof entry.host === 'string' && goneHosts.has(entry.host)) containerIndices.add(index);
  });
  const beforeContainers = next;
  next = withoutIndices(next, 'containers', containerIndices);
  const goneContainers = vanishedNames(beforeContainers, next, 'containers');

  const detached = targets.filter((target): target is InterfaceRef => target.kind === 'interface');
  next = mapList(next, 'containers', (container) => {
    if (!Array.isArray(container.interfaces)) return container;
    const kept = container.interfaces.filter((iface: unknown) => {
      if (!isMapping(iface) || typeof iface.overlay !== 'string') return true;
      if (goneOverlays.has(iface.overlay)) return false;
      return !detached.some((target) => target.container === container.name && target.overlay === iface.overlay);
    });
    return kept.length === container.interfaces.length ? container : { ...container, interfaces: kept };
  });

  next = removeFromLayout(next, 'hosts', goneHosts);
  next = removeFromLayout(next, 'overlays', goneOverlays);
  return removeFromLayout(next, 'containers', goneContainers);
}

// ---- any field ------------------------------------------------------------------------------

/**
 * Sets the value at a path such as `overlays[0].mtu` or `underlay.subnet`, making the
 * mappings and lists on the way when they are missing. `undefined` removes the field
 * (an optional field goes back to its default) or the list item.
 */
export function setField(doc: LabDocument, path: FieldPath | string, value: unknown): LabDocument {
  const segments = toPath(path);
  if (segments.length === 0) return isMapping(value) ? value : doc;
  return setIn(doc, segments, value) as LabDocument;
}

function setIn(container: unknown, path: FieldPath, value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (typeof head === 'number') {
    const list = Array.isArray(container) ? [...container] : [];
    if (rest.length === 0 && value === undefined) {
      list.splice(head, 1);
      return list;
    }
    while (list.length < head) list.push(null);
    list[head] = setIn(list[head], rest, value);
    return list;
  }
  const mapping: Record<string, unknown> = isMapping(container) ? { ...container } : {};
  if (rest.length === 0 && value === undefined) {
    delete mapping[head];
    return mapping;
  }
  mapping[head] = setIn(mapping[head], rest, value);
  return mapping;
}

// ---- copy and paste -------------------------------------------------------------------------

/** What Copy takes: entries as the file has them (unknown fields too), with their places. */
export interface LabClipboard {
  hosts: LabMapping[];
  overlays: LabMapping[];
  containers: LabMapping[];
  /** Host boxes and overlay points absolute; container points relative to their host. */
  positions: { hosts: Record<string, Box>; overlays: Record<string, Point>; containers: Record<string, Point> };
}

export function isClipboardEmpty(clipboard: LabClipboard): boolean {
  return clipboard.hosts.length + clipboard.overlays.length + clipboard.containers.length === 0;
}

/** Copies hosts (with their containers), containers and overlays. */
export function copyElements(doc: LabDocument, refs: readonly EditTarget[]): LabClipboard {
  const layout = resolveLayout(doc);
  const pick = (kind: NodeKind) => {
    const indices = indicesToRemove(doc, kind, refs);
    return listOf(doc, LIST_OF[kind]).filter((entry, index): entry is LabMapping => indices.has(index) && isMapping(entry)).map(deepCopy);
  };
  const hosts = pick('host');
  const hostNames = new Set(hosts.map((host) => host.name));
  const chosen = indicesToRemove(doc, 'container', refs);
  const containers = listOf(doc, 'containers')
    .filter((entry, index): entry is LabMapping => isMapping(entry) && (chosen.has(index) || hostNames.has(entry.host as string)))
    .map(deepCopy);
  const overlays = pick('overlay');
  const positions: LabClipboard['positions'] = { hosts: {}, overlays: {}, containers: {} };
  const place = <T>(into: Record<string, T>, name: unknown, point: T | undefined) => {
    if (typeof name === 'string' && point !== undefined) into[name] = { ...point };
  };
  for (const host of hosts) place(positions.hosts, host.name, layout.hosts.get(String(host.name)));
  for (const container of containers) place(positions.containers, container.name, layout.containers.get(String(container.name)));
  for (const overlay of overlays) place(positions.overlays, overlay.name, layout.overlays.get(String(overlay.name)));
  return { hosts, overlays, containers, positions };
}

export interface PasteOptions {
  /** Where containers go whose host was not copied with them (e.g. the selected host). */
  intoHost?: string;
  /** How far from the originals the copies land. */
  offset?: number;
}

export interface PasteResult {
  doc: LabDocument;
  /** The new elements, to select them. */
  pasted: ElementRef[];
}

/**
 * Adds copies with fresh names, new VNIs and proposed addresses. A copied container
 * goes with its copied host, else to `intoHost`, else to its original host, else to
 * the first host; an interface whose overlay exists neither among the copies nor in
 * the lab is dropped.
 */
export function pasteElements(doc: LabDocument, clipboard: LabClipboard, options: PasteOptions = {}): PasteResult {
  const offset = options.offset ?? GEOMETRY.pasteOffset;
  const pasted: ElementRef[] = [];
  const moves: PositionUpdate[] = [];
  let next = doc;

  const overlayRenames = new Map<string, string>();
  for (const overlay of clipboard.overlays) {
    const original = String(overlay.name ?? 'overlay');
    const name = uniqueName(original, overlayNames(next));
    overlayRenames.set(original, name);
    next = append(next, 'overlays', { ...deepCopy(overlay), name, vni: nextVni(next) });
    pasted.push({ kind: 'overlay', name });
    const point = clipboard.positions.overlays[original];
    if (point) moves.push({ kind: 'overlay', name, x: point.x + offset, y: point.y + offset });
  }

  const hostRenames = new Map<string, string>();
  for (const host of clipboard.hosts) {
    const original = String(host.name ?? 'host');
    const name = uniqueName(original, nodeNames(next));
    hostRenames.set(original, name);
    next = append(next, 'hosts', { ...deepCopy(host), name, ip: proposeHostIp(next) });
    pasted.push({ kind: 'host', name });
    const box = clipboard.positions.hosts[original];
    if (box) moves.push({ kind: 'host', name, x: box.x + offset, y: box.y + offset });
  }

  for (const container of clipboard.containers) {
    const original = String(container.name ?? 'container');
    const originalHost = String(container.host ?? '');
    const existingHosts = new Set(hostsOf(next).map((host) => host.name));
    const host =
      hostRenames.get(originalHost) ??
      (options.intoHost !== undefined && existingHosts.has(options.intoHost) ? options.intoHost : undefined) ??
      (existingHosts.has(originalHost) ? originalHost : hostsOf(next)[0]?.name);
    if (host === undefined) continue;
    const name = uniqueName(original, nodeNames(next));
    const copy: Record<string, unknown> = { ...deepCopy(container), name, host, interfaces: [] };
    next = append(next, 'containers', copy);
    const interfaces = Array.isArray(container.interfaces) ? container.interfaces : [];
    for (const iface of interfaces) {
      if (!isMapping(iface) || typeof iface.overlay !== 'string') continue;
      const overlay = overlayRenames.get(iface.overlay) ?? (overlayNames(next).has(iface.overlay) ? iface.overlay : undefined);
      if (overlay === undefined) continue;
      const index = listOf(next, 'containers').length - 1;
      const ip = proposeIp(addressPlanOf(next), overlay, host) ?? '';
      next = updateEntry(next, 'containers', index, (raw) => ({
        ...raw,
        interfaces: [...(raw.interfaces as unknown[]), { ...deepCopy(iface), overlay, ip }],
      }));
    }
    pasted.push({ kind: 'container', name });
    const point = clipboard.positions.containers[original];
    // With its host, a container keeps its place in it; elsewhere it takes a free slot.
    if (point && hostRenames.has(originalHost)) moves.push({ kind: 'container', name, x: point.x, y: point.y });
  }

  return { doc: setPositions(next, moves), pasted };
}
