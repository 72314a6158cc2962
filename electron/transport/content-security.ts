// One Content-Security-Policy for the desktop window and the browser mode: the app's
// own scripts only, no eval, no remote content; xterm and React Flow need inline styles.

export function contentSecurityPolicy(options: { connect?: string[]; meta?: boolean } = {}): string {
  // The browser mode's page opens a WebSocket to its own server; a meta policy cannot
  // know the port, so it allows loopback sockets; the headers name the exact port.
  const connect = options.meta ? ['ws://127.0.0.1:*', 'ws://localhost:*'] : (options.connect ?? []);
  const directives = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${connect.length ? ' ' + connect.join(' ') : ''}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ];
  // frame-ancestors is ignored (and warned about) in a meta tag.
  if (!options.meta) directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}
