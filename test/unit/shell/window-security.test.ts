import { EventEmitter } from 'node:events';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import {
  appPageMatcher,
  hardenSession,
  hardenWebContents,
  isExternalLink,
  secureWebPreferences,
  trustedSenderCheck,
  type HardenableContents,
  type HardenableSession,
} from '../../../src/main/shell/window-security';

/** Records what the shell registers, the way Electron would call it back. */
function fakeSession() {
  const events = new EventEmitter();
  const fake = {
    request: undefined as undefined | ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void),
    check: undefined as undefined | ((contents: unknown, permission: string, origin: string, details: unknown) => boolean),
    device: undefined as undefined | ((details: unknown) => boolean),
    headers: undefined as undefined | ((details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void),
    events,
    session: {
      setPermissionRequestHandler: (handler: never) => void (fake.request = handler),
      setPermissionCheckHandler: (handler: never) => void (fake.check = handler),
      setDevicePermissionHandler: (handler: never) => void (fake.device = handler),
      on: (event: string, listener: (...args: unknown[]) => void) => events.on(event, listener),
      webRequest: { onHeadersReceived: (handler: never) => void (fake.headers = handler) },
    } as unknown as HardenableSession,
  };
  return fake;
}

function fakeContents() {
  const events = new EventEmitter();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (event: string, listener: (...args: unknown[]) => void) => events.on(event, listener),
    setWindowOpenHandler: (handler: never) => void (openHandler = handler),
  } as unknown as HardenableContents;
  /** Emits a navigation-like event and says whether the shell let it through. */
  const attempt = (event: string, url: string) => {
    let prevented = false;
    events.emit(event, { url, preventDefault: () => (prevented = true) });
    return !prevented;
  };
  return { contents, attempt, open: (url: string) => openHandler!({ url }), events };
}

const rendererFile = path.resolve('/opt/winnow/resources/app.asar/out/renderer/index.html');
const appUrl = pathToFileURL(rendererFile).href;

describe('renderer web preferences', () => {
  it('are exactly the locked-down set: any added, removed or loosened option fails here', () => {
    expect(secureWebPreferences('/app/out/preload/index.cjs')).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
  });
});

