// Terminal sessions: a person's shell in a lab node (a dockerode exec with a TTY) or on
// the machine (node-pty). Output is batched and flow-controlled so that a flood such as
// `yes | head -c 50000000` cannot outrun the renderer. A node that does not run yet
// (Launch is still making it) is waited for: the session opens at once and attaches
// when the node runs.
import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import type { Duplex } from 'node:stream';
import type * as NodePty from 'node-pty';
import { EngineError } from './errors.js';
import { openExecSession } from './exec-session.js';
import type { LocatedNode } from './lab-engine.js';
import type { NodeEngine, NodeWaitOptions } from './node-presence.js';
import { goneReason, isNotRunningYet, locateRunningNode, waitForNode } from './node-presence.js';
import type { FlowSource, FlowStats, OutputFlowOptions } from './terminal-flow.js';
import { OutputFlow } from './terminal-flow.js';

export interface TerminalSize {
  cols: number;
  rows: number;
}

export type TerminalTarget = { kind: 'node'; lab: string; node: string } | { kind: 'machine' };

export interface TerminalSink {
  /** Output, already decoded as UTF-8 (a multi-byte character is never split). */
  data(id: string, data: string): void;
  /** The session ended: its command exited, or its node went away (`reason` says so). */
  exit(id: string, exitCode: number | undefined, reason?: string): void;
}

export interface TerminalManager {
  /**
   * Opens a session. Into a node that does not run yet, it opens at once, says it
   * waits, and attaches when the node runs (or ends with the reason it gave up).
   */
  open(target: TerminalTarget, size: TerminalSize, sink: TerminalSink): Promise<{ id: string; title: string }>;
  input(id: string, data: string): void;
  resize(id: string, size: TerminalSize): Promise<void>;
  /** The renderer has written `chars` more characters: lets paused output flow again. */
  ack(id: string, chars: number): void;
  close(id: string): void;
  /** Ends every session opened with this sink (a window or browser tab went away). */
  closeAllFor(sink: TerminalSink): void;
}

/** Counters over every session this manager has opened (for tests and diagnostics). */
export interface TerminalTotals {
  opened: number;
  open: number;
  /** Times a source was paused / resumed by flow control. */
  pauses: number;
  resumes: number;
}

export interface TerminalDiagnostics {
  stats(): TerminalTotals;
  /** One open session's flow: undefined once it has ended. */
  sessionStats(id: string): FlowStats | undefined;
}

export type PtyModule = Pick<typeof NodePty, 'spawn'>;

/** Each session is a process on the machine or in a node: a window (one sink) may hold this many. */
export const MAX_TERMINALS_PER_WINDOW = 32;
/** And all windows together this many: bounds the processes and streams one misbehaving client can cause. */
export const MAX_TERMINALS = 96;

export interface TerminalManagerOptions {
  /** Loads node-pty (default: a dynamic import, so a missing native module fails only the machine shell). */
  loadPty?: () => Promise<PtyModule>;
  /** The machine shell: default $SHELL (or /bin/bash) without arguments, in $HOME. */
  machineShell?: { file: string; args?: string[]; cwd?: string };
  /** Overrides of the batching and watermark constants of terminal-flow.ts. */
  flow?: Pick<OutputFlowOptions, 'batchIntervalMs' | 'maxBatchChars' | 'highWatermark' | 'lowWatermark'>;
  /** How often and how long a session waits for a node that does not run yet (node-presence.ts has the defaults). */
  nodeWait?: Pick<NodeWaitOptions, 'pollMs' | 'limitMs'>;
  /** Overrides of MAX_TERMINALS_PER_WINDOW and MAX_TERMINALS. */
  limits?: { perWindow?: number; total?: number };
}

const TERM = 'TERM=xterm-256color';
/** A login shell: bash where the image has it, sh otherwise (busybox images). */
const LOGIN_SHELL = ['sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi'];
const DIM = '\x1b[90m';
const RESET = '\x1b[0m';

interface Session {
  id: string;
  sink: TerminalSink;
  flow: OutputFlow;
  /** What flow control pauses: nothing while the session waits for its node. */
  source: FlowSource;
  ended: boolean;
  /** Resolves once the opener knows the id: exit is never reported before that. */
  announced: Promise<void>;
  announce(): void;
  write(data: string): void;
  resize(size: TerminalSize): Promise<void>;
  /** Ends the command (the session is being closed, not ending by itself). */
  stop(): void;
}

interface Opening {
  sink: TerminalSink;
  cancelled: boolean;
}

export function notOpen(id: string): Error {
  return new Error(`Terminal ${id} is not open (it was closed or its command ended).`);
}

export function waitingNotice(node: string): string {
  return `waiting for ${node} to start…`;
}

