// The editor's store: the document with its undo history, the selection, the
// clipboard and short notices. The shell sees it as an EditorStore (text in, text and
// problems out); the canvas and panels use the rest. Problems come from parsing the
// text the shell would save, with the same code as `vxlab validate`.
import { getField, labNameOf, leadingComment, parseLabDocument, serializeLabDocument } from '../../../electron/lab/document';
import type { LabDocument } from '../../../electron/lab/document';
import { copyElements, isClipboardEmpty, newLab, pasteElements, remove } from '../../../electron/lab/edit-ops';
import type { LabClipboard } from '../../../electron/lab/edit-ops';
import type { Problem } from '../../../electron/lab/model';
import { parseLabText } from '../../../electron/lab/parse';
import { indexElements, isNodeInfo, targetsOf } from './elements';
import type { ElementIndex } from './elements';
import { canRedo, canUndo, current, record, redo, seal, startHistory, undo } from './history';
import type { History } from './history';
import type { EditorSnapshot, EditorStore } from './types';

/** One state of the document. `text` is the file as it was loaded, kept until the first edit. */
interface Revision {
  /** Undefined when the text is not a YAML mapping: there is nothing to edit until it is fixed. */
  doc: LabDocument | undefined;
  text?: string;
  /** Why the text cannot be edited, when it cannot. */
  unreadable?: Problem[];
}

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

export interface EditorState {
  doc: LabDocument | undefined;
  elements: ElementIndex;
  /** Ids of the selected nodes and edges (see elements.ts). */
  selection: readonly string[];
  clipboard: LabClipboard | undefined;
  notice: Notice | undefined;
  /** Bumped by every load(), so the canvas fits a newly opened lab into view. */
  generation: number;
  /** A field the property panel should focus: set when a problem is clicked. */
  focusPath: string | undefined;
}

export interface ApplyOptions {
  /** Consecutive edits with the same key are one undo step (typing in a field). */
  coalesce?: string;
  /** The selection after the edit, e.g. the element just added. */
  select?: readonly string[];
}

export interface LabEditorStore extends EditorStore {
  getState(): EditorState;
  /** Runs an edit; false when it changed nothing (or there is no document to edit). */
  apply(edit: (doc: LabDocument) => LabDocument, options?: ApplyOptions): boolean;
  select(ids: readonly string[], options?: { focusPath?: string }): void;
  copySelection(): void;
  paste(options?: { intoHost?: string }): void;
  deleteSelection(): void;
  notify(text: string, tone?: Notice['tone']): void;
  dismissNotice(id: number): void;
}

const EMPTY_INDEX = indexElements({});

function readRevision(text: string): Revision {
  const result = parseLabDocument(text);
  return result.ok ? { doc: result.doc, text } : { doc: undefined, text, unreadable: result.problems };
}

function textOf(revision: Revision, header: string): string {
  if (revision.text !== undefined) return revision.text;
  return revision.doc === undefined ? '' : serializeLabDocument(revision.doc, header);
}

function problemsOf(revision: Revision, text: string): Problem[] {
  if (revision.unreadable !== undefined) return revision.unreadable;
  const result = parseLabText(text);
  return result.ok ? [] : result.problems;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, index) => id === b[index]);
}

