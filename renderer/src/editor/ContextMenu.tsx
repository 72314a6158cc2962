// The menu of a node (right click, or the context-menu key on a selected node):
// open a terminal in a host or container, the x-ray's capture, packet walk and tables, copy, delete.
import { useMenuBehaviour } from '../ui/menu';
import { isNodeInfo } from './elements';
import type { LabEditorStore } from './store';
import type { XrayTool } from './types';

export interface ContextMenuProps {
  store: LabEditorStore;
  nodeId: string;
  x: number;
  y: number;
  openTerminal: ((node: string) => void) | undefined;
  /** Undefined when the shell offers no x-ray (nothing launched). */
  onXray?: ((tool: XrayTool, node: string) => void) | undefined;
  onClose: () => void;
}

export function ContextMenu({ store, nodeId, x, y, openTerminal, onXray, onClose }: ContextMenuProps) {
  const { menu, onKeyDown } = useMenuBehaviour(onClose);
  const info = store.getState().elements.byId.get(nodeId);

  if (!isNodeInfo(info)) return null;
  const terminal = info.kind !== 'overlay' && openTerminal !== undefined && info.name !== '';
  const xray = info.kind !== 'overlay' && info.name !== '' ? onXray : undefined;

  const run = (action: () => void) => () => {
    onClose();
    action();
  };

  return (
    <div ref={menu} className="vx-context-menu" role="menu" aria-label={`Actions for ${info.name}`} style={{ left: x, top: y }} onKeyDown={onKeyDown}>
      {terminal && (
        <button type="button" role="menuitem" onClick={run(() => openTerminal(info.name))}>
          Open terminal
        </button>
      )}
      {xray && (
        <>
          <button type="button" role="menuitem" onClick={run(() => xray('capture', info.name))}>
            Capture…
          </button>
          {info.kind === 'container' && (
            <button type="button" role="menuitem" onClick={run(() => xray('trace', info.name))}>
              Trace to…
            </button>
          )}
          {info.kind === 'host' && (
            <button type="button" role="menuitem" onClick={run(() => xray('tables', info.name))}>
              Tables
            </button>
          )}
        </>
      )}
      <button type="button" role="menuitem" onClick={run(() => store.copySelection())}>
        Copy
      </button>
      <button type="button" role="menuitem" className="vx-danger-text" onClick={run(() => store.deleteSelection())}>
        Delete
      </button>
    </div>
  );
}
