import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, session, shell, type IpcMainInvokeEvent } from 'electron';
import type { EventName, EventPayload, Handlers } from '../shared/contract';
import { ensureDemoProject } from './core/app/demo-project';
import { WinnowCore } from './core/app/winnow-core';
import { setNativeBinding } from './core/store/database';
import { contentSecurityPolicy } from './core/server/content-security-policy';
import { bindIpc } from './shell/ipc-bridge';
import { isAppUrl, secureWebPreferences } from './shell/window-security';

/** The Electron shell: a window, dialogs and menus around the plain-Node core. */

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const bundleDir = path.dirname(fileURLToPath(import.meta.url));
const appRoot = app.getAppPath();
let mainWindow: BrowserWindow | null = null;

// An Electron-ABI build of better-sqlite3 is kept apart from the Node one that tests use.
const electronBinding = path.join(appRoot, 'native', `electron-${process.versions.electron}`, 'better_sqlite3.node');
if (fs.existsSync(electronBinding)) setNativeBinding(electronBinding);

const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
  mainWindow?.webContents.send(`winnow:event:${event}`, payload);
};

function resourcesDir(): string {
  return app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(appRoot, 'resources');
}

async function createWindow(core: WinnowCore): Promise<void> {
  mainWindow = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Winnow',
    webPreferences: secureWebPreferences(path.join(bundleDir, '../preload/index.cjs')),
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  });
  mainWindow.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (devServerUrl) await mainWindow.loadURL(devServerUrl);
  else await mainWindow.loadFile(path.join(bundleDir, '../renderer/index.html'));
  void core;
}

async function main(): Promise<void> {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });
  const core = new WinnowCore({
    dataDir: app.getPath('userData'),
    jobs: { mode: 'worker', workerUrl: new URL('./job-worker.js', import.meta.url) },
    emit,
  });
  const handlers: Handlers = {
    ...core.handlers(),
    'app:info': () => ({ version: app.getVersion(), mode: 'electron' as const, platform: process.platform }),
    'dialog:openFile': async ({ title, filters }) => {
      const result = await dialog.showOpenDialog(mainWindow!, { title, filters, properties: ['openFile'] });
      return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
    },
    'dialog:saveFile': async ({ title, defaultPath }) => {
      const result = await dialog.showSaveDialog(mainWindow!, { title, defaultPath });
      return { path: result.canceled ? null : (result.filePath ?? null) };
    },
  };
  const isTrustedSender = (event: IpcMainInvokeEvent) =>
    event.senderFrame !== null && event.sender === mainWindow?.webContents && isAppUrl(event.senderFrame.url, devServerUrl);
  bindIpc(handlers, isTrustedSender);

  const requested = process.argv.slice(app.isPackaged ? 1 : 2).find((arg) => arg.endsWith('.winnow'));
  try {
    core.openProject(requested ?? (await ensureDemoProject(app.getPath('userData'), resourcesDir())));
  } catch (error) {
    dialog.showErrorBox('Winnow could not open the project', (error as Error).message);
  }
  Menu.setApplicationMenu(null);
  await createWindow(core);
  app.on('window-all-closed', () => {
    core.closeProject();
    app.quit();
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void main();
