// From the document to what React Flow draws: nodes (hosts as parents of their
// containers, overlays), attachment edges (container to overlay) and tunnel edges
// (host to host, one per shared VNI). Plain data, no React, so it is cheap to test and
// to rebuild; unchanged nodes keep their object so memoised components skip rendering.
import { Position } from '@xyflow/react';
import type { Edge, Node } from '@xyflow/react';
import { containersOf, overlaysOf, hostsOf } from '../../../electron/lab/document';
import type { LabDocument } from '../../../electron/lab/document';
import { containerSize, GEOMETRY, OVERLAY_SIZE, resolveLayout } from '../../../electron/lab/layout';
import type { LabLayout, Point } from '../../../electron/lab/layout';
import type { Problem } from '../../../electron/lab/model';
import { tunnelsOf } from '../../../electron/lab/tunnels';
import { overlayColor } from './colors';
import { messageAtElement } from './problem-text';
import { elementOfProblem, idOf, interfaceOfProblem, tunnelId } from './elements';
import type { ElementIndex } from './elements';
import type { NodeRuntime, RuntimeState } from './types';

export type HostNodeData = {
  name: string;
  ip: string;
  problems: string[];
  runtime?: NodeRuntime;
  /** The smallest size that still holds its containers, for resizing. */
  minWidth: number;
  minHeight: number;
};

export type InterfaceLine = { overlay: string; ip: string; color: string; problem?: string };

export type ContainerNodeData = {
  name: string;
  host: string;
  image?: string;
  interfaces: InterfaceLine[];
  problems: string[];
  runtime?: NodeRuntime;
};

export type OverlayNodeData = {
  name: string;
  vni?: number;
  subnet: string;
  color: string;
  problems: string[];
};

export type HostNode = Node<HostNodeData, 'host'>;
export type ContainerNode = Node<ContainerNodeData, 'container'>;
export type OverlayNode = Node<OverlayNodeData, 'overlay'>;
export type EditorNode = HostNode | ContainerNode | OverlayNode;

export type TunnelEdgeData = { vni: number; overlay: string; lane: number; lanes: number; color: string };
export type AttachmentEdgeData = { container: string; overlay: string; ip: string; color: string; problem?: string };
export type TunnelEdge = Edge<TunnelEdgeData, 'tunnel'>;
export type AttachmentEdge = Edge<AttachmentEdgeData, 'attachment'>;
export type EditorEdge = TunnelEdge | AttachmentEdge;

export interface GraphInput {
  doc: LabDocument;
  elements: ElementIndex;
  problems: readonly Problem[];
  runtime?: RuntimeState;
}

export interface Graph {
  nodes: EditorNode[];
  edges: EditorEdge[];
  layout: LabLayout;
}

const HANDLE = 10;

function hostHandles(width: number): NonNullable<Node['handles']> {
  // Tunnels leave and arrive right on the middle of a host's top edge, and arc over the hosts.
  const at = { position: Position.Top, x: width / 2 - HANDLE / 2, y: 0, width: HANDLE, height: HANDLE };
  return [
    { id: 'tunnel-out', type: 'source', ...at },
    { id: 'tunnel-in', type: 'target', ...at },
  ];
}

function containerHandles(width: number, height: number): NonNullable<Node['handles']> {
  return [{ id: 'attach', type: 'source', position: Position.Bottom, x: width / 2 - HANDLE / 2, y: height - HANDLE / 2, width: HANDLE, height: HANDLE }];
}

function overlayHandles(width: number): NonNullable<Node['handles']> {
  return [{ id: 'attach', type: 'target', position: Position.Top, x: width / 2 - HANDLE / 2, y: -HANDLE / 2, width: HANDLE, height: HANDLE }];
}

function nodeClass(kind: string, problems: string[]): string {
  return problems.length > 0 ? `vx-node vx-${kind} has-problem` : `vx-node vx-${kind}`;
}

/** Problem messages by element id, and by interface id for lines inside a container. */
function problemsByElement(elements: ElementIndex, problems: readonly Problem[]): { byElement: Map<string, string[]>; byInterface: Map<string, string> } {
  const byElement = new Map<string, string[]>();
  const byInterface = new Map<string, string>();
  for (const problem of problems) {
    const id = elementOfProblem(elements, problem.path);
    const message = messageAtElement(problem);
    if (id !== undefined) byElement.set(id, [...(byElement.get(id) ?? []), message]);
    const ifaceId = interfaceOfProblem(elements, problem.path);
    if (ifaceId !== undefined && !byInterface.has(ifaceId)) byInterface.set(ifaceId, message);
  }
  return { byElement, byInterface };
}

