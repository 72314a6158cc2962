// The last line of defence of `vxlab serve`: one server holds every browser tab's
// terminals and any `up` in progress, so a promise someone forgot to handle is logged,
// not allowed to end them all. Every path a request takes already handles its errors;
// this catches a bug, it is not how errors are meant to travel.

let installed = false;

/** Logs unhandled rejections instead of letting Node end the process (idempotent). */
export function logUnhandledRejections(log: (line: string) => void): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => {
    const detail = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    log(`vxlab serve: an operation failed and nothing handled it (the server goes on): ${detail.slice(0, 2000)}`);
  });
}
