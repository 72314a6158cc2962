// The menu of a node (right click, or the context-menu key on a selected node):
// open a terminal in a host or container, copy, delete.
import { useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { isNodeInfo } from './elements';
import type { LabEditorStore } from './store';

export interface ContextMenuProps {
  store: LabEditorStore;
  nodeId: string;
  x: number;
  y: number;
  openTerminal: ((node: string) => void) | undefined;
  onClose: () => void;
}

export function ContextMenu({ store, nodeId, x, y, openTerminal, onClose }: ContextMenuProps) {
  const menu = useRef<HTMLDivElement>(null);
  const info = store.getState().elements.byId.get(nodeId);

  useEffect(() => {
    menu.current?.querySelector<HTMLButtonElement>('button:not([disabled])')?.focus();
    const close = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node)) onClose();
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [onClose]);

  if (!isNodeInfo(info)) return null;
  const terminal = info.kind !== 'overlay' && openTerminal !== undefined && info.name !== '';

  const onKeyDown = (event: KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('button:not([disabled])') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') onClose();
    else if (event.key === 'ArrowDown') items[(at + 1) % items.length]?.focus();
    else if (event.key === 'ArrowUp') items[(at - 1 + items.length) % items.length]?.focus();
    else return;
    event.preventDefault();
    event.stopPropagation();
  };
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
      <button type="button" role="menuitem" onClick={run(() => store.copySelection())}>
        Copy
      </button>
      <button type="button" role="menuitem" className="vx-danger-text" onClick={run(() => store.deleteSelection())}>
        Delete
      </button>
    </div>
  );
}
