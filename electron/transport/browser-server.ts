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
import type { VxlabService } from '../api/service.js';
import { contentSecurityPolicy } from './content-security.js';
import { contentTypeOf, fileInside } from './static-files.js';

export const TOKEN_COOKIE = 'vxlab_token';
/** Large enough for any lab file, small enough that one message cannot exhaust memory. */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface BrowserServerOptions {
  service: VxlabService;
  rendererDirectory: string;
  port?: number;
  token?: string;
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
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const authorised = (request: IncomingMessage): boolean => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const offered = url.searchParams.get('token') ?? readCookie(request.headers.cookie, TOKEN_COOKIE);
    return offered !== undefined && sameSecret(offered, token) && allowedHosts().has(request.headers.host ?? '');
  };

  server.on('request', (request, response) => {
    if (!authorised(request)) return refuse(response);
    void serveFile(options.rendererDirectory, request, response, token, port).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const origin = request.headers.origin;
    const originOk = origin !== undefined && [...allowedHosts()].some((host) => origin === `http://${host}`);
    if (url.pathname !== '/api' || !authorised(request) || !originOk) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => attachSession(options.service, ws));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
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

function attachSession(service: VxlabService, ws: WebSocket): void {
  const session = service.connect((event) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event }));
  });
  ws.on('message', (raw) => {
    let message: { id?: unknown; method?: unknown; params?: unknown };
    try {
      message = JSON.parse(raw.toString());
    } catch {
      ws.send(JSON.stringify({ id: null, error: { code: 'invalid-message', message: 'Messages must be JSON.' } }));
      return;
    }
    const id = typeof message.id === 'number' || typeof message.id === 'string' ? message.id : null;
    void session.handle(message.method, message.params).then((envelope) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, ...envelope }));
    });
  });
  ws.on('close', () => session.dispose());
  ws.on('error', () => session.dispose());
}

function refuse(response: ServerResponse): void {
  response.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end('vxlab refuses this request: open the address with the token that `vxlab serve` printed.\n');
}

async function serveFile(root: string, request: IncomingMessage, response: ServerResponse, token: string, port: number): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405).end();
    return;
  }
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
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
