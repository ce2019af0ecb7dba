import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoSession } from './support/demo-session';
import { screenshotOnFailure } from './support/failure-screenshot';
import { focusedRowIndex, fullyVisibleRows, offscreenTopBarButtons, pageScroll, paintedInRow } from './support/on-screen';
import { repoRoot } from './support/serve';

/**
 * The triage screen looked at the way a person looks at it, at a small laptop's size and at a
 * common desktop size, light and dark: nothing needs a sideways page scroll, at least ten
 * rows show, every row's two entities and its decision are on screen, the focused row is
 * never half hidden. Screenshots of each go to test-results/ to be looked at.
 */

const session = demoSession();
let page: Page | undefined;
const results = path.join(repoRoot, 'test-results');
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
] as const;

beforeAll(async () => {
  fs.mkdirSync(results, { recursive: true });
  // One ranking run, made through the UI, for every layout below.
  const context = await session.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const p = await context.newPage();
  await p.goto(session.app.url);
  await p.getByTestId('open-rank').click();
  await p.getByTestId('rank-start').click();
  await p.getByTestId('toast-info').filter({ hasText: /Run 1 finished/ }).waitFor({ timeout: 180_000 });
  await context.close();
});


async function open(size: (typeof SIZES)[number], colorScheme: 'light' | 'dark'): Promise<Page> {
  const context = await session.browser.newContext({ viewport: size, colorScheme });
  page = await context.newPage();
  await page.goto(session.app.url);
  // The run is chosen explicitly: each context starts without a remembered view.
  await page.getByTestId('run-picker').selectOption('1');
  await page.locator('[data-testid="example-grid"] .ag-row[row-index="0"] [col-id="sentence"] .entity-subj').waitFor();
  await expect.poll(() => page!.getByTestId('row-count').innerText()).toMatch(/^[\d,]+ matching examples$/);
  return page;
}

describe.each(SIZES)('triage at $width x $height', (size) => {
  it.each(['light', 'dark'] as const)('fits the window, shows 10+ rows with both entities and every decision (%s)', async (scheme) => {
    screenshotOnFailure(() => page, `layout-${size.width}x${size.height}-${scheme}`);
    const p = await open(size, scheme);

    // No sideways page scroll, before and after the grid takes the keyboard.
    let scroll = await pageScroll(p);
    expect(scroll.scrollWidth).toBeLessThanOrEqual(scroll.clientWidth);
    expect(await offscreenTopBarButtons(p)).toEqual([]);
    await p.keyboard.press('j');
    await expect.poll(() => focusedRowIndex(p)).not.toBeNull();
    scroll = await pageScroll(p);
    expect(scroll.scrollX).toBe(0);
    expect(scroll.scrollWidth).toBeLessThanOrEqual(scroll.clientWidth);

    // At least ten whole rows, each with both entities painted inside its cell.
    const rows = await fullyVisibleRows(p);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const index of rows.slice(0, 10)) {
      for (const role of ['subj', 'obj']) {
        const [mark] = await paintedInRow(p, index, `[col-id="sentence"] mark[data-role="${role}"]`);
        expect(mark, `row ${index} ${role}`).toMatchObject({ present: true, inside: true, painted: true });
      }
      const [decision] = await paintedInRow(p, index, '[col-id="decision"] [data-testid="row-decision"]');
      expect(decision, `row ${index} decision`).toMatchObject({ inside: true, painted: true });
      // The score, the suggestion and which strategies flagged the row are in view at every
      // size, each badge whole in its cell: in the Flagged by column at 1440, under the score at
      // 1024 (where that column gives its room to the sentence and the label).
      const [score] = await paintedInRow(p, index, '[col-id="score"] [data-testid="row-score"]');
      expect(score, `row ${index} score`).toMatchObject({ inside: true, painted: true });
      const [suggested] = await paintedInRow(p, index, '[col-id="label"] .label-suggested');
      expect(suggested, `row ${index} suggestion`).toMatchObject({ inside: true, painted: true });
      const badges = await paintedInRow(p, index, size.width >= 1440 ? '[col-id="strategies"] .badge' : '[col-id="score"] .badge');
      expect(badges.length, `row ${index} badges`).toBeGreaterThan(0);
      for (const badge of badges) expect(badge, `row ${index} badge ${badge.text}`).toMatchObject({ inside: true, painted: true });
    }

    // Eliminate the focused row: its decision reads "eliminate" in view, in the row itself.
    const decided = (await focusedRowIndex(p))!;
    await p.keyboard.press('e');
    await expect.poll(async () => (await paintedInRow(p, decided, '[col-id="decision"] [data-testid="row-decision"]'))[0]?.text).toBe('eliminate');
    expect((await paintedInRow(p, decided, '[col-id="decision"] [data-testid="row-decision"]'))[0]).toMatchObject({ inside: true, painted: true });
    expect(await p.locator(`[data-testid="example-grid"] .ag-row[row-index="${decided}"]`).getAttribute('class')).toContain('row-eliminate');

    // Down past the bottom of the view: the focused row stays whole and in view.
    for (let i = 0; i < rows.length + 3; i++) await p.keyboard.press('j');
    await expect.poll(async () => {
      const focused = await focusedRowIndex(p);
      return focused !== null && (await fullyVisibleRows(p)).includes(focused);
    }).toBe(true);
    scroll = await pageScroll(p);
    expect(scroll.scrollX).toBe(0);

    // The detail pane opens each example at its top.
    const detail = p.getByTestId('detail-pane');
    await detail.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await p.keyboard.press('j');
    await expect.poll(() => detail.evaluate((el) => el.scrollTop)).toBe(0);

    await p.keyboard.press('ArrowUp');
    await p.waitForTimeout(300);
    await p.screenshot({ path: path.join(results, `triage-${size.width}x${size.height}-${scheme}.png`) });
    await p.context().close();
  });
});