/** A store holding `initialText`, or a new empty lab when none is given. */
export function createEditorStore(initialText?: string): LabEditorStore {
  const first: Revision = initialText === undefined ? { doc: newLab() } : readRevision(initialText);
  /** The file's leading comments (an editor modeline): kept through every edit. */
  const header = initialText === undefined ? '' : leadingComment(initialText);
  let history: History<Revision> = startHistory(first);
  let saved: Revision = first;
  let noticeCount = 0;
  let state: EditorState = {
    doc: first.doc,
    elements: first.doc ? indexElements(first.doc) : EMPTY_INDEX,
    selection: [],
    clipboard: undefined,
    notice: undefined,
    generation: 0,
    focusPath: undefined,
  };
  const listeners = new Set<() => void>();

  // The text and problems are worked out only when asked for, once per revision.
  let snapshotCache: { revision: Revision; dirty: boolean; canUndo: boolean; canRedo: boolean; snapshot: EditorSnapshot } | undefined;
  let derivedCache: { revision: Revision; text: string; problems: Problem[] } | undefined;

  function derived(revision: Revision): { text: string; problems: Problem[] } {
    if (derivedCache?.revision !== revision) {
      const text = textOf(revision, header);
      derivedCache = { revision, text, problems: problemsOf(revision, text) };
    }
    return derivedCache;
  }

  function getSnapshot(): EditorSnapshot {
    const revision = current(history).value;
    const flags = { dirty: revision !== saved, canUndo: canUndo(history), canRedo: canRedo(history) };
    const cache = snapshotCache;
    if (cache && cache.revision === revision && cache.dirty === flags.dirty && cache.canUndo === flags.canUndo && cache.canRedo === flags.canRedo) {
      return cache.snapshot;
    }
    const { text, problems } = derived(revision);
    const labName = revision.doc ? labNameOf(revision.doc) : (/^name:\s*(\S+)/m.exec(text)?.[1] ?? '');
    const snapshot: EditorSnapshot = { text, labName, problems, ...flags };
    snapshotCache = { revision, ...flags, snapshot };
    return snapshot;
  }

  function emit(): void {
    for (const listener of [...listeners]) listener();
  }

  function setState(next: Partial<EditorState>): void {
    state = { ...state, ...next };
  }

  /** After the document changed: new element index, and a selection of what still exists. */
  function showRevision(selection?: readonly string[]): void {
    const doc = current(history).value.doc;
    const elements = doc === undefined ? EMPTY_INDEX : doc === state.doc ? state.elements : indexElements(doc);
    const wanted = selection ?? state.selection;
    const kept = wanted.filter((id) => elements.byId.has(id));
    setState({ doc, elements, selection: sameIds(kept, state.selection) ? state.selection : kept });
  }

  const store: LabEditorStore = {
    getSnapshot,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    load(text) {
      const revision = readRevision(text);
      history = startHistory(revision);
      saved = revision;
      setState({ generation: state.generation + 1, focusPath: undefined });
      showRevision([]);
      emit();
    },

    markSaved() {
      saved = current(history).value;
      emit();
    },

    undo() {
      if (!canUndo(history)) return;
      history = undo(seal(history));
      showRevision();
      emit();
    },

    redo() {
      if (!canRedo(history)) return;
      history = redo(history);
      showRevision();
      emit();
    },

    apply(edit, options = {}) {
      const doc = current(history).value.doc;
      if (doc === undefined) return false;
      const next = edit(doc);
      if (next === doc) {
        if (options.select) store.select(options.select);
        return false;
      }
      history = record(history, { doc: next }, options.coalesce, saved);
      showRevision(options.select);
      emit();
      return true;
    },

    select(ids, options = {}) {
      const kept = ids.filter((id) => state.elements.byId.has(id));
      const focusPath = options.focusPath;
      if (sameIds(kept, state.selection) && focusPath === state.focusPath) return;
      // A new selection ends the typing that one undo step takes back.
      history = seal(history);
      setState({ selection: sameIds(kept, state.selection) ? state.selection : kept, focusPath });
      emit();
    },

    copySelection() {
      const doc = state.doc;
      if (doc === undefined) return;
      const targets = targetsOf(state.elements, state.selection).filter((target) => target.kind !== 'interface');
      if (targets.length === 0) {
        store.notify('Select hosts, containers or overlays to copy.');
        return;
      }
      setState({ clipboard: copyElements(doc, targets) });
      emit();
    },

    paste(options = {}) {
      const clipboard = state.clipboard;
      if (clipboard === undefined || isClipboardEmpty(clipboard)) {
        store.notify('Nothing to paste: copy hosts, containers or overlays first.');
        return;
      }
      let pasted: string[] = [];
      store.apply((doc) => {
        const result = pasteElements(doc, clipboard, { intoHost: options.intoHost ?? selectedHost() });
        pasted = result.pasted.map((ref) => `${ref.kind}:${ref.name}`);
        return result.doc;
      });
      store.select(pasted);
    },

    deleteSelection() {
      const targets = targetsOf(state.elements, state.selection);
      if (targets.length === 0) return;
      store.apply((doc) => remove(doc, targets), { select: [] });
    },

    notify(text, tone = 'info') {
      noticeCount += 1;
      setState({ notice: { id: noticeCount, text, tone } });
      emit();
    },

    dismissNotice(id) {
      if (state.notice?.id !== id) return;
      setState({ notice: undefined });
      emit();
    },
  };

  /** The host a paste goes into: the selected host, or the host of the selected container. */
  function selectedHost(): string | undefined {
    for (const id of state.selection) {
      const info = state.elements.byId.get(id);
      if (!isNodeInfo(info)) continue;
      if (info.kind === 'host') return info.name;
      if (info.kind === 'container' && state.doc) {
        const host = getField(state.doc, ['containers', info.index, 'host']);
        if (typeof host === 'string') return host;
      }
    }
    return undefined;
  }

  return store;
}

/** The full store behind an EditorStore made by createEditorStore. */
export function asLabEditorStore(store: EditorStore): LabEditorStore {
  if (!isLabEditorStore(store)) {
    throw new Error('LabEditor needs a store made by createEditorStore() from renderer/src/editor');
  }
  return store;
}

function isLabEditorStore(store: EditorStore): store is LabEditorStore {
  return 'apply' in store && 'getState' in store;
}