describe('app page matcher', () => {
  it('accepts exactly the built index.html, with or without a hash or query', () => {
    const isApp = appPageMatcher({ rendererFile });
    expect(isApp(appUrl)).toBe(true);
    expect(isApp(`${appUrl}#/triage`)).toBe(true);
    expect(isApp(`${appUrl}?x=1`)).toBe(true);
  });

  it('rejects other files, other schemes and look-alikes', () => {
    const isApp = appPageMatcher({ rendererFile });
    expect(isApp(pathToFileURL('/tmp/evil/out/renderer/index.html').href)).toBe(false);
    expect(isApp(pathToFileURL('/etc/passwd').href)).toBe(false);
    expect(isApp('https://example.com/out/renderer/index.html')).toBe(false);
    expect(isApp(`file://evil.example${new URL(appUrl).pathname}`)).toBe(false);
    expect(isApp('javascript:alert(1)')).toBe(false);
    expect(isApp('not a url')).toBe(false);
    expect(isApp('')).toBe(false);
  });

  it('compares Windows paths case-insensitively', () => {
    const isApp = appPageMatcher({ rendererFile: '/Opt/Winnow/index.html' }, 'win32');
    expect(isApp('file:///opt/winnow/INDEX.html')).toBe(true);
    expect(appPageMatcher({ rendererFile: '/Opt/Winnow/index.html' }, 'linux')('file:///opt/winnow/INDEX.html')).toBe(false);
  });

  it('accepts only the dev server origin in development', () => {
    const isApp = appPageMatcher({ devServerUrl: 'http://localhost:5173' });
    expect(isApp('http://localhost:5173/')).toBe(true);
    expect(isApp('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(isApp('http://localhost:5174/')).toBe(false);
    expect(isApp('http://127.0.0.1:5173/')).toBe(false);
    expect(isApp(appUrl)).toBe(false);
  });
});

describe('IPC sender check', () => {
  const mainFrame = { url: appUrl, parent: null, frameTreeNodeId: 1 };
  const contents = { mainFrame } as never;
  const check = trustedSenderCheck(() => contents, appPageMatcher({ rendererFile }));

  it('answers the main frame of the app window showing the app page', () => {
    expect(check({ sender: contents, senderFrame: mainFrame } as never)).toBe(true);
    // The same frame behind a different wrapper object.
    expect(check({ sender: contents, senderFrame: { url: appUrl, parent: null, frameTreeNodeId: 1 } } as never)).toBe(true);
  });

  it('refuses subframes, other windows, foreign pages and destroyed frames', () => {
    expect(check({ sender: contents, senderFrame: { url: appUrl, parent: mainFrame, frameTreeNodeId: 2 } } as never)).toBe(false);
    expect(check({ sender: contents, senderFrame: { url: appUrl, parent: null, frameTreeNodeId: 3 } } as never)).toBe(false);
    expect(check({ sender: { mainFrame } as never, senderFrame: mainFrame } as never)).toBe(false);
    expect(check({ sender: contents, senderFrame: null } as never)).toBe(false);
    const navigatedAway = { mainFrame: { url: 'https://example.com/', parent: null, frameTreeNodeId: 1 } } as never;
    const checkAway = trustedSenderCheck(() => navigatedAway, appPageMatcher({ rendererFile }));
    expect(checkAway({ sender: navigatedAway, senderFrame: (navigatedAway as { mainFrame: unknown }).mainFrame } as never)).toBe(false);
    expect(trustedSenderCheck(() => null, () => true)({ sender: contents, senderFrame: mainFrame } as never)).toBe(false);
  });
});

describe('session hardening', () => {
  it('denies every permission request and check, and every device', () => {
    const fake = fakeSession();
    hardenSession(fake.session, "default-src 'self'");
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'fullscreen', 'unknown']) {
      const callback = vi.fn();
      fake.request!({}, permission, callback, {});
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(fake.check!({}, permission, 'file://', {})).toBe(false);
    }
    expect(fake.device!({ deviceType: 'usb', origin: 'file://' })).toBe(false);
  });

  it('cancels downloads', () => {
    const fake = fakeSession();
    hardenSession(fake.session, "default-src 'self'");
    const event = { preventDefault: vi.fn() };
    fake.events.emit('will-download', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('replaces any Content-Security-Policy a response carries with the app policy', () => {
    const fake = fakeSession();
    const policy = "default-src 'self'; script-src 'self'";
    hardenSession(fake.session, policy);
    let headers: Record<string, string[]> | undefined;
    fake.headers!({ responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] } }, (response) => (headers = response.responseHeaders));
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [policy] });
    fake.headers!({}, (response) => (headers = response.responseHeaders));
    expect(headers).toEqual({ 'Content-Security-Policy': [policy] });
  });
});

describe('web contents hardening', () => {
  const isApp = appPageMatcher({ rendererFile });

  it('blocks navigation, frame navigation and redirects away from the app page', () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents, isApp);
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(fake.attempt(event, 'https://example.com/')).toBe(false);
      expect(fake.attempt(event, 'file:///etc/passwd')).toBe(false);
      expect(fake.attempt(event, appUrl)).toBe(true);
    }
  });

  it('blocks webviews', () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents, isApp);
    const event = { preventDefault: vi.fn() };
    fake.events.emit('will-attach-webview', event, {}, { src: 'https://example.com' });
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('never opens a window; only https links go to the system browser', () => {
    const fake = fakeContents();
    const openExternal = vi.fn();
    hardenWebContents(fake.contents, isApp, { openExternal });
    for (const url of ['https://example.com/docs', appUrl, 'file:///etc/passwd', 'http://example.com', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.com/']) {
      expect(fake.open(url)).toEqual({ action: 'deny' });
    }
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://example.com/docs');
  });

  it('denies windows even without an external opener', () => {
    const fake = fakeContents();
    hardenWebContents(fake.contents, isApp);
    expect(fake.open('https://example.com/')).toEqual({ action: 'deny' });
  });

  it('lets only plain https links out', () => {
    expect(isExternalLink('https://example.com/a?b#c')).toBe(true);
    expect(isExternalLink('HTTPS://EXAMPLE.COM')).toBe(true);
    expect(isExternalLink('http://example.com')).toBe(false);
    expect(isExternalLink('file:///C:/x')).toBe(false);
    expect(isExternalLink('ms-msdt:/id')).toBe(false);
    expect(isExternalLink('garbage')).toBe(false);
  });
});
