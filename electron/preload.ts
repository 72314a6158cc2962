// The only bridge between the sandboxed renderer and the main process: two functions,
// no Node, no Electron objects. Every payload is validated again on the main side.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';

const REQUEST_CHANNEL = 'vxlab:request';
const EVENT_CHANNEL = 'vxlab:event';

contextBridge.exposeInMainWorld('vxlab', {
  request: (method: string, params: unknown) => ipcRenderer.invoke(REQUEST_CHANNEL, { method, params }),
  onEvent: (listener: (event: unknown) => void) => {
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
});
