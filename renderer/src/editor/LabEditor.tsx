// Placeholder until the editor lands.
import { useSyncExternalStore } from 'react';
import type { LabEditorProps } from './types';

export function LabEditor({ store }: LabEditorProps) {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return <pre aria-label="Lab file">{snapshot.text}</pre>;
}
