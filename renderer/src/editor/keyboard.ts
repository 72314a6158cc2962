// Keyboard shortcuts of the editor. They act when the focus is in the editor (or on
// nothing in particular) and never while typing in a field, where the keys belong to
// the text. Ctrl+S and Ctrl+O are the shell's.
import { useEffect } from 'react';
import type { RefObject } from 'react';
import type { LabEditorStore } from './store';

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/** Text selected on the page (a problem message, say) is copied as text, not as elements. */
function hasTextSelection(): boolean {
  const selection = window.getSelection();
  return selection !== null && !selection.isCollapsed && selection.toString() !== '';
}

export interface ShortcutActions {
  /** The context-menu key or Shift+F10 on the selection. */
  openMenu(): void;
}

export function useEditorShortcuts(root: RefObject<HTMLElement | null>, store: LabEditorStore, actions: ShortcutActions): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target;
      const inEditor = target === document.body || (target instanceof Node && root.current?.contains(target));
      if (!inEditor || isTextEntry(target) || event.defaultPrevented) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      let handled = true;
      if ((event.key === 'Delete' || event.key === 'Backspace') && !mod) store.deleteSelection();
      else if (mod && key === 'z' && event.shiftKey) store.redo();
      else if (mod && key === 'z') store.undo();
      else if (mod && key === 'y') store.redo();
      else if (mod && key === 'c' && !hasTextSelection()) store.copySelection();
      else if (mod && key === 'v') store.paste();
      else if (event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10')) actions.openMenu();
      else if (event.key === 'Escape' && store.getState().selection.length > 0) store.select([]);
      else handled = false;
      if (handled) event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [root, store, actions]);
}
