// The contract implemented over the engine. Every door (Electron IPC, the browser
// mode's WebSocket, the `vxlab` CLI) opens one session per window, tab or command; the
// session checks each request's parameters and always answers with an envelope. Work
// that changes a lab runs one at a time per lab, here and across processes (a lock file
// in the state directory), and errors become data in one place (toApiError).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkEngine, dockerRefusal } from '../engine/docker.js';
import { EngineError, isEngineError } from '../engine/errors.js';
import type { LabEngine } from '../engine/lab-engine.js';
import { describeHolder, LabLocks } from '../engine/lab-lock.js';
import { defaultStateDirectory } from '../engine/lab-store.js';
import type { TerminalManager, TerminalSink } from '../engine/terminals.js';
import type { CaptureSink } from '../engine/capture.js';
import type { CaptureManager } from '../engine/captures.js';
import { createCaptureManager } from '../engine/captures.js';
import { readVtepView } from '../engine/vtep-view.js';
import { runDoctor } from '../engine/doctor.js';
import { engineTablesSource, TablesWatches } from '../engine/tables-watch.js';
import { MAX_TRACES_AT_ONCE, traceLab } from '../engine/trace.js';
import { parseLabText } from '../lab/parse.js';
import type { ApiError, ApiEvent, Envelope, LabStatus, Method, Params, Result, TemplateInfo } from './contract.js';
import { checkParams, isMethod } from './contract.js';

/** Native file dialogs: only the desktop app has them. */
export interface FileDialogs {
  open(): Promise<{ path: string; text: string } | null>;
  save(text: string, suggestedName: string): Promise<{ path: string } | null>;
}

export interface ServiceOptions {
  /** The engine, or how to make it when first needed (the CLI validates without one). */
  engine: LabEngine | (() => LabEngine);
  /** Absent in the CLI, whose `exec` attaches the caller's own terminal. */
  terminals?: TerminalManager;
  /** Live captures (default: one manager over the engine, made when first needed). */
  captures?: CaptureManager;
  templatesDirectory: string;
  dialogs?: FileDialogs;
  /** Where the per-lab lock files live; default: the engine's state directory. */
  stateDirectory?: string;
  /** Who this process is, for whoever waits for one of its locks ("the vxlab app", "vxlab up lab.yaml"). */
  holder?: string;
}

export interface SessionOptions {
  /** Push 'lab-status' events to this session (a window does; a CLI command does not). */
  statusEvents?: boolean;
}

/** What the engine offers when it pushes status (shared-interfaces point 3). */
type StatusWatch = (listener: (lab: string, status: LabStatus | undefined) => void) => () => void;

type Handler<M extends Method> = (params: Params<M>, session: ServiceSession) => Promise<Result<M>>;

export class VxlabService {
  private readonly sessions = new Set<ServiceSession>();
  private readonly statusSessions = new Set<ServiceSession>();
  private stopWatchingStatus: (() => void) | undefined;
  /** `up` and `down` of one lab never overlap: a second press of Launch waits its turn. */
  private readonly labQueues = new Map<string, Promise<unknown>>();
  private madeEngine: LabEngine | undefined;
  private madeLocks: LabLocks | undefined;
  private madeCaptures: CaptureManager | undefined;
  /** Live host tables, each owned by the session that asked (stopped when it goes). */
  readonly tablesWatches = new TablesWatches();
  private tracesRunning = 0;

  constructor(readonly options: ServiceOptions) {}

  get engine(): LabEngine {
    const { engine } = this.options;
    return typeof engine === 'function' ? (this.madeEngine ??= engine()) : engine;
  }

  private get terminals(): TerminalManager {
    if (!this.options.terminals) {
      throw new EngineError('step-failed', 'Terminals exist only in the app and in `vxlab serve`.', 'From a shell, use `vxlab exec LAB NODE -- sh`.');
    }
    return this.options.terminals;
  }

  get captures(): CaptureManager {
    return this.options.captures ?? (this.madeCaptures ??= createCaptureManager(this.engine));
  }

  /** The cross-process lock of each lab, in the same state directory as the applied lab files. */
  get locks(): LabLocks {
    this.madeLocks ??= new LabLocks(this.options.stateDirectory ?? this.engine.store?.directory ?? defaultStateDirectory(), {
      command: this.options.holder,
    });
    return this.madeLocks;
  }

