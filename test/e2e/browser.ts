// End-to-end tests drive the browser mode (`vxlab serve`) in Debian's Chromium: the
// Electron binary cannot be downloaded here, and the window shows the same renderer.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import type { BrowserServer } from '../../electron/transport/browser-server.js';
import { serve } from '../../electron/transport/serve.js';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const screenshotDirectory = join(repoRoot, 'test', 'artifacts', 'e2e');

const CHROMIUM_CANDIDATES = [process.env.VXLAB_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const found = CHROMIUM_CANDIDATES.find((path): path is string => !!path && existsSync(path));
  if (!found) {
    throw new Error('The end-to-end tests need Chromium: `sudo apt-get install chromium` (scripts/provision.sh does it), or set VXLAB_CHROMIUM.');
  }
  return found;
}

export interface E2eSession {
  server: BrowserServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function startSession(): Promise<E2eSession> {
  const server = await serve({ log: () => {} });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Root in CI has no user namespace sandbox; nothing here reaches the network.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: `http://127.0.0.1:${server.port}` }).catch(() => {});
  const page = await context.newPage();
  return {
    server,
    browser,
    page,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

export async function keepScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDirectory, { recursive: true });
  const path = join(screenshotDirectory, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
