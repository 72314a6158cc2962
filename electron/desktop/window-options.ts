// The desktop window's look and the rules for what it may load, kept apart from
// Electron's runtime so that unit tests can use them (the Electron binary cannot be
// downloaded on the project's machines).
/** The app's own files are served from this origin, never from file:// or the network. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'vxlab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * The window's size and look. Its webPreferences are written as a literal where the
 * window is made (electron/main.ts), so that static scanners such as Electronegativity
 * see them; test/unit/desktop-security.test.ts reads them from there.
 */
export const WINDOW_LOOK = {
  width: 1400,
  height: 900,
  minWidth: 900,
  minHeight: 600,
  title: 'vxlab',
  show: false,
  backgroundColor: '#f6f7f9',
} as const;

/** True for addresses of the app itself; everything else is refused or left to the OS. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Only the app's own top frame may call the API. */
export function isTrustedSender(frameUrl: string | undefined, isMainFrame: boolean): boolean {
  return isMainFrame && frameUrl !== undefined && isAppUrl(frameUrl);
}