  /** A window, tab or command connects; `send` delivers events to it alone. */
  connect(send: (event: ApiEvent) => void, options: SessionOptions = {}): ServiceSession {
    const session = new ServiceSession(this, send);
    this.sessions.add(session);
    if (options.statusEvents ?? true) {
      this.statusSessions.add(session);
      this.watchStatus();
    }
    return session;
  }

  disconnect(session: ServiceSession): void {
    this.sessions.delete(session);
    this.statusSessions.delete(session);
    if (this.statusSessions.size === 0) {
      this.stopWatchingStatus?.();
      this.stopWatchingStatus = undefined;
    }
    this.options.terminals?.closeAllFor(session.terminalSink);
    (this.options.captures ?? this.madeCaptures)?.stopAllFor(session.captureSink);
    void this.tablesWatches.stopAllFor(session);
  }

  broadcast(event: ApiEvent): void {
    for (const session of this.sessions) session.send(event);
  }

  /** While a window is connected, the engine's status pushes reach it as 'lab-status' events. */
  private watchStatus(): void {
    if (this.stopWatchingStatus) return;
    const watch = (this.engine as { watchStatus?: StatusWatch }).watchStatus;
    if (typeof watch !== 'function') return;
    this.stopWatchingStatus = watch.call(this.engine, (lab, status) => {
      const event: ApiEvent = { type: 'lab-status', lab, status: status ?? null };
      for (const session of this.statusSessions) session.send(event);
    });
  }

  /**
   * Runs `work` on `lab` after every earlier work on it, in this process and in any other
   * sharing the state directory. While another process holds the lab, whoever asked
   * hears who it is.
   */
  async serialized<T>(lab: string, work: () => Promise<T>): Promise<T> {
    const previous = this.labQueues.get(lab) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      const release = await this.locks.acquire(lab, (holder) =>
        this.broadcast({
          type: 'engine',
          lab,
          event: { type: 'log', level: 'warn', message: `Lab ${lab} is busy: ${describeHolder(holder)} is changing it. Waiting until it is done…` },
        }),
      );
      try {
        return await work();
      } finally {
        await release();
      }
    });
    this.labQueues.set(lab, next);
    try {
      return await next;
    } finally {
      if (this.labQueues.get(lab) === next) this.labQueues.delete(lab);
    }
  }

  readonly handlers: { [M in Method]: Handler<M> } = {
    'engine.info': async () => {
      try {
        return { info: await checkEngine(this.engine.docker) };
      } catch (error) {
        return { error: toApiError(error) };
      }
    },
    'templates.list': async () => readTemplates(this.options.templatesDirectory),
    'lab.validate': async ({ text }) => {
      const parsed = parseLabText(text);
      return { problems: parsed.ok ? [] : parsed.problems };
    },
    'lab.up': async ({ text, tunnels }) => {
      const parsed = parseLabText(text);
      if (!parsed.ok) {
        throw new EngineError('lab-invalid', `The lab file has ${parsed.problems.length} problem(s); nothing was changed.`, undefined, parsed.problems);
      }
      const lab = parsed.lab;
      return this.serialized(lab.name, async () => {
        try {
          return await this.engine.up(lab, (event) => this.broadcast({ type: 'engine', lab: lab.name, event }), {
            tunnels,
            sourceText: text,
          });
        } finally {
          this.broadcast({ type: 'lab-changed', lab: lab.name });
        }
      });
    },
    'lab.down': async ({ name }) =>
      this.serialized(name, async () => {
        try {
          return await this.engine.down(name, (event) => this.broadcast({ type: 'engine', lab: name, event }));
        } finally {
          this.broadcast({ type: 'lab-changed', lab: name });
        }
      }),
    'lab.list': async () => this.engine.list(),
    'lab.status': async ({ name }) => this.engine.status(name),
    'lab.export': async ({ name }) => ({ text: await this.engine.exportLab(name) }),
    'lab.inspect': async ({ name, host }) => readVtepView(this.engine, name, host),
    'lab.doctor': async ({ name }) => runDoctor(this.engine, name),
    'terminal.open': async (params, session) => {
      const target = params.kind === 'node' ? { kind: 'node' as const, lab: params.lab, node: params.node } : { kind: 'machine' as const };
      return this.terminals.open(target, { cols: params.cols, rows: params.rows }, session.terminalSink);
    },
    'terminal.input': async ({ id, data }) => {
      this.terminals.input(id, data);
      return null;
    },
    'terminal.resize': async ({ id, cols, rows }) => {
      await this.terminals.resize(id, { cols, rows });
      return null;
    },
    'terminal.ack': async ({ id, chars }) => {
      this.terminals.ack(id, chars);
      return null;
    },
    'terminal.close': async ({ id }) => {
      this.terminals.close(id);
      return null;
    },
    'lab.trace': async ({ lab, from, dest }) => {
      if (this.tracesRunning >= MAX_TRACES_AT_ONCE) {
        throw new EngineError('limit-reached', `${MAX_TRACES_AT_ONCE} traces are running already.`, 'Wait for one to finish (a trace takes a second or two).');
      }
      this.tracesRunning++;
      try {
        return await traceLab(this.engine, lab, from, dest);
      } finally {
        this.tracesRunning--;
      }
    },
    'tables.watch': async ({ lab, host }, session) =>
      this.tablesWatches.start(session, engineTablesSource(this.engine, lab, host), (id, view, changes) =>
        session.send({ type: 'tables-changed', id, view, changes }),
      ),
    'tables.unwatch': async ({ id }, session) => {
      await this.tablesWatches.stop(session, id);
      return null;
    },
    'capture.start': async ({ lab, node, iface, filter, count }, session) =>
      this.captures.start(lab, node, { iface, filter, count }, session.captureSink),
    'capture.stop': async ({ id }, session) => {
      await this.captures.stop(id, session.captureSink);
      return null;
    },
    'file.open': async () => this.dialogs().open(),
    'file.save': async ({ text, suggestedName }) => this.dialogs().save(text, suggestedName),
  };

  private dialogs(): FileDialogs {
    if (!this.options.dialogs) {
      throw new EngineError('step-failed', 'Native file dialogs exist only in the desktop app.', 'In the browser, use the file picker and download.');
    }
    return this.options.dialogs;
  }
}

