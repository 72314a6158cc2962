// Placeholder until the editor lands: holds text only.
import type { EditorSnapshot, EditorStore } from './types';

export function createEditorStore(initialText = ''): EditorStore {
  let snapshot: EditorSnapshot = { text: initialText, labName: '', problems: [], canUndo: false, canRedo: false, dirty: false };
  const listeners = new Set<() => void>();
  const set = (next: Partial<EditorSnapshot>) => {
    snapshot = { ...snapshot, ...next };
    for (const listener of listeners) listener();
  };
  return {
    getSnapshot: () => snapshot,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load: (text) => set({ text, labName: /^name:\s*(\S+)/m.exec(text)?.[1] ?? '', dirty: false }),
    markSaved: () => set({ dirty: false }),
    undo: () => {},
    redo: () => {},
  };
}
