// The contract implemented over the engine. Every transport (Electron IPC, the
// browser mode's WebSocket) opens one session per window or tab; the session checks
// each request's parameters and always answers with an envelope.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkEngine, dockerRefusal } from '../engine/docker.js';
import { EngineError, isEngineError } from '../engine/errors.js';
import type { LabEngine } from '../engine/lab-engine.js';
import type { TerminalManager, TerminalSink } from '../engine/terminals.js';
import { readVtepView } from '../engine/vtep-view.js';
import { parseLabText } from '../lab/parse.js';
import type { ApiError, ApiEvent, Envelope, Method, Params, Result, TemplateInfo } from './contract.js';
import { isMethod, requestSchemas } from './contract.js';

/** Native file dialogs: only the desktop app has them. */
export interface FileDialogs {
  open(): Promise<{ path: string; text: string } | null>;
  save(text: string, suggestedName: string): Promise<{ path: string } | null>;
}

export interface ServiceOptions {
  engine: LabEngine;
  terminals: TerminalManager;
  templatesDirectory: string;
  dialogs?: FileDialogs;
}

type Handler<M extends Method> = (params: Params<M>, session: ServiceSession) => Promise<Result<M>>;

export class VxlabService {
  private readonly sessions = new Set<ServiceSession>();
  /** `up` and `down` of one lab never overlap: a second press of Launch waits its turn. */
  private readonly labQueues = new Map<string, Promise<unknown>>();

  constructor(readonly options: ServiceOptions) {}

  /** A window or tab connects; `send` delivers events to it alone. */
  connect(send: (event: ApiEvent) => void): ServiceSession {
    const session = new ServiceSession(this, send);
    this.sessions.add(session);
    return session;
  }

  disconnect(session: ServiceSession): void {
    this.sessions.delete(session);
    this.options.terminals.closeAllFor(session.terminalSink);
  }

  broadcast(event: ApiEvent): void {
    for (const session of this.sessions) session.send(event);
  }

  async serialized<T>(lab: string, work: () => Promise<T>): Promise<T> {
    const previous = this.labQueues.get(lab) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
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
        return { info: await checkEngine(this.options.engine.docker) };
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
          return await this.options.engine.up(lab, (event) => this.broadcast({ type: 'engine', lab: lab.name, event }), {
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
          return await this.options.engine.down(name, (event) => this.broadcast({ type: 'engine', lab: name, event }));
        } finally {
          this.broadcast({ type: 'lab-changed', lab: name });
        }
      }),
    'lab.list': async () => this.options.engine.list(),
    'lab.status': async ({ name }) => this.options.engine.status(name),
    'lab.export': async ({ name }) => ({ text: await this.options.engine.exportLab(name) }),
    'lab.inspect': async ({ name, host }) => readVtepView(this.options.engine, name, host),
    'terminal.open': async (params, session) => {
      const target = params.kind === 'node' ? { kind: 'node' as const, lab: params.lab, node: params.node } : { kind: 'machine' as const };
      return this.options.terminals.open(target, { cols: params.cols, rows: params.rows }, session.terminalSink);
    },
    'terminal.input': async ({ id, data }) => {
      this.options.terminals.input(id, data);
      return null;
    },
    'terminal.resize': async ({ id, cols, rows }) => {
      await this.options.terminals.resize(id, { cols, rows });
      return null;
    },
    'terminal.ack': async ({ id, chars }) => {
      this.options.terminals.ack(id, chars);
      return null;
    },
    'terminal.close': async ({ id }) => {
      this.options.terminals.close(id);
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

  constructor(
    private readonly service: VxlabService,
    readonly send: (event: ApiEvent) => void,
  ) {
    this.terminalSink = {
      data: (id, data) => send({ type: 'terminal-data', id, data }),
      exit: (id, exitCode, reason) => send({ type: 'terminal-exit', id, exitCode, reason }),
    };
  }

  /** Validates `params` for `method`, runs it, and answers with an envelope; never throws. */
  async handle(method: unknown, params: unknown): Promise<Envelope<unknown>> {
    if (!isMethod(method)) {
      return { error: { code: 'unknown-method', message: `There is no request named ${String(method).slice(0, 60)}.` } };
    }
    const checked = requestSchemas[method].safeParse(params ?? {});
    if (!checked.success) {
      const issues = checked.error.issues.map((issue) => `${issue.path.join('.') || '(parameters)'}: ${issue.message}`);
      return { error: { code: 'invalid-params', message: `Invalid parameters for ${method}: ${issues.join('; ')}.` } };
    }
    try {
      const handler = this.service.handlers[method] as Handler<Method>;
      return { result: await handler(checked.data as Params<Method>, this) };
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
