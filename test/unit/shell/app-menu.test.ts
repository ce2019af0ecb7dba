import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, MAX_RECENT_IN_MENU, menuItemsById, type MenuCommand } from '../../../src/main/shell/app-menu';

function actions() {
  return { newProject: vi.fn<() => void>(), openProject: vi.fn<() => void>(), openRecent: vi.fn<(projectPath: string) => void>(), command: vi.fn<(command: MenuCommand) => void>() };
}

function build(platform: NodeJS.Platform, recent: { path: string }[] = [], developer = false) {
  const a = actions();
  const template = buildMenuTemplate({ platform, appName: 'Winnow', recent, developer, actions: a });
  return { template, items: menuItemsById(template), actions: a };
}

const click = (item: MenuItemConstructorOptions | undefined) => (item!.click as () => void)();

function roles(template: MenuItemConstructorOptions[]): string[] {
  const found: string[] = [];
  const walk = (items: MenuItemConstructorOptions[]) => {
    for (const item of items) {
      if (item.role) found.push(item.role);
      if (Array.isArray(item.submenu)) walk(item.submenu);
    }
  };
  walk(template);
  return found;
}

function accelerators(template: MenuItemConstructorOptions[]): string[] {
  const found: string[] = [];
  const walk = (items: MenuItemConstructorOptions[]) => {
    for (const item of items) {
      if (item.accelerator) found.push(item.accelerator);
      if (Array.isArray(item.submenu)) walk(item.submenu);
    }
  };
  walk(template);
  return found;
}

describe('application menu', () => {
  it('has every command with its accelerator', () => {
    const { items } = build('linux');
    const expected: Record<string, string> = {
      'new-project': 'CmdOrCtrl+N',
      'open-project': 'CmdOrCtrl+O',
      import: 'CmdOrCtrl+I',
      export: 'CmdOrCtrl+E',
      undo: 'CmdOrCtrl+Z',
      redo: 'Shift+CmdOrCtrl+Z',
      'toggle-theme': 'CmdOrCtrl+Shift+L',
      rank: 'CmdOrCtrl+R',
      help: 'F1',
    };
    for (const [id, accelerator] of Object.entries(expected)) expect(items.get(id)?.accelerator, id).toBe(accelerator);
    expect(items.get('open-recent')).toBeDefined();
  });

  it('uses Ctrl+Y for redo on Windows', () => {
    expect(build('win32').items.get('redo')?.accelerator).toBe('Ctrl+Y');
  });

  it('never gives one key combination to two items', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const keys = accelerators(build(platform, [], true).template);
      expect(new Set(keys).size, platform).toBe(keys.length);
    }
  });

  it('sends page-owned commands as menu:command and opens projects natively', () => {
    const { items, actions: a } = build('linux', [{ path: '/data/b.winnow' }]);
    const commands: Record<string, string> = { projects: 'project', import: 'import', export: 'export', rank: 'rank', undo: 'undo', redo: 'redo', 'toggle-theme': 'toggle-theme', help: 'help', about: 'about', 'import-decisions': 'import-decisions', 'export-decisions': 'export-decisions' };
    for (const [id, command] of Object.entries(commands)) {
      click(items.get(id));
      expect(a.command).toHaveBeenLastCalledWith(command);
    }
    expect(a.command).toHaveBeenCalledTimes(Object.keys(commands).length);
    click(items.get('new-project'));
    click(items.get('open-project'));
    click(items.get('recent-0'));
    expect(a.newProject).toHaveBeenCalledOnce();
    expect(a.openProject).toHaveBeenCalledOnce();
    expect(a.openRecent).toHaveBeenCalledExactlyOnceWith('/data/b.winnow');
  });

  it('lists recent projects by name and folder, at most ten, escaping mnemonics', () => {
    const recent = Array.from({ length: 14 }, (_, i) => ({ path: `/data/R&D ${i}.winnow` }));
    const { items } = build('linux', recent);
    const submenu = items.get('open-recent')!.submenu as MenuItemConstructorOptions[];
    expect(submenu).toHaveLength(MAX_RECENT_IN_MENU);
    expect(submenu[0]!.label).toBe('R&&D 0.winnow  —  /data');
  });

  it('shows a disabled placeholder when there are no recent projects', () => {
    const submenu = build('linux').items.get('open-recent')!.submenu as MenuItemConstructorOptions[];
    expect(submenu).toEqual([expect.objectContaining({ label: 'No Recent Projects', enabled: false })]);
  });

  it('keeps native text editing roles so copy and paste work in text fields', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      expect(roles(build(platform).template)).toEqual(expect.arrayContaining(['cut', 'copy', 'paste', 'selectAll']));
    }
  });

  it('follows macOS conventions there: app menu first with About and Quit, window menu, close in File', () => {
    const mac = build('darwin').template;
    expect(mac[0]).toMatchObject({ label: 'Winnow' });
    const appMenu = mac[0]!.submenu as MenuItemConstructorOptions[];
    expect(appMenu[0]).toMatchObject({ id: 'about', label: 'About Winnow' });
    expect(roles([mac[0]!])).toEqual(['services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(roles(mac)).toEqual(expect.arrayContaining(['windowMenu', 'close']));
    expect(roles(mac.slice(1)), 'Quit only in the app menu').not.toContain('quit');
    const linux = build('linux').template;
    expect(roles(linux)).toContain('quit');
    expect(linux.map((menu) => menu.label)).not.toContain('Winnow');
  });

  it('opens About from Help on Windows and Linux, from the app menu on macOS', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const { template, items, actions: a } = build(platform);
      click(items.get('about'));
      expect(a.command, platform).toHaveBeenCalledExactlyOnceWith('about');
      const holder = template.find((menu) => Array.isArray(menu.submenu) && menu.submenu.some((item) => item.id === 'about'));
      expect(holder?.label, platform).toBe(platform === 'darwin' ? 'Winnow' : '&Help');
    }
  });

  it('offers reload and developer tools only to unpackaged runs', () => {
    expect(roles(build('linux', [], false).template)).not.toEqual(expect.arrayContaining(['toggleDevTools']));
    expect(roles(build('linux', [], false).template)).not.toContain('reload');
    expect(roles(build('linux', [], true).template)).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
  });
});
