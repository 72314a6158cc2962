// Where each element sits on the editor's canvas, kept in the lab file's `layout`:
//   layout: { hosts: {NAME: {x, y, w?, h?}}, overlays: {NAME: {x, y}}, containers: {NAME: {x, y}} }
// Container positions are relative to their host's top-left corner. Elements without a
// stored position are placed here, by plain arithmetic, so a lab with `layout: {}` still
// draws well and opening it does not change the file. Other layout keys are never touched.

import { containersOf, hostsOf, isMapping, overlaysOf } from './document.js';
import type { ContainerEntry, LabDocument, LabMapping } from './document.js';

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  w: number;
  h: number;
}

export interface Box extends Point, Size {}

/** Every element's place. Hosts and overlays are absolute; containers are relative to their host. */
export interface LabLayout {
  hosts: Map<string, Box>;
  containers: Map<string, Point>;
  overlays: Map<string, Point>;
  /** Containers whose host does not exist (yet): absolute, in a row below everything else. */
  orphans: Map<string, Point>;
}

export type LayoutSection = 'hosts' | 'overlays' | 'containers';

/** The geometry the canvas draws with: node sizes are part of the layout, not of CSS. */
export const GEOMETRY = {
  containerWidth: 188,
  /** Name line plus padding; each interface (or the "no network" line) adds a line. */
  containerBaseHeight: 34,
  containerLineHeight: 20,
  containerGap: 14,
  hostHeader: 58,
  hostPadding: 16,
  hostMinWidth: 240,
  hostMinHeight: 160,
  /** Wide enough between hosts for the tunnel labels that arc over them. */
  hostGapX: 110,
  /** Room above each row of hosts for the tunnel arcs. */
  hostGapY: 150,
  overlayWidth: 176,
  overlayHeight: 60,
  overlayGapX: 40,
  /** Between the lowest host and the row of overlays. */
  overlayGapY: 110,
  /** How far a paste lands from what was copied. */
  pasteOffset: 40,
} as const;

export function containerSize(container: Pick<ContainerEntry, 'interfaces' | 'image'>): Size {
  const lines = Math.max(1, container.interfaces.length) + (container.image === undefined ? 0 : 1);
  return { w: GEOMETRY.containerWidth, h: GEOMETRY.containerBaseHeight + lines * GEOMETRY.containerLineHeight };
}

export const OVERLAY_SIZE: Size = { w: GEOMETRY.overlayWidth, h: GEOMETRY.overlayHeight };

// ---- reading what the file stores ---------------------------------------------------------

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function layoutOf(doc: LabDocument): LabMapping {
  return isMapping(doc.layout) ? doc.layout : {};
}

function storedSection(doc: LabDocument, section: LayoutSection): LabMapping {
  const value = layoutOf(doc)[section];
  return isMapping(value) ? value : {};
}

function storedPoint(doc: LabDocument, section: LayoutSection, name: string): (Point & Partial<Size>) | undefined {
  const entry = Object.hasOwn(storedSection(doc, section), name) ? storedSection(doc, section)[name] : undefined;
  if (!isMapping(entry)) return undefined;
  const x = finite(entry.x);
  const y = finite(entry.y);
  if (x === undefined || y === undefined) return undefined;
  const w = finite(entry.w);
  const h = finite(entry.h);
  return { x, y, ...(w === undefined ? {} : { w }), ...(h === undefined ? {} : { h }) };
}

/** First entry of each name: later duplicates are problems the validator reports, not places. */
function uniqueByName<T extends { name: string }>(entries: T[]): T[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    if (entry.name === '' || seen.has(entry.name)) return false;
    seen.add(entry.name);
    return true;
  });
}

function containersByHost(doc: LabDocument): { byHost: Map<string, ContainerEntry[]>; orphans: ContainerEntry[] } {
  const hostNames = new Set(uniqueByName(hostsOf(doc)).map((host) => host.name));
  const byHost = new Map<string, ContainerEntry[]>();
  const orphans: ContainerEntry[] = [];
  for (const container of uniqueByName(containersOf(doc))) {
    if (!hostNames.has(container.host)) {
      orphans.push(container);
      continue;
    }
    byHost.set(container.host, [...(byHost.get(container.host) ?? []), container]);
  }
  return { byHost, orphans };
}

// ---- placing ---------------------------------------------------------------------------------

function containerColumns(count: number): number {
  if (count <= 1) return 1;
  return count <= 4 ? 2 : 3;
}

