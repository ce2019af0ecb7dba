import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindowConstructorOptions, IpcMainInvokeEvent, Session, WebContents } from 'electron';

/**
 * Every renderer privilege and every session/page policy of the desktop shell lives here,
 * so one test file fails if any of them is loosened. Only types come from Electron: the
 * functions take the objects they harden, which lets tests pass fakes.
 */

export function secureWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
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
  };
}

export type AppPage = { rendererFile: string } | { devServerUrl: string };

/**
 * True only for the one page this app loads: the dev server's origin, or exactly the built
 * index.html (another `renderer/index.html` elsewhere on disk is not ours).
 */
export function appPageMatcher(page: AppPage, platform: NodeJS.Platform = process.platform): (url: string) => boolean {
  if ('devServerUrl' in page) {
    const origin = new URL(page.devServerUrl).origin;
    return (url) => {
      try {
        return new URL(url).origin === origin;
      } catch {
        return false;
      }
    };
  }
  // Windows paths compare case-insensitively; drive letters also come back in either case.
  const fold = (p: string) => (platform === 'win32' ? p.toLowerCase() : p);
  const expected = fold(path.resolve(page.rendererFile));
  return (url) => {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'file:' || (parsed.host !== '' && parsed.host !== 'localhost')) return false;
      return fold(path.resolve(fileURLToPath(parsed))) === expected;
    } catch {
      return false;
    }
  };
}

/**
 * IPC is answered only for the main frame of the app's own window while it shows the app
 * page: not iframes, not other windows, not a page it was navigated to.
 */
export function trustedSenderCheck(
  appContents: () => WebContents | null | undefined,
  isAppPage: (url: string) => boolean,
): (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>) => boolean {
  return (event) => {
    const contents = appContents();
    const frame = event.senderFrame;
    if (!contents || !frame || event.sender !== contents) return false;
    // Compared by frame id as well as identity: the wrapper object is not promised to be reused.
    const main = contents.mainFrame;
    if (frame !== main && (frame.parent !== null || frame.frameTreeNodeId !== main.frameTreeNodeId)) return false;
    return isAppPage(frame.url);
  };
}

export type HardenableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'on'> & {
  webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>;
};

/**
 * The app asks for no permission (camera, notifications, clipboard-read, HID, ...), so every
 * request and every check is denied, downloads are refused, and each response carries the
 * app's Content-Security-Policy in place of any it came with.
 */
export function hardenSession(session: HardenableSession, contentSecurityPolicy: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // Exports are written by the main process; the page has no reason to download anything.
  session.on('will-download', (event) => event.preventDefault());
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [contentSecurityPolicy];
    callback({ responseHeaders: headers });
  });
}

export type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export interface ContentsPolicyOptions {
  /** Hands https links the page tries to open to the system browser. */
  openExternal?: (url: string) => void;
}

/**
 * Applied to every web contents the app creates: no navigation or redirect away from the app
 * page in any frame, no new windows (https links go to the system browser instead), no
 * webviews.
 */
export function hardenWebContents(contents: HardenableContents, isAppPage: (url: string) => boolean, options: ContentsPolicyOptions = {}): void {
  contents.on('will-navigate', (event) => {
    if (!isAppPage(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppPage(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppPage(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (options.openExternal && isExternalLink(url)) options.openExternal(url);
    return { action: 'deny' };
  });
}

/** Only plain https links leave the app; file:, javascript:, custom schemes never do. */
export function isExternalLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
