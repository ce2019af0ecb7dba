import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoSession } from './support/demo-session';
import { screenshotOnFailure } from './support/failure-screenshot';
import { repoRoot } from './support/serve';

const session = demoSession();
let page: Page | undefined;

const winnow = (...args: string[]) => execFileSync(process.execPath, [path.join(repoRoot, 'bin', 'winnow.js'), ...args], { encoding: 'utf8' });

/** The page's own API call (as the app makes it), for what the annotator dialog would set. */
async function setAnnotator(p: Page, annotator: string): Promise<void> {
  await p.evaluate(async (name) => {
    const response = await fetch('/api/call/settings:set', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ annotator: name }), credentials: 'same-origin' });
    if (!response.ok) throw new Error(await response.text());
  }, annotator);
}

describe('a team in browser mode', () => {
  it("merges a teammate's log, shows the conflict side by side, adjudicates it and exports the log", async () => {
    screenshotOnFailure(() => page, 'team');
    const dir = session.app.dataDir;
    const context = await session.browser.newContext({ acceptDownloads: true, viewport: { width: 1600, height: 950 } });
    page = await context.newPage();
    const p = page;
    await p.goto(session.app.url);
    await p.locator('[data-testid="example-grid"] .ag-row .entity-subj').first().waitFor();
    await setAnnotator(p, 'alice');
    await p.reload();
    await p.locator('[data-testid="example-grid"] .ag-row .entity-subj').first().waitFor();
    // Alice decides three examples from the keyboard: keep, eliminate, keep. The page first
    // puts the cursor on the first undecided example (the detail pane shows it); keys go from there.
    const firstInFile = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'resources', 'demo', 'train.json'), 'utf8')) as { id: string }[])[0]!.id;
    await expect.poll(() => p.getByTestId('detail-id').innerText().catch(() => '')).toBe(firstInFile);
    for (const [n, key] of ['k', 'e', 'k'].entries()) {
      await p.keyboard.press(key);
      await expect.poll(() => p.getByTestId('decided-progress').innerText()).toMatch(new RegExp(`^${n + 1} /`));
    }
    const mine = winnow('decisions', path.join(dir, 'demo.winnow'), '--annotator', 'alice')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; action: string });
    expect(mine.map((d) => d.action)).toEqual(['keep', 'eliminate', 'keep']);
    const first = mine.map((d) => d.id);
    // One annotator: the export dialog does not ask how to settle disagreements.
    const exportPolicy = async () => {
      await p.getByTestId('open-export').click();
      await p.getByTestId('export-split').selectOption('train');
      await expect.poll(() => p.getByTestId('export-preview').innerText()).toMatch(/records written/);
      const preview = await p.getByTestId('export-preview').innerText();
      const offered = await p.getByTestId('export-resolve').isVisible();
      await p.keyboard.press('Escape');
      await p.getByTestId('export-dialog').waitFor({ state: 'detached' });
      return { preview, offered };
    };
    expect(await exportPolicy()).toEqual({ preview: expect.not.stringContaining('disagree'), offered: false });

    // Bob works in his own copy of the demo data, made with the CLI, and sends his log: he
    // eliminates the first (alice kept it) and agrees with her on the other two.
    const bob = path.join(dir, 'bob.winnow');
    for (const split of ['train', 'dev', 'test']) winnow('import', bob, path.join(repoRoot, 'resources', 'demo', `${split}.json`), '--split', split);
    winnow('decide', bob, '--id', first[0]!, '--action', 'eliminate', '--annotator', 'bob');
    winnow('decide', bob, '--id', first[1]!, '--action', 'eliminate', '--annotator', 'bob');
    winnow('decide', bob, '--id', first[2]!, '--action', 'keep', '--annotator', 'bob');
    const bobLog = path.join(dir, 'bob.jsonl');
    winnow('decisions', 'export', bob, '--out', bobLog, '--annotator', 'bob');

    await p.getByTestId('open-decisions').click();
    await p.getByTestId('decisions-import-file').setInputFiles(bobLog);
    await p.getByTestId('decisions-import-start').click();
    await p.getByTestId('toast-info').filter({ hasText: 'Merged 3 of 3 records (bob)' }).waitFor();
    expect(await exportPolicy()).toEqual({ preview: expect.stringContaining('Annotators disagree on 1 example.'), offered: true });

    // The team's filters sit under More filters.
    await p.getByTestId('filter-more').click();
    await p.getByTestId('filter-conflicts').check();
    await expect.poll(() => p.getByTestId('row-count').innerText()).toBe('1 matching examples');
    const row = p.locator('[data-testid="example-grid"] .ag-row').first();
    await expect.poll(() => row.locator('[data-testid="team-votes"]').innerText()).toMatch(/alice\s*keep[\s\S]*bob\s*eliminate/);
    expect(await row.locator('[col-id="decision"]').innerText()).toBe('conflict');
    // Side by side in the row, in view (pinned beside the decision), not scrolled off to the right.
    const votes = await row.locator('[data-testid="team-votes"]').boundingBox();
    expect(votes && votes.x >= 0 && votes.x + votes.width <= 1600).toBe(true);
    await row.locator('[col-id="sentence"]').click();
    const panel = p.getByTestId('detail-pane').getByTestId('team-panel');
    await expect.poll(() => panel.innerText()).toMatch(/Annotators disagree/);
    await panel.getByTestId('adjudicate-eliminate').click();
    await expect.poll(() => p.getByTestId('detail-pane').getByTestId('team-adjudication').innerText()).toMatch(/alice\s*eliminate \(adjudication\)/);
    // Still a conflict between the annotators, now settled: the grid's decision says so.
    await expect.poll(() => p.locator('[data-testid="example-grid"] .ag-row').first().locator('[col-id="decision"]').innerText()).toBe('eliminate');

    await p.screenshot({ path: path.join(repoRoot, 'docs', 'screenshots', 'team-conflicts.png') });

    // Alice's log, adjudication included, as a download.
    await p.getByTestId('open-decisions').click();
    const downloadPromise = p.waitForEvent('download');
    await p.getByTestId('decisions-export-start').click();
    const saved = path.join(dir, 'alice-downloaded.jsonl');
    await (await downloadPromise).saveAs(saved);
    const [header, ...records] = fs.readFileSync(saved, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(header).toMatchObject({ format: 'winnow-decisions/1', annotator: 'alice', records: 4 });
    expect(records.map((r) => [r.example, r.action, r.adjudication])).toEqual([
      [first[0], 'keep', false],
      [first[1], 'eliminate', false],
      [first[2], 'keep', false],
      [first[0], 'eliminate', true],
    ]);

    // Merging bob's log again changes nothing.
    await p.getByTestId('open-decisions').click();
    await p.getByTestId('decisions-import-file').setInputFiles(bobLog);
    await p.getByTestId('decisions-import-start').click();
    await p.getByTestId('toast-info').filter({ hasText: 'Merged 0 of 3 records; 3 were already here' }).waitFor();
    expect(JSON.parse(winnow('agreement', path.join(dir, 'demo.winnow'), '--json'))).toMatchObject({
      // (K, E), (E, E), (K, K): p_o = 2/3; alice K 2, E 1; bob E 2, K 1; p_e = (2/3)(1/3) + (1/3)(2/3) = 4/9; kappa = (2/9) / (5/9) = 0.4.
      pairs: [{ a: 'alice', b: 'bob', overlap: 3, kappa: 0.4 }],
      conflicts: [{ id: first[0], decisions: { alice: 'keep', bob: 'eliminate' } }],
    });
  });
});