export class ServiceSession {
  readonly terminalSink: TerminalSink;
  readonly captureSink: CaptureSink;

  constructor(
    private readonly service: VxlabService,
    readonly send: (event: ApiEvent) => void,
  ) {
    this.terminalSink = {
      data: (id, data) => send({ type: 'terminal-data', id, data }),
      exit: (id, exitCode, reason) => send({ type: 'terminal-exit', id, exitCode, reason }),
    };
    this.captureSink = {
      frames: (id, frames) =>
        send({
          type: 'capture-frames',
          id,
          frames: frames.map((f) => ({ index: f.index, timeUs: f.timeUs, originalLength: f.originalLength, data: Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength).toString('base64') })),
        }),
      ended: (id, end) => send({ type: 'capture-ended', id, ...end }),
    };
  }

  /** Validates `params` for `method`, runs it, and answers with an envelope; never throws. */
  async handle(method: unknown, params: unknown): Promise<Envelope<unknown>> {
    if (!isMethod(method)) {
      return { error: { code: 'unknown-method', message: `There is no request named ${String(method).slice(0, 60)}.` } };
    }
    const checked = checkParams(method, params);
    if (!checked.ok) return { error: checked.error };
    try {
      const handler = this.service.handlers[method] as Handler<Method>;
      return { result: await handler(checked.params as Params<Method>, this) };
    } catch (error) {
      return { error: toApiError(error) };
    }
  }

  dispose(): void {
    this.service.disconnect(this);
  }
}

export function toApiError(error: unknown): ApiError {
  if (isEngineError(error)) {
    return { code: error.code, message: error.message, hint: error.hint, ...(error.details ? { details: error.details } : {}) };
  }
  const refusal = dockerRefusal(error);
  if (refusal) return { code: 'docker-refused', message: `The Docker engine refused: ${refusal}.` };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

async function readTemplates(directory: string): Promise<TemplateInfo[]> {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.yaml') || file.endsWith('.yml'));
  const sized: { template: TemplateInfo; size: number }[] = [];
  for (const file of files) {
    const text = await readFile(join(directory, file), 'utf8');
    const parsed = parseLabText(text);
    if (!parsed.ok) continue; // a broken template is a bug the unit tests catch; skip it here
    const { lab } = parsed;
    sized.push({
      template: { file, name: lab.name, title: lab.title, description: lab.description, text },
      size: lab.hosts.length + lab.containers.length + lab.overlays.length,
    });
  }
  // Simplest first: the gallery reads as a course, vxlan-basics before the rest.
  return sized.sort((a, b) => a.size - b.size || a.template.file.localeCompare(b.template.file)).map((entry) => entry.template);
}
