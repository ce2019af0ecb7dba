import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/serve';

/**
 * The same flow in the real desktop app. Electron's binary is downloaded by its install
 * script, which cannot run on machines without network access; there this spec says so
 * and does not pretend to have run.
 */
function electronBinary(): { path: string | null; why: string } {
  // Read the package's path.txt rather than require('electron'), which would try a download.
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = path.join(packageDir, 'path.txt');
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const override = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return fs.existsSync(override) ? { path: override, why: '' } : { path: null, why: `ELECTRON_OVERRIDE_DIST_PATH has no binary at ${override}` };
  }
  if (!fs.existsSync(pathFile)) return { path: null, why: `${pathFile} is missing: the binary download (node_modules/electron/install.js) has not run` };
  const binary = path.join(packageDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? { path: binary, why: '' } : { path: null, why: `${binary} does not exist` };
}

const binary = electronBinary();
if (!binary.path) {
  console.warn(`\n[electron e2e] NOT RUN: Electron's binary is not installed here (${binary.why}). The browser-mode e2e covers the same flows against the same core.\n`);
}

let app: ElectronApplication | undefined;
afterAll(async () => {
  await app?.close();
});

describe('Electron app', () => {
  // Skipped only when the binary is absent; the reason is printed above.
  it.skipIf(!binary.path)('opens the demo project with highlighted spans in a secure window', async () => {
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-electron-'));
    app = await electron.launch({
      executablePath: binary.path!,
      args: [repoRoot, `--user-data-dir=${userData}`],
      env: { ...process.env, WINNOW_DATA_DIR: userData },
    });
    const page = await app.firstWindow();
    await page.locator('.ag-row mark.entity-subj').first().waitFor({ timeout: 60_000 });
    // No Node in the page; only the typed bridge.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { winnow?: { invoke?: unknown } }).winnow?.invoke)).toBe('function');
    const opened = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
    expect(opened).toBe(1);
  });
});
