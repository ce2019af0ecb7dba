import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AboutInfo } from '../../src/shared/about';
import { launchChromium } from './support/chromium';
import { screenshotOnFailure } from './support/failure-screenshot';
import { repoRoot, startServe, type ServedApp } from './support/serve';

/**
 * Browser mode's favicon and the About dialog, as a user meets them: the icon the page
 * announces is served and loads under the page's CSP, and About opens from the `?` overlay by
 * keyboard, shows the versions of what actually runs, and closes with Esc.
 */
let app: ServedApp;
let browser: Browser;
let page: Page | undefined;

const resultsDir = path.join(repoRoot, 'test-results');
const packageVersion = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const ortVersion = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;

/** HEAD of this checkout, or "unknown" where there is none (the build then says so too). */
function headCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** The build may be a few commits behind HEAD (built, then committed): it must name a real commit of this repository. */
function expectBuildCommit(shown: string): void {
  if (headCommit() === 'unknown') expect(shown).toBe('unknown');
  else expect(execFileSync('git', ['cat-file', '-t', shown], { cwd: repoRoot, encoding: 'utf8' }).trim(), shown).toBe('commit');
}

beforeAll(async () => {
  app = await startServe(['--demo']);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  await page.goto(app.url);
  await page.getByTestId('example-grid').locator('.ag-row .entity-subj').first().waitFor();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('browser mode: icon and About', () => {
  it('announces the Winnow icon, serves it, and the page may load it under its CSP', async () => {
    screenshotOnFailure(() => page, 'favicon');
    const p = page!;
    const links = await p.locator('link[rel="icon"]').evaluateAll((nodes) => nodes.map((n) => ({ href: (n as unknown as { href: string }).href, type: n.getAttribute('type') })));
    expect(links.map((l) => l.type)).toEqual(['image/svg+xml', 'image/png']);
    const committed: Record<string, Buffer> = {
      'image/svg+xml': fs.readFileSync(path.join(repoRoot, 'src/renderer/public/favicon.svg')),
      'image/png': fs.readFileSync(path.join(repoRoot, 'src/renderer/public/favicon.png')),
    };
    for (const link of links) {
      // The page's own cookie authenticates the request, as it does for the browser's icon fetch.
      const response = await p.request.get(link.href);
      expect(response.status(), link.href).toBe(200);
      expect(response.headers()['content-type']).toBe(link.type);
      expect(Buffer.from(await response.body()).equals(committed[link.type!]!), `${link.href} is the committed icon`).toBe(true);
    }
    // Decoded by the browser itself: a CSP that blocked images or a wrong type would fail here.
    const sizes = await p.evaluate(async (hrefs) => {
      const load = (src: string) =>
        new Promise<[number, number]>((resolve, reject) => {
          const image = new (globalThis as unknown as { Image: new () => { onload: () => void; onerror: () => void; src: string; naturalWidth: number; naturalHeight: number } }).Image();
          image.onload = () => resolve([image.naturalWidth, image.naturalHeight]);
          image.onerror = () => reject(new Error(`${src} did not load`));
          image.src = src;
        });
      return Promise.all(hrefs.map(load));
    }, links.map((l) => l.href));
    expect(sizes[0]![0]).toBeGreaterThan(0);
    expect(sizes[1]).toEqual([32, 32]);
  });

  it('opens About from the ? overlay by keyboard, shows what runs, and closes with Esc', async () => {
    screenshotOnFailure(() => page, 'about-dialog');
    const p = page!;
    await p.locator('body').click({ position: { x: 5, y: 890 } });
    await p.keyboard.press('?');
    await p.getByTestId('help-overlay').waitFor();
    // Close has the focus; About sits just before it.
    await p.keyboard.press('Shift+Tab');
    expect(await p.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid'))).toBe('open-about');
    await p.keyboard.press('Enter');
    const dialog = p.getByTestId('about-dialog');
    await dialog.waitFor();
    await expect.poll(() => dialog.getByTestId('about-version').innerText()).toBe(packageVersion);
    expect(await p.getByTestId('help-overlay').count()).toBe(0);

    expectBuildCommit(await dialog.getByTestId('about-commit').innerText());
    expect(await dialog.getByTestId('about-electron').innerText()).toBe('not used (browser mode)');
    expect(await dialog.getByTestId('about-node').innerText()).toBe(process.versions.node);
    expect(await dialog.getByTestId('about-ort').innerText()).toBe(ortVersion);
    expect(await dialog.getByTestId('about-providers').innerText()).toMatch(/^(\w+, )*cpu(, \w+)* available; rankings try (\w+ then )*cpu$/);
    const runs = (await p.evaluate(async () => (await (await fetch('/api/call/runs:list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json()) as { value: { id: number; provider: string }[] })).value;
    const lastUsed = await dialog.getByTestId('about-last-provider').innerText();
    if (runs.length === 0) expect(lastUsed).toBe('none: this project has no run yet');
    else expect(lastUsed).toMatch(new RegExp(`^${runs[0]!.provider} \\(run ${runs[0]!.id}, `));
    expect(await dialog.getByTestId('about-schema').innerText()).toMatch(/^version (\d+) \(this build writes \1\)$/);
    expect(await dialog.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);

    fs.mkdirSync(resultsDir, { recursive: true });
    await p.screenshot({ path: path.join(resultsDir, 'about-dialog.png') });

    await p.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('prints the same record for winnow --version --json', () => {
    const cli = path.join(repoRoot, 'bin', 'winnow.js');
    const about = AboutInfo.parse(JSON.parse(execFileSync(process.execPath, [cli, '--version', '--json'], { cwd: repoRoot, encoding: 'utf8' })));
    expect(about).toMatchObject({ name: 'Winnow', version: packageVersion, project: null, runtime: { electron: null, node: process.versions.node }, onnxRuntime: { version: ortVersion, lastUsed: null } });
    expect(about.onnxRuntime.available).toContain('cpu');
    expectBuildCommit(about.commit);
    // Without --json, --version stays the bare version scripts expect.
    expect(execFileSync(process.execPath, [cli, '--version'], { cwd: repoRoot, encoding: 'utf8' }).trim()).toBe(packageVersion);
  });
});
