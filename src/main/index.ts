import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, screen, session, shell } from 'electron';
import type { EventName, EventPayload, Handlers } from '../shared/contract';
import { aboutWinnow, asksVersionJson } from './core/app/about';
import { ensureDemoProject } from './core/app/demo-project';
import { WinnowCore } from './core/app/winnow-core';
import { LocalPlatform } from './core/platform/local-platform';
import { electronNativeDialogs } from './shell/native-dialogs.electron';
import { contentSecurityPolicy } from './core/server/content-security-policy';
import { setNativeBinding } from './core/store/database';
import { buildMenuTemplate } from './shell/app-menu';
import { openFromOutside } from './shell/file-open';
import { bindIpc } from './shell/ipc-bridge';
import { findSqliteBinding, SQLITE_BINDING_ENV } from './shell/native-binding';
import { ProjectLauncher, type LauncherDialogs } from './shell/project-launcher';
import { claimSingleInstance, projectPathFromArgv } from './shell/single-instance';
import { appPageMatcher, hardenSession, hardenWebContents, secureWebPreferences, trustedSenderCheck } from './shell/window-security';
import { loadWindowState, placeWindow, trackWindowState } from './shell/window-state';

/** The Electron shell: one window, menus and dialogs around the plain-Node core. */

const APP_ID = 'org.winnow.studio';
const WINDOW_DEFAULTS = { width: 1400, height: 900, minWidth: 900, minHeight: 600 };
// An installed app must not be pointed at another page by an environment variable.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const bundleDir = path.dirname(fileURLToPath(import.meta.url));
const rendererFile = path.join(bundleDir, '../renderer/index.html');
const isAppPage = appPageMatcher(devServerUrl ? { devServerUrl } : { rendererFile });

// Tests and second profiles get their own data folder, and with it their own instance lock.
if (process.env.WINNOW_DATA_DIR) app.setPath('userData', path.resolve(process.env.WINNOW_DATA_DIR));

const sqliteBinding = findSqliteBinding({
  electronVersion: process.versions.electron,
  isPackaged: app.isPackaged,
  resourcesPath: process.resourcesPath,
  appRoot: app.getAppPath(),
});
if (sqliteBinding) {
  setNativeBinding(sqliteBinding);
  // Job worker threads load their own copy of the store module; they inherit this variable.
  process.env[SQLITE_BINDING_ENV] = sqliteBinding;
} else {
  // One set from outside must not choose the native code the workers load.
  delete process.env[SQLITE_BINDING_ENV];
}

let mainWindow: BrowserWindow | null = null;
let launcher: ProjectLauncher | null = null;
/** A project asked for before the app could open it (command line, or Finder before ready). */
let pendingProject = projectPathFromArgv(process.argv, process.cwd());
let refreshMenu = () => {};
let shownProject: string | null = null;

const liveWindow = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : null);

const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
  liveWindow()?.webContents.send(`winnow:event:${event}`, payload);
  if (event === 'project:changed') {
    const opened = (payload as EventPayload<'project:changed'>).path;
    if (opened !== shownProject) {
      shownProject = opened;
      // The OS's own recent list (Dock, jump list); Linux has none.
      if (opened && process.platform !== 'linux') app.addRecentDocument(opened);
      refreshMenu();
    }
  }
};

function focusWindow(): void {
  const window = liveWindow();
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/** A .winnow from outside (second launch, file association, Finder): show it in the window. */
function requestProject(projectPath: string): void {
  const opener = launcher;
  if (opener) openFromOutside(projectPath, { currentProject: () => shownProject, focus: focusWindow, open: (target) => void opener.open(target) });
  else pendingProject = projectPath;
}

function resourcesDir(): string {
  return app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(app.getAppPath(), 'resources');
}

/** Rendered from resources/icon.svg by `npm run icons`; packaged builds also carry it in their executable. */
const windowIcon = () => path.join(resourcesDir(), 'icon.png');

// Dialogs are attached to the window when there is one (sheets on macOS, modal elsewhere).
const dialogs: LauncherDialogs = {
  showMessageBox: (options) => {
    const window = liveWindow();
    return window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options);
  },
  showOpenDialog: (options) => {
    const window = liveWindow();
    return window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options);
  },
  showSaveDialog: (options) => {
    const window = liveWindow();
    return window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options);
  },
};

