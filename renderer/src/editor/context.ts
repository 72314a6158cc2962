// What node components need from the editor without taking it through node data
// (which would make every node re-render when a callback changes identity).
import { createContext, useContext } from 'react';
import type { LabEditorStore } from './store';

export interface EditorActions {
  store: LabEditorStore;
  /** Undefined when the shell offers no terminals (nothing launched). */
  openTerminal: ((node: string) => void) | undefined;
  resizeHost(id: string, box: { x: number; y: number; width: number; height: number }): void;
}

export const EditorContext = createContext<EditorActions | undefined>(undefined);

export function useEditorActions(): EditorActions {
  const actions = useContext(EditorContext);
  if (actions === undefined) throw new Error('editor components must be rendered inside LabEditor');
  return actions;
}
