import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The renderer's privileges in one place, so a test fails if any is loosened: no Node, an
 * isolated and sandboxed preload, no webviews, no remote content.
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

/** True only for pages the app itself loaded: the built renderer on file://, or the dev server. */
export function isAppUrl(url: string, devServerUrl: string | undefined): boolean {
  try {
    const parsed = new URL(url);
    if (devServerUrl) {
      const dev = new URL(devServerUrl);
      if (parsed.origin === dev.origin) return true;
    }
    return parsed.protocol === 'file:' && /\/out\/renderer\/index\.html$|\/renderer\/index\.html$/.test(parsed.pathname);
  } catch {
    return false;
  }
}
