// The renderer's one client of the API contract: over the preload bridge in the
// desktop app, over a WebSocket in the browser mode. Both unwrap {result}|{error}.
import type { ApiClient, ApiEvent, Envelope, Method, Params, Result } from '../../../electron/api/contract';
import { ApiRequestError } from '../../../electron/api/contract';

/** What electron/preload.ts exposes on `window.vxlab`. */
export interface PreloadBridge {
  request(method: string, params: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

declare global {
  interface Window {
    vxlab?: PreloadBridge;
  }
}

function unwrap<T>(envelope: Envelope<unknown>): T {
  if ('error' in envelope) throw new ApiRequestError(envelope.error);
  return envelope.result as T;
}

export function createDesktopClient(bridge: PreloadBridge): ApiClient {
  return {
    mode: 'desktop',
    request: async <M extends Method>(method: M, params: Params<M>) => unwrap<Result<M>>(await bridge.request(method, params)),
    onEvent: (listener) => bridge.onEvent(listener),
  };
}

/** The browser mode: the token travels in an HttpOnly cookie set when the page loaded. */
export function createWebSocketClient(url = defaultSocketUrl()): ApiClient {
  const listeners = new Set<(event: ApiEvent) => void>();
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let opened: Promise<WebSocket> | undefined;

  const connect = (): Promise<WebSocket> => {
    if (opened && socket && socket.readyState <= WebSocket.OPEN) return opened;
    opened = new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      socket = ws;
      ws.onopen = () => resolve(ws);
      ws.onerror = () => reject(new ApiRequestError({ code: 'disconnected', message: 'The vxlab server does not answer. Is `vxlab serve` still running?' }));
      ws.onclose = (closed) => {
        // The server says why it closed (e.g. too many connections): pass that on.
        const why = closed.reason ? `: ${closed.reason}` : '.';
        for (const request of pending.values()) {
          request.reject(new ApiRequestError({ code: 'disconnected', message: `The connection to \`vxlab serve\` closed${why}` }));
        }
        pending.clear();
        opened = undefined;
      };
      ws.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as { id?: number; event?: ApiEvent } & Partial<Envelope<unknown>>;
        if (data.event) {
          for (const listener of listeners) listener(data.event);
          return;
        }
        const request = typeof data.id === 'number' ? pending.get(data.id) : undefined;
        if (!request || data.id === undefined) return;
        pending.delete(data.id);
        try {
          request.resolve(unwrap(data as Envelope<unknown>));
        } catch (error) {
          request.reject(error);
        }
      };
    });
    return opened;
  };

  return {
    mode: 'browser',
    request: async <M extends Method>(method: M, params: Params<M>) => {
      const ws = await connect();
      const id = nextId++;
      return new Promise<Result<M>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        ws.send(JSON.stringify({ id, method, params }));
      });
    },
    onEvent: (listener) => {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
  };
}

function defaultSocketUrl(): string {
  return `ws://${window.location.host}/api`;
}

export function createClient(): ApiClient {
  return window.vxlab ? createDesktopClient(window.vxlab) : createWebSocketClient();
}
