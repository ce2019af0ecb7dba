import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoSession } from './support/demo-session';
import { screenshotOnFailure } from './support/failure-screenshot';

/**
 * The rank dialog's parameters reach the run, and the run picker's tooltip shows every one
 * stored with it, named as the dialog names them (one description, shared/ranking.ts).
 */
const session = demoSession();
let page: Page | undefined;

describe('rank parameters', () => {
  it('keeps the Start button in sight at 1024x700 and 1440x900, however long the dialog', async () => {
    screenshotOnFailure(() => page, 'rank-dialog-sizes');
    for (const viewport of [{ width: 1024, height: 700 }, { width: 1440, height: 900 }]) {
      page = await session.browser.newPage({ viewport });
      const p = page;
      await p.goto(session.app.url);
      await p.locator('[data-testid="example-grid"] .ag-row').first().waitFor();
      await p.getByTestId('open-rank').click();
      // Every strategy ticked: the longest form.
      for (const s of ['is', 'es', 'esp', 'cl', 'knn']) {
        const box = p.getByTestId(`strategy-${s}`);
        if (await box.isEnabled()) await box.check();
      }
      const start = p.getByTestId('rank-start');
      // Painted at its centre without scrolling: not below the fold, nothing over it.
      const seen = await start.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return { inside: r.top >= 0 && r.bottom <= window.innerHeight, painted: hit === el || el.contains(hit) };
      });
      expect(seen, `${viewport.width}x${viewport.height}`).toEqual({ inside: true, painted: true });
      await p.screenshot({ path: `test-results/rank-dialog-${viewport.width}.png` });
      await p.close();
    }
    page = undefined;
  });

  it('ranks CL with the filter, score and margin chosen in the dialog and shows them in the run picker', async () => {
    screenshotOnFailure(() => page, 'rank-parameters');
    page = await session.browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const p = page;
    await p.goto(session.app.url);
    await p.locator('[data-testid="example-grid"] .ag-row').first().waitFor();
    await p.getByTestId('open-rank').click();
    for (const s of ['is', 'knn']) await p.getByTestId(`strategy-${s}`).uncheck();
    await p.getByTestId('strategy-cl').check();
    await p.getByTestId('cl-filter').selectOption('both');
    await p.getByTestId('cl-score').selectOption('self_confidence');
    await p.getByTestId('cl-min-margin').fill('0.5');
    expect(await p.getByTestId('cl-positives').inputValue()).toBe('other-relations');
    await p.getByTestId('cl-positives').selectOption('all');
    await p.getByTestId('provider').selectOption('cpu');
    await p.getByTestId('repeats').selectOption('2');
    await p.getByTestId('rank-start').click();
    await p.getByTestId('toast-info').filter({ hasText: /Run \d+ finished on cpu/ }).waitFor({ timeout: 180_000 });
    await expect.poll(() => p.getByTestId('run-picker').locator('option:checked').innerText()).toMatch(/^#\d+ · [\d,]+ flagged · winnow-builtin \(5-fold × 2\)/);
    const tooltip = (await p.getByTestId('run-picker-label').getAttribute('title')) ?? '';
    expect(tooltip).toContain('CL filter_by: both');
    expect(tooltip).toContain('CL score: self_confidence');
    expect(tooltip).toContain('CL minimum margin: 0.5');
    expect(tooltip).toContain('CL flags on positives: all');
    expect(tooltip).toContain('Execution provider: cpu');
    expect(tooltip).toContain('Cross-fit repeats: 2');
    expect(tooltip).toContain('Strategies: cl');
    expect(tooltip).toMatch(/Negative label: no_relation/);
    const badge = p.locator('[data-testid="example-grid"] .ag-row .badge-cl').first();
    await badge.waitFor();
    expect(await badge.innerText()).toMatch(/^CL \d\.\d\d$/);
  }, 240_000);

  it('opens again on the shown run\'s parameters, and says why Start is disabled', async () => {
    screenshotOnFailure(() => page, 'rank-again');
    const p = page!;
    const [run] = await p.evaluate(async () => (await (await fetch('/api/call/runs%3Alist', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', credentials: 'same-origin' })).json()).value as { id: number }[]);
    await p.getByTestId('open-rank').click();
    await p.getByTestId('rank-dialog').waitFor();
    expect(await p.getByTestId('rank-blocked').innerText()).toBe(`Starting from run #${run!.id}'s parameters.`);
    expect(await p.getByTestId('strategy-cl').isChecked()).toBe(true);
    for (const s of ['is', 'knn']) expect(await p.getByTestId(`strategy-${s}`).isChecked(), s).toBe(false);
    expect(await p.getByTestId('cl-filter').inputValue()).toBe('both');
    expect(await p.getByTestId('cl-score').inputValue()).toBe('self_confidence');
    expect(await p.getByTestId('cl-min-margin').inputValue()).toBe('0.5');
    expect(await p.getByTestId('cl-positives').inputValue()).toBe('all');
    expect(await p.getByTestId('repeats').inputValue()).toBe('2');
    expect(await p.getByTestId('provider').inputValue()).toBe('cpu');
    // ES without a clean set: Start is disabled and the line beside it says why.
    await p.getByTestId('strategy-es').check();
    expect(await p.getByTestId('rank-start').isDisabled()).toBe(true);
    expect(await p.getByTestId('rank-blocked').innerText()).toBe('ES needs a clean set: tick one under Clean set.');
    await p.getByTestId('strategy-cl').uncheck();
    await p.getByTestId('strategy-es').uncheck();
    expect(await p.getByTestId('rank-blocked').innerText()).toBe('Tick at least one strategy.');
    await p.keyboard.press('Escape');
    await p.getByTestId('rank-dialog').waitFor({ state: 'detached' });
  });
});