export function createTerminalManager(engine: NodeEngine, options: TerminalManagerOptions = {}): TerminalManager & TerminalDiagnostics {
  const sessions = new Map<string, Session>();
  const opening = new Set<Opening>();
  const totals = { opened: 0, pauses: 0, resumes: 0 };
  const loadPty = options.loadPty ?? loadNodePty;
  const perWindow = options.limits?.perWindow ?? MAX_TERMINALS_PER_WINDOW;
  const total = options.limits?.total ?? MAX_TERMINALS;

  function newSession(sink: TerminalSink): Session {
    let announce = () => {};
    const announced = new Promise<void>((resolve) => (announce = resolve));
    const id = randomUUID();
    const session: Session = {
      id,
      sink,
      ended: false,
      announced,
      announce,
      source: { pause: () => {}, resume: () => {} },
      flow: new OutputFlow({
        ...options.flow,
        held: true,
        deliver: (text) => guard(() => sink.data(id, text)),
        source: { pause: () => guard(() => session.source.pause()), resume: () => guard(() => session.source.resume()) },
      }),
      write: () => {},
      resize: async () => {},
      stop: () => {},
    };
    return session;
  }

  /** Reports the end once: output first, then exit. `flush` is false when the person closed it. */
  function finish(session: Session, exitCode: number | undefined, reason: string | undefined, flush: boolean): void {
    if (session.ended) return;
    session.ended = true;
    if (sessions.get(session.id) === session) sessions.delete(session.id);
    const { pauses, resumes } = session.flow.stats();
    totals.pauses += pauses;
    totals.resumes += resumes;
    if (flush) session.flow.end();
    else session.flow.dispose();
    guard(() => session.sink.exit(session.id, exitCode, reason));
  }

  /** Registers an opened session and lets its output go once the caller has its id. */
  function publish(session: Session, pending: Opening, title: string): { id: string; title: string } {
    if (pending.cancelled) {
      session.ended = true;
      session.flow.dispose();
      guard(() => session.stop());
      session.announce();
      throw new Error(`The terminal ${title} was closed while it opened.`);
    }
    sessions.set(session.id, session);
    totals.opened += 1;
    // A timer, not a microtask: the caller's continuation (which learns the id) runs first.
    setTimeout(() => {
      session.flow.release();
      session.announce();
    }, 0);
    return { id: session.id, title };
  }

  /** Connects a session to a shell in its node; its end is reported with the reason the node gave. */
  async function attachShell(session: Session, lab: string, node: string, located: LocatedNode, size: TerminalSize): Promise<void> {
    const exec = await openExecSession(engine, lab, node, LOGIN_SHELL, { tty: true, env: [TERM], located });
    const stream: Duplex = exec.stream;
    const stop = () => {
      stream.destroy();
      // Docker leaves a TTY exec running when its client goes: hang its processes up, as closing a terminal does.
      void exec.hangUp().catch(() => {});
    };
    stream.on('error', () => {}); // a reset connection ends like a closed one: see below
    if (session.ended) {
      stop(); // closed while the shell was starting
      return;
    }
    session.source = stream;
    if (session.flow.stats().paused) stream.pause();
    session.write = (data) => void stream.write(data);
    session.resize = (s) => exec.resize(s.cols, s.rows);
    session.stop = stop;
    stream.on('data', (chunk: Buffer) => session.flow.push(chunk));
    void (async () => {
      let code: number | undefined;
      try {
        code = await exec.exitCode();
      } catch {
        code = undefined;
      }
      let reason: string | undefined;
      if (!session.ended) {
        try {
          // Asks the same host the session ran in whether the node still runs.
          reason = await goneReason(engine, lab, located, node, code);
        } catch {
          reason = undefined;
        }
      }
      await session.announced;
      finish(session, reason ? undefined : code, reason, true);
    })().catch(() => {});
    try {
      await exec.resize(size.cols, size.rows);
    } catch {
      // The command may already have ended; its end is reported above.
    }
  }

  async function openNode(lab: string, node: string, size: TerminalSize, sink: TerminalSink, pending: Opening) {
    const title = `${node} (${lab})`;
    let located: LocatedNode | undefined;
    try {
      located = await locateRunningNode(engine, lab, node);
    } catch (error) {
      if (!isNotRunningYet(error)) throw error;
    }
    const session = newSession(sink);
    if (located) {
      await attachShell(session, lab, node, located, size);
      return publish(session, pending, title);
    }
    // Not running yet: open now, say so, and attach when it runs.
    const waiting = new AbortController();
    let latestSize = size;
    session.resize = async (s) => void (latestSize = s);
    session.stop = () => waiting.abort();
    const opened = publish(session, pending, title);
    session.flow.push(`${DIM}${waitingNotice(node)}${RESET}\r\n`);
    void (async () => {
      let found: LocatedNode;
      try {
        found = await waitForNode(engine, lab, node, { ...options.nodeWait, signal: waiting.signal });
      } catch (error) {
        await session.announced;
        if (!waiting.signal.aborted) finish(session, undefined, messageOf(error), true);
        return;
      }
      try {
        await attachShell(session, lab, node, found, latestSize);
      } catch (error) {
        await session.announced;
        finish(session, undefined, `Could not open a shell in ${node}: ${messageOf(error)}`, true);
      }
    })().catch(() => {});
    return opened;
  }

  async function openMachine(size: TerminalSize, sink: TerminalSink, pending: Opening) {
    const pty = await loadPty();
    const shell = options.machineShell ?? { file: process.env.SHELL || '/bin/bash' };
    const child = pty.spawn(shell.file, shell.args ?? [], {
      name: 'xterm-256color',
      cols: size.cols,
      rows: size.rows,
      cwd: shell.cwd ?? homedir(),
      env: { ...process.env, TERM: 'xterm-256color' },
    });
    // node-pty throws read errors other than EIO out of its socket's handler unless two 'error' listeners exist.
    const events = child as unknown as { on?(event: 'error', listener: () => void): unknown };
    if (typeof events.on === 'function') {
      events.on('error', ignore);
      events.on('error', ignore);
    }
    const session = newSession(sink);
    session.source = child;
    session.write = (data) => child.write(data);
    session.resize = async (s) => child.resize(s.cols, s.rows);
    session.stop = () => child.kill();
    child.onData((text) => session.flow.push(text));
    child.onExit(({ exitCode }) => {
      void session.announced.then(() => finish(session, exitCode, undefined, true));
    });
    return publish(session, pending, 'Machine shell');
  }

  /** Refuses a session beyond the limits, counting those still opening. */
  function checkLimits(sink: TerminalSink): void {
    let own = 0;
    for (const session of sessions.values()) if (session.sink === sink) own++;
    for (const pending of opening) if (pending.sink === sink) own++;
    if (own >= perWindow) {
      throw new EngineError(
        'limit-reached',
        `This window already has ${own} terminals open, the most one window may have.`,
        'Close a terminal you no longer use, then open this one.',
      );
    }
    if (sessions.size + opening.size >= total) {
      throw new EngineError(
        'limit-reached',
        `vxlab already runs ${sessions.size + opening.size} terminals, the most it allows at once.`,
        'Close terminals you no longer use (in any window), then open this one.',
      );
    }
  }

  function get(id: string): Session {
    const session = sessions.get(id);
    if (!session) throw notOpen(id);
    return session;
  }

  function close(session: Session): void {
    if (session.ended) return;
    guard(() => session.stop());
    finish(session, undefined, 'closed', false);
  }

  return {
    async open(target, size, sink) {
      checkLimits(sink);
      const pending: Opening = { sink, cancelled: false };
      opening.add(pending);
      try {
        return target.kind === 'machine'
          ? await openMachine(size, sink, pending)
          : await openNode(target.lab, target.node, size, sink, pending);
      } finally {
        opening.delete(pending);
      }
    },
    input(id, data) {
      get(id).write(data);
    },
    async resize(id, size) {
      await get(id).resize(size);
    },
    ack(id, chars) {
      // Acknowledgements race with the end of a session: one for an ended session is no error.
      sessions.get(id)?.flow.ack(chars);
    },
    close(id) {
      close(get(id));
    },
    closeAllFor(sink) {
      for (const pending of opening) if (pending.sink === sink) pending.cancelled = true;
      for (const session of [...sessions.values()]) if (session.sink === sink) close(session);
    },
    stats() {
      let { pauses, resumes } = totals;
      for (const session of sessions.values()) {
        const flow = session.flow.stats();
        pauses += flow.pauses;
        resumes += flow.resumes;
      }
      return { opened: totals.opened, open: sessions.size, pauses, resumes };
    },
    sessionStats(id) {
      return sessions.get(id)?.flow.stats();
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let ptyModule: Promise<PtyModule> | undefined;

/** node-pty, loaded on first use: its native module may be missing or built for another runtime. */
function loadNodePty(): Promise<PtyModule> {
  ptyModule ??= import('node-pty').then(
    (mod) => {
      const spawn = (mod as Partial<PtyModule>).spawn ?? (mod as { default?: Partial<PtyModule> }).default?.spawn;
      if (typeof spawn !== 'function') throw new Error('node-pty has no spawn function');
      return { spawn };
    },
    (error: unknown) => {
      ptyModule = undefined;
      throw new Error(
        `The machine shell needs node-pty, which did not load: ${error instanceof Error ? error.message : String(error)}. ` +
          'Rebuild it for this runtime (`npm rebuild node-pty`; for Electron, `npx electron-builder install-app-deps`).',
      );
    },
  );
  return ptyModule;
}

function ignore(): void {}

/** A sink or a source that throws must not take the manager down with it. */
function guard(work: () => void): void {
  try {
    work();
  } catch {
    // Nothing to report to: the receiver is gone or broken.
  }
}