/** Grid slots inside a host, row by row, each row as tall as its tallest container. */
function containerSlots(containers: ContainerEntry[]): Point[] {
  const columns = containerColumns(containers.length);
  const slots: Point[] = [];
  let y = GEOMETRY.hostHeader;
  for (let row = 0; row * columns < containers.length; row++) {
    const rowItems = containers.slice(row * columns, row * columns + columns);
    rowItems.forEach((_, column) => {
      slots.push({ x: GEOMETRY.hostPadding + column * (GEOMETRY.containerWidth + GEOMETRY.containerGap), y });
    });
    y += Math.max(...rowItems.map((item) => containerSize(item).h)) + GEOMETRY.containerGap;
  }
  return slots;
}

/** The smallest host box that holds its containers where they are. */
function fittedSize(containers: ContainerEntry[], positions: Map<string, Point>): Size {
  let w: number = GEOMETRY.hostMinWidth;
  let h: number = GEOMETRY.hostMinHeight;
  for (const container of containers) {
    const position = positions.get(container.name);
    if (position === undefined) continue;
    const size = containerSize(container);
    w = Math.max(w, position.x + size.w + GEOMETRY.hostPadding);
    h = Math.max(h, position.y + size.h + GEOMETRY.hostPadding);
  }
  return { w, h };
}

function overlapsAny(box: Box, others: Box[]): boolean {
  return others.some(
    (other) => box.x < other.x + other.w && other.x < box.x + box.w && box.y < other.y + other.h && other.y < box.y + box.h,
  );
}

/** Places a host's containers: stored places first, then free grid slots for the rest. */
function placeContainers(doc: LabDocument, containers: ContainerEntry[], useStored: boolean, into: Map<string, Point>): void {
  const taken: Box[] = [];
  const missing: ContainerEntry[] = [];
  for (const container of containers) {
    const stored = useStored ? storedPoint(doc, 'containers', container.name) : undefined;
    if (stored === undefined) {
      missing.push(container);
      continue;
    }
    into.set(container.name, { x: stored.x, y: stored.y });
    taken.push({ x: stored.x, y: stored.y, ...containerSize(container) });
  }
  if (missing.length === 0) return;
  // Enough slots for every container of the host, and more when stored ones sit in the way.
  const candidates = containerSlots([...containers, ...containers]);
  for (const container of missing) {
    const size = containerSize(container);
    const slot = candidates.find((point) => !overlapsAny({ ...point, ...size }, taken)) ?? {
      x: GEOMETRY.hostPadding,
      y: Math.max(GEOMETRY.hostHeader, ...taken.map((box) => box.y + box.h + GEOMETRY.containerGap)),
    };
    into.set(container.name, slot);
    taken.push({ ...slot, ...size });
  }
}

function hostColumns(count: number): number {
  return count <= 4 ? Math.max(count, 1) : Math.max(4, Math.ceil(Math.sqrt(count)));
}

/**
 * Overlays in a row below the hosts, each as close as it can get to the middle of the
 * hosts that use it, so the attachment lines stay short.
 */
function placeOverlaysBelow(doc: LabDocument, hosts: Map<string, Box>, missing: string[], taken: Map<string, Point>, into: Map<string, Point>): void {
  if (missing.length === 0) return;
  const boxes = [...hosts.values()];
  const bottom = boxes.length === 0 ? 0 : Math.max(...boxes.map((box) => box.y + box.h));
  const storedYs = [...taken.values()].map((point) => point.y);
  const y = storedYs.length > 0 ? Math.max(...storedYs) : bottom + GEOMETRY.overlayGapY;
  const spanLeft = boxes.length === 0 ? 0 : Math.min(...boxes.map((box) => box.x));
  const spanRight = boxes.length === 0 ? 0 : Math.max(...boxes.map((box) => box.x + box.w));

  const containers = containersOf(doc);
  const desired = missing.map((name) => {
    const users = new Set(containers.filter((c) => c.interfaces.some((i) => i.overlay === name)).map((c) => c.host));
    const centres = [...users].flatMap((host) => {
      const box = hosts.get(host);
      return box === undefined ? [] : [box.x + box.w / 2];
    });
    const centre = centres.length > 0 ? centres.reduce((sum, x) => sum + x, 0) / centres.length : (spanLeft + spanRight) / 2;
    return { name, x: centre - GEOMETRY.overlayWidth / 2 };
  });
  desired.sort((a, b) => a.x - b.x);
  const occupied = [...taken.values()].filter((point) => point.y === y).map((point) => ({ ...point, ...OVERLAY_SIZE }));
  let next = -Infinity;
  for (const { name, x } of desired) {
    let placed = Math.max(x, next);
    while (overlapsAny({ x: placed, y, ...OVERLAY_SIZE }, occupied)) placed += GEOMETRY.overlayWidth + GEOMETRY.overlayGapX;
    into.set(name, { x: Math.round(placed), y });
    occupied.push({ x: placed, y, ...OVERLAY_SIZE });
    next = placed + GEOMETRY.overlayWidth + GEOMETRY.overlayGapX;
  }
}

