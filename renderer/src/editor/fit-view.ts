// Zoom to fit, computed from the layout rather than from what React Flow has measured:
// a large lab draws only the nodes in view, so the others are never measured, and
// React Flow's own fitView would leave them out. The top keeps room for the tunnel
// arcs and their VNI labels, which rise above the hosts.
import { useCallback } from 'react';
import { getViewportForBounds, useReactFlow, useStoreApi } from '@xyflow/react';
import type { Rect } from '@xyflow/react';
import type { EditorEdge, EditorNode } from './graph';
import { ARC_BASE, ARC_LANE, arcSpread } from './nodes/edges';

/** Fitting never zooms in further than this: a two-host lab stays a comfortable size. */
const MAX_FIT_ZOOM = 1.2;
const FIT_PADDING = 0.08;
/** Half a VNI label, above the top of the highest arc. */
const LABEL_ROOM = 16;

/** Everything drawn: top-level nodes (containers sit inside their hosts) and the arcs over them. */
export function labBounds(nodes: readonly EditorNode[], tunnelLanes: number): Rect | undefined {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  let hostTop = Infinity;
  let hostCentreLeft = Infinity;
  let hostCentreRight = -Infinity;
  for (const node of nodes) {
    if (node.parentId !== undefined) continue;
    const width = node.measured?.width ?? node.width ?? 0;
    const height = node.measured?.height ?? node.height ?? 0;
    left = Math.min(left, node.position.x);
    top = Math.min(top, node.position.y);
    right = Math.max(right, node.position.x + width);
    bottom = Math.max(bottom, node.position.y + height);
    if (node.type === 'host') {
      hostTop = Math.min(hostTop, node.position.y);
      hostCentreLeft = Math.min(hostCentreLeft, node.position.x + width / 2);
      hostCentreRight = Math.max(hostCentreRight, node.position.x + width / 2);
    }
  }
  if (!Number.isFinite(left)) return undefined;
  if (tunnelLanes > 0 && Number.isFinite(hostTop)) {
    const spread = arcSpread(hostCentreRight - hostCentreLeft);
    const arc = ARC_BASE + (tunnelLanes - 1) * ARC_LANE + spread + LABEL_ROOM;
    top = Math.min(top, hostTop - arc);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** A function that fits the lab into the pane, optionally animated. */
export function useFitLab(tunnelLanes: number): (duration?: number) => void {
  const flow = useReactFlow<EditorNode, EditorEdge>();
  const storeApi = useStoreApi<EditorNode, EditorEdge>();
  return useCallback(
    (duration = 0) => {
      const { width, height, minZoom } = storeApi.getState();
      const bounds = labBounds(flow.getNodes(), tunnelLanes);
      if (bounds === undefined || width === 0 || height === 0) return;
      void flow.setViewport(getViewportForBounds(bounds, width, height, minZoom, MAX_FIT_ZOOM, FIT_PADDING), { duration });
    },
    [flow, storeApi, tunnelLanes],
  );
}
