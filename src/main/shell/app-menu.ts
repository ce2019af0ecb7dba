import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { EventPayload } from '../../shared/contract';

export type MenuCommand = EventPayload<'menu:command'>['command'];

export interface MenuActions {
  /** Native dialogs in the main process, then the core. */
  newProject(): void;
  openProject(): void;
  openRecent(projectPath: string): void;
  /** Things the page owns (its dialogs, undo history, theme): sent as 'menu:command'. */
  command(command: MenuCommand): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  recent: readonly { path: string }[];
  /** Reload and developer tools, for unpackaged runs only. */
  developer: boolean;
  actions: MenuActions;
}

export const MAX_RECENT_IN_MENU = 10;

/**
 * The application menu as a plain template (Menu.buildFromTemplate turns it into a menu), so
 * its items, ids and accelerators are testable without Electron. Text editing keeps the
 * native roles: on macOS, copy and paste in text fields only work through menu items.
 */
export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { actions, platform } = options;
  const mac = platform === 'darwin';
  const send = (command: MenuCommand) => () => actions.command(command);

  const recentItems: MenuItemConstructorOptions[] = options.recent.slice(0, MAX_RECENT_IN_MENU).map((entry, index) => ({
    id: `recent-${index}`,
    // '&' marks a mnemonic on Windows and Linux; a file name may contain one.
    label: `${path.basename(entry.path)}  —  ${path.dirname(entry.path)}`.replace(/&/g, '&&'),
    click: () => actions.openRecent(entry.path),
  }));

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { id: 'new-project', label: 'New Project…', accelerator: 'CmdOrCtrl+N', click: () => actions.newProject() },
      { id: 'open-project', label: 'Open Project…', accelerator: 'CmdOrCtrl+O', click: () => actions.openProject() },
      {
        id: 'open-recent',
        label: 'Open Recent',
        submenu: recentItems.length ? recentItems : [{ id: 'recent-none', label: 'No Recent Projects', enabled: false }],
      },
      { id: 'projects', label: 'Projects…', accelerator: 'CmdOrCtrl+Shift+O', click: send('project') },
      // A copy through SQLite's backup API: one file that holds every decision, to mail or commit.
      { id: 'save-copy', label: 'Save a Copy…', accelerator: 'CmdOrCtrl+Shift+S', click: send('save-copy') },
      { type: 'separator' },
      { id: 'import', label: 'Import Split…', accelerator: 'CmdOrCtrl+I', click: send('import') },
      { id: 'export', label: 'Export Split…', accelerator: 'CmdOrCtrl+E', click: send('export') },
      { type: 'separator' },
      { id: 'import-decisions', label: 'Import Decisions…', click: send('import-decisions') },
      { id: 'export-decisions', label: 'Export Decisions…', click: send('export-decisions') },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      // Undo and redo act on triage decisions, which the page keeps; it falls back to text
      // undo itself when a text field has focus.
      { id: 'undo', label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: send('undo') },
      { id: 'redo', label: 'Redo', accelerator: platform === 'win32' ? 'Ctrl+Y' : 'Shift+CmdOrCtrl+Z', click: send('redo') },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { id: 'toggle-theme', label: 'Toggle Light/Dark Theme', accelerator: 'CmdOrCtrl+Shift+L', click: send('toggle-theme') },
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(options.developer
        ? ([
            { type: 'separator' },
            // Explicit keys: CmdOrCtrl+R belongs to Rank.
            { role: 'reload', accelerator: 'F5' },
            { role: 'forceReload', accelerator: 'Shift+F5' },
            { role: 'toggleDevTools', accelerator: mac ? 'Alt+Cmd+I' : 'F12' },
          ] satisfies MenuItemConstructorOptions[])
        : []),
    ],
  };

  const ranking: MenuItemConstructorOptions = {
    label: '&Ranking',
    submenu: [{ id: 'rank', label: 'Rank Examples…', accelerator: 'CmdOrCtrl+R', click: send('rank') }],
  };

  // Winnow's own About dialog (versions, commit, execution providers), not Electron's panel:
  // in the app menu on macOS, under Help elsewhere.
  const about: MenuItemConstructorOptions = { id: 'about', label: `About ${options.appName}`, click: send('about') };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      { id: 'help', label: `${options.appName} Help`, accelerator: mac ? 'Cmd+?' : 'F1', click: send('help') },
      ...(mac ? [] : ([{ type: 'separator' }, about] satisfies MenuItemConstructorOptions[])),
    ],
  };

  // The items of Electron's 'appMenu' role, with About replaced.
  const appMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
  };

  return [
    ...(mac ? [appMenu] : []),
    file,
    edit,
    view,
    ranking,
    ...(mac ? [{ role: 'windowMenu' } satisfies MenuItemConstructorOptions] : []),
    help,
  ];
}

/** Every item with an id, depth first: what tests and the e2e look items up by. */
export function menuItemsById(template: readonly MenuItemConstructorOptions[]): Map<string, MenuItemConstructorOptions> {
  const found = new Map<string, MenuItemConstructorOptions>();
  const walk = (items: readonly MenuItemConstructorOptions[]) => {
    for (const item of items) {
      if (item.id) found.set(item.id, item);
      if (Array.isArray(item.submenu)) walk(item.submenu);
    }
  };
  walk(template);
  return found;
}