function placeOrphans(layout: LabLayout, orphans: ContainerEntry[]): void {
  const bottoms = [
    ...[...layout.hosts.values()].map((box) => box.y + box.h),
    ...[...layout.overlays.values()].map((point) => point.y + GEOMETRY.overlayHeight),
  ];
  const y = (bottoms.length > 0 ? Math.max(...bottoms) : 0) + GEOMETRY.overlayGapY;
  orphans.forEach((container, index) => {
    layout.orphans.set(container.name, { x: index * (GEOMETRY.containerWidth + GEOMETRY.containerGap), y });
  });
}

/** Everything placed afresh: hosts in a grid, containers inside them, overlays below. */
export function computeAutoLayout(doc: LabDocument): LabLayout {
  return placeAll(doc, false);
}

/** The stored layout, with a place found for every element that has none. */
export function resolveLayout(doc: LabDocument): LabLayout {
  return placeAll(doc, true);
}

function placeAll(doc: LabDocument, useStored: boolean): LabLayout {
  const layout: LabLayout = { hosts: new Map(), containers: new Map(), overlays: new Map(), orphans: new Map() };
  const hosts = uniqueByName(hostsOf(doc));
  const { byHost, orphans } = containersByHost(doc);

  for (const host of hosts) placeContainers(doc, byHost.get(host.name) ?? [], useStored, layout.containers);

  const sizeOf = (name: string, stored?: Partial<Size>): Size => {
    const fitted = fittedSize(byHost.get(name) ?? [], layout.containers);
    return { w: Math.max(fitted.w, stored?.w ?? 0), h: Math.max(fitted.h, stored?.h ?? 0) };
  };

  const storedHosts = new Map<string, Point & Partial<Size>>();
  for (const host of hosts) {
    const stored = useStored ? storedPoint(doc, 'hosts', host.name) : undefined;
    if (stored !== undefined) storedHosts.set(host.name, stored);
  }
  if (storedHosts.size === 0) {
    placeHostGrid(hosts.map((host) => host.name), sizeOf, layout.hosts);
  } else {
    for (const [name, stored] of storedHosts) layout.hosts.set(name, { x: stored.x, y: stored.y, ...sizeOf(name, stored) });
    // Newcomers join the right end of the top row, clear of everything placed so far.
    const top = Math.min(...[...storedHosts.values()].map((point) => point.y));
    for (const host of hosts) {
      if (layout.hosts.has(host.name)) continue;
      const right = Math.max(...[...layout.hosts.values()].map((box) => box.x + box.w));
      layout.hosts.set(host.name, { x: right + GEOMETRY.hostGapX, y: top, ...sizeOf(host.name) });
    }
  }

  const overlays = uniqueByName(overlaysOf(doc));
  const storedOverlays = new Map<string, Point>();
  const missingOverlays: string[] = [];
  for (const overlay of overlays) {
    const stored = useStored ? storedPoint(doc, 'overlays', overlay.name) : undefined;
    if (stored === undefined) missingOverlays.push(overlay.name);
    else storedOverlays.set(overlay.name, { x: stored.x, y: stored.y });
  }
  for (const [name, point] of storedOverlays) layout.overlays.set(name, point);
  placeOverlaysBelow(doc, layout.hosts, missingOverlays, storedOverlays, layout.overlays);
  // Keep the file's order, so the canvas and the minimap list elements as the file does.
  const ordered = new Map(overlays.flatMap((overlay) => {
    const point = layout.overlays.get(overlay.name);
    return point === undefined ? [] : [[overlay.name, point] as const];
  }));
  layout.overlays = ordered;

  placeOrphans(layout, orphans);
  return layout;
}

function placeHostGrid(names: string[], sizeOf: (name: string) => Size, into: Map<string, Box>): void {
  const columns = hostColumns(names.length);
  let y = 0;
  for (let row = 0; row * columns < names.length; row++) {
    const rowNames = names.slice(row * columns, row * columns + columns);
    let x = 0;
    let rowHeight = 0;
    for (const name of rowNames) {
      const size = sizeOf(name);
      into.set(name, { x, y, ...size });
      x += size.w + GEOMETRY.hostGapX;
      rowHeight = Math.max(rowHeight, size.h);
    }
    y += rowHeight + GEOMETRY.hostGapY;
  }
}

