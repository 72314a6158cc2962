// Public face of the editor for the app shell.
export type { CanvasHighlight, XrayTool, EditorSnapshot, EditorStore, LabEditorProps, NodeRuntime, NodeRuntimeState, RuntimeState } from './types';
export { createEditorStore } from './store';
export type { LabEditorStore } from './store';
export { LabEditor } from './LabEditor';
