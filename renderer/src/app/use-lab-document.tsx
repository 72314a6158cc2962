// The open lab file: the editor's store, whether a document is open at all, and which
// screen shows (the start screen or the editor). Replacing it asks first when unsaved
// changes would be lost; the window's title names it, and closing warns while it is dirty.
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { EditorSnapshot, EditorStore } from '../editor';
import { createEditorStore } from '../editor';
import type { ConfirmOptions } from './ConfirmDialog';

type View = 'gallery' | 'editor';

export interface LabDocument {
  store: EditorStore;
  snapshot: EditorSnapshot;
  hasDocument: boolean;
  /** The editor shows, with a document in it. */
  editing: boolean;
  showGallery(): void;
  showEditor(): void;
  /** Opens `text` in the editor; false when the person chose to keep unsaved changes. */
  load(text: string): Promise<boolean>;
}

const hasText = (store: EditorStore) => store.getSnapshot().text.trim() !== '';

export function useLabDocument(givenStore: EditorStore | undefined, confirm: (options: ConfirmOptions) => Promise<boolean>): LabDocument {
  const [store] = useState(() => givenStore ?? createEditorStore(''));
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  // A store that already holds text opens in the editor.
  const [hasDocument, setHasDocument] = useState(() => hasText(store));
  const [view, setView] = useState<View>(() => (hasText(store) ? 'editor' : 'gallery'));
  const editing = hasDocument && view === 'editor';

  useEffect(() => {
    const name = editing ? snapshot.labName || 'Untitled lab' : '';
    document.title = name ? `${name}${snapshot.dirty ? ' •' : ''} — vxlab` : 'vxlab';
  }, [editing, snapshot.labName, snapshot.dirty]);

  useEffect(() => {
    if (!snapshot.dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [snapshot.dirty]);

  const load = useCallback(
    async (text: string) => {
      const current = store.getSnapshot();
      if (hasDocument && current.dirty) {
        const discard = await confirm({
          title: 'Discard unsaved changes?',
          body: <p>{current.labName || 'The open lab'} has changes that are not saved. Opening another lab discards them.</p>,
          confirmLabel: 'Discard changes',
          danger: true,
        });
        if (!discard) return false;
      }
      store.load(text);
      setHasDocument(true);
      setView('editor');
      return true;
    },
    [confirm, hasDocument, store],
  );

  const showGallery = useCallback(() => setView('gallery'), []);
  const showEditor = useCallback(() => setView('editor'), []);
  return { store, snapshot, hasDocument, editing, showGallery, showEditor, load };
}
