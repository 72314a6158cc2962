// An overlay network (one VNI), in its VNI's colour; containers attach at the top.
import { memo } from 'react';
import type { CSSProperties } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import type { OverlayNode } from '../graph';
import { ProblemCallout } from './NodeParts';

export const OverlayNodeView = memo(function OverlayNodeView({ data }: NodeProps<OverlayNode>) {
  const style = { '--vx-color': data.color } as CSSProperties;
  return (
    <div className="vx-overlay-body" style={style}>
      <Handle type="target" id="attach" position={Position.Top} className="vx-handle-attach" aria-label={`Attach a container to ${data.name}`} />
      <div className="vx-title-row">
        <span className="vx-kind">Overlay</span>
        <span className="vx-name">{data.name || 'unnamed'}</span>
      </div>
      <div className="vx-overlay-meta">
        <span className="vx-vni">VNI {data.vni ?? '?'}</span>
        <span className="vx-subnet">{data.subnet || 'no subnet'}</span>
      </div>
      <ProblemCallout problems={data.problems} />
    </div>
  );
});
