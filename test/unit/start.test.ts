// `npm start` without a downloadable Electron: one clear line, then the browser mode
// and its address, in a Chromium app window where there is a display.
import { describe, expect, it } from 'vitest';
import { appWindowArgs, browserCandidates, chooseStart, hasDisplay, installFailureReason } from '../../scripts/start/plan.js';
import type { StartEffects } from '../../scripts/start/run.js';
import { runStart } from '../../scripts/start/run.js';

// What Electron's installer printed here, with no route to github.com (Electron 41 and 45).
const GOT_FAILURE = `RequestError: getaddrinfo ENOTFOUND github.com
    at ClientRequest.<anonymous> (/work/main/node_modules/got/dist/source/core/index.js:970:111)
    at Object.onceWrapper (node:events:639:26)
`;
const FETCH_FAILURE = `TypeError: fetch failed
    at node:internal/deps/undici/undici:14976:13
    at async FetchDownloader.download (file:///work/main/node_modules/@electron/get/dist/FetchDownloader.js:46:30)
`;
const URL = 'http://127.0.0.1:40123/?token=abc';

interface Recorded {
  out: string;
  err: string;
  desktop: number;
  served: number;
  windows: { browser: string; args: string[] }[];
}

function fakeEffects(options: { electron: { ready: boolean; reason?: string }; env?: Record<string, string | undefined>; browser?: string; windowFails?: string }) {
  const recorded: Recorded = { out: '', err: '', desktop: 0, served: 0, windows: [] };
  const effects: StartEffects = {
    platform: 'linux',
    env: options.env ?? {},
    installElectron: async () => options.electron,
    runDesktop: async () => {
      recorded.desktop++;
      return 0;
    },
    serveBrowser: async () => {
      recorded.served++;
      return { url: URL, stopped: Promise.resolve() };
    },
    findBrowser: () => options.browser,
    openWindow: (browser, args, failed) => {
      recorded.windows.push({ browser, args });
      if (options.windowFails) failed(options.windowFails);
    },
    out: (text) => void (recorded.out += text),
    err: (text) => void (recorded.err += text),
  };
  return { effects, recorded };
}

describe('npm start', () => {
  it('starts the desktop app where Electron is installed or downloads', async () => {
    const { effects, recorded } = fakeEffects({ electron: { ready: true }, env: { DISPLAY: ':0' }, browser: '/usr/bin/chromium' });
    expect(await runStart(effects)).toBe(0);
    expect(recorded).toMatchObject({ desktop: 1, served: 0, windows: [], out: '', err: '' });
  });

  it('says in one line that Electron could not be downloaded, then serves the browser mode and prints its address', async () => {
    const reason = installFailureReason(GOT_FAILURE, 1);
    const { effects, recorded } = fakeEffects({ electron: { ready: false, reason } });
    expect(await runStart(effects)).toBe(0);
    expect(recorded.desktop).toBe(0);
    expect(recorded.served).toBe(1);
    expect(recorded.err.trimEnd().split('\n')).toEqual([
      "vxlab: Electron's binary could not be downloaded from github.com (getaddrinfo ENOTFOUND github.com), so the app starts in browser mode; npm start tries the download again next time.",
    ]);
    expect(recorded.out).toContain(`\n  ${URL}\n`);
    expect(recorded.out).not.toMatch(/\bat /);
  });

  it('opens the address in a Chromium app window where there is a display', async () => {
    for (const env of [{ DISPLAY: ':0' }, { WAYLAND_DISPLAY: 'wayland-0' }]) {
      const { effects, recorded } = fakeEffects({ electron: { ready: false, reason: 'fetch failed' }, env, browser: '/usr/bin/chromium' });
      await runStart(effects);
      expect(recorded.windows).toEqual([{ browser: '/usr/bin/chromium', args: [`--app=${URL}`] }]);
    }
  });

  it('opens no window without a display, or without a Chromium', async () => {
    const headless = fakeEffects({ electron: { ready: false, reason: 'fetch failed' }, env: {}, browser: '/usr/bin/chromium' });
    await runStart(headless.effects);
    expect(headless.recorded.windows).toEqual([]);
    const noBrowser = fakeEffects({ electron: { ready: false, reason: 'fetch failed' }, env: { DISPLAY: ':0' } });
    await runStart(noBrowser.effects);
    expect(noBrowser.recorded.windows).toEqual([]);
    expect(noBrowser.recorded.served).toBe(1);
  });

  it('says in one line when the browser mode cannot start either, and fails', async () => {
    const { effects, recorded } = fakeEffects({ electron: { ready: false, reason: 'fetch failed' } });
    effects.serveBrowser = async () => {
      throw new Error('listen EADDRINUSE: address already in use 127.0.0.1:8080');
    };
    expect(await runStart(effects)).toBe(1);
    expect(recorded.err.trimEnd().split('\n')).toHaveLength(2);
    expect(recorded.err).toContain('vxlab: the browser mode did not start either: listen EADDRINUSE');
  });

  it('says so when the browser does not start, and keeps serving', async () => {
    const { effects, recorded } = fakeEffects({ electron: { ready: false, reason: 'fetch failed' }, env: { DISPLAY: ':0' }, browser: '/opt/chrome', windowFails: 'spawn /opt/chrome EACCES' });
    await runStart(effects);
    expect(recorded.err).toContain('/opt/chrome did not start (spawn /opt/chrome EACCES); open the address above in a browser.');
    expect(recorded.out).toContain(URL);
  });
});

