// Terminal sessions: a person's shell in a lab node (a dockerode exec with a TTY) or on
// the machine (node-pty). Output is batched and flow-controlled so that a flood such as
// `yes | head -c 50000000` cannot outrun the renderer.
import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import type { Duplex } from 'node:stream';
import type * as NodePty from 'node-pty';
import { isNotFound } from './docker.js';
import { execCapture } from './exec.js';
import { openExecSession } from './exec-session.js';
import type { LabEngine, LocatedNode } from './lab-engine.js';
import type { FlowStats, OutputFlowOptions } from './terminal-flow.js';
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

export interface TerminalManagerOptions {
  /** Loads node-pty (default: a dynamic import, so a missing native module fails only the machine shell). */
  loadPty?: () => Promise<PtyModule>;
  /** The machine shell: default $SHELL (or /bin/bash) without arguments, in $HOME. */
  machineShell?: { file: string; args?: string[]; cwd?: string };
  /** Overrides of the batching and watermark constants of terminal-flow.ts. */
  flow?: Pick<OutputFlowOptions, 'batchIntervalMs' | 'maxBatchChars' | 'highWatermark' | 'lowWatermark'>;
}

const TERM = 'TERM=xterm-256color';
/** A login shell: bash where the image has it, sh otherwise (busybox images). */
const LOGIN_SHELL = ['sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi'];

interface Session {
  id: string;
  sink: TerminalSink;
  flow: OutputFlow;
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

export function createTerminalManager(engine: LabEngine, options: TerminalManagerOptions = {}): TerminalManager & TerminalDiagnostics {
  const sessions = new Map<string, Session>();
  const opening = new Set<Opening>();
  const totals = { opened: 0, pauses: 0, resumes: 0 };
  const loadPty = options.loadPty ?? loadNodePty;

  function newSession(id: string, sink: TerminalSink, source: { pause(): void; resume(): void }): Session {
    let announce = () => {};
    const announced = new Promise<void>((resolve) => (announce = resolve));
    const session: Session = {
      id,
      sink,
      ended: false,
      announced,
      announce,
      flow: new OutputFlow({
        ...options.flow,
        held: true,
        deliver: (text) => guard(() => sink.data(id, text)),
        source: { pause: () => guard(() => source.pause()), resume: () => guard(() => source.resume()) },
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

  async function openNode(lab: string, node: string, size: TerminalSize, sink: TerminalSink, pending: Opening) {
    const id = randomUUID();
    // Located once, and kept: the exit reason asks the same host whether it still runs.
    const located = await engine.locateNode(lab, node);
    const exec = await openExecSession(engine, lab, node, LOGIN_SHELL, { tty: true, env: [TERM], located });
    const stream: Duplex = exec.stream;
    const session = newSession(id, sink, stream);
    session.write = (data) => void stream.write(data);
    session.resize = (s) => exec.resize(s.cols, s.rows);
    session.stop = () => {
      stream.destroy();
      // Docker leaves a TTY exec running when its client goes: hang its processes up, as closing a terminal does.
      void exec.hangUp().catch(() => {});
    };
    stream.on('data', (chunk: Buffer) => session.flow.push(chunk));
    stream.on('error', () => {}); // a reset connection ends like a closed one: see below
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
          reason = await goneReason(located, node, code);
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
    return publish(session, pending, `${node} (${lab})`);
  }

  async function openMachine(size: TerminalSize, sink: TerminalSink, pending: Opening) {
    const pty = await loadPty();
    const shell = options.machineShell ?? { file: process.env.SHELL || '/bin/bash' };
    const id = randomUUID();
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
    const session = newSession(id, sink, child);
    session.write = (data) => child.write(data);
    session.resize = async (s) => child.resize(s.cols, s.rows);
    session.stop = () => child.kill();
    child.onData((text) => session.flow.push(text));
    child.onExit(({ exitCode }) => {
      void session.announced.then(() => finish(session, exitCode, undefined, true));
    });
    return publish(session, pending, 'Machine shell');
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

/** Exit codes that may mean the node went away rather than the command ending (unknown, SIGHUP, SIGKILL, SIGTERM). */
function mayBeGone(exitCode: number | undefined): boolean {
  return exitCode === undefined || exitCode < 0 || exitCode === 129 || exitCode === 137 || exitCode === 143;
}

/** How long after the session's end the node's state may still lag behind (a host being killed still reads "running"). */
const SETTLE_ATTEMPTS = 4;
const SETTLE_DELAY_MS = 250;

/** Why a node session ended, when it was not its command's doing. */
async function goneReason(
  located: LocatedNode,
  node: string,
  exitCode: number | undefined,
): Promise<string | undefined> {
  for (let attempt = 1; ; attempt++) {
    let hostRunning = false;
    try {
      hostRunning = (await located.host.inspect()).State.Running;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (!hostRunning) {
      return located.container
        ? `${node} is no longer running (its host ${located.hostName} stopped)`
        : `${node} is no longer running (it stopped)`;
    }
    let inner: 'running' | 'stopped' | 'removed' | 'unknown' = 'unknown';
    if (!located.container) {
      if (!mayBeGone(exitCode)) return undefined;
    } else {
      // `docker exec` into a container that stops ends with a non-zero code: ask the host's engine.
      if (exitCode === 0) return undefined;
      inner = await innerState(located.host, located.container);
      if (inner === 'running') return undefined;
    }
    // The host may be on its way down (a killed host still reads "running" for a moment): look again.
    if (attempt >= SETTLE_ATTEMPTS) {
      if (inner === 'stopped') return `${node} is no longer running (it stopped)`;
      if (inner === 'removed') return `${node} is no longer running (it was removed)`;
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_DELAY_MS));
  }
}

async function innerState(host: LocatedNode['host'], container: string) {
  try {
    const state = await execCapture(host, ['docker', 'inspect', '-f', '{{.State.Running}}', container]);
    if (state.exitCode === 0) return state.stdout.trim() === 'true' ? 'running' : 'stopped';
    return /No such (object|container)/i.test(state.stderr) ? 'removed' : 'unknown';
  } catch {
    return 'unknown'; // the host refused the exec: it is probably stopping
  }
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
