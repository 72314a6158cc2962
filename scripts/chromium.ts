// Debian's Chromium driven by playwright-core: for the end-to-end tests and for the
// benchmark's editor frame times. The Electron binary cannot be downloaded here, and
// the browser mode shows the same renderer as the desktop window.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

const CANDIDATES = [process.env.VXLAB_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const found = CANDIDATES.find((path): path is string => !!path && existsSync(path));
  if (!found) {
    throw new Error('This needs Chromium: `sudo apt-get install chromium` (scripts/provision.sh does it), or set VXLAB_CHROMIUM.');
  }
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Root has no user-namespace sandbox here; background networking would try to leave the machine.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
