// `npm start`: the desktop app, or where Electron's binary cannot be installed (no
// network, a blocked download) the same app in browser mode, opened in a Chromium app
// window when there is a display. The choice is in start/plan.ts, the steps in start/run.ts.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ElectronCheck } from './start/plan.js';
import { browserCandidates, installFailureReason } from './start/plan.js';
import type { RunningServer } from './start/run.js';
import { runStart } from './start/run.js';

const require = createRequire(import.meta.url);
const electronDirectory = dirname(require.resolve('electron/package.json'));
/** The installer's output is read for one line; a runaway one is cut here. */
const MAX_INSTALL_OUTPUT = 64 * 1024;

/** What the electron package itself checks before it hands out the binary's path. */
function electronInstalled(): boolean {
  try {
    const binary = readFileSync(join(electronDirectory, 'path.txt'), 'utf8');
    return existsSync(process.env.ELECTRON_OVERRIDE_DIST_PATH ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, binary) : join(electronDirectory, 'dist', binary));
  } catch {
    return false;
  }
}

function installElectron(): Promise<ElectronCheck> {
  if (electronInstalled()) return Promise.resolve({ ready: true });
  process.stderr.write("vxlab: downloading Electron's binary (kept once it is here)…\n");
  return new Promise((resolve) => {
    const installer = spawn(process.execPath, [join(electronDirectory, 'install.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      if (output.length < MAX_INSTALL_OUTPUT) output += chunk.toString('utf8');
    };
    installer.stdout.on('data', keep);
    installer.stderr.on('data', keep);
    installer.on('error', (error) => resolve({ ready: false, reason: error.message }));
    installer.on('close', (code) => {
      if (code === 0 && electronInstalled()) resolve({ ready: true });
      else if (code === 0) resolve({ ready: false, reason: process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ? 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' : 'the installer left no binary' });
      else resolve({ ready: false, reason: installFailureReason(output, code) });
    });
  });
}

function runDesktop(): Promise<number> {
  const electronVite = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [electronVite, 'dev'], { stdio: 'inherit' });
    child.on('error', (error) => {
      process.stderr.write(`vxlab: the desktop app did not start: ${error.message}\n`);
      resolve(1);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function serveBrowser(): Promise<RunningServer> {
  const { serve } = await import('../electron/transport/serve.js');
  const server = await serve({ log: (line) => process.stderr.write(line + '\n') });
  const stopped = new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve, resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return { url: server.url, stopped };
}

function findBrowser(): string | undefined {
  return browserCandidates(process.env, process.platform).find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function openWindow(browser: string, args: string[], failed: (message: string) => void): void {
  // The window outlives nothing of ours: Ctrl-C stops the server, the window is the person's to close.
  const child = spawn(browser, args, { stdio: 'ignore', detached: true });
  child.on('error', (error) => failed(error.message));
  child.unref();
}

process.exitCode = await runStart({
  platform: process.platform,
  env: process.env,
  installElectron,
  runDesktop,
  serveBrowser,
  findBrowser,
  openWindow,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
