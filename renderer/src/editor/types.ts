// The boundary between the app shell and the topology editor. The shell loads and
// saves text, launches and shows runtime state; the editor owns the document, its
// history and the canvas. (Contract first; both sides are built against it.)
import type { Problem } from '../../../electron/lab/model';

/** Live state of a node of a launched lab, shown on the canvas. */
export type NodeRuntimeState = 'creating' | 'running' | 'failed' | 'stopped';

export interface NodeRuntime {
  state: NodeRuntimeState;
  /** Why it failed, or what it is doing now ("loading image"). */
  detail?: string;
}

/** Keyed by host or container name. */
export type RuntimeState = Record<string, NodeRuntime>;

export interface EditorSnapshot {
  /** The lab file as YAML, unknown fields kept: what Save writes and Launch sends. */
  text: string;
  /** The lab's name as the file says it ('' when missing). */
  labName: string;
  /** Validation with the same code as `vxlab validate`; Launch is disabled while any remain. */
  problems: Problem[];
  canUndo: boolean;
  canRedo: boolean;
  /** True after an edit since the last `load` or `markSaved`. */
  dirty: boolean;
}

export interface EditorStore {
  getSnapshot(): EditorSnapshot;
  subscribe(listener: () => void): () => void;
  /** Replaces the document (open, template, new lab); clears history. */
  load(text: string): void;
  markSaved(): void;
  undo(): void;
  redo(): void;
}

/** What the x-ray asks the canvas to highlight: the nodes of a trace step, and the tunnel it crosses. */
export interface CanvasHighlight {
  nodes: readonly string[];
  /** Between these two hosts; on this VNI when known. */
  tunnel?: { hosts: readonly [string, string]; vni?: number };
}

/** The x-ray tools the context menu offers on a node of a launched lab. */
export type XrayTool = 'capture' | 'trace' | 'tables';

export interface LabEditorProps {
  store: EditorStore;
  runtime?: RuntimeState;
  /** Double-click or the context menu's "Open terminal" on a host or container. */
  onOpenTerminal?: (node: string) => void;
  /** The context menu's "Capture…", "Trace to…" and "Tables" on a node. */
  onXray?: (tool: XrayTool, node: string) => void;
  highlight?: CanvasHighlight;
}