async function createWindow(): Promise<void> {
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const primary = screen.getPrimaryDisplay();
  const workAreas = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
  const placed = placeWindow(loadWindowState(stateFile), workAreas, WINDOW_DEFAULTS);
  const window = new BrowserWindow({
    ...(placed.x !== undefined && placed.y !== undefined ? { x: placed.x, y: placed.y } : {}),
    width: placed.width,
    height: placed.height,
    minWidth: WINDOW_DEFAULTS.minWidth,
    minHeight: WINDOW_DEFAULTS.minHeight,
    show: false,
    title: 'Winnow',
    // Linux takes the window and taskbar icon from here; macOS from the app bundle (or the Dock).
    ...(process.platform === 'darwin' ? {} : { icon: windowIcon() }),
    webPreferences: secureWebPreferences(path.join(bundleDir, '../preload/index.cjs')),
  });
  mainWindow = window;
  trackWindowState(window, stateFile);
  window.once('ready-to-show', () => {
    if (placed.maximized) window.maximize();
    window.show();
    if (placed.fullScreen) window.setFullScreen(true);
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  if (devServerUrl) await window.loadURL(devServerUrl);
  else await window.loadFile(rendererFile);
}

async function main(): Promise<void> {
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  await app.whenReady();
  // An unpackaged run has no bundle icon: the Dock would show Electron's.
  if (process.platform === 'darwin' && !app.isPackaged) app.dock?.setIcon(windowIcon());
  hardenSession(session.defaultSession, contentSecurityPolicy);
  const dataDir = app.getPath('userData');
  const platform = new LocalPlatform({ version: app.getVersion(), platform: process.platform }, electronNativeDialogs(dialogs));
  const core = new WinnowCore({
    dataDir,
    jobs: { mode: 'worker', workerUrl: new URL('./job-worker.js', import.meta.url) },
    emit,
    appVersion: app.getVersion(),
    platform,
    resourcesDir: resourcesDir(),
  });
  const handlers: Handlers = core.handlers();
  bindIpc(handlers, trustedSenderCheck(() => liveWindow()?.webContents, isAppPage));

  const demoProject = () => ensureDemoProject(dataDir, resourcesDir());
  const projects = new ProjectLauncher({ openProject: (projectPath, create) => core.openProject(projectPath, create), dialogs, demoProject });
  refreshMenu = () =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          platform: process.platform,
          appName: app.name,
          recent: core.recent.list(),
          developer: !app.isPackaged,
          actions: {
            newProject: () => void projects.createWithDialog(),
            openProject: () => void projects.openWithDialog(),
            openRecent: (projectPath) => void projects.open(projectPath),
            command: (command) => {
              focusWindow();
              emit('menu:command', { command });
            },
          },
        }),
      ),
    );
  refreshMenu();

  // The first project opens before the window, so the page finds it on its first query.
  const requested = pendingProject;
  pendingProject = null;
  if (requested) await projects.open(requested);
  else {
    try {
      await projects.open(await demoProject());
    } catch (error) {
      dialog.showErrorBox('Winnow could not build the demo project', (error as Error).message);
    }
  }
  launcher = projects;
  await createWindow();
  // Asked for while the first project or the window was on its way (macOS open-file).
  const late = pendingProject as string | null;
  pendingProject = null;
  if (late) void projects.open(late);

  app.on('window-all-closed', () => {
    core.closeProject();
    app.quit();
  });
  // Quitting from the menu or the dock, or being told to stop: the project is closed first,
  // which copies its write-ahead log into the .winnow file.
  app.on('will-quit', () => core.closeProject());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => app.quit());
}

// Every renderer is sandboxed, whatever its options say.
app.enableSandbox();
if (asksVersionJson(process.argv.slice(1), { only: false })) {
  // `winnow --version --json` on the installed app: the About record on stdout, no window.
  aboutWinnow({ version: app.getVersion() }).then(
    (about) => process.stdout.write(`${JSON.stringify(about, null, 2)}\n`, () => app.exit(0)),
    (error: unknown) => process.stderr.write(`winnow: ${String(error)}\n`, () => app.exit(1)),
  );
} else if (!claimSingleInstance(app, pendingProject, { focus: focusWindow, openProject: requestProject })) {
  // Another Winnow holds the lock; it has been handed our project and brought forward.
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, isAppPage, { openExternal: (url) => void shell.openExternal(url) });
  });
  main().catch((error: unknown) => {
    dialog.showErrorBox('Winnow failed to start', error instanceof Error ? (error.stack ?? error.message) : String(error));
    app.exit(1);
  });
}
