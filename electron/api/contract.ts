// The one API of vxlab: every request, its parameters and result, and every event.
// Electron IPC, the browser mode's WebSocket and the CLI all carry this contract.
// Parameters are checked with these schemas where they enter the main process.
// Pure: the renderer imports it. Its types live in ./types.ts, never in the engine,
// so the renderer's compile sees no Node or dockerode.
import { z } from 'zod';
import type { Problem } from '../lab/model.js';
import { MAX_LAB_FILE_BYTES } from '../lab/limits.js';
import { MAX_LAB_NAME_LENGTH, MAX_NODE_NAME_LENGTH, nameFault } from '../lab/names.js';
import { isIpv4Address } from '../lab/brands.js';
import type { DownResult, EngineEvent, EngineInfo, LabStatus, LabSummary, UpResult, VtepView } from './types.js';
import type { TableChange, TraceResult } from './types.js';
import type { CaptureEnd, CaptureFrame, CaptureStarted } from './types.js';
import type { DoctorReport } from './types.js';

export type * from './types.js';

/**
 * A name checked with the lab file's own rule (electron/lab/names.ts), so a name that
 * could never be in a lab file (`../../x`, `a/b`, 'Lab 1') never reaches the engine,
 * a path or a Docker filter, whichever door (IPC, WebSocket, CLI) it came through.
 */
function nameSchema(what: string, maxLength: number) {
  return z.string().superRefine((value, context) => {
    const fault = nameFault(value, maxLength);
    if (fault) context.addIssue({ code: 'custom', message: `${what} ${fault}; use the name as the lab file writes it, e.g. vxlan-basics or host-a` });
  });
}

/** A lab's name, as `name:` of its lab file. */
export const labNameSchema = nameSchema('a lab name', MAX_LAB_NAME_LENGTH);
/** A host's or container's name, as in the lab file. */
export const nodeNameSchema = nameSchema('a node name', MAX_NODE_NAME_LENGTH);
const name = labNameSchema;
/**
 * A lab file's text. Bounded in characters by the lab file's byte limit (a character is at
 * least a byte), so any file the model accepts passes, and validation itself names the limit
 * for a file just over it.
 */
const labText = z.string().max(MAX_LAB_FILE_BYTES, {
  message: `a lab file may be at most ${MAX_LAB_FILE_BYTES / 1024 / 1024} MiB; this text is longer (a lab file is usually a few KiB)`,
});
/** A trace's destination: a node's name, or a dotted IPv4 address. */
const traceDestSchema = z.string().superRefine((value, context) => {
  if (isIpv4Address(value) || !nameFault(value, MAX_NODE_NAME_LENGTH)) return;
  context.addIssue({ code: 'custom', message: 'the destination is neither a node name nor an IPv4 address; give a container of the lab, e.g. container2, or its address, e.g. 10.0.2.3' });
});
/** An interface name as Linux allows it (IFNAMSIZ 16 with its NUL), never an option to tcpdump. */
export const captureIfaceSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.@][A-Za-z0-9_.@-]{0,14}$/, {
    message: 'an interface name is 1-15 letters, digits or _ . @ - (not starting with -), e.g. eth0, vxlan42 or br-blue',
  });
/**
 * A BPF filter as tcpdump reads it. It travels as one argv word, never through a shell;
 * shell characters are refused all the same, since BPF never needs them.
 */
export const captureFilterSchema = z
  .string()
  .max(512, { message: 'a capture filter may be at most 512 characters' })
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .regex(/^[^\x00-\x1f\x7f-\uffff'"\\$`;|&]*$/, {
    message: 'a capture filter holds printable ASCII without quotes, backslashes, $, `, ;, | or &; write and/or/not, e.g. "udp port 4789 and host 10.0.2.3"',
  });
export const MAX_CAPTURE_COUNT = 1_000_000;
const terminalSize = { cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(500) };

