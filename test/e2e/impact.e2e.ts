import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signedDelta, type CompareResult } from '../../src/shared/compare';
import type { RunSummary } from '../../src/shared/ranking';
import { demoSession } from './support/demo-session';
import { screenshotOnFailure } from './support/failure-screenshot';
import { pageScroll } from './support/on-screen';
import { dismissToasts } from './support/toasts';
import { repoRoot } from './support/serve';

/**
 * Does cleaning help, as a user meets it at 1440x900: a ranking's toast gives its model's
 * quality, the impact screen retrains on the variants the run can build and shows what it
 * measured, the report carries both, and the export dialog counts what decisions change.
 * Everything read off the screen is checked against what the server stored.
 */
const session = demoSession();
let page: Page | undefined;

/** A call through the page's own authenticated HTTP bridge. */
async function api<T>(p: Page, channel: string, input: unknown): Promise<T> {
  const answer = await p.evaluate(
    async ([c, i]) => (await fetch(`/api/call/${encodeURIComponent(c as string)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(i), credentials: 'same-origin' })).json(),
    [channel, input] as const,
  );
  expect(answer).toMatchObject({ ok: true });
  return (answer as { value: T }).value;
}

async function tableRows(p: Page): Promise<string[][]> {
  return p.getByTestId('impact-table').first().locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c as unknown as { innerText: string }).innerText.trim())));
}

describe('cleaning impact screen', () => {
  it('ranks, then says how good the model is', async () => {
    screenshotOnFailure(() => page, 'impact-rank');
    const context = await session.browser.newContext({ acceptDownloads: true, viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    const p = page;
    await p.goto(session.app.url);
    await p.getByTestId('example-grid').locator('.ag-row .entity-subj').first().waitFor();
    expect(await p.getByTestId('open-impact').isDisabled()).toBe(true);
    await p.getByTestId('open-rank').click();
    await p.getByTestId('model-builtin').check();
    for (const s of ['is', 'cl', 'knn']) await p.getByTestId(`strategy-${s}`).check();
    await p.getByTestId('rank-start').click();
    const toast = p.getByTestId('toast-info').filter({ hasText: /Run \d+ finished on cpu/ });
    await toast.waitFor({ timeout: 180_000 });
    const [run] = await api<RunSummary[]>(p, 'runs:list', {});
    expect(await toast.innerText()).toContain(
      `micro-F1 ${run!.quality!.microF1.toFixed(3)}, macro-F1 ${run!.quality!.macroF1.toFixed(3)}, ECE ${run!.quality!.ece.toFixed(3)}`,
    );
  });

  it('retrains on the chosen variants and shows what it measured, with the spread and the difference to the original', async () => {
    screenshotOnFailure(() => page, 'impact-screen');
    const p = page!;
    const [run] = await api<RunSummary[]>(p, 'runs:list', {});
    await p.getByTestId('open-impact').click();
    await p.getByTestId('impact-view').waitFor();
    // The defaults: train on train, score test, every variant this run can build but the human one.
    expect(await p.getByTestId('impact-train').inputValue()).toBe('train');
    expect(await p.getByTestId('impact-eval-test').isChecked()).toBe(true);
    expect(await p.getByTestId('impact-eval-dev').isChecked()).toBe(false);
    for (const v of ['EN', 'RN', 'ENP', 'RNP']) expect(await p.getByTestId(`impact-variant-${v}`).isDisabled(), v).toBe(true);
    // No decision yet: "reviewed" would be the original, and says so before anyone runs it.
    const project = await api<{ decisionCount: number }>(p, 'project:current', {});
    expect(project.decisionCount).toBe(0);
    expect(await p.getByTestId('impact-variant-reviewed').isDisabled()).toBe(true);
    expect(await p.locator('label.check', { has: p.getByTestId('impact-variant-reviewed') }).getAttribute('title')).toBe('No human decisions yet: the reviewed split would be the original');
    for (const v of ['original', 'E', 'R', 'CL-E', 'CL-R', 'KNN-E', 'KNN-R']) expect(await p.getByTestId(`impact-variant-${v}`).isChecked(), v).toBe(true);
    for (const v of ['R', 'CL-R', 'KNN-R']) await p.getByTestId(`impact-variant-${v}`).uncheck();
    // The seed count is taken as typed, never rewritten on the way ("10" used to pass through
    // "1" and "110" and end as 20); one out of range disables Run and says why.
    const seeds = p.getByTestId('impact-seeds');
    const blocked = p.getByTestId('impact-blocked');
    for (const typed of ['0', '21', '-1', 'abc', '']) {
      await seeds.fill(typed);
      expect(await seeds.inputValue(), typed).toBe(typed);
      expect(await p.getByTestId('impact-start').isDisabled(), typed).toBe(true);
      expect(await blocked.innerText(), typed).toBe('Seeds: a whole number from 1 to 20.');
    }
    await seeds.fill('');
    await seeds.pressSequentially('10');
    expect(await seeds.inputValue()).toBe('10');
    expect(await blocked.innerText()).toBe('');
    // Without an eval split: said too; switching the train split away and back ticks a default again.
    await p.getByTestId('impact-eval-test').uncheck();
    expect(await blocked.innerText()).toBe('Tick at least one split to evaluate on.');
    // (train on test: dev becomes its eval split, and stays ticked when train comes back).
    await p.getByTestId('impact-train').selectOption('test');
    expect(await p.getByTestId('impact-eval-dev').isChecked()).toBe(true);
    await p.getByTestId('impact-train').selectOption('train');
    expect(await p.getByTestId('impact-eval-dev').isChecked()).toBe(true);
    expect(await blocked.innerText()).toBe('');
    await p.getByTestId('impact-eval-test').check();
    await p.getByTestId('impact-eval-dev').uncheck();
    await seeds.fill('2');
    expect(await p.getByTestId('impact-start').isEnabled()).toBe(true);
    await p.getByTestId('impact-start').click();
    // Focus goes to the Cancel beside the disabled Run, not to the page body.
    await expect.poll(() => p.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('impact-cancel');
    await p.getByTestId('job').first().waitFor();
    await p.getByTestId('toast-info').filter({ hasText: /Comparison \d+ finished: 4 variants × 2 seeds/ }).waitFor({ timeout: 180_000 });
    await p.getByTestId('impact-results').waitFor();

    const [stored] = await api<CompareResult[]>(p, 'compare:list', { run: run!.id });
    const rows = await tableRows(p);
    expect(rows.map((r) => r[0])).toEqual(['original', 'E', 'CL-E', 'KNN-E']);
    const original = stored!.variants.find((v) => v.name === 'original')!.scores[0]!;
    const removedBy: Record<string, number> = { original: 0, E: run!.flags.is!, 'CL-E': run!.flags.cl!, 'KNN-E': run!.flags.knn! };
    for (const [index, [name, size, removed, relabelled, p3, r3, f1, spread, delta]] of rows.entries()) {
      const v = stored!.variants.find((x) => x.name === name)!;
      const s = v.scores[0]!;
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      // On screen: what was measured, to three decimals; the E datasets drop exactly the run's flags on train.
      expect([size, removed, relabelled], name).toEqual([v.trainSize, v.removed, 0].map((n) => n.toLocaleString('en-US')));
      expect(v.removed + v.trainSize, name).toBe(1200);
      expect(v.removed, name).toBeLessThanOrEqual(removedBy[name!]!);
      expect([p3, r3, f1], name).toEqual([mean(s.seeds.map((x) => x.p)), mean(s.seeds.map((x) => x.r)), s.f1.mean].map((x) => x.toFixed(3)));
      expect(spread, name).toBe(`${s.f1.min.toFixed(3)}–${s.f1.max.toFixed(3)}`);
      const d = s.f1.mean - original.f1.mean;
      expect(delta, name).toBe(name === 'original' ? '' : signedDelta(d));
      // Coloured only when the two seeds' F1 ranges do not overlap.
      const cell = p.getByTestId('impact-table').first().locator('tbody tr').nth(index).locator('td').last();
      const clear = name !== 'original' && (s.f1.min > original.f1.max || s.f1.max < original.f1.min);
      expect(await cell.getAttribute('class'), name).toBe(name === 'original' ? '' : !clear ? 'delta-flat' : d > 0 ? 'delta-up' : 'delta-down');
      expect(s.seeds.map((x) => x.seed)).toEqual([1, 2]);
    }
    // Every variant asked for could be built: no note.
    expect(await p.getByTestId('impact-skipped').count()).toBe(0);
    // The run ranked every split (the Rank dialog's default), test included: the screen says the
    // automatic variants' scores on test are not independent of the cleaning, as stored.
    expect(stored!.warnings).toEqual([expect.stringMatching(new RegExp(`^run ${run!.id} also ranked \\d+ examples of "test"`))]);
    const warning = p.getByTestId('impact-warnings');
    expect(await warning.isVisible()).toBe(true);
    expect(await warning.innerText()).toBe(stored!.warnings[0]);
    // The chart is drawn: its canvas holds painted pixels.
    const painted = await p.getByTestId('impact-chart').first().evaluate((canvas) => {
      const c = canvas as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(1000);
    const dir = path.join(repoRoot, 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    await p.screenshot({ path: path.join(dir, 'impact-screen.png') });
    await p.screenshot({ path: path.join(repoRoot, 'docs', 'screenshots', 'impact.png') });
  });

  it('puts the model quality and the comparison into the report and its saved HTML', async () => {
    screenshotOnFailure(() => page, 'impact-report');
    const p = page!;
    const [run] = await api<RunSummary[]>(p, 'runs:list', {});
    await p.getByTestId('open-report').click();
    // The report's model-quality section: the same content as the saved file's (shared/report-content).
    await p.getByTestId('report-section-quality').waitFor();
    expect(await p.getByTestId('quality-micro-f1').innerText()).toBe(run!.quality!.microF1.toFixed(3));
    expect(await p.getByTestId('quality-ece').innerText()).toBe(run!.quality!.ece.toFixed(3));
    await p.getByTestId('report-section-quality').screenshot({ path: path.join(repoRoot, 'test-results', 'quality-panel.png') });
    const downloadPromise = p.waitForEvent('download');
    await p.getByTestId('report-save').click();
    const saved = path.join(session.app.dataDir, 'impact-report.html');
    await (await downloadPromise).saveAs(saved);
    const html = fs.readFileSync(saved, 'utf8');
    expect(html).toContain('Does cleaning help? Retraining on each variant');
    expect(html).toContain('id="chart-impact-0"');
    expect(html).toContain('id="chart-reliability"');
    // The saved page draws its charts under its own CSP: flags and agreement (no decisions yet, so
    // no label changes or timeline; no reference), the reliability diagram and the one impact chart.
    const report = await p.context().newPage();
    await report.goto(`file://${saved}`);
    await expect.poll(() => report.evaluate(() => Number((globalThis as unknown as { document: { body: { getAttribute(name: string): string | null } } }).document.body.getAttribute('data-charts-drawn')))).toBe(4);
    await report.close();
    await p.getByTestId('report-open-impact').click();
    await p.getByTestId('impact-results').waitFor();
    await p.getByTestId('open-impact').click();
  });

  it('shows in the report the comparison chosen on the impact screen, across the whole width', async () => {
    screenshotOnFailure(() => page, 'impact-chosen');
    const p = page!;
    const [run] = await api<RunSummary[]>(p, 'runs:list', {});
    const [first] = await api<CompareResult[]>(p, 'compare:list', { run: run!.id });
    // A second, smaller comparison: the newest, so the report would show it by default.
    await p.getByTestId('open-impact').click();
    await p.getByTestId('impact-view').waitFor();
    for (const v of ['E', 'R', 'CL-E', 'CL-R', 'KNN-E', 'KNN-R']) await p.getByTestId(`impact-variant-${v}`).uncheck();
    await p.getByTestId('impact-seeds').fill('1');
    await p.getByTestId('impact-start').click();
    await p.getByTestId('toast-info').filter({ hasText: /Comparison \d+ finished: 1 variant × 1 seed / }).waitFor({ timeout: 180_000 });
    const list = await api<CompareResult[]>(p, 'compare:list', { run: run!.id });
    expect(list.map((c) => c.id)).toEqual([list[0]!.id, first!.id]);
    expect(await p.getByTestId('impact-history').inputValue()).toBe(String(list[0]!.id));
    // The first one chosen here is the one the report shows, and saves.
    await p.getByTestId('impact-history').selectOption(String(first!.id));
    await p.getByTestId('open-report').click();
    const section = p.getByTestId('report-section-comparison-0');
    await section.waitFor();
    expect(await p.getByTestId('report-comparison').inputValue()).toBe(String(first!.id));
    expect(await section.innerText()).toContain(`Comparison ${first!.id} (`);
    // Wide: the section spans the sections' whole width, and its table is not squeezed into a column.
    const widths = await p.evaluate(() => ({
      sections: document.querySelector('.report-sections')!.getBoundingClientRect().width,
      section: document.querySelector('[data-testid="report-section-comparison-0"]')!.getBoundingClientRect().width,
      rowHeight: document.querySelector('#table-impact-0 tbody tr')!.getBoundingClientRect().height,
    }));
    expect(widths.section).toBeGreaterThan(0.95 * widths.sections);
    expect(widths.rowHeight).toBeLessThan(60);
    const downloadPromise = p.waitForEvent('download');
    await p.getByTestId('report-save').click();
    const saved = path.join(session.app.dataDir, 'impact-report-chosen.html');
    await (await downloadPromise).saveAs(saved);
    expect(fs.readFileSync(saved, 'utf8')).toContain(`Comparison ${first!.id} (`);
    // Opened from the report, the impact screen goes back to it, with Esc too.
    await p.getByTestId('report-open-impact').click();
    await p.getByTestId('impact-view').waitFor();
    expect(await p.getByTestId('impact-back').innerText()).toBe('Back to the report (Esc)');
    await p.keyboard.press('Escape');
    await p.getByTestId('report-view').waitFor();
    await p.keyboard.press('Escape');
    await p.getByTestId('example-grid').waitFor();
  });

  it('holds up at 1024x700: the form, the table and the report fit the window', async () => {
    screenshotOnFailure(() => page, 'impact-1024');
    const p = page!;
    await p.setViewportSize({ width: 1024, height: 700 });
    await p.getByTestId('open-impact').click();
    await p.getByTestId('impact-results').waitFor();
    const inside = (testId: string) =>
      p.getByTestId(testId).first().evaluate((el) => {
        const r = el.getBoundingClientRect();
        return r.left >= 0 && r.right <= window.innerWidth && r.width > 0;
      });
    expect(await inside('impact-start')).toBe(true);
    expect(await inside('impact-seeds')).toBe(true);
    // The table's last column (the difference to the original) is on screen.
    const lastHeader = await p.getByTestId('impact-table').first().locator('thead th').last().evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { right: r.right, width: window.innerWidth, text: el.textContent };
    });
    expect(lastHeader.text).toBe('vs original');
    expect(lastHeader.right).toBeLessThanOrEqual(lastHeader.width);
    const scroll = await pageScroll(p);
    expect(scroll.scrollWidth).toBeLessThanOrEqual(scroll.clientWidth);
    await dismissToasts(p);
    await p.screenshot({ path: path.join(repoRoot, 'test-results', 'impact-1024.png') });
    await p.getByTestId('open-report').click();
    await p.getByTestId('report-section-comparison-0').waitFor();
    const report = await p.evaluate(() => {
      const el = document.querySelector('[data-testid="report-view"]')!;
      return { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth };
    });
    expect(report.scrollWidth).toBeLessThanOrEqual(report.clientWidth);
    await dismissToasts(p);
    await p.getByTestId('report-section-comparison-0').screenshot({ path: path.join(repoRoot, 'test-results', 'impact-report-1024.png') });
    // The saved HTML too: it used to scroll sideways at this width (1,094 px of page).
    const saved = await p.context().newPage();
    await saved.setViewportSize({ width: 1024, height: 700 });
    await saved.goto(`file://${path.join(session.app.dataDir, 'impact-report-chosen.html')}`);
    await saved.locator('#section-comparison-0').waitFor();
    const savedScroll = await pageScroll(saved);
    expect(savedScroll.scrollWidth).toBeLessThanOrEqual(savedScroll.clientWidth);
    const sectionWidth = await saved.evaluate(() => ({ section: document.querySelector('#section-comparison-0')!.getBoundingClientRect().width, page: document.querySelector('.sections')!.getBoundingClientRect().width }));
    expect(sectionWidth.section).toBeGreaterThan(0.95 * sectionWidth.page);
    await saved.screenshot({ path: path.join(repoRoot, 'test-results', 'impact-saved-html-1024.png'), fullPage: false });
    await saved.close();
    await p.keyboard.press('Escape');
    await p.getByTestId('example-grid').waitFor();
    await p.setViewportSize({ width: 1440, height: 900 });
  });

  it('counts in the export dialog what the human decisions change', async () => {
    screenshotOnFailure(() => page, 'impact-export');
    const p = page!;
    const [run] = await api<RunSummary[]>(p, 'runs:list', {});
    await p.getByTestId('open-export').click();
    await p.getByTestId('export-mode-auto').check();
    await p.getByTestId('export-apply').selectOption('eliminate');
    await p.getByTestId('export-strategy').selectOption('is');
    const preview = p.getByTestId('export-preview');
    await expect.poll(() => preview.innerText()).toMatch(/^[\d,]+ of [\d,]+ records written: [\d,]+ dropped, 0 relabelled\.$/);
    expect(await p.getByTestId('export-override').isChecked()).toBe(false);
    await p.getByTestId('export-override').check();
    await expect.poll(() => preview.innerText()).toContain('Your decisions change 0 of these records against the flags alone (an E dataset never relabels');
    const previewed = await api<{ eliminated: number; flagged: number }>(p, 'export:preview', { split: 'train', mode: 'auto', run: run!.id, strategy: 'is', apply: 'eliminate' });
    expect(await preview.innerText()).toContain(`${previewed.eliminated.toLocaleString('en-US')} dropped`);
    await p.keyboard.press('Escape');
  });
});
