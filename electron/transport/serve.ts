// `vxlab serve`: the desktop app's renderer and API in a browser tab.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, rendererDirectory, templatesDirectory } from '../app-paths.js';
import { VxlabService } from '../api/service.js';
import { LabEngine } from '../engine/lab-engine.js';
import { createTerminalManager } from '../engine/terminals.js';
import { startBrowserServer } from './browser-server.js';
import { logUnhandledRejections } from './process-guard.js';
import type { BrowserServer } from './browser-server.js';

export interface ServeOptions {
  port?: number;
  log: (line: string) => void;
}

/**
 * Builds the renderer when this checkout has never built it (a fresh `npm ci`) or its
 * sources changed since (a `git pull`). A packaged app has no sources: it uses its build.
 */
export async function ensureRendererBuilt(log: (line: string) => void): Promise<string> {
  const directory = rendererDirectory();
  const index = join(directory, 'index.html');
  const root = packageRoot();
  const sources = [join(root, 'renderer'), join(root, 'electron', 'lab'), join(root, 'electron', 'api')];
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (built > 0 && newestChange(sources) <= built) return directory;
  log(built ? 'The app changed since its last build: building it again…' : 'Building the app for the browser (first run only, a few seconds)…');
  const { build } = await import('vite');
  await build({ configFile: join(packageRoot(), 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  return directory;
}

function newestChange(paths: string[]): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const info = statSync(path);
    if (info.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules') visit(join(path, entry));
    } else newest = Math.max(newest, info.mtimeMs);
  };
  paths.forEach(visit);
  return newest;
}

export async function serve(options: ServeOptions): Promise<BrowserServer> {
  logUnhandledRejections(options.log);
  const rendererDir = await ensureRendererBuilt(options.log);
  const engine = new LabEngine();
  const terminals = createTerminalManager(engine);
  const service = new VxlabService({ engine, terminals, templatesDirectory: templatesDirectory(), holder: `vxlab serve (pid ${process.pid})` });
  return startBrowserServer({ service, rendererDirectory: rendererDir, port: options.port });
}
