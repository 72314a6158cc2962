// In-memory stand-ins for the shell's collaborators: the API (the contract's
// ApiClient), the editor's store and canvas, and the terminal emulator.
import { useSyncExternalStore } from 'react';
import type { ApiClient, ApiEvent, Method, Params, Result, TemplateInfo } from '../../electron/api/contract';
import { ApiRequestError } from '../../electron/api/contract';
import type { EditorSnapshot, EditorStore, LabEditorProps } from '../../renderer/src/editor';
import type { TerminalAdapter, TerminalSize } from '../../renderer/src/terminals/adapter';

type Handler<M extends Method> = (params: Params<M>) => Result<M> | Promise<Result<M>>;
export type Handlers = { [M in Method]?: Handler<M> };

export const ENGINE_INFO = {
  endpoint: 'unix:///var/run/docker.sock',
  version: '20.10.24',
  apiVersion: '1.41',
  kernel: '6.1.0',
  storageDriver: 'overlay2',
};

export const BASICS_TEXT = `version: 1
name: vxlan-basics
title: Containers on two hosts over VXLAN
description: The textbook scenario.
underlay: { subnet: 192.168.1.0/24 }
hosts:
  - { name: host-a, ip: 192.168.1.10 }
  - { name: host-b, ip: 192.168.1.20 }
overlays:
  - { name: blue, vni: 42, subnet: 10.0.0.0/16 }
containers:
  - { name: container1, host: host-a, interfaces: [ { overlay: blue, ip: 10.0.1.2 } ] }
  - { name: container2, host: host-b, interfaces: [ { overlay: blue, ip: 10.0.2.3 } ] }
`;

export const TEMPLATES: TemplateInfo[] = [
  { file: 'vxlan-basics.yaml', name: 'vxlan-basics', title: 'Containers on two hosts over VXLAN', description: 'The textbook scenario.', text: BASICS_TEXT },
  {
    file: 'three-hosts.yaml',
    name: 'three-hosts',
    title: 'Three hosts on one overlay',
    description: 'Every host floods to its two peers, then learns.',
    text: 'version: 1\nname: three-hosts\n',
  },
];

/** vxlan-basics up: what lab.status answers and 'lab-status' pushes while it runs. */
export const BASICS_RUNNING: Result<'lab.status'> = {
  name: 'vxlan-basics',
  title: 'Containers on two hosts over VXLAN',
  state: 'running',
  nodes: [
    { name: 'host-a', kind: 'host', state: 'running', addresses: ['192.168.1.10'] },
    { name: 'host-b', kind: 'host', state: 'running', addresses: ['192.168.1.20'] },
    { name: 'container1', kind: 'container', host: 'host-a', state: 'running', addresses: ['10.0.1.2/16'] },
    { name: 'container2', kind: 'container', host: 'host-b', state: 'running', addresses: ['10.0.2.3/16'] },
  ],
};

