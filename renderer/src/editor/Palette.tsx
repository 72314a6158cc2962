// The palette: drag a host, container or overlay network onto the canvas, or click
// (or press Enter on) an item to add one where the editor finds room.
import { memo, useCallback } from 'react';
import type { DragEvent } from 'react';
import type { NodeKind } from '../../../electron/lab/edit-ops';
import { addContainerTo, addHostAt, addOverlayAt, kindMime, NODE_MIME } from './commands';
import type { LabEditorStore } from './store';

const ITEMS: { kind: NodeKind; label: string; hint: string }[] = [
  { kind: 'host', label: 'Host', hint: 'A Docker-in-Docker host on the underlay' },
  { kind: 'container', label: 'Container', hint: 'Runs inside a host' },
  { kind: 'overlay', label: 'Overlay network', hint: 'A VXLAN segment with its own VNI' },
];

const ADD_LABEL: Record<NodeKind, string> = { host: 'Add host', container: 'Add container', overlay: 'Add overlay network' };

export const Palette = memo(function Palette({ store, disabled }: { store: LabEditorStore; disabled: boolean }) {
  const add = useCallback(
    (kind: NodeKind) => {
      if (kind === 'host') addHostAt(store);
      else if (kind === 'container') addContainerTo(store);
      else addOverlayAt(store);
    },
    [store],
  );
  const onDragStart = useCallback((event: DragEvent<HTMLButtonElement>, kind: NodeKind) => {
    event.dataTransfer.setData(NODE_MIME, kind);
    event.dataTransfer.setData(kindMime(kind), kind);
    event.dataTransfer.effectAllowed = 'copy';
  }, []);
  return (
    <aside className="vx-palette" aria-label="Palette">
      <h2 className="vx-panel-title">Add</h2>
      {ITEMS.map((item) => (
        <button
          key={item.kind}
          type="button"
          className={`vx-palette-item vx-palette-${item.kind}`}
          draggable={!disabled}
          disabled={disabled}
          aria-label={ADD_LABEL[item.kind]}
          title={`${item.hint}. Drag onto the canvas, or click to add.`}
          onDragStart={(event) => onDragStart(event, item.kind)}
          onClick={() => add(item.kind)}
        >
          <span className={`vx-palette-icon vx-icon-${item.kind}`} aria-hidden="true" />
          <span className="vx-palette-text">
            <span className="vx-palette-label">{item.label}</span>
            <span className="vx-palette-hint">{item.hint}</span>
          </span>
        </button>
      ))}
      <p className="vx-palette-help">Drag onto the canvas or click. Connect a container to an overlay by dragging from its ● handle.</p>
    </aside>
  );
});
