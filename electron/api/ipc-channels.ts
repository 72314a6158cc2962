// The desktop app's two IPC channels, named once: the main process answers on the
// first and pushes events on the second; the preload bridge uses the same names.
// Pure: the preload bundle inlines it.

/** Renderer -> main: `{ method, params }`, answered with an Envelope. */
export const IPC_REQUEST_CHANNEL = 'vxlab:request';
/** Main -> renderer: one ApiEvent per message. */
export const IPC_EVENT_CHANNEL = 'vxlab:event';