/** A row under everything else for entries the layout cannot place (no name, or a taken one). */
function makeSpareRow(layout: LabLayout): () => Point {
  const bottoms = [
    0,
    ...[...layout.hosts.values()].map((box) => box.y + box.h),
    ...[...layout.overlays.values()].map((point) => point.y + OVERLAY_SIZE.h),
    ...[...layout.orphans.values()].map((point) => point.y + 100),
  ];
  const y = Math.max(...bottoms) + GEOMETRY.overlayGapY;
  let x = 0;
  return () => {
    const point = { x, y };
    x += GEOMETRY.hostMinWidth + GEOMETRY.containerGap;
    return point;
  };
}

export function buildGraph({ doc, elements, problems, runtime = {} }: GraphInput): Graph {
  const layout = resolveLayout(doc);
  const spare = makeSpareRow(layout);
  const { byElement, byInterface } = problemsByElement(elements, problems);
  const overlayEntries = overlaysOf(doc);
  const vniOf = new Map<string, number | undefined>();
  for (const overlay of overlayEntries) if (!vniOf.has(overlay.name)) vniOf.set(overlay.name, overlay.vni);
  const colorOf = (overlay: string) => overlayColor(vniOf.get(overlay));

  const nodes: EditorNode[] = [];
  const containerEntries = containersOf(doc);

  hostsOf(doc).forEach((host, position) => {
    const info = elements.hosts[position];
    if (info === undefined) return;
    const box = info.primary ? layout.hosts.get(host.name) : undefined;
    const place = box ?? { ...spare(), w: GEOMETRY.hostMinWidth, h: GEOMETRY.hostMinHeight };
    const problemList = byElement.get(info.id) ?? [];
    nodes.push({
      id: info.id,
      type: 'host',
      position: { x: place.x, y: place.y },
      width: place.w,
      height: place.h,
      handles: hostHandles(place.w),
      className: nodeClass('host', problemList),
      ariaLabel: host.name || `host ${host.index + 1} (no name)`,
      data: {
        name: host.name,
        ip: host.ip,
        problems: problemList,
        ...(runtime[host.name] ? { runtime: runtime[host.name] } : {}),
        minWidth: GEOMETRY.hostMinWidth,
        minHeight: GEOMETRY.hostMinHeight,
      },
    });
  });

  containerEntries.forEach((container, position) => {
    const info = elements.containers[position];
    if (info === undefined) return;
    const hostId = elements.idOfName('host', container.host);
    const relative = info.primary && hostId !== undefined ? layout.containers.get(container.name) : undefined;
    const absolute = relative === undefined ? (info.primary ? layout.orphans.get(container.name) : undefined) ?? spare() : undefined;
    const size = containerSize(container);
    const problemList = byElement.get(info.id) ?? [];
    const interfaces = container.interfaces.map((iface): InterfaceLine => {
      const ifaceId = elements.interfaces.find((candidate) => candidate.containerId === info.id && candidate.index === iface.index)?.id;
      const problem = ifaceId === undefined ? undefined : byInterface.get(ifaceId);
      return { overlay: iface.overlay, ip: iface.ip, color: colorOf(iface.overlay), ...(problem ? { problem } : {}) };
    });
    nodes.push({
      id: info.id,
      type: 'container',
      position: relative ?? absolute ?? { x: 0, y: 0 },
      ...(relative !== undefined && hostId !== undefined ? { parentId: hostId } : {}),
      width: size.w,
      height: size.h,
      handles: containerHandles(size.w, size.h),
      className: nodeClass('container', problemList),
      ariaLabel: container.name || `container ${container.index + 1} (no name)`,
      data: {
        name: container.name,
        host: container.host,
        ...(container.image !== undefined ? { image: container.image } : {}),
        interfaces,
        problems: problemList,
        ...(runtime[container.name] ? { runtime: runtime[container.name] } : {}),
      },
    });
  });
  // A parent must come before its children; hosts were added first, but keep the rule explicit.
  adjustHostMinimums(nodes);

  overlayEntries.forEach((overlay, position) => {
    const info = elements.overlays[position];
    if (info === undefined) return;
    const point = (info.primary ? layout.overlays.get(overlay.name) : undefined) ?? spare();
    const problemList = byElement.get(info.id) ?? [];
    nodes.push({
      id: info.id,
      type: 'overlay',
      position: point,
      width: OVERLAY_SIZE.w,
      height: OVERLAY_SIZE.h,
      handles: overlayHandles(OVERLAY_SIZE.w),
      className: nodeClass('overlay', problemList),
      ariaLabel: overlay.name || `overlay ${overlay.index + 1} (no name)`,
      data: {
        name: overlay.name,
        ...(overlay.vni !== undefined ? { vni: overlay.vni } : {}),
        subnet: overlay.subnet,
        color: overlayColor(overlay.vni),
        problems: problemList,
      },
    });
  });

  const edges: EditorEdge[] = [];
  for (const tunnel of tunnelsOf(doc)) {
    const [a, b] = tunnel.hosts;
    const source = idOf('host', a);
    const target = idOf('host', b);
    edges.push({
      id: tunnelId(tunnel.vni, a, b),
      type: 'tunnel',
      source,
      sourceHandle: 'tunnel-out',
      target,
      targetHandle: 'tunnel-in',
      ariaLabel: `Tunnel VNI ${tunnel.vni} between ${a} and ${b}`,
      data: { vni: tunnel.vni, overlay: tunnel.overlay, lane: tunnel.lane, lanes: tunnel.lanes, color: overlayColor(tunnel.vni) },
    });
  }
  for (const iface of elements.interfaces) {
    if (iface.overlayId === undefined) continue;
    const problem = byInterface.get(iface.id);
    const color = colorOf(iface.overlay);
    edges.push({
      id: iface.id,
      type: 'attachment',
      source: iface.containerId,
      sourceHandle: 'attach',
      target: iface.overlayId,
      targetHandle: 'attach',
      className: problem ? 'has-problem' : undefined,
      ariaLabel: `${iface.container} on ${iface.overlay}, ${iface.ip || 'no address'}`,
      data: { container: iface.container, overlay: iface.overlay, ip: iface.ip, color, ...(problem ? { problem } : {}) },
    });
  }
  return { nodes, edges, layout };
}