/** A promise the test settles when it chooses: an engine operation still running. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function notFound(name: string): ApiRequestError {
  return new ApiRequestError({ code: 'lab-not-found', message: `No lab named ${name} runs on this engine.` });
}

export class FakeClient implements ApiClient {
  readonly calls: { method: Method; params: unknown }[] = [];
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  handlers: Handlers;

  constructor(
    handlers: Handlers = {},
    readonly mode: 'desktop' | 'browser' = 'browser',
  ) {
    this.handlers = {
      'engine.info': () => ({ info: ENGINE_INFO }),
      'templates.list': () => TEMPLATES,
      'lab.status': ({ name }) => {
        throw notFound(name);
      },
      'terminal.ack': () => null,
      'terminal.input': () => null,
      'terminal.resize': () => null,
      'terminal.close': () => null,
      ...handlers,
    };
  }

  request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    this.calls.push({ method, params });
    const handler = this.handlers[method] as Handler<M> | undefined;
    if (!handler) return Promise.reject(new ApiRequestError({ code: 'not-implemented', message: `The fake has no ${method}.` }));
    return Promise.resolve().then(() => handler(params));
  }

  onEvent(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ApiEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  paramsOf<M extends Method>(method: M): Params<M>[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.params as Params<M>);
  }
}

/** A store holding a snapshot as given; `load` keeps the given problems, so a test can hold Launch disabled. */
export function fakeStore(initial: Partial<EditorSnapshot> = {}): EditorStore & { loads: string[]; saves: number; set(change: Partial<EditorSnapshot>): void } {
  let snapshot: EditorSnapshot = { text: '', labName: '', problems: [], canUndo: false, canRedo: false, dirty: false, ...initial };
  const listeners = new Set<() => void>();
  const set = (change: Partial<EditorSnapshot>) => {
    snapshot = { ...snapshot, ...change };
    for (const listener of listeners) listener();
  };
  const store = {
    loads: [] as string[],
    saves: 0,
    set,
    getSnapshot: () => snapshot,
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load: (text: string) => {
      store.loads.push(text);
      set({ text, labName: /^name:\s*(\S+)/m.exec(text)?.[1] ?? '', dirty: false, canUndo: false, canRedo: false });
    },
    markSaved: () => {
      store.saves++;
      set({ dirty: false });
    },
    undo: () => {},
    redo: () => {},
  };
  return store;
}

/** Stands in for the canvas: shows the runtime state and offers "Open terminal" per node. */
export function FakeEditor({ store, runtime, onOpenTerminal }: LabEditorProps) {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return (
    <div aria-label="Fake editor">
      <pre data-testid="editor-text">{snapshot.text}</pre>
      <ul aria-label="Runtime">
        {Object.entries(runtime ?? {}).map(([node, state]) => (
          <li key={node} data-testid={`runtime-${node}`}>
            {node}: {state.state}
            {state.detail ? ` (${state.detail})` : ''}
          </li>
        ))}
      </ul>
      {['container1', 'host-a'].map((node) => (
        <button key={node} type="button" onClick={() => onOpenTerminal?.(node)}>
          Open terminal {node}
        </button>
      ))}
    </div>
  );
}

/** A terminal emulator that records writes; `drain()` finishes them as xterm would once parsed. */
export class FakeTerminal implements TerminalAdapter {
  static created: FakeTerminal[] = [];
  element?: HTMLElement;
  readonly written: string[] = [];
  private pending: (() => void)[] = [];
  private input?: (data: string) => void;
  disposed = false;
  size: TerminalSize = { cols: 120, rows: 32 };

  constructor() {
    FakeTerminal.created.push(this);
  }

  attach(element: HTMLElement): void {
    this.element = element;
  }

  write(data: string, written?: () => void): void {
    this.written.push(data);
    if (written) this.pending.push(written);
  }

  drain(): void {
    const callbacks = this.pending;
    this.pending = [];
    for (const callback of callbacks) callback();
  }

  onInput(listener: (data: string) => void): void {
    this.input = listener;
  }

  type(data: string): void {
    this.input?.(data);
  }

  fit(): TerminalSize | undefined {
    return this.size;
  }

  text(): string {
    return this.written.join('');
  }

  focus(): void {}
  getSelection(): string {
    return '';
  }
  paste(text: string): void {
    this.type(text);
  }
  selectAll(): void {}
  clear(): void {}
  dispose(): void {
    this.disposed = true;
  }
}

export const createFakeTerminal = (): TerminalAdapter => new FakeTerminal();

/** An in-memory localStorage. */
export function memoryStorage(entries: Record<string, string> = {}): Storage {
  const data = new Map(Object.entries(entries));
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (key) => data.get(key) ?? null,
    key: (index) => [...data.keys()][index] ?? null,
    removeItem: (key) => void data.delete(key),
    setItem: (key, value) => void data.set(key, String(value)),
  };
}
