import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { channels } from '../../../src/shared/contract';
import { contentSecurityPolicy } from '../../../src/main/core/server/content-security-policy';
import { menuItemsById } from '../../../src/main/shell/app-menu';
import { secureWebPreferences } from '../../../src/main/shell/window-security';

/**
 * The shell's wiring, with Electron replaced by recording fakes: the real index.ts starts,
 * builds the demo project in a temporary data folder and opens its window. This is what
 * catches a policy that exists in window-security.ts but is no longer applied.
 */
const electron = await vi.hoisted(async () => {
  // vi.hoisted runs before the imports above, so it loads what it needs itself.
  const { EventEmitter: Emitter } = await import('node:events');
  const { pathToFileURL: toFileUrl } = await import('node:url');
  const menus: MenuItemConstructorOptions[][] = [];
  const appEvents = new Emitter();
  const order: string[] = [];
  const paths = new Map<string, string>();
  const windows: FakeWindow[] = [];
  const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
  const session = {
    request: undefined as undefined | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
    check: undefined as undefined | ((...args: unknown[]) => boolean),
    headers: undefined as undefined | ((details: { responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders?: Record<string, string[]> }) => void) => void),
    events: new Emitter(),
  };
  interface FakeWindow {
    options: Record<string, unknown>;
    events: InstanceType<typeof Emitter>;
    webContents: { send: (...args: unknown[]) => void; sent: unknown[][]; mainFrame: { url: string; parent: null; frameTreeNodeId: number } };
    loaded: string | null;
  }
  class BrowserWindow {
    options: Record<string, unknown>;
    events = new Emitter();
    loaded: string | null = null;
    webContents = {
      sent: [] as unknown[][],
      send: (...args: unknown[]) => this.webContents.sent.push(args),
      mainFrame: { url: '', parent: null, frameTreeNodeId: 1 },
    };
    constructor(options: Record<string, unknown>) {
      this.options = options;
      windows.push(this as unknown as FakeWindow);
      order.push('window');
    }
    on(event: string, listener: (...args: unknown[]) => void) {
      this.events.on(event, listener);
      return this;
    }
    once(event: string, listener: (...args: unknown[]) => void) {
      this.events.once(event, listener);
      return this;
    }
    async loadFile(file: string) {
      this.loaded = file;
      this.webContents.mainFrame.url = toFileUrl(file).href;
    }
    async loadURL(url: string) {
      this.loaded = url;
      this.webContents.mainFrame.url = url;
    }
    isDestroyed = () => false;
    isMinimized = () => false;
    restore() {}
    show() {}
    focus() {
      order.push('focus');
    }
    maximize() {}
    setFullScreen() {}
    getNormalBounds = () => ({ x: 100, y: 80, width: 1300, height: 850 });
    isMaximized = () => false;
    isFullScreen = () => false;
  }
  const messageBoxes: Record<string, unknown>[] = [];
  const saveAnswers: { canceled: boolean; filePath?: string }[] = [];
  return {
    appEvents,
    saveAnswers,
    order,
    paths,
    windows,
    handlers,
    session,
    messageBoxes,
    menus,
    module: {
      app: {
        isPackaged: false,
        name: 'Winnow',
        getVersion: () => '0.0.0-test',
        getAppPath: () => process.cwd(),
        getPath: (name: string) => paths.get(name) ?? `/nonexistent/${name}`,
        setPath: (name: string, value: string) => void paths.set(name, value),
        enableSandbox: () => void order.push('enableSandbox'),
        requestSingleInstanceLock: (data: unknown) => {
          order.push(`lock:${JSON.stringify(data)}`);
          return true;
        },
        on: (event: string, listener: (...args: unknown[]) => void) => appEvents.on(event, listener),
        whenReady: async () => void order.push('ready'),
        addRecentDocument: () => {},
        setAppUserModelId: () => {},
        quit: () => void order.push('quit'),
        exit: (code: number) => void order.push(`exit:${code}`),
      },
      BrowserWindow,
      dialog: {
        showMessageBox: async (...args: unknown[]) => {
          messageBoxes.push(args[args.length - 1] as Record<string, unknown>);
          return { response: (args[args.length - 1] as { cancelId?: number }).cancelId ?? 0 };
        },
        showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
        showSaveDialog: async () => saveAnswers.shift() ?? { canceled: true },
        showErrorBox: (title: string, content: string) => void order.push(`error:${title}:${content}`),
      },
      Menu: {
        buildFromTemplate: (template: MenuItemConstructorOptions[]) => template,
        setApplicationMenu: (menu: MenuItemConstructorOptions[] | null) => void (menu && menus.push(menu)),
      },
      screen: {
        getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
        getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: (handler: typeof session.request) => void (session.request = handler),
          setPermissionCheckHandler: (handler: typeof session.check) => void (session.check = handler),
          setDevicePermissionHandler: () => {},
          on: (event: string, listener: (...args: unknown[]) => void) => session.events.on(event, listener),
          webRequest: { onHeadersReceived: (handler: typeof session.headers) => void (session.headers = handler) },
        },
      },
      shell: { openExternal: async () => {} },
      ipcMain: { handle: (channel: string, handler: (event: unknown, input: unknown) => Promise<unknown>) => void handlers.set(channel, handler) },
    },
  };
});
vi.mock('electron', () => ({ ...electron.module, default: electron.module }));