describe('the start plan', () => {
  it('reads one line of the installer output, without the stack, the class or control characters', () => {
    expect(installFailureReason(GOT_FAILURE, 1)).toBe('getaddrinfo ENOTFOUND github.com');
    expect(installFailureReason(FETCH_FAILURE, 1)).toBe('fetch failed');
    expect(installFailureReason('\n\nHTTPError: Response code 404 (Not Found)\n', 1)).toBe('Response code 404 (Not Found)');
    expect(installFailureReason('Error: \u001b[2Jboom\u0007', 1)).toBe('?[2Jboom?');
    expect(installFailureReason('x'.repeat(5_000), 1)).toHaveLength(201);
    expect(installFailureReason('', 7)).toBe('the installer exited with code 7');
    expect(installFailureReason('', null)).toBe('the installer was stopped');
  });

  it('has a display on macOS and Windows, elsewhere only with X11 or Wayland', () => {
    expect(hasDisplay('linux', {})).toBe(false);
    expect(hasDisplay('linux', { DISPLAY: '' })).toBe(false);
    expect(hasDisplay('linux', { DISPLAY: ':1' })).toBe(true);
    expect(hasDisplay('freebsd', { WAYLAND_DISPLAY: 'wayland-1' })).toBe(true);
    expect(hasDisplay('darwin', {})).toBe(true);
    expect(hasDisplay('win32', {})).toBe(true);
  });

  it('names the mirror the download came from, when one is set', () => {
    const plan = chooseStart({ platform: 'linux', env: { ELECTRON_MIRROR: 'http://127.0.0.1:9/electron/' }, electron: { ready: false, reason: 'fetch failed' } });
    expect(plan).toEqual({ mode: 'browser', why: expect.stringContaining('could not be downloaded from 127.0.0.1:9 (fetch failed)') });
  });

  it('never opens a window when the desktop app runs', () => {
    expect(chooseStart({ platform: 'linux', env: { DISPLAY: ':0' }, electron: { ready: true }, browser: '/usr/bin/chromium' })).toEqual({ mode: 'desktop' });
  });

  it('looks for Chromium where VXLAB_CHROMIUM says first, then on PATH', () => {
    expect(browserCandidates({ VXLAB_CHROMIUM: '/opt/c/chrome', PATH: '/usr/local/bin:/usr/bin' }, 'linux').slice(0, 3)).toEqual([
      '/opt/c/chrome',
      '/usr/local/bin/chromium',
      '/usr/local/bin/chromium-browser',
    ]);
    expect(browserCandidates({ PATH: '' }, 'linux')).toEqual([]);
    expect(appWindowArgs(URL)).toEqual([`--app=${URL}`]);
  });
});
