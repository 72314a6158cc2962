// 4. The browser mode refuses a request without the token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { E2eSession } from './browser.js';
import { keepScreenshot, startSession } from './browser.js';

let session: E2eSession;

describe('browser mode: the per-run token', () => {
  beforeAll(async () => {
    session = await startSession();
  });
  afterAll(async () => {
    await session.close();
  });

  it('refuses the page without the token and serves it with the token', async () => {
    const { page, server } = session;
    const refused = await page.goto(`http://127.0.0.1:${server.port}/`);
    expect(refused?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('refuses this request');
    await keepScreenshot(page, 'token-refused');

    const wrong = await page.goto(`http://127.0.0.1:${server.port}/?token=not-the-token`);
    expect(wrong?.status()).toBe(401);

    const served = await page.goto(server.url);
    expect(served?.status()).toBe(200);
  });

  it('refuses an API socket opened without the token, even from the page itself', async () => {
    const { page, server } = session;
    // A fresh context has no token cookie: its socket must be refused.
    const context = await session.browser.newContext();
    const stranger = await context.newPage();
    await stranger.goto(`http://127.0.0.1:${server.port}/`);
    const outcome = await stranger.evaluate(
      (port) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/api`);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      server.port,
    );
    expect(outcome).toBe('refused');
    await context.close();
    await page.goto(server.url);
  });
});
