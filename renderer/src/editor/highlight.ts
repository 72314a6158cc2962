// The x-ray's highlight on the canvas (a trace step's node, the tunnel it crosses) as a
// class on those nodes and edges, copying only what changes so the rest stay memoised.
import { idOf } from './elements';
import type { EditorEdge, EditorNode } from './graph';
import type { CanvasHighlight } from './types';

export const HIGHLIGHT_CLASS = 'is-xray-step';

function withClass<T extends { className?: string }>(item: T, wanted: boolean): T {
  const has = item.className?.split(/\s+/).includes(HIGHLIGHT_CLASS) ?? false;
  if (has === wanted) return item;
  const base = (item.className ?? '').split(/\s+/).filter((name) => name !== '' && name !== HIGHLIGHT_CLASS);
  return { ...item, className: [...base, ...(wanted ? [HIGHLIGHT_CLASS] : [])].join(' ') };
}

function mark<T extends { className?: string }>(items: T[], wanted: (item: T) => boolean): T[] {
  let changed = false;
  const result = items.map((item) => {
    const next = withClass(item, wanted(item));
    if (next !== item) changed = true;
    return next;
  });
  return changed ? result : items;
}

export function highlightNodes(nodes: EditorNode[], highlight: CanvasHighlight | undefined): EditorNode[] {
  const names = new Set(highlight?.nodes ?? []);
  return mark(nodes, (node) => node.type !== 'overlay' && node.data.name !== '' && names.has(node.data.name));
}

export function highlightEdges(edges: EditorEdge[], highlight: CanvasHighlight | undefined): EditorEdge[] {
  const tunnel = highlight?.tunnel;
  const hosts = new Set((tunnel?.hosts ?? []).map((host) => idOf('host', host)));
  return mark(edges, (edge) => {
    if (tunnel === undefined || edge.type !== 'tunnel' || edge.data === undefined) return false;
    if (tunnel.vni !== undefined && edge.data.vni !== tunnel.vni) return false;
    return hosts.has(edge.source) && hosts.has(edge.target) && edge.source !== edge.target;
  });
}
