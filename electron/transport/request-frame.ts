// One WebSocket frame of the browser mode, read as a request. Frames come from outside
// the process: anything that is not `{id?, method, params?}` (null, a number, a list, a
// string, binary, an `id` that is an object, `params` that are null or a list) is
// answered with an error naming what is wrong, and never reaches the service.
import type { ApiError } from '../api/contract.js';

/** What a reply echoes: ids longer than this, or of another type, are not echoed. */
export const MAX_ID_LENGTH = 64;

export type RequestId = number | string | null;

export type RequestFrame =
  | { ok: true; id: RequestId; method: string; params: Record<string, unknown> | undefined }
  | { ok: false; id: RequestId; error: ApiError };

const SHAPE_HINT = 'Send a JSON object {"id": 1, "method": "lab.list", "params": {}} in a text frame.';

export function readRequestFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): RequestFrame {
  if (isBinary) return invalid(null, 'This frame is binary; requests are text frames holding JSON.');
  let message: unknown;
  try {
    message = JSON.parse(frameText(data));
  } catch {
    return invalid(null, 'This frame is not JSON.');
  }
  if (!isPlainObject(message)) {
    return invalid(null, `A request is a JSON object; this frame holds ${describeJson(message)}.`);
  }
  const id = message.id;
  if (id !== undefined && !isValidId(id)) {
    return invalid(null, `id must be a number or a string of at most ${MAX_ID_LENGTH} characters; this one is ${describeJson(id)}.`);
  }
  const echoed: RequestId = id === undefined ? null : (id as number | string);
  if (typeof message.method !== 'string') {
    return invalid(echoed, `method must be a string naming a request; this one is ${describeJson(message.method)}.`);
  }
  const params = message.params;
  if (params !== undefined && !isPlainObject(params)) {
    return {
      ok: false,
      id: echoed,
      error: {
        code: 'invalid-params',
        message: `Invalid parameters for ${message.method.slice(0, 60)}: params must be an object (or left out); these are ${describeJson(params)}.`,
        hint: SHAPE_HINT,
      },
    };
  }
  return { ok: true, id: echoed, method: message.method, params };
}

function invalid(id: RequestId, message: string): RequestFrame {
  return { ok: false, id, error: { code: 'invalid-message', message, hint: SHAPE_HINT } };
}

function frameText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function isValidId(id: unknown): boolean {
  return (typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.length <= MAX_ID_LENGTH);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What kind of JSON value it is, never the value itself (it may be huge or hostile). */
function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
