import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoSession } from './support/demo-session';
import { screenshotOnFailure } from './support/failure-screenshot';
import { repoRoot, startServe } from './support/serve';

const session = demoSession();
let page: Page | undefined;

function decisions(dataDir: string): Record<string, unknown>[] {
  const out = execFileSync(process.execPath, [path.join(repoRoot, 'bin', 'winnow.js'), 'decisions', path.join(dataDir, 'demo.winnow'), '--format', 'jsonl'], { encoding: 'utf8' });
  return out.trim() ? out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) : [];
}

async function decidedText(p: Page) {
  return p.getByTestId('decided-progress').innerText();
}

describe('triage by keyboard', () => {
  it('ranks, then triages 20 examples with keys only, with a reannotation, an undo and a redo', async () => {
    screenshotOnFailure(() => page, 'triage-keyboard');
    const context = await session.browser.newContext({ viewport: { width: 1600, height: 950 } });
    page = await context.newPage();
    const p = page;
    await p.goto(session.app.url);
    await p.locator('[data-testid="example-grid"] .ag-row .entity-subj').first().waitFor();
    // The page's run list is read back slowly, as on a busy machine: the keys below are pressed
    // as soon as the message says the run finished, and must act on that run's queue (not on the
    // list without a run the page would show until the new run is in its list).
    const isRunList = (url: URL) => decodeURIComponent(url.pathname) === '/api/call/runs:list';
    await p.route(isRunList, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await p.getByTestId('open-rank').click();
    await p.getByTestId('rank-start').click();
    await p.getByTestId('toast-info').filter({ hasText: /Run 1 finished/ }).waitFor({ timeout: 180_000 });
    await p.unrouteAll({ behavior: 'wait' });
    await expect.poll(() => decidedText(p), { timeout: 15_000 }).toMatch(/^0 \/ [\d,]+ decided$/);

    await p.keyboard.press('ArrowDown');
    const keys = ['k', 'e', 'a', 'k', 'e', 'k', 'a', 'e', 'k', 'k', 'e', 'a', 'k', 'e', 'k', 'k', 'e', 'k', 'a'];
    for (const key of keys) {
      await p.keyboard.press(key);
      // Each decision is written before the next key (the progress counter says so).
    }
    await expect.poll(() => decidedText(p), { timeout: 15_000 }).toMatch(/^19 \//);
    // The 20th: reannotate through the type-ahead picker, typed and chosen before the picker's
    // labels arrive (held back here): Enter waits for them rather than offering a new label.
    const isLabelList = (url: URL) => decodeURIComponent(url.pathname) === '/api/call/labels:list';
    await p.route(isLabelList, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await p.keyboard.press('r');
    await p.getByTestId('label-picker').waitFor();
    await p.keyboard.type('employee_of');
    await p.keyboard.press('Enter');
    await p.unrouteAll({ behavior: 'wait' });
    await expect.poll(() => decidedText(p), { timeout: 15_000 }).toMatch(/^20 \//);
    const ms = await p.evaluate(() => (globalThis as unknown as { __winnowLastDecisionMs?: number }).__winnowLastDecisionMs);
    console.log(`[e2e timing] last decision persisted and acknowledged in ${ms?.toFixed(1)} ms (printed, not asserted)`);

    // Undo, then redo, the reannotation.
    await p.keyboard.press('u');
    await expect.poll(() => decidedText(p), { timeout: 15_000 }).toMatch(/^19 \//);
    await p.keyboard.press('Shift+U');
    await expect.poll(() => decidedText(p), { timeout: 15_000 }).toMatch(/^20 \//);

    // Help overlay lists the keys.
    await p.keyboard.press('?');
    await p.getByTestId('help-overlay').waitFor();
    expect(await p.getByTestId('help-overlay').innerText()).toMatch(/reannotate/);
    await p.keyboard.press('Escape');
    await p.getByTestId('help-overlay').waitFor({ state: 'detached' }).catch(async () => p.getByRole('button', { name: 'Close' }).click());

    await p.keyboard.press('ArrowUp');
    await p.getByTestId('detail-pane').getByTestId('history').waitFor();

    const logged = decisions(session.app.dataDir);
    expect(logged).toHaveLength(20);
    expect(logged.filter((d) => d.action === 'eliminate').length).toBeGreaterThanOrEqual(6);
    expect(logged.some((d) => d.action === 'reannotate' && /employee_of/.test(String(d.newLabel)))).toBe(true);
  });

  it('applies a bulk action to the filtered set after a count confirmation, and one undo reverts it', async () => {
    screenshotOnFailure(() => page, 'triage-bulk');
    const p = page!;
    const unfiltered = await p.getByTestId('row-count').innerText();
    await p.getByTestId('filter-strategy').selectOption('is');
    // The count read is the one for both filters: the answer to the query that carries them,
    // then the screen showing it (a count polled after the first filter alone could be read).
    const both = (body: string) => body.includes('"dev"') && body.includes('"is"');
    const answered = p.waitForResponse((r) => /\/api\/call\/examples(%3A|:)query/.test(r.url()) && both(r.request().postData() ?? ''));
    await p.getByTestId('filter-split').selectOption('dev');
    const count = ((await (await answered).json()) as { value: { total: number } }).value.total;
    await expect.poll(() => p.getByTestId('row-count').innerText()).toBe(`${count.toLocaleString('en-US')} matching examples`);
    expect(await p.getByTestId('row-count').innerText()).not.toBe(unfiltered);
    expect(count).toBeGreaterThan(0);
    await p.locator('[data-testid="example-grid"] .ag-row').first().waitFor();
    await p.keyboard.press('b');
    await p.getByTestId('bulk-dialog').waitFor();
    await p.getByTestId('bulk-scope-filter').check();
    await p.getByTestId('bulk-action').selectOption('keep');
    expect(await p.getByTestId('bulk-count').innerText()).toContain(`keep ${count.toLocaleString()} example`);
    await p.getByTestId('bulk-confirm').click();
    await p.getByTestId('toast-info').filter({ hasText: `Applied keep to ${count.toLocaleString()} examples` }).waitFor();
    await expect.poll(() => decidedText(p), { timeout: 15_000 }).toBe(`${count.toLocaleString()} / ${count.toLocaleString()} decided`);
    const before = decisions(session.app.dataDir).length;
    await p.locator('[data-testid="example-grid"] .ag-row').first().click();
    await p.keyboard.press('u');
    await p.getByTestId('toast-info').filter({ hasText: `Undone: ${count} example` }).waitFor();
    expect(decisions(session.app.dataDir).length).toBeLessThan(before);
    await p.keyboard.press('Shift+U');
    await expect.poll(() => decisions(session.app.dataDir).length).toBe(before);
  });

  it('acts on the row each key was pressed on, also while the grid reloads', async () => {
    screenshotOnFailure(() => page, 'triage-reload');
    const p = page!;
    if (await p.getByTestId('filter-clear').isEnabled()) await p.getByTestId('filter-clear').click();
    await p.locator('[data-testid="example-grid"] .ag-row').first().click();
    await p.keyboard.press('g');
    await p.waitForTimeout(300);
    const before = decisions(session.app.dataDir);
    const decidedBefore = new Set(before.map((d) => d.id));
    // A finished import changes the project, so the page refetches its grid; the refetch is held
    // back while the keys are pressed, as a slow machine would (the grid has only placeholders).
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The page names channels URL-encoded (examples%3Aquery).
    const isQuery = (url: URL) => decodeURIComponent(url.pathname) === '/api/call/examples:query';
    await p.route(isQuery, async (route) => {
      await held;
      await route.continue();
    });
    const reloading = p.waitForRequest((request) => isQuery(new URL(request.url())));
    const record = (id: string) => ({ id, relation: 'no_relation', token: ['A', 'met', 'B', '.'], subj_start: 0, subj_end: 0, obj_start: 2, obj_end: 2, subj_type: 'PERSON', obj_type: 'PERSON' });
    const started = await p.evaluate(async (records) => {
      const up = (await (await fetch('/api/upload?name=reload.json', { method: 'POST', body: JSON.stringify(records) })).json()) as { token: string };
      return (await fetch('/api/call/import:start', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ file: up.token, split: 'reload' }) })).json();
    }, [record('reload-1'), record('reload-2')]);
    expect(started).toMatchObject({ ok: true });
    await reloading;
    for (let i = 0; i < 8; i++) await p.keyboard.press('k');
    await p.waitForTimeout(300);
    release();
    await p.unrouteAll({ behavior: 'wait' });
    await expect.poll(() => decisions(session.app.dataDir).length, { timeout: 15_000 }).toBe(before.length + 8);
    const added = decisions(session.app.dataDir).filter((d) => !decidedBefore.has(d.id));
    // Eight keys, eight different examples: none lost, none decided twice.
    expect(new Set(added.map((d) => d.id)).size).toBe(8);
  });

  it('keeps every decision across a server restart', async () => {
    const p = page!;
    const before = decisions(session.app.dataDir);
    await session.app.stop();
    session.app = await startServe([path.join(session.app.dataDir, 'demo.winnow')], session.app.dataDir);
    await p.goto(session.app.url);
    await p.locator('[data-testid="example-grid"] .ag-row .entity-subj').first().waitFor();
    expect(decisions(session.app.dataDir)).toEqual(before);
    await p.getByTestId('filter-decision').selectOption('decided');
    await expect.poll(async () => (await p.getByTestId('row-count').innerText()).split(' ')[0]).toBe(String(before.length));
  });
});
