// The only bridge between the sandboxed renderer and the main process: two functions,
// no Node, no Electron objects. Every payload is validated again on the main side.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from './api/ipc-channels.js';

contextBridge.exposeInMainWorld('vxlab', {
  request: (method: string, params: unknown) => ipcRenderer.invoke(IPC_REQUEST_CHANNEL, { method, params }),
  onEvent: (listener: (event: unknown) => void) => {
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
});
