// A host: a box its containers sit in (React Flow parent node), with its underlay
// address. Tunnels leave from the middle of its top edge.
import { memo, useCallback } from 'react';
import { Handle, NodeResizer, Position } from '@xyflow/react';
import type { NodeProps, OnResizeEnd } from '@xyflow/react';
import type { HostNode } from '../graph';
import { useEditorActions } from '../context';
import { FailureReason, ProblemCallout, RuntimeBadge } from './NodeParts';

export const HostNodeView = memo(function HostNodeView({ id, data, selected }: NodeProps<HostNode>) {
  const { resizeHost } = useEditorActions();
  const onResizeEnd = useCallback<OnResizeEnd>((_event, box) => resizeHost(id, box), [id, resizeHost]);
  return (
    <div className="vx-host-body">
      <NodeResizer isVisible={selected} minWidth={data.minWidth} minHeight={data.minHeight} onResizeEnd={onResizeEnd} color="#4c6ef5" />
      <Handle type="source" id="tunnel-out" position={Position.Top} isConnectable={false} className="vx-handle-tunnel" />
      <Handle type="target" id="tunnel-in" position={Position.Top} isConnectable={false} className="vx-handle-tunnel" />
      <header className="vx-host-header">
        <div className="vx-title-row">
          <span className="vx-kind">Host</span>
          <span className="vx-name">{data.name || 'unnamed'}</span>
          <RuntimeBadge runtime={data.runtime} />
        </div>
        <span className="vx-address" title="Underlay address">{data.ip || 'no address'}</span>
      </header>
      <FailureReason runtime={data.runtime} />
      <ProblemCallout problems={data.problems} />
    </div>
  );
});
