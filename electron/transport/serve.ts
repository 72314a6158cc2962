// `vxlab serve`: the desktop app's renderer and API in a browser tab.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, rendererDirectory, templatesDirectory } from '../app-paths.js';
import { VxlabService } from '../api/service.js';
import { LabEngine } from '../engine/lab-engine.js';
import { createTerminalManager } from '../engine/terminals.js';
import { startBrowserServer } from './browser-server.js';
import type { BrowserServer } from './browser-server.js';

export interface ServeOptions {
  port?: number;
  log: (line: string) => void;
}

/** Builds the renderer when this checkout has never built it (a fresh `npm ci`). */
export async function ensureRendererBuilt(log: (line: string) => void): Promise<string> {
  const directory = rendererDirectory();
  if (existsSync(join(directory, 'index.html'))) return directory;
  log('Building the app for the browser (first run only, a few seconds)…');
  const { build } = await import('vite');
  await build({ configFile: join(packageRoot(), 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  return directory;
}

export async function serve(options: ServeOptions): Promise<BrowserServer> {
  const rendererDir = await ensureRendererBuilt(options.log);
  const engine = new LabEngine();
  const terminals = createTerminalManager(engine);
  const service = new VxlabService({ engine, terminals, templatesDirectory: templatesDirectory() });
  return startBrowserServer({ service, rendererDirectory: rendererDir, port: options.port });
}
