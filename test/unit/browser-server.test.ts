// The browser mode hands out root shells: without this run's token, or from another
// Host or Origin, nothing is served and no socket opens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VxlabService } from '../../electron/api/service.js';
import type { LabEngine } from '../../electron/engine/lab-engine.js';
import type { TerminalManager } from '../../electron/engine/terminals.js';
import { createTerminalManager } from '../../electron/engine/terminals.js';
import type { BrowserServer } from '../../electron/transport/browser-server.js';
import { MAX_PENDING_REQUESTS, startBrowserServer } from '../../electron/transport/browser-server.js';
import * as client from './browser-server-helpers.js';
import { quietPty } from './terminal-fakes.js';

const rendererDirectory = client.fakeRendererDirectory();
let server: BrowserServer;
const get = (path: string, headers?: Record<string, string>) => client.get(server, path, headers);
const openSocket = (query: string, headers: Record<string, string>) => client.openSocket(server, query, headers);
const { ask } = client;

describe('vxlab serve: the browser mode behind a per-run token', () => {
  beforeAll(async () => {
    const service = new VxlabService({
      engine: {} as LabEngine, // these tests never reach the engine
      terminals: { closeAllFor: () => {} } as unknown as TerminalManager,
      templatesDirectory: rendererDirectory,
    });
    server = await startBrowserServer({ service, rendererDirectory });
  });
  afterAll(async () => {
    await server.close();
  });

  it('listens on 127.0.0.1 and prints an address that carries a long random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('refuses a page request without the token, or with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/index.html', { Cookie: 'vxlab_token=wrong' })).status).toBe(401);
  });

  it('serves the app with the token, sets it as an HttpOnly cookie and sends a strict CSP', async () => {
    const page = await get(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(String(page.headers['set-cookie'])).toMatch(/vxlab_token=.+; HttpOnly; SameSite=Strict/);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(page.headers['content-security-policy'])).not.toContain('unsafe-eval');
    const asset = await get('/index.html', { Cookie: `vxlab_token=${server.token}` });
    expect(asset.status).toBe(200);
  });

  it('serves nothing outside the renderer folder, however the path is written', async () => {
    const cookie = { Cookie: `vxlab_token=${server.token}` };
    for (const path of ['/../../../../etc/passwd', '/..%2f..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd']) {
      const answer = await get(path, cookie);
      expect(answer.body).not.toContain('root:');
    }
  });

  it('answers a request line that is no address with 400, and goes on serving', async () => {
    for (const upgrade of [false, true]) {
      const headers = upgrade ? 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' : '';
      const answer = await client.rawRequest(server, `GET //[ HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n${headers}\r\n`);
      expect(answer).toMatch(upgrade ? /^HTTP\/1\.1 401 / : /^HTTP\/1\.1 400 /);
    }
    expect((await get(`/?token=${server.token}`)).status).toBe(200);
  });

  it('refuses a request whose Host is not loopback, token or not (DNS rebinding)', async () => {
    const rebinding = await get(`/?token=${server.token}`, { Host: `evil.example:${server.port}` });
    expect(rebinding.status).toBe(401);
  });

  it('refuses a WebSocket without the token or from another origin', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    await expect(openSocket('', { Origin: origin })).rejects.toThrow(/401/);
    await expect(openSocket(`?token=${server.token}`, { Origin: 'http://evil.example' })).rejects.toThrow(/401/);
    await expect(openSocket(`?token=${server.token}`, {})).rejects.toThrow(/401/);
  });

  it('answers requests with an envelope once connected, and checks every payload', async () => {
    const ws = await openSocket('', { Origin: `http://127.0.0.1:${server.port}`, Cookie: `vxlab_token=${server.token}` });
    try {
      const valid = await ask(ws, { id: 1, method: 'lab.validate', params: { text: 'version: 1\n' } });
      expect(valid.id).toBe(1);
      expect((valid.result as { problems: unknown[] }).problems.length).toBeGreaterThan(0);
      const bad = await ask(ws, { id: 2, method: 'lab.down', params: { name: 42 } });
      expect(bad).toMatchObject({ id: 2, error: { code: 'invalid-params' } });
      const unknown = await ask(ws, { id: 3, method: 'shell.exec', params: {} });
      expect(unknown).toMatchObject({ id: 3, error: { code: 'unknown-method' } });
    } finally {
      ws.close();
    }
  });
});

