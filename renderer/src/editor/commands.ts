// What a person can do to the lab, in the words of the UI, shared by the palette,
// the toolbar, the canvas, the keyboard and the context menu. Each is one store.apply
// (so one undo step) and selects what it made.
import { containersOf, getField, hostsOf } from '../../../electron/lab/document';
import {
  addContainer,
  addHost,
  addOverlay,
  attach,
  moveContainer,
  nextContainerName,
  nextHostName,
  nextOverlayName,
} from '../../../electron/lab/edit-ops';
import type { NodeKind } from '../../../electron/lab/edit-ops';
import { autoLayout, GEOMETRY, hostAt, materializeLayout, OVERLAY_SIZE, setPositions } from '../../../electron/lab/layout';
import type { LabLayout, Point, PositionUpdate } from '../../../electron/lab/layout';
import { idOf, interfaceId, isNodeInfo } from './elements';
import type { ElementInfo } from './elements';
import type { LabEditorStore } from './store';

/** The drag-and-drop type of palette items; the data is the kind: host, container or overlay. */
export const NODE_MIME = 'application/vxlab-node';
/** A second type naming the kind, because a drag-over may read the types but not the data. */
export const kindMime = (kind: NodeKind) => `application/vxlab-kind-${kind}`;

export const NEEDS_A_HOST = 'Add a host first: containers run inside hosts.';
export const DROP_ON_A_HOST = 'Drop the container on a host: containers run inside hosts.';

export function isNodeKind(value: string): value is NodeKind {
  return value === 'host' || value === 'container' || value === 'overlay';
}

export function addHostAt(store: LabEditorStore, position?: Point): void {
  const doc = store.getState().doc;
  if (doc === undefined) return;
  const name = nextHostName(doc);
  store.apply((current) => addHost(current, { name, ...(position ? { position } : {}) }), { select: [idOf('host', name)] });
}

export function addOverlayAt(store: LabEditorStore, position?: Point): void {
  const doc = store.getState().doc;
  if (doc === undefined) return;
  const name = nextOverlayName(doc);
  store.apply((current) => addOverlay(current, { name, ...(position ? { position } : {}) }), { select: [idOf('overlay', name)] });
}

/** The host the user means: the selected one, the host of the selected container, or the first. */
export function targetHost(store: LabEditorStore): string | undefined {
  const { doc, elements, selection } = store.getState();
  if (doc === undefined) return undefined;
  for (const id of selection) {
    const info = elements.byId.get(id);
    if (!isNodeInfo(info)) continue;
    if (info.kind === 'host' && info.primary) return info.name;
    if (info.kind === 'container') {
      const host = getField(doc, ['containers', info.index, 'host']);
      if (typeof host === 'string' && hostsOf(doc).some((entry) => entry.name === host)) return host;
    }
  }
  return hostsOf(doc).find((host) => host.name !== '')?.name;
}

export function addContainerTo(store: LabEditorStore, host = targetHost(store), position?: Point): void {
  const doc = store.getState().doc;
  if (doc === undefined) return;
  if (host === undefined) {
    store.notify(NEEDS_A_HOST, 'error');
    return;
  }
  const name = nextContainerName(doc);
  store.apply((current) => addContainer(current, host, { name, ...(position ? { position } : {}) }), { select: [idOf('container', name)] });
}

/** A palette item dropped at `point` (canvas coordinates). */
export function dropNew(store: LabEditorStore, kind: NodeKind, point: Point, layout: LabLayout): void {
  switch (kind) {
    case 'host':
      addHostAt(store, { x: point.x - GEOMETRY.hostMinWidth / 2, y: point.y - GEOMETRY.hostHeader / 2 });
      return;
    case 'overlay':
      addOverlayAt(store, { x: point.x - OVERLAY_SIZE.w / 2, y: point.y - OVERLAY_SIZE.h / 2 });
      return;
    case 'container': {
      const host = hostAt(layout, point);
      const box = host === undefined ? undefined : layout.hosts.get(host);
      if (host === undefined || box === undefined) {
        store.notify(hostsOf(store.getState().doc ?? {}).length === 0 ? NEEDS_A_HOST : DROP_ON_A_HOST, 'error');
        return;
      }
      addContainerTo(store, host, insideHost({ x: point.x - box.x - GEOMETRY.containerWidth / 2, y: point.y - box.y - 20 }));
      return;
    }
  }
}

/** Keeps a container clear of its host's header and left edge; the host grows to the right and down. */
export function insideHost(point: Point): Point {
  return { x: Math.max(GEOMETRY.hostPadding, Math.round(point.x)), y: Math.max(GEOMETRY.hostHeader, Math.round(point.y)) };
}

/** A line drawn between a container and an overlay, from either end. */
export function connect(store: LabEditorStore, source: string, target: string): void {
  const { container, overlay } = connectionEnds(store, source, target);
  if (container === undefined || overlay === undefined) {
    store.notify('Connect a container to an overlay network.', 'error');
    return;
  }
  let attached: string | undefined;
  store.apply((doc) => {
    const next = attach(doc, container.name, overlay.name);
    const entry = containersOf(next).find((candidate) => candidate.name === container.name);
    const iface = entry?.interfaces.find((candidate) => candidate.overlay === overlay.name);
    if (iface) attached = interfaceId(container.id, overlay.name, iface.index);
    return next;
  });
  if (attached) store.select([attached]);
}

export function canConnect(store: LabEditorStore, source: string, target: string): boolean {
  const { doc, elements } = store.getState();
  const { container, overlay } = connectionEnds(store, source, target);
  if (doc === undefined || container === undefined || overlay === undefined || !container.primary) return false;
  const entry = containersOf(doc)[elements.containers.indexOf(container)];
  return entry !== undefined && !entry.interfaces.some((iface) => iface.overlay === overlay.name);
}

/** The container and the overlay of a line drawn either way. */
function connectionEnds(store: LabEditorStore, source: string, target: string): { container?: ElementInfo; overlay?: ElementInfo } {
  const { elements } = store.getState();
  const ends = [elements.byId.get(source), elements.byId.get(target)].filter(isNodeInfo);
  return { container: ends.find((info) => info.kind === 'container'), overlay: ends.find((info) => info.kind === 'overlay') };
}

export interface ContainerMove {
  container: string;
  toHost: string;
  position: Point;
}

/** The end of a drag: new places, and containers that changed host; one undo step. */
export function commitDrag(store: LabEditorStore, updates: PositionUpdate[], moves: ContainerMove[]): void {
  if (updates.length === 0 && moves.length === 0) return;
  store.apply((doc) => {
    // Pinned first, so that what moves never shifts what did not.
    let next = materializeLayout(doc);
    for (const move of moves) next = moveContainer(next, move.container, move.toHost, { position: move.position });
    return setPositions(next, updates);
  });
}

export function arrange(store: LabEditorStore): void {
  store.apply(autoLayout);
}
