// What `npm start` does on this machine: the desktop app where Electron's binary is in
// place (or downloads), otherwise the browser mode, in a Chromium app window when
// there is a display and a Chromium to draw it. Pure: the facts come from start.ts.

export interface ElectronCheck {
  ready: boolean;
  /** Why the binary is not there, in a few words ("getaddrinfo ENOTFOUND github.com"). */
  reason?: string;
}

export interface StartFacts {
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
  electron: ElectronCheck;
  /** A Chromium or Chrome found on this machine. */
  browser?: string;
}

export type StartPlan =
  | { mode: 'desktop' }
  | {
      mode: 'browser';
      /** The one line that says why the desktop app does not start. */
      why: string;
      /** Opens the address in an app window of this browser; none without a display or a browser. */
      openWith?: string;
    };

export function chooseStart(facts: StartFacts): StartPlan {
  if (facts.electron.ready) return { mode: 'desktop' };
  const why =
    `Electron's binary could not be downloaded from ${downloadSource(facts.env)} (${facts.electron.reason ?? 'no reason given'}), ` +
    'so the app starts in browser mode; npm start tries the download again next time.';
  const openWith = hasDisplay(facts.platform, facts.env) ? facts.browser : undefined;
  return openWith ? { mode: 'browser', why, openWith } : { mode: 'browser', why };
}

/** Where Electron's installer downloads from: a mirror the person set, or GitHub's releases. */
function downloadSource(env: StartFacts['env']): string {
  const mirror = env.ELECTRON_MIRROR || env.npm_config_electron_mirror;
  if (!mirror) return 'github.com';
  try {
    return new URL(mirror).host || mirror;
  } catch {
    return mirror;
  }
}

/** macOS and Windows always have one; elsewhere a window needs X11 or Wayland. */
export function hasDisplay(platform: string, env: StartFacts['env']): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return !!env.DISPLAY || !!env.WAYLAND_DISPLAY;
}

/** Chromium's app mode: the page in a window of its own, without tabs or address bar. */
export function appWindowArgs(url: string): string[] {
  return [`--app=${url}`];
}

/** Where to look for a Chromium, first match wins: VXLAB_CHROMIUM, then names on PATH, then the usual places. */
export function browserCandidates(env: StartFacts['env'], platform: string): string[] {
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  const separator = platform === 'win32' ? ';' : ':';
  const onPath = (env.PATH ?? '')
    .split(separator)
    .filter((directory) => directory !== '')
    .flatMap((directory) => names.map((name) => `${directory}/${name}`));
  const macApps = platform === 'darwin' ? ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'] : [];
  return [...(env.VXLAB_CHROMIUM ? [env.VXLAB_CHROMIUM] : []), ...onPath, ...macApps];
}

const MAX_REASON = 200;

/**
 * The few words of Electron's installer output that say why it failed. The installer
 * prints a whole stack ("RequestError: getaddrinfo ENOTFOUND github.com\n    at …");
 * only its first line, without the error's class, is worth a person's attention.
 */
export function installFailureReason(output: string, exitCode: number | null): string {
  const first = output
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('at '));
  if (!first) return exitCode === null ? 'the installer was stopped' : `the installer exited with code ${exitCode}`;
  // The text comes from the network and a third-party tool: no control characters reach the terminal.
  // eslint-disable-next-line no-control-regex
  const plain = first.replace(/^[A-Za-z]*Error:\s*/, '').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return plain.length > MAX_REASON ? `${plain.slice(0, MAX_REASON)}…` : plain;
}
