import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoSession } from './support/demo-session';
import { screenshotOnFailure } from './support/failure-screenshot';

const session = demoSession();
let page: Page | undefined;

function tacredRecord(id: string, relation: string, tokens: string[], subj: [number, number], obj: [number, number]) {
  return { id, relation, token: tokens, subj_start: subj[0], subj_end: subj[1], obj_start: obj[0], obj_end: obj[1], subj_type: 'PERSON', obj_type: 'CITY', custom: { kept: true } };
}

async function openApp(): Promise<Page> {
  const context = await session.browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  await page.goto(session.app.url);
  await page.getByTestId('example-grid').locator('.ag-row .entity-subj').first().waitFor();
  return page;
}

async function visibleLabels(p: Page): Promise<string[]> {
  await p.locator('[data-testid="example-grid"] .ag-row [col-id="label"]').first().waitFor();
  return p.locator('[data-testid="example-grid"] .ag-row [col-id="label"]').allInnerTexts();
}

describe('browser mode', () => {
  it('opens the demo: the grid shows sentences with typed subject and object spans', async () => {
    screenshotOnFailure(() => page, 'demo-grid');
    const p = await openApp();
    await expect.poll(() => p.getByTestId('row-count').innerText()).toMatch(/^[\d,]+ matching examples$/);
    const firstRow = p.locator('[data-testid="example-grid"] .ag-row').first();
    const subj = firstRow.locator('mark.entity-subj');
    const obj = firstRow.locator('mark.entity-obj');
    await expect.poll(() => subj.count()).toBe(1);
    await expect.poll(() => obj.count()).toBe(1);
    expect(await subj.locator('.entity-tag').innerText()).toMatch(/^S:[A-Z_]+$/);
    expect(await obj.locator('.entity-tag').innerText()).toMatch(/^O:[A-Z_]+$/);
    expect(await p.getByTestId('project-stats').innerText()).toMatch(/train [\d,]+ · dev [\d,]+ · test [\d,]+/);
  });

  it('sorts by label from the column header, in SQL', async () => {
    screenshotOnFailure(() => page, 'sort');
    const p = page!;
    await p.locator('.ag-header-cell[col-id="label"] .ag-header-cell-label').click();
    await expect.poll(async () => {
      const labels = await visibleLabels(p);
      return labels.length > 5 && labels.every((l, i) => i === 0 || labels[i - 1]!.localeCompare(l, 'en', { sensitivity: 'variant' }) <= 0 || labels[i - 1]! <= l);
    }).toBe(true);
    await p.locator('.ag-header-cell[col-id="label"] .ag-header-cell-label').click();
    await expect.poll(async () => {
      const labels = await visibleLabels(p);
      return labels.length > 5 && labels[0]! >= labels[labels.length - 1]!;
    }).toBe(true);
  });

  it('filters by label, split, entity type and text', async () => {
    screenshotOnFailure(() => page, 'filter');
    const p = page!;
    const totalText = await p.getByTestId('row-count').innerText();
    await p.getByTestId('filter-label').selectOption('no_relation');
    await expect.poll(async () => (await visibleLabels(p)).every((l) => l === 'no_relation')).toBe(true);
    await expect.poll(() => p.getByTestId('row-count').innerText()).not.toBe(totalText);
    await p.getByTestId('filter-split').selectOption('dev');
    await expect.poll(async () => (await p.locator('[data-testid="example-grid"] .ag-row [col-id="split"]').allInnerTexts()).every((s) => s === 'dev')).toBe(true);
    await p.getByTestId('filter-label').selectOption('');
    await p.getByTestId('filter-split').selectOption('');
    await p.getByTestId('filter-more').click();
    const subjType = (await p.getByTestId('filter-subj-type').locator('option').allInnerTexts())[1]!;
    await p.getByTestId('filter-subj-type').selectOption(subjType);
    await expect.poll(async () => (await p.locator('[data-testid="example-grid"] .ag-row [col-id="subjType"]').allInnerTexts()).every((s) => s === subjType)).toBe(true);
    await p.getByTestId('filter-subj-type').selectOption('');
    // Text search on an id that exists exactly once.
    await p.getByTestId('filter-text').fill('demo-test-000007');
    await expect.poll(() => p.getByTestId('row-count').innerText()).toBe('1 matching examples');
    await p.getByTestId('filter-text').fill('');
    await expect.poll(() => p.getByTestId('row-count').innerText()).toBe(totalText);
  });

  it('imports a file through the UI, shows it, and exports it back deep-equal', async () => {
    screenshotOnFailure(() => page, 'import-export');
    const p = page!;
    const records = [
      tacredRecord('ui-1', 'per:city_of_birth', ['Marie', 'Curie', 'was', 'born', 'in', 'Warsaw', '.'], [0, 1], [5, 5]),
      tacredRecord('ui-2', 'no_relation', ['Warsaw', 'hosted', 'Marie', 'Curie', 'once', '.'], [2, 3], [0, 0]),
      tacredRecord('ui-3', 'per:cities_of_residence', ['Curie', 'lived', 'in', 'Paris', '.'], [0, 0], [3, 3]),
    ];
    const file = path.join(session.app.dataDir, 'ui-import.json');
    fs.writeFileSync(file, JSON.stringify(records, null, 1));
    await p.getByTestId('open-import').click();
    await p.getByTestId('import-file').setInputFiles(file);
    await p.getByTestId('import-split').fill('extra');
    await p.getByTestId('import-start').click();
    await p.getByTestId('toast-info').filter({ hasText: 'Imported 3 examples from ui-import.json into “extra”' }).waitFor();
    await p.getByTestId('filter-split').selectOption('extra');
    await expect.poll(() => p.getByTestId('row-count').innerText()).toBe('3 matching examples');
    await expect.poll(() => p.locator('[data-testid="example-grid"] .ag-row mark.entity-obj .entity-text').allInnerTexts()).toEqual(expect.arrayContaining(['Warsaw', 'Paris']));

    await p.getByTestId('open-export').click();
    await p.getByTestId('export-split').selectOption('extra');
    // An export downloads the data file, its manifest and its decisions CSV at once, in whatever
    // order the browser starts them: wait for the data file by name.
    const downloadPromise = p.waitForEvent('download', (d) => d.suggestedFilename().endsWith('.json') && !d.suggestedFilename().endsWith('.manifest.json'));
    await p.getByTestId('export-start').click();
    const download = await downloadPromise;
    const saved = path.join(session.app.dataDir, 'downloaded.json');
    await download.saveAs(saved);
    expect(JSON.parse(fs.readFileSync(saved, 'utf8'))).toEqual(records);
  });

  it('rejects a bad file with the record and field, and changes nothing', async () => {
    screenshotOnFailure(() => page, 'import-error');
    const p = page!;
    const before = await p.getByTestId('project-stats').innerText();
    const file = path.join(session.app.dataDir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify([tacredRecord('bad-1', 'no_relation', ['a', 'b'], [0, 0], [1, 1]), tacredRecord('bad-2', 'no_relation', ['a', 'b'], [0, 0], [1, 7])]));
    await p.getByTestId('open-import').click();
    await p.getByTestId('import-file').setInputFiles(file);
    await p.getByTestId('import-split').fill('broken');
    await p.getByTestId('import-start').click();
    const error = p.getByTestId('toast-error').filter({ hasText: 'record 1 id "bad-2", field "obj_end"' });
    await error.waitFor();
    expect(await p.getByTestId('project-stats').innerText()).toBe(before);
  });

  it('ranks with the built-in model and shows the flags with strategy badges', async () => {
    screenshotOnFailure(() => page, 'rank');
    const p = page!;
    await p.getByTestId('filter-split').selectOption('');
    await p.getByTestId('open-rank').click();
    await p.getByTestId('model-builtin').check();
    for (const s of ['is', 'cl', 'knn']) await p.getByTestId(`strategy-${s}`).check();
    await p.getByTestId('rank-start').click();
    await p.getByTestId('job').first().waitFor();
    await p.getByTestId('toast-info').filter({ hasText: /Run \d+ finished on cpu: \d+ examples flagged/ }).waitFor({ timeout: 180_000 });
    await expect.poll(() => p.getByTestId('run-picker').locator('option:checked').innerText()).toMatch(/^#\d+ · [\d,]+ flagged · winnow-builtin/);
    const badges = p.locator('[data-testid="example-grid"] .ag-row .badge');
    await badges.first().waitFor();
    expect(await badges.first().innerText()).toMatch(/^(IS|CL|KNN) \d?\.\d\d$/);
    // The queue's first rows are those most strategies agree on.
    const firstRowBadges = await p.locator('[data-testid="example-grid"] .ag-row[row-index="0"] .badge').count();
    expect(firstRowBadges).toBeGreaterThanOrEqual(2);
    await p.getByTestId('filter-strategy').selectOption('cl');
    await expect.poll(async () => {
      const rows = p.locator('[data-testid="example-grid"] .ag-row');
      const n = await rows.count();
      if (n === 0) return false;
      for (let i = 0; i < Math.min(n, 8); i++) {
        if (!(await rows.nth(i).locator('.badge-cl').count())) return false;
      }
      return true;
    }).toBe(true);
  });

  it('shows the report with charts and saves it as a self-contained HTML file', async () => {
    screenshotOnFailure(() => page, 'report');
    const p = page!;
    await p.getByTestId('open-report').click();
    await p.getByTestId('report-view').waitFor();
    // No decision yet: flags and agreement are charted, the label changes say there are none.
    await expect.poll(() => p.locator('[data-testid="report-view"] canvas').count()).toBeGreaterThanOrEqual(2);
    expect(await p.getByTestId('report-section-labels').innerText()).toContain('No decision has changed a label count yet');
    const downloadPromise = p.waitForEvent('download');
    await p.getByTestId('report-save').click();
    const download = await downloadPromise;
    const saved = path.join(session.app.dataDir, 'report.html');
    await download.saveAs(saved);
    const html = fs.readFileSync(saved, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<canvas');
    // Self-contained: no script or stylesheet is fetched from anywhere.
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+stylesheet/i);
    await p.getByTestId('open-report').click();
  });
});