let dataDir: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-shell-'));
  process.env.WINNOW_DATA_DIR = dataDir;
  delete process.env.ELECTRON_RENDERER_URL;
  await import('../../../src/main/index');
  await vi.waitFor(() => expect(electron.windows[0]?.loaded).toBeTruthy(), { timeout: 60_000, interval: 50 });
});

afterAll(() => {
  process.env = savedEnv;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const appWindow = () => electron.windows[0]!;
/** A project handed over by the OS opens in the background: a bound for a loaded machine, not a speed asserted (vi.waitFor's default is 1 s). */
const OPENED = { timeout: 20_000, interval: 20 };
const trusted = () => ({ sender: appWindow().webContents, senderFrame: appWindow().webContents.mainFrame });
const call = (channel: string, input: unknown, event: unknown = trusted()) => electron.handlers.get(`winnow:${channel}`)!(event, input);

describe('the Electron shell, started with Electron faked', () => {
  it('sandboxes every renderer, takes the instance lock with the data folder set, before the app is ready', () => {
    expect(electron.order.indexOf('enableSandbox')).toBeGreaterThanOrEqual(0);
    expect(electron.order.indexOf('enableSandbox')).toBeLessThan(electron.order.indexOf('ready'));
    expect(electron.order).toContain('lock:{"projectPath":null}');
    expect(electron.paths.get('userData')).toBe(dataDir);
    expect(electron.order.filter((entry) => entry.startsWith('error:') || entry.startsWith('exit:'))).toEqual([]);
  });

  it('opens one window with exactly the locked-down web preferences and the built page', () => {
    expect(electron.windows).toHaveLength(1);
    const prefs = appWindow().options.webPreferences as { preload: string };
    expect(prefs.preload.endsWith(path.join('preload', 'index.cjs'))).toBe(true);
    expect(prefs).toEqual(secureWebPreferences(prefs.preload));
    expect(appWindow().loaded!.endsWith(path.join('renderer', 'index.html'))).toBe(true);
    expect(appWindow().options).toMatchObject({ show: false, minWidth: 900, minHeight: 600 });
  });

  it('denies permissions and sets the CSP on the default session', () => {
    const callback = vi.fn();
    electron.session.request!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(electron.session.check!({}, 'notifications', 'file://', {})).toBe(false);
    let headers: Record<string, string[]> | undefined;
    electron.session.headers!({ responseHeaders: {} }, (response) => (headers = response.responseHeaders));
    expect(headers?.['Content-Security-Policy']).toEqual([contentSecurityPolicy]);
  });

  it('hardens every web contents the app creates', () => {
    const events = new EventEmitter();
    let openHandler: ((details: { url: string }) => unknown) | undefined;
    const contents = { on: (event: string, listener: (...args: unknown[]) => void) => events.on(event, listener), setWindowOpenHandler: (h: typeof openHandler) => (openHandler = h) };
    electron.appEvents.emit('web-contents-created', {}, contents);
    const navigation = { url: 'https://example.com/', preventDefault: vi.fn() };
    events.emit('will-navigate', navigation);
    expect(navigation.preventDefault).toHaveBeenCalled();
    expect(openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('binds every contract channel and refuses callers that are not the app page', async () => {
    for (const channel of channels) expect(electron.handlers.has(`winnow:${channel}`), channel).toBe(true);
    // The window's own main frame, once it shows another renderer/index.html.
    const stranger = { sender: appWindow().webContents, senderFrame: { url: pathToFileURL('/tmp/evil/renderer/index.html').href, parent: null, frameTreeNodeId: 1 } };
    expect(await call('app:info', {}, stranger)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('app:info', {}, { sender: {}, senderFrame: appWindow().webContents.mainFrame })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('app:info', {})).toEqual({ ok: true, value: { version: '0.0.0-test', mode: 'electron', platform: process.platform } });
  });

  it('opened the demo project from the data folder before the page asked', async () => {
    const current = (await call('project:current', {})) as { ok: true; value: { path: string } };
    expect(current.ok).toBe(true);
    expect(current.value.path).toBe(path.join(dataDir, 'demo.winnow'));
  });

  it('validates inputs before any handler runs', async () => {
    expect(await call('project:open', { path: 42 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('installs the application menu with the recent project, and page commands reach the page', () => {
    const menu = electron.menus.at(-1)!;
    const items = menuItemsById(menu);
    expect(items.get('recent-0')?.label).toContain('demo.winnow');
    (items.get('import')!.click as () => void)();
    expect(appWindow().webContents.sent).toContainEqual(['winnow:event:menu:command', { command: 'import' }]);
  });

  it('explains a project a second launch asks for that cannot be opened', async () => {
    const missing = path.join(dataDir, 'missing.winnow');
    electron.appEvents.emit('second-instance', {}, ['winnow', missing], dataDir, { projectPath: missing });
    await vi.waitFor(() => expect(electron.messageBoxes.at(-1)).toMatchObject({ message: 'The project file was not found.' }), OPENED);
    const current = (await call('project:current', {})) as { ok: true; value: { path: string } };
    expect(current.value.path).toBe(path.join(dataDir, 'demo.winnow'));
  });

  it('gives the window the Winnow icon rendered from resources/icon.svg', () => {
    const icon = appWindow().options.icon as string;
    expect(icon).toBe(path.join(process.cwd(), 'resources', 'icon.png'));
    const png = fs.readFileSync(icon);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });

  it('opens About from Help, and answers app:about with the open project', async () => {
    const items = menuItemsById(electron.menus.at(-1)!);
    (items.get('about')!.click as () => void)();
    expect(appWindow().webContents.sent).toContainEqual(['winnow:event:menu:command', { command: 'about' }]);
    const about = (await call('app:about', {})) as { ok: true; value: { version: string; project: { path: string }; onnxRuntime: { lastUsed: unknown } } };
    expect(about).toMatchObject({ ok: true, value: { version: '0.0.0-test', project: { path: path.join(dataDir, 'demo.winnow') } } });
  });

  it('a .winnow opened from outside shows that project in the window, and the open one is only focused', async () => {
    const demo = path.join(dataDir, 'demo.winnow');
    const other = path.join(dataDir, 'other.winnow');
    const changes = () => appWindow().webContents.sent.filter(([channel]) => channel === 'winnow:event:project:changed');
    const focused = () => electron.order.filter((entry) => entry === 'focus').length;
    const current = async () => ((await call('project:current', {})) as { value: { path: string } }).value.path;

    // The demo is open: a double-click on it (a file:// URL from a desktop entry) only brings the window forward.
    let seen = changes().length;
    let focus = focused();
    electron.appEvents.emit('second-instance', {}, ['winnow', pathToFileURL(demo).href], dataDir, { projectPath: null });
    expect(focused()).toBeGreaterThan(focus);
    expect(changes()).toHaveLength(seen);

    // A new project goes where the user answered the save dialog; the page only holds a token.
    electron.saveAnswers.push({ canceled: false, filePath: other });
    const chosen = (await call('dialog:saveFile', { purpose: 'project' })) as { ok: true; value: { file: { token: string; name: string } } };
    expect(chosen.value.file.name).toBe('other.winnow');
    expect(await call('project:create', { path: other })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('project:create', { token: chosen.value.file.token })).toMatchObject({ ok: true });
    expect(await current()).toBe(other);
    seen = changes().length;
    focus = focused();
    electron.appEvents.emit('second-instance', {}, ['winnow', demo], '/elsewhere', { projectPath: demo });
    await vi.waitFor(async () => expect(await current()).toBe(demo), OPENED);
    expect(focused()).toBeGreaterThan(focus);
    expect(changes().slice(seen)).toEqual([['winnow:event:project:changed', { path: demo }]]);

    // macOS hands files over through open-file.
    const preventDefault = vi.fn();
    electron.appEvents.emit('open-file', { preventDefault }, other);
    expect(preventDefault).toHaveBeenCalled();
    await vi.waitFor(async () => expect(await current()).toBe(other), OPENED);
    electron.appEvents.emit('open-file', { preventDefault }, demo);
    await vi.waitFor(async () => expect(await current()).toBe(demo), OPENED);
  });

  it('saves the window state to the data folder when the window closes', () => {
    appWindow().events.emit('close');
    const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'window-state.json'), 'utf8')) as unknown;
    expect(saved).toEqual({ x: 100, y: 80, width: 1300, height: 850, maximized: false, fullScreen: false });
  });
});