// ---- writing ----------------------------------------------------------------------------------

export type PositionUpdate =
  | { kind: 'host'; name: string; x: number; y: number; w?: number; h?: number }
  | { kind: 'container' | 'overlay'; name: string; x: number; y: number };

const SECTION_OF = { host: 'hosts', container: 'containers', overlay: 'overlays' } as const;

function withSection(doc: LabDocument, section: LayoutSection, change: (entries: LabMapping) => LabMapping): LabDocument {
  const layout = layoutOf(doc);
  return { ...doc, layout: { ...layout, [section]: change(storedSection(doc, section)) } };
}

function withPoint(entries: LabMapping, name: string, values: Partial<Box>, drop: readonly string[] = []): LabMapping {
  const previous = Object.hasOwn(entries, name) && isMapping(entries[name]) ? (entries[name] as LabMapping) : {};
  const next: Record<string, unknown> = { ...previous };
  for (const key of drop) delete next[key];
  for (const [key, value] of Object.entries(values)) if (value !== undefined && Number.isFinite(value)) next[key] = Math.round(value);
  return { ...entries, [name]: next };
}

/**
 * Writes every resolved position that the file does not store yet, so that moving one
 * element never makes the others jump to a newly computed place.
 */
export function materializeLayout(doc: LabDocument): LabDocument {
  const resolved = resolveLayout(doc);
  let next = doc;
  const fill = (section: LayoutSection, positions: Map<string, Point>) => {
    for (const [name, point] of positions) {
      if (storedPoint(next, section, name) !== undefined) continue;
      next = withSection(next, section, (entries) => withPoint(entries, name, { x: point.x, y: point.y }));
    }
  };
  fill('hosts', resolved.hosts);
  fill('containers', resolved.containers);
  fill('overlays', resolved.overlays);
  return next;
}

/** Stores new positions (and host sizes) after a drag, a drop or a resize. */
export function setPositions(doc: LabDocument, updates: readonly PositionUpdate[]): LabDocument {
  updates = updates.filter((update) => Number.isFinite(update.x) && Number.isFinite(update.y));
  if (updates.length === 0) return doc;
  let next = materializeLayout(doc);
  for (const update of updates) {
    const { kind, name, ...values } = update;
    next = withSection(next, SECTION_OF[kind], (entries) => withPoint(entries, name, values));
  }
  return next;
}

/** Every host, container and overlay placed afresh; host sizes go back to fitting their contents. */
export function autoLayout(doc: LabDocument): LabDocument {
  const computed = computeAutoLayout(doc);
  let next = doc;
  for (const [name, box] of computed.hosts) {
    next = withSection(next, 'hosts', (entries) => withPoint(entries, name, { x: box.x, y: box.y }, ['w', 'h']));
  }
  for (const [name, point] of computed.containers) {
    next = withSection(next, 'containers', (entries) => withPoint(entries, name, point));
  }
  for (const [name, point] of computed.overlays) {
    next = withSection(next, 'overlays', (entries) => withPoint(entries, name, point));
  }
  return next;
}

/** A stored position follows its element's new name. */
export function renameInLayout(doc: LabDocument, section: LayoutSection, from: string, to: string): LabDocument {
  const entries = storedSection(doc, section);
  if (!Object.hasOwn(entries, from)) return doc;
  // Rebuilt key by key, so the renamed entry keeps its place in the file.
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (key === to) continue;
    renamed[key === from ? to : key] = value;
  }
  return withSection(doc, section, () => renamed);
}

export function removeFromLayout(doc: LabDocument, section: LayoutSection, names: Iterable<string>): LabDocument {
  const entries = storedSection(doc, section);
  const gone = [...names].filter((name) => Object.hasOwn(entries, name));
  if (gone.length === 0) return doc;
  const kept: Record<string, unknown> = { ...entries };
  for (const name of gone) delete kept[name];
  return withSection(doc, section, () => kept);
}

/** The stored position of one element, as the file has it. */
export function storedPosition(doc: LabDocument, kind: keyof typeof SECTION_OF, name: string): (Point & Partial<Size>) | undefined {
  return storedPoint(doc, SECTION_OF[kind], name);
}

/** The host whose box holds `point` (absolute), the last drawn (topmost) first. */
export function hostAt(layout: LabLayout, point: Point): string | undefined {
  const hits = [...layout.hosts].filter(([, box]) => point.x >= box.x && point.x <= box.x + box.w && point.y >= box.y && point.y <= box.y + box.h);
  return hits.at(-1)?.[0];
}