describe('vxlab serve: limits with clear errors', () => {
  let limited: BrowserServer;
  beforeAll(async () => {
    const engine = {
      status: () => new Promise(() => {}), // a request that never ends
      list: () => {
        throw new Error('the engine broke');
      },
      exportLab: async () => ({ size: 1n }), // a result JSON cannot carry
    } as unknown as LabEngine;
    const terminals = createTerminalManager(engine, { loadPty: async () => quietPty, limits: { perWindow: 2, total: 3 } });
    const service = new VxlabService({ engine, terminals, templatesDirectory: rendererDirectory });
    limited = await startBrowserServer({ service, rendererDirectory, maxConnections: 2 });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('closes a connection beyond the limit saying why; the others go on, and a freed place is taken again', async () => {
    const first = await client.openAppSocket(limited);
    const second = await client.openAppSocket(limited);
    const third = await client.openAppSocket(limited);
    expect(await client.closed(third)).toEqual({
      code: 1013,
      reason: 'vxlab serve allows 2 connections at once: close another vxlab tab, then reload.',
    });
    expect(await ask(second, { id: 1, method: 'lab.validate', params: { text: 'version: 1\n' } })).toHaveProperty('result');
    first.close();
    await client.closed(first);
    const again = await client.openAppSocket(limited);
    expect(await ask(again, { id: 2, method: 'lab.validate', params: { text: 'version: 1\n' } })).toHaveProperty('result');
    again.close();
    second.close();
    await Promise.all([client.closed(again), client.closed(second)]);
  });

  it('refuses terminals beyond the per-connection and overall limits with a clear error', async () => {
    const a = await client.openAppSocket(limited);
    const b = await client.openAppSocket(limited);
    const shell = { method: 'terminal.open', params: { kind: 'machine', cols: 80, rows: 24 } };
    expect(await ask(a, { id: 1, ...shell })).toHaveProperty('result.title', 'Machine shell');
    expect(await ask(a, { id: 2, ...shell })).toHaveProperty('result.title', 'Machine shell');
    expect(await ask(a, { id: 3, ...shell })).toMatchObject({
      id: 3,
      error: { code: 'limit-reached', message: 'This window already has 2 terminals open, the most one window may have.' },
    });
    expect(await ask(b, { id: 1, ...shell })).toHaveProperty('result');
    expect(await ask(b, { id: 2, ...shell })).toMatchObject({
      error: { code: 'limit-reached', message: 'vxlab already runs 3 terminals, the most it allows at once.' },
    });
    // A connection that goes away closes its terminals and frees their places.
    a.close();
    await client.closed(a);
    expect(await ask(b, { id: 3, ...shell })).toHaveProperty('result');
    b.close();
    await client.closed(b);
  });

  it('a handler that throws, or returns what JSON cannot carry, is answered with an error', async () => {
    const ws = await client.openAppSocket(limited);
    expect(await ask(ws, { id: 1, method: 'lab.list', params: {} })).toEqual({ id: 1, error: { code: 'internal', message: 'the engine broke' } });
    expect(await ask(ws, { id: 2, method: 'lab.export', params: { name: 'x' } })).toMatchObject({
      id: 2,
      error: { code: 'internal', message: expect.stringMatching(/^vxlab failed to answer: .*BigInt/) },
    });
    expect(await ask(ws, { id: 3, method: 'lab.validate', params: { text: 'version: 1\n' } })).toHaveProperty('result');
    ws.close();
    await client.closed(ws);
  });

  it('refuses requests beyond those one connection may have running, and answers again once they end', async () => {
    const ws = await client.openAppSocket(limited);
    for (let id = 1; id <= MAX_PENDING_REQUESTS; id++) ws.send(JSON.stringify({ id, method: 'lab.status', params: { name: 'x' } }));
    expect(await ask(ws, { id: 'one more', method: 'lab.validate', params: { text: '' } })).toMatchObject({
      error: { code: 'limit-reached', message: `This connection already has ${MAX_PENDING_REQUESTS} requests waiting for their answers.` },
    });
    ws.close();
    await client.closed(ws);
  });
});
