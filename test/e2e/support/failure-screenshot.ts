import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { onTestFailed } from 'vitest';

/** Keeps a screenshot of the page when a test fails, under test-results/. */
export function screenshotOnFailure(page: () => Page | undefined, name: string): void {
  onTestFailed(async () => {
    const current = page();
    if (!current) return;
    const dir = path.resolve(import.meta.dirname, '../../../test-results');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name.replace(/[^\w-]+/g, '_')}.png`);
    await current.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    console.error(`screenshot saved: ${file}`);
  });
}
