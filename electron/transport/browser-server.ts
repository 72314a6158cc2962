// The browser mode: the renderer's files and the API over a WebSocket, on 127.0.0.1
// only, behind a per-run token. The app hands out root shells, so every request and
// connection without the token is refused, and so is any other Host or Origin (which
// would be a DNS-rebinding or cross-site attempt).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { ApiError } from '../api/contract.js';
import type { VxlabService } from '../api/service.js';
import { contentSecurityPolicy } from './content-security.js';
import { readRequestFrame } from './request-frame.js';
import type { RequestId } from './request-frame.js';
import { contentTypeOf, fileInside } from './static-files.js';

export const TOKEN_COOKIE = 'vxlab_token';
/** Large enough for any lab file, small enough that one message cannot exhaust memory. */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Each connection is a window with its own terminals: a person needs a few, a runaway script gets no more than this. */
export const MAX_CONNECTIONS = 16;
/** Requests one connection may have running at once: bounds the work a flood of requests can queue. */
export const MAX_PENDING_REQUESTS = 64;
/** The WebSocket close code for "try again later" (RFC 6455 registry). */
const TRY_AGAIN_LATER = 1013;

export interface BrowserServerOptions {
  service: VxlabService;
  rendererDirectory: string;
  port?: number;
  token?: string;
  /** Overrides MAX_CONNECTIONS (tests). */
  maxConnections?: number;
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const server = createServer();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  let connections = 0;
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const authorised = (request: IncomingMessage, url: URL): boolean => {
    const offered = url.searchParams.get('token') ?? readCookie(request.headers.cookie, TOKEN_COOKIE);
    return offered !== undefined && sameSecret(offered, token) && allowedHosts().has(request.headers.host ?? '');
  };

  server.on('request', (request, response) => {
    const url = requestUrl(request);
    if (!url) return void response.writeHead(400).end();
    if (!authorised(request, url)) return refuse(response);
    void serveFile(options.rendererDirectory, request, response, url, token, port).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  server.on('upgrade', (request, socket, head) => {
    socket.on('error', ignore); // a peer that resets mid-handshake is no reason to fall over
    const url = requestUrl(request);
    const origin = request.headers.origin;
    const originOk = origin !== undefined && [...allowedHosts()].some((host) => origin === `http://${host}`);
    if (!url || url.pathname !== '/api' || !authorised(request, url) || !originOk) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', ignore);
      if (connections >= maxConnections) {
        ws.close(TRY_AGAIN_LATER, `vxlab serve allows ${maxConnections} connections at once: close another vxlab tab, then reload.`);
        return;
      }
      connections += 1;
      ws.once('close', () => (connections -= 1));
      attachSession(options.service, ws);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', ignore); // after listening, a failed accept (too many open files) must not end the process
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * One window's session over one socket. Every frame is answered, whatever it holds:
 * a request with its envelope, anything else with an error; nothing a peer sends can
 * throw out of here or leave a promise unhandled.
 */
function attachSession(service: VxlabService, ws: WebSocket): void {
  const session = service.connect((event) => send(ws, { event }));
  let pending = 0;
  ws.on('message', (data, isBinary) => {
    try {
      const frame = readRequestFrame(data, isBinary);
      if (!frame.ok) return send(ws, { id: frame.id, error: frame.error });
      if (pending >= MAX_PENDING_REQUESTS) {
        return send(ws, {
          id: frame.id,
          error: {
            code: 'limit-reached',
            message: `This connection already has ${MAX_PENDING_REQUESTS} requests waiting for their answers.`,
            hint: 'Wait for some to finish, then send this one again.',
          },
        });
      }
      pending += 1;
      answer(ws, frame.id, () => session.handle(frame.method, frame.params)).finally(() => (pending -= 1));
    } catch (error) {
      send(ws, { id: null, error: internalError(error) });
    }
  });
  ws.on('close', () => session.dispose());
  ws.on('error', () => session.dispose());
}

/** Runs a request and sends its envelope; a handler that throws or rejects is answered with an error. */
async function answer(ws: WebSocket, id: RequestId, work: () => Promise<object>): Promise<void> {
  let envelope: object;
  try {
    envelope = await work();
  } catch (error) {
    envelope = { error: internalError(error) };
  }
  send(ws, { id, ...envelope });
}

/** Sends if the socket is still open; a result that cannot be serialized is answered with an error. */
function send(ws: WebSocket, message: { id?: RequestId; [key: string]: unknown }): void {
  if (ws.readyState !== ws.OPEN) return;
  let text: string;
  try {
    text = JSON.stringify(message);
  } catch (error) {
    text = JSON.stringify({ id: message.id ?? null, error: internalError(error) });
  }
  try {
    ws.send(text, ignore); // the callback takes any write error: the close handler cleans up
  } catch {
    // Closing under our feet: nothing to tell.
  }
}

function internalError(error: unknown): ApiError {
  return { code: 'internal', message: `vxlab failed to answer: ${error instanceof Error ? error.message : String(error)}` };
}

function ignore(): void {}

function refuse(response: ServerResponse): void {
  response.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end('vxlab refuses this request: open the address with the token that `vxlab serve` printed.\n');
}

/** The request's address; undefined when it is not one (`GET //[ HTTP/1.1` must not throw out of a listener). */
function requestUrl(request: IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? '/', 'http://127.0.0.1');
  } catch {
    return undefined;
  }
}

async function serveFile(root: string, request: IncomingMessage, response: ServerResponse, url: URL, token: string, port: number): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405).end();
    return;
  }
  const path = fileInside(root, url.pathname);
  if (!path) {
    response.writeHead(404).end();
    return;
  }
  let file = path;
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
  } catch {
    file = join(root, 'index.html'); // client-side routes fall back to the app
  }
  const body = await readFile(file);
  const headers: Record<string, string> = {
    'Content-Type': contentTypeOf(file),
    'Content-Security-Policy': contentSecurityPolicy({ connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  };
  // The token came in the address: keep it in a cookie the page's script cannot read,
  // so the app's requests and its WebSocket carry it without it living in the page.
  if (url.searchParams.has('token')) {
    headers['Set-Cookie'] = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
  }
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function sameSecret(offered: string, expected: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