/** Parameters of every request, validated at the boundary. */
export const requestSchemas = {
  'engine.info': z.object({}).strict(),
  'templates.list': z.object({}).strict(),
  'lab.validate': z.object({ text: labText }).strict(),
  'lab.up': z.object({ text: labText, tunnels: z.boolean().optional() }).strict(),
  'lab.down': z.object({ name }).strict(),
  'lab.list': z.object({}).strict(),
  'lab.status': z.object({ name }).strict(),
  'lab.export': z.object({ name }).strict(),
  'lab.inspect': z.object({ name, host: nodeNameSchema }).strict(),
  'lab.doctor': z.object({ name }).strict(),
  /** A terminal into a lab node, or (kind 'machine') a shell on the machine running vxlab. */
  'terminal.open': z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('node'), lab: labNameSchema, node: nodeNameSchema, ...terminalSize }).strict(),
    z.object({ kind: z.literal('machine'), ...terminalSize }).strict(),
  ]),
  'terminal.input': z.object({ id: z.string().min(1).max(64), data: z.string().max(1_000_000) }).strict(),
  'terminal.resize': z.object({ id: z.string().min(1).max(64), ...terminalSize }).strict(),
  /** The renderer has drawn this many characters: flow control releases more. */
  'terminal.ack': z.object({ id: z.string().min(1).max(64), chars: z.number().int().min(0) }).strict(),
  'terminal.close': z.object({ id: z.string().min(1).max(64) }).strict(),
  /** Native dialogs; only the desktop app has them (the browser uses a file picker). */
  'file.open': z.object({}).strict(),
  'file.save': z.object({ text: labText, suggestedName: z.string().max(255) }).strict(),
  /** One ping from a container, followed through every hop there and back (`vxlab trace`). */
  'lab.trace': z.object({ lab: labNameSchema, from: nodeNameSchema, dest: traceDestSchema }).strict(),
  /** A host's VTEP view, then 'tables-changed' events as its kernel learns and forgets. */
  'tables.watch': z.object({ lab: labNameSchema, host: nodeNameSchema }).strict(),
  'tables.unwatch': z.object({ id: z.string().min(1).max(64) }).strict(),
  /** tcpdump in a node; frames come as 'capture-frames' events, the end as 'capture-ended'. */
  'capture.start': z
    .object({
      lab: labNameSchema,
      node: nodeNameSchema,
      iface: captureIfaceSchema.optional(),
      filter: captureFilterSchema.optional(),
      count: z.number().int().min(1).max(MAX_CAPTURE_COUNT).optional(),
    })
    .strict(),
  'capture.stop': z.object({ id: z.string().min(1).max(64) }).strict(),
} as const;

export type Method = keyof typeof requestSchemas;
export type Params<M extends Method> = z.input<(typeof requestSchemas)[M]>;

export interface TemplateInfo {
  file: string;
  name: string;
  title: string;
  description: string;
  text: string;
}

export interface EngineStatus {
  /** Absent when no engine answers; `error` says how to start one. */
  info?: EngineInfo;
  error?: ApiError;
}

/** What each request returns. */
export interface Results {
  'engine.info': EngineStatus;
  'templates.list': TemplateInfo[];
  'lab.validate': { problems: Problem[] };
  'lab.up': UpResult;
  'lab.down': DownResult;
  'lab.list': LabSummary[];
  'lab.status': LabStatus;
  'lab.export': { text: string };
  'lab.inspect': VtepView;
  'lab.doctor': DoctorReport;
  'terminal.open': { id: string; title: string };
  'terminal.input': null;
  'terminal.resize': null;
  'terminal.ack': null;
  'terminal.close': null;
  'file.open': { path: string; text: string } | null;
  'file.save': { path: string } | null;
  'lab.trace': TraceResult;
  'tables.watch': { id: string; view: VtepView };
  'tables.unwatch': null;
  'capture.start': CaptureStarted;
  'capture.stop': null;
}

export type Result<M extends Method> = Results[M];

/** An error as data, so it keeps its meaning across a process boundary. */
export interface ApiError {
  code: string;
  message: string;
  hint?: string;
  /** For 'lab-invalid': the Problem list, each with its path and position. */
  details?: unknown;
}

export type Envelope<T> = { result: T } | { error: ApiError };

export type ApiEvent =
  | { type: 'engine'; lab: string; event: EngineEvent }
  | { type: 'lab-changed'; lab: string }
  /** A lab's nodes changed (its own up/down, or a host started, died or went away); null: nothing of it exists. */
  | { type: 'lab-status'; lab: string; status: LabStatus | null }
  | { type: 'terminal-data'; id: string; data: string }
  | { type: 'terminal-exit'; id: string; exitCode?: number; reason?: string }
  /** A watched host's tables changed: the fresh view and what changed since the last push. */
  | { type: 'tables-changed'; id: string; view: VtepView; changes: TableChange[] }
  /** Frames of a capture, in order, batched (every 50 ms or 500 frames). */
  | { type: 'capture-frames'; id: string; frames: CaptureFrame[] }
  | ({ type: 'capture-ended'; id: string } & CaptureEnd);

/** What a renderer holds: the same shape over IPC and over the WebSocket. */
export interface ApiClient {
  request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>>;
  /** Returns a function that stops the subscription. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** 'desktop' has native dialogs and a window; 'browser' runs in a tab. */
  readonly mode: 'desktop' | 'browser';
}

/** Thrown by clients when a request comes back with an error envelope. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

export function isMethod(value: unknown): value is Method {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(requestSchemas, value);
}

/** `params` checked against `method`'s schema, or the error that names each faulty field. */
export function checkParams<M extends Method>(method: M, params: unknown): { ok: true; params: Params<M> } | { ok: false; error: ApiError } {
  // Absent parameters mean none; null or a list is a malformed request, refused like any other.
  const checked = requestSchemas[method].safeParse(params === undefined ? {} : params);
  if (checked.success) return { ok: true, params: checked.data as Params<M> };
  const issues = checked.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(parameters)'}: ${issue.message}`);
  return { ok: false, error: { code: 'invalid-params', message: `Invalid parameters for ${method}: ${issues.join('; ')}.` } };
}
