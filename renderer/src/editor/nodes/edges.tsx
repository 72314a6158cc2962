// The two kinds of line: a container's attachment to an overlay, and the VXLAN
// tunnel between two hosts that share an overlay (one per VNI, arcing over the hosts,
// labelled with the VNI). Both in the VNI's colour.
import { memo } from 'react';
import type { CSSProperties } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath } from '@xyflow/react';
import type { EdgeProps } from '@xyflow/react';
import type { AttachmentEdge, TunnelEdge } from '../graph';

/** How high the lowest tunnel arcs over its hosts, and the extra height of each further lane. */
export const ARC_BASE = 44;
export const ARC_LANE = 30;
/** Far-apart hosts get a higher arc, so it clears the hosts between them. */
export function arcSpread(distance: number): number {
  return Math.min(120, Math.abs(distance) * 0.08);
}

export const TunnelEdgeView = memo(function TunnelEdgeView({ id, sourceX, sourceY, targetX, targetY, data, selected }: EdgeProps<TunnelEdge>) {
  const lane = data?.lane ?? 0;
  const lift = ARC_BASE + lane * ARC_LANE + arcSpread(targetX - sourceX);
  // Control points 4/3 of the lift high put the curve's apex exactly `lift` above the ends.
  const control = (lift * 4) / 3;
  const path = `M ${sourceX},${sourceY} C ${sourceX},${sourceY - control} ${targetX},${targetY - control} ${targetX},${targetY}`;
  const labelX = (sourceX + targetX) / 2;
  const labelY = (sourceY + targetY) / 2 - lift;
  const color = data?.color ?? '#868e96';
  // Solid, not dashed: dashes cost several times more to paint, and a lab has hundreds of tunnels.
  const style = { stroke: color, strokeWidth: selected ? 3.5 : 2.25 };
  const labelStyle = { transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)`, '--vx-color': color } as CSSProperties;
  return (
    <>
      <BaseEdge id={id} path={path} style={style} interactionWidth={14} />
      <EdgeLabelRenderer>
        <div className={`vx-tunnel-label${selected ? ' is-selected' : ''}`} style={labelStyle}>
          VNI {data?.vni}
        </div>
      </EdgeLabelRenderer>
    </>
  );
});

export const AttachmentEdgeView = memo(function AttachmentEdgeView(props: EdgeProps<AttachmentEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected } = props;
  const [path] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const problem = data?.problem !== undefined;
  const style = {
    stroke: problem ? 'var(--vx-danger)' : (data?.color ?? '#868e96'),
    strokeWidth: selected ? 3.5 : 1.75,
    ...(problem ? { strokeDasharray: '4 3' } : {}),
  };
  return <BaseEdge id={id} path={path} style={style} interactionWidth={14} />;
});