/** A host may not be resized smaller than what holds its containers. */
function adjustHostMinimums(nodes: EditorNode[]): void {
  const hosts = new Map(nodes.filter((node): node is HostNode => node.type === 'host').map((node) => [node.id, node]));
  for (const node of nodes) {
    if (node.type !== 'container' || node.parentId === undefined) continue;
    const host = hosts.get(node.parentId);
    if (host === undefined) continue;
    host.data.minWidth = Math.max(host.data.minWidth, node.position.x + (node.width ?? 0) + GEOMETRY.hostPadding);
    host.data.minHeight = Math.max(host.data.minHeight, node.position.y + (node.height ?? 0) + GEOMETRY.hostPadding);
  }
}

// ---- keeping object identity --------------------------------------------------------------

function sameNode(a: EditorNode, b: EditorNode): boolean {
  return (
    a.id === b.id &&
    a.type === b.type &&
    a.parentId === b.parentId &&
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.width === b.width &&
    a.height === b.height &&
    a.className === b.className &&
    a.ariaLabel === b.ariaLabel &&
    a.selected === b.selected &&
    JSON.stringify(a.data) === JSON.stringify(b.data)
  );
}

function sameEdge(a: EditorEdge, b: EditorEdge): boolean {
  return (
    a.id === b.id &&
    a.source === b.source &&
    a.target === b.target &&
    a.className === b.className &&
    a.ariaLabel === b.ariaLabel &&
    a.selected === b.selected &&
    JSON.stringify(a.data) === JSON.stringify(b.data)
  );
}

/** `next`, but with the objects of `previous` wherever nothing changed. */
function reuse<T extends { id: string }>(previous: readonly T[], next: T[], same: (a: T, b: T) => boolean): T[] {
  const before = new Map(previous.map((item) => [item.id, item]));
  let changed = previous.length !== next.length;
  const result = next.map((item, index) => {
    const old = before.get(item.id);
    if (old !== undefined && same(old, item)) {
      if (previous[index] !== old) changed = true;
      return old;
    }
    changed = true;
    return item;
  });
  return changed ? result : (previous as T[]);
}

export function reuseNodes(previous: readonly EditorNode[], next: EditorNode[]): EditorNode[] {
  return reuse(previous, next, sameNode);
}

export function reuseEdges(previous: readonly EditorEdge[], next: EditorEdge[]): EditorEdge[] {
  return reuse(previous, next, sameEdge);
}

/** Marks the selected items, copying only those whose mark changes. */
export function withSelection<T extends { id: string; selected?: boolean }>(items: T[], selected: ReadonlySet<string>): T[] {
  let changed = false;
  const result = items.map((item) => {
    const isSelected = selected.has(item.id);
    if ((item.selected ?? false) === isSelected) return item;
    changed = true;
    return { ...item, selected: isSelected };
  });
  return changed ? result : items;
}
