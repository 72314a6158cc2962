// End-to-end tests drive the browser mode (`vxlab serve`) in Debian's Chromium.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium.js';
import type { BrowserServer } from '../../electron/transport/browser-server.js';
import { serve } from '../../electron/transport/serve.js';
import type { TestTemplate } from '../engine/lab-harness.js';
import { testTemplates } from '../engine/lab-harness.js';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const screenshotDirectory = join(repoRoot, 'test', 'artifacts', 'e2e');

// The app under test shows the gallery a person sees, but of copies with test names and test
// underlays, so launching a template never meets a person's lab of that name or subnet.
// (Importing the harness also keeps the app's state in a folder of the tests' own.)
const gallery = testTemplates();
process.env.VXLAB_TEMPLATES_DIR = gallery.directory;

/** The gallery's copy of a template (by file name), as the app under test offers it. */
export function galleryTemplate(file: string): TestTemplate {
  const template = gallery.templates.get(file);
  if (!template) throw new Error(`the gallery has no template ${file}`);
  return template;
}

export interface E2eSession {
  server: BrowserServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function startSession(): Promise<E2eSession> {
  const server = await serve({ log: () => {} });
  const browser = await launchChromium();
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
