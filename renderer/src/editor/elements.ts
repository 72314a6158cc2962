// Every element of the document with a stable id for the canvas, the selection and
// the problem list. The id is the kind and the name (`host:host-a`); an entry whose
// name is missing or already taken gets its index too (`host:host-a#1`), so two
// entries never share an id even while the lab has a duplicate-name problem.
import { containersOf, hostsOf, overlaysOf } from '../../../electron/lab/document';
import type { LabDocument } from '../../../electron/lab/document';
import type { EditTarget, ElementRef, NodeKind } from '../../../electron/lab/edit-ops';
import { problemTarget } from '../../../electron/lab/problem-targets';
import { tunnelsOf } from '../../../electron/lab/tunnels';

export interface ElementInfo extends ElementRef {
  id: string;
  index: number;
  /** False for the second and later entries of a name: references can only mean the first. */
  primary: boolean;
}

export interface InterfaceInfo {
  kind: 'interface';
  id: string;
  containerId: string;
  overlayId: string | undefined;
  container: string;
  overlay: string;
  ip: string;
  /** Index of the container entry and of the interface in it: problem paths use them. */
  containerIndex: number;
  index: number;
}

/** A tunnel line: derived from attachments, selectable but not editable. */
export interface TunnelInfo {
  kind: 'tunnel';
  id: string;
  vni: number;
  overlay: string;
  hosts: readonly [string, string];
}

export type AnyInfo = ElementInfo | InterfaceInfo | TunnelInfo;

export interface ElementIndex {
  hosts: ElementInfo[];
  containers: ElementInfo[];
  overlays: ElementInfo[];
  interfaces: InterfaceInfo[];
  tunnels: TunnelInfo[];
  /** Most tunnels between any two hosts: how high the highest arc rises over them. */
  tunnelLanes: number;
  byId: Map<string, AnyInfo>;
  /** The id of the element that references by this name resolve to. */
  idOfName(kind: NodeKind, name: string): string | undefined;
}

/** A host, container or overlay, as opposed to a line. */
export function isNodeInfo(info: AnyInfo | undefined): info is ElementInfo {
  return info !== undefined && info.kind !== 'interface' && info.kind !== 'tunnel';
}

export function tunnelId(vni: number, a: string, b: string): string {
  return `tunnel:${vni}:${a}:${b}`;
}

export function interfaceId(containerId: string, overlay: string, index: number): string {
  return `iface:${containerId}>${overlay}#${index}`;
}

function identify(kind: NodeKind, entries: { name: string; index: number }[]): ElementInfo[] {
  const seen = new Set<string>();
  return entries.map(({ name, index }) => {
    const primary = name !== '' && !seen.has(name);
    seen.add(name);
    return { kind, name, index, primary, id: primary ? `${kind}:${name}` : `${kind}:${name}#${index}` };
  });
}

export function indexElements(doc: LabDocument): ElementIndex {
  const hosts = identify('host', hostsOf(doc));
  const containerEntries = containersOf(doc);
  const containers = identify('container', containerEntries);
  const overlays = identify('overlay', overlaysOf(doc));
  const primaryId = (list: ElementInfo[], name: string) => list.find((info) => info.primary && info.name === name)?.id;
  const interfaces: InterfaceInfo[] = containerEntries.flatMap((entry, position) => {
    const container = containers[position];
    if (container === undefined) return [];
    return entry.interfaces.map((iface): InterfaceInfo => ({
      kind: 'interface',
      id: interfaceId(container.id, iface.overlay, iface.index),
      containerId: container.id,
      overlayId: primaryId(overlays, iface.overlay),
      container: entry.name,
      overlay: iface.overlay,
      ip: iface.ip,
      containerIndex: entry.index,
      index: iface.index,
    }));
  });
  const tunnelList = tunnelsOf(doc);
  const tunnels = tunnelList.map((tunnel): TunnelInfo => ({
    kind: 'tunnel',
    id: tunnelId(tunnel.vni, ...tunnel.hosts),
    vni: tunnel.vni,
    overlay: tunnel.overlay,
    hosts: tunnel.hosts,
  }));
  const byId = new Map<string, AnyInfo>();
  for (const info of [...hosts, ...containers, ...overlays, ...interfaces, ...tunnels]) byId.set(info.id, info);
  return {
    hosts,
    containers,
    overlays,
    interfaces,
    tunnels,
    tunnelLanes: Math.max(0, ...tunnelList.map((tunnel) => tunnel.lanes)),
    byId,
    idOfName: (kind, name) => primaryId(kind === 'host' ? hosts : kind === 'container' ? containers : overlays, name),
  };
}

/** What an edit needs to find each selected element again. */
export function targetsOf(index: ElementIndex, ids: readonly string[]): EditTarget[] {
  return ids.flatMap((id): EditTarget[] => {
    const info = index.byId.get(id);
    if (info === undefined || info.kind === 'tunnel') return [];
    if (info.kind === 'interface') return [{ kind: 'interface', container: info.container, overlay: info.overlay }];
    return [{ kind: info.kind, name: info.name, index: info.index }];
  });
}

export function idOf(kind: NodeKind, name: string): string {
  return `${kind}:${name}`;
}

/** The element a problem is about, or undefined for the lab as a whole. */
export function elementOfProblem(index: ElementIndex, path: string): string | undefined {
  const target = problemTarget(path);
  switch (target.kind) {
    case 'lab':
      return undefined;
    case 'interface':
      return index.containers.find((info) => info.index === target.container)?.id;
    case 'host':
      return index.hosts.find((info) => info.index === target.index)?.id;
    case 'container':
      return index.containers.find((info) => info.index === target.index)?.id;
    case 'overlay':
      return index.overlays.find((info) => info.index === target.index)?.id;
  }
}

/** The interface line a problem is about, when it is about one. */
export function interfaceOfProblem(index: ElementIndex, path: string): string | undefined {
  const target = problemTarget(path);
  if (target.kind !== 'interface') return undefined;
  return index.interfaces.find((info) => info.containerIndex === target.container && info.index === target.interface)?.id;
}
