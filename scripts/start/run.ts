// `npm start`, step by step, with its effects handed in so that the choice and what is
// said can be checked without a network, a display or an Electron binary.
import type { ElectronCheck } from './plan.js';
import { appWindowArgs, chooseStart } from './plan.js';

export interface RunningServer {
  url: string;
  /** Resolves once the server has stopped (Ctrl-C). */
  stopped: Promise<void>;
}

export interface StartEffects {
  platform: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Installs Electron's binary where missing (a download on first use). */
  installElectron(): Promise<ElectronCheck>;
  /** Runs the desktop app until it quits; its exit code. */
  runDesktop(): Promise<number>;
  /** `vxlab serve`: the app for a browser, on 127.0.0.1 with a one-time token. */
  serveBrowser(): Promise<RunningServer>;
  findBrowser(): string | undefined;
  /** Starts the browser; failing to start it is reported through `failed`. */
  openWindow(browser: string, args: string[], failed: (message: string) => void): void;
  out(text: string): void;
  err(text: string): void;
}

export async function runStart(effects: StartEffects): Promise<number> {
  const electron = await effects.installElectron();
  const plan = chooseStart({ platform: effects.platform, env: effects.env, electron, browser: electron.ready ? undefined : effects.findBrowser() });
  if (plan.mode === 'desktop') return effects.runDesktop();

  effects.err(`vxlab: ${plan.why}\n`);
  let server: RunningServer;
  try {
    server = await effects.serveBrowser();
  } catch (error) {
    effects.err(`vxlab: the browser mode did not start either: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  effects.out(`vxlab is serving on 127.0.0.1 only. Open this address (it holds this run's token):\n\n  ${server.url}\n\nCtrl-C stops it.\n`);
  if (plan.openWith) {
    const browser = plan.openWith;
    effects.err(`vxlab: opening it in an app window of ${browser}\n`);
    effects.openWindow(browser, appWindowArgs(server.url), (message) =>
      effects.err(`vxlab: ${browser} did not start (${message}); open the address above in a browser.\n`),
    );
  }
  await server.stopped;
  return 0;
}
