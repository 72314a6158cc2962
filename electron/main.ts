// The desktop app's main process: one window, the renderer served from app://vxlab,
// and the API contract carried over IPC to the same service the browser mode uses.
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiEvent } from './api/contract.js';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from './api/ipc-channels.js';
import type { FileDialogs, ServiceSession } from './api/service.js';
import { VxlabService } from './api/service.js';
import { rendererDirectory, templatesDirectory } from './app-paths.js';
import { appProtocolResponse } from './desktop/app-protocol.js';
import { APP_ENTRY, APP_SCHEME, isAppUrl, isTrustedSender, WINDOW_LOOK } from './desktop/window-options.js';
import { LabEngine } from './engine/lab-engine.js';
import { createTerminalManager } from './engine/terminals.js';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// Deny what the app never needs, for every web contents that could ever exist.
app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

function fileDialogs(window: BrowserWindow): FileDialogs {
  const filters = [{ name: 'vxlab lab files', extensions: ['yaml', 'yml'] }];
  return {
    open: async () => {
      const choice = await dialog.showOpenDialog(window, { properties: ['openFile'], filters });
      const path = choice.filePaths[0];
      if (choice.canceled || !path) return null;
      return { path, text: await readFile(path, 'utf8') };
    },
    save: async (text, suggestedName) => {
      const choice = await dialog.showSaveDialog(window, { defaultPath: suggestedName, filters });
      if (choice.canceled || !choice.filePath) return null;
      await writeFile(choice.filePath, text);
      return { path: choice.filePath };
    },
  };
}

async function createWindow(): Promise<void> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  // Electron's security checklist, item by item: no Node in the page, isolated and
  // sandboxed, nothing the app does not use (webviews, drag-to-navigate, middle-click).
  const window = new BrowserWindow({
    ...WINDOW_LOOK,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: false,
    },
  });
  const engine = new LabEngine();
  const service = new VxlabService({
    engine,
    terminals: createTerminalManager(engine),
    templatesDirectory: templatesDirectory(),
    dialogs: fileDialogs(window),
    holder: 'the vxlab desktop app',
  });
  const send = (event: ApiEvent) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, event);
  };
  const apiSession: ServiceSession = service.connect(send);

  ipcMain.handle(IPC_REQUEST_CHANNEL, async (event, message: unknown) => {
    // Validate the sender, then the payload: only our own top frame may ask.
    if (event.sender !== window.webContents || !isTrustedSender(event.senderFrame?.url, event.senderFrame === event.sender.mainFrame)) {
      return { error: { code: 'forbidden', message: 'Requests are accepted from the vxlab window only.' } };
    }
    const { method, params } = (typeof message === 'object' && message !== null ? message : {}) as { method?: unknown; params?: unknown };
    return apiSession.handle(method, params);
  });
  window.on('closed', () => {
    ipcMain.removeHandler(IPC_REQUEST_CHANNEL);
    apiSession.dispose();
  });
  window.once('ready-to-show', () => window.show());
  await window.loadURL(APP_ENTRY);
}

void app.whenReady().then(async () => {
  const rendererDir = rendererDirectory();
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(rendererDir, request.url));
  // The app asks for no permission (camera, notifications, ...): refuse them all.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  await createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
