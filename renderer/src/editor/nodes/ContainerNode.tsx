// A container inside its host: its interfaces, one line per overlay it joins, in the
// overlay's colour. Drag from the handle at the bottom to an overlay to attach it.
import { memo } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import type { ContainerNode } from '../graph';
import { FailureReason, ProblemCallout, RuntimeBadge } from './NodeParts';

export const ContainerNodeView = memo(function ContainerNodeView({ data }: NodeProps<ContainerNode>) {
  return (
    <div className="vx-container-body">
      <div className="vx-title-row">
        <span className="vx-name">{data.name || 'unnamed'}</span>
        <RuntimeBadge runtime={data.runtime} />
      </div>
      {data.image !== undefined && (
        <div className="vx-image" title="Image">
          {data.image}
        </div>
      )}
      <ul className="vx-interfaces" aria-label={`Interfaces of ${data.name}`}>
        {data.interfaces.length === 0 ? (
          <li className="vx-muted">no network yet: drag ● to an overlay</li>
        ) : (
          data.interfaces.map((iface, index) => (
            <li key={index} className={iface.problem ? 'has-problem' : undefined} title={iface.problem}>
              <span className="vx-dot" style={{ background: iface.color }} aria-hidden="true" />
              <span className="vx-ip">{iface.ip || 'no address'}</span>
              <span className="vx-iface-overlay">{iface.overlay}</span>
            </li>
          ))
        )}
      </ul>
      <Handle
        type="source"
        id="attach"
        position={Position.Bottom}
        className="vx-handle-attach"
        aria-label={`Connect ${data.name} to an overlay network`}
        title="Drag to an overlay network to attach"
      />
      <FailureReason runtime={data.runtime} />
      <ProblemCallout problems={data.problems} />
    </div>
  );
});
