// Undo, redo, copy, paste, delete, auto-layout and zoom to fit, with their shortcuts.
import { memo } from 'react';
import { arrange } from './commands';
import { useFitLab } from './fit-view';
import type { LabEditorStore } from './store';

interface ToolbarProps {
  store: LabEditorStore;
  canUndo: boolean;
  canRedo: boolean;
  hasSelection: boolean;
  canPaste: boolean;
  editable: boolean;
  tunnelLanes: number;
}

const MOD = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform) ? '⌘' : 'Ctrl+';

export const Toolbar = memo(function Toolbar({ store, canUndo, canRedo, hasSelection, canPaste, editable, tunnelLanes }: ToolbarProps) {
  const fitLab = useFitLab(tunnelLanes);
  const fit = () => fitLab(200);
  return (
    <div className="vx-toolbar" role="toolbar" aria-label="Editor">
      <div className="vx-toolbar-group">
        <button type="button" aria-label="Undo" title={`Undo (${MOD}Z)`} disabled={!canUndo} onClick={() => store.undo()}>
          Undo
        </button>
        <button type="button" aria-label="Redo" title={`Redo (${MOD}Shift+Z)`} disabled={!canRedo} onClick={() => store.redo()}>
          Redo
        </button>
      </div>
      <div className="vx-toolbar-group">
        <button type="button" aria-label="Copy" title={`Copy (${MOD}C)`} disabled={!hasSelection} onClick={() => store.copySelection()}>
          Copy
        </button>
        <button type="button" aria-label="Paste" title={`Paste (${MOD}V)`} disabled={!canPaste || !editable} onClick={() => store.paste()}>
          Paste
        </button>
        <button type="button" aria-label="Delete" title="Delete (Delete or Backspace)" disabled={!hasSelection} onClick={() => store.deleteSelection()}>
          Delete
        </button>
      </div>
      <div className="vx-toolbar-group">
        <button type="button" aria-label="Auto layout" title="Place every element afresh" disabled={!editable} onClick={() => {
          arrange(store);
          requestAnimationFrame(fit);
        }}>
          Auto layout
        </button>
        <button type="button" aria-label="Zoom to fit" title="Zoom to fit" onClick={fit}>
          Fit
        </button>
      </div>
    </div>
  );
});
