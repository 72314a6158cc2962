// The browser mode hands out root shells: without this run's token, or from another
// Host or Origin, nothing is served and no socket opens.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { VxlabService } from '../../electron/api/service.js';
import type { LabEngine } from '../../electron/engine/lab-engine.js';
import type { TerminalManager } from '../../electron/engine/terminals.js';
import type { BrowserServer } from '../../electron/transport/browser-server.js';
import { startBrowserServer } from '../../electron/transport/browser-server.js';

const rendererDirectory = mkdtempSync(join(tmpdir(), 'vxlab-renderer-'));
writeFileSync(join(rendererDirectory, 'index.html'), '<!doctype html><title>vxlab</title>');
let server: BrowserServer;

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(query: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function ask(ws: WebSocket, message: object): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    ws.send(JSON.stringify(message));
  });
}

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
