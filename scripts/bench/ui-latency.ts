// `npm run bench:ui`: the triage screen's latencies in Chromium against `winnow serve` on a
// generated project (100k examples by default): filter change to the new count, text search
// to its count after typing stops, and `j` to the detail pane. Needs `npm run build` first and
// Debian's Chromium. Benchmarks print; they never assert.
//   BENCH_N=100000        examples (90% train, 10% dev)
//   BENCH_UI_RANK=1       rank the project first (built-in model, IS, CL, KNN; about a minute
//                         per 100k here), so that the run's filters are measured too
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { writeSyntheticTacredFile } from '../../tools/demo-generator/synthetic-tacred';
import { openDatabase } from '../../src/main/core/store/database';
import { importSplit } from '../../src/main/core/store/import-split';
import { applyDecisions } from '../../src/main/core/store/decisions';
import { rankProject } from '../../src/main/core/ranking/rank-project';
import { fmt, median, percentile } from './stats';

const n = Number(process.env.BENCH_N ?? 100_000);
const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-bench-ui-'));
if (!fs.existsSync(path.join(root, 'out', 'main', 'cli.js'))) throw new Error('Build first: npm run build');

const project = path.join(dir, 'bench.winnow');
const db = openDatabase(project, { create: true });
for (const [split, count, seed] of [['train', Math.round(n * 0.9), 7], ['dev', n - Math.round(n * 0.9), 8]] as const) {
  const file = path.join(dir, `${split}.json`);
  await writeSyntheticTacredFile(file, { n: count, seed, format: 'json', idPrefix: split });
  await importSplit(db, { filePath: file, split });
}
// Some decisions, so that the decision filter has something to count.
const ids = db.prepare('SELECT id FROM examples WHERE id % 20 = 0').pluck().all() as number[];
applyDecisions(db, { examples: ids, action: 'keep', annotator: 'bench' });
let runId: number | null = null;
if (process.env.BENCH_UI_RANK === '1') {
  const t = performance.now();
  runId = (await rankProject(db, { strategies: ['is', 'cl', 'knn'] })).runId;
  console.log(`rank (IS, CL, KNN): ${fmt((performance.now() - t) / 1000)} s`);
}
const labels = db.prepare('SELECT name FROM labels WHERE id IN (SELECT DISTINCT label_id FROM examples) ORDER BY name').pluck().all() as string[];
db.close();
console.log(`Winnow UI latency: ${n.toLocaleString('en-US')} examples, ${os.cpus().length} cores, Node ${process.version}`);

const server = spawn(process.execPath, [path.join(root, 'bin', 'winnow.js'), 'serve', project, '--data-dir', dir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
const url = await new Promise<string>((resolve, reject) => {
  let output = '';
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    const match = /serving at (http:\/\/\S+)/.exec(output);
    if (match) resolve(match[1]!);
  };
  server.stdout!.on('data', onData);
  server.stderr!.on('data', onData);
  server.on('exit', (code) => reject(new Error(`winnow serve exited with ${code}: ${output}`)));
});
const executablePath = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', process.env.WINNOW_CHROMIUM].find((p): p is string => !!p && fs.existsSync(p));
const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });

interface Timed {
  /** Input event (or the last key) to the row count's text changing. */
  ms: number;
  /** When the page fetch was sent and answered, from the same start. */
  sent: number;
  answered: number;
}

/** Milliseconds from an input event to the row count's text changing (the count is the first thing a filter answers). */
function countChange(p: Page, act: string, value: string): Promise<Timed> {
  return p.evaluate(
    ([act, value]) =>
      new Promise<Timed>((resolve) => {
        const count = document.querySelector('[data-testid="row-count"]')!;
        const before = count.textContent;
        let start = performance.now();
        const marks = { sent: Number.NaN, answered: Number.NaN };
        const original = window.fetch;
        window.fetch = (input, init) => {
          const result = original(input, init);
          if (String(input).includes('examples%3Aquery') || String(input).includes('examples:query')) {
            marks.sent = performance.now() - start;
            void result.then(() => (marks.answered = performance.now() - start));
          }
          return result;
        };
        const observer = new MutationObserver(() => {
          if (count.textContent !== before && count.textContent !== '…') {
            observer.disconnect();
            window.fetch = original;
            resolve({ ms: performance.now() - start, ...marks });
          }
        });
        observer.observe(count, { childList: true, characterData: true, subtree: true });
        if (act === 'type') {
          // Typed a key at a time, 60 ms apart; timed from the last key (typing stops).
          const input = document.querySelector<HTMLInputElement>('[data-testid="filter-text"]')!;
          const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
          const keys = [...value];
          keys.forEach((_, i) =>
            setTimeout(() => {
              setter.call(input, value.slice(0, i + 1));
              input.dispatchEvent(new Event('input', { bubbles: true }));
              if (i === keys.length - 1) start = performance.now();
            }, i * 60),
          );
        } else {
          const select = document.querySelector<HTMLSelectElement>(`[data-testid="${act}"]`)!;
          select.value = value;
          select.dispatchEvent(new Event('change', { bubbles: true }));
        }
        setTimeout(() => resolve({ ms: Number.NaN, ...marks }), 10_000);
      }),
    [act, value] as const,
  );
}

function summary(label: string, timed: Timed[]): void {
  const ok = timed.filter((t) => Number.isFinite(t.ms));
  const pick = (f: (t: Timed) => number) => ok.map(f).filter(Number.isFinite);
  const line = (values: number[]) => `p50 ${fmt(median(values))} ms, p95 ${fmt(percentile(values, 95))} ms`;
  console.log(`${label}: ${line(pick((t) => t.ms))} (n=${ok.length} of ${timed.length})`);
  console.log(`  page fetch sent after ${line(pick((t) => t.sent))}; its HTTP round trip (query, counts, 100 rows) ${line(pick((t) => t.answered - t.sent))}`);
}

try {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto(url);
  await page.locator('[data-testid="example-grid"] .ag-row .entity-subj').first().waitFor({ timeout: 60_000 });
  if (runId !== null) {
    await page.getByTestId('run-picker').selectOption(String(runId));
    await page.waitForTimeout(1000);
  }
  const changes: [string, string][] = [];
  const splitValues = ['dev', 'train', ''];
  const labelValues = [labels[1]!, labels[2]!, labels[3]!, ''];
  const decisionValues = ['decided', 'undecided', ''];
  for (let round = 0; round < 3; round++) {
    for (const v of splitValues) changes.push(['filter-split', v]);
    for (const v of labelValues) changes.push(['filter-label', v]);
    for (const v of decisionValues) changes.push(['filter-decision', v]);
    if (runId !== null) for (const v of ['is', 'knn', '']) changes.push(['filter-strategy', v]);
  }
  // A person looks at the result before the next change: a second between changes.
  const filterMs: Timed[] = [];
  for (const [act, value] of changes) {
    filterMs.push(await countChange(page, act, value));
    await page.waitForTimeout(1000);
  }
  summary('filter change to new count', filterMs);

  const searchMs: Timed[] = [];
  for (const word of ['born', 'chairman', 'city', 'Paris', 'lives', 'told', 'company', 'founded']) {
    searchMs.push(await countChange(page, 'type', word));
    await page.getByTestId('filter-text').fill('');
    await page.waitForTimeout(1000);
  }
  summary('text search, last key to count (includes the 120 ms typing pause the filter waits for)', searchMs);

  await page.keyboard.press('j');
  await page.getByTestId('detail-pane').waitFor();
  await page.waitForTimeout(500);
  const idMs: number[] = [];
  const fullMs: number[] = [];
  for (let i = 0; i < 30; i++) {
    // A string, not a function: the page must not see the bundler's helpers (tsx names inner functions).
    const [id, full] = (await page.evaluate(`new Promise((resolve) => {
      const pane = document.querySelector('[data-testid="detail-pane"]');
      if (!pane) return resolve([NaN, NaN]);
      const before = pane.querySelector('[data-testid="detail-id"]')?.textContent;
      const start = performance.now();
      let idAt = NaN;
      const observer = new MutationObserver(() => {
        const now = pane.querySelector('[data-testid="detail-id"]')?.textContent;
        if (now !== before && Number.isNaN(idAt)) idAt = performance.now() - start;
        if (now !== before && !pane.textContent.includes('Loading evidence')) {
          observer.disconnect();
          resolve([idAt, performance.now() - start]);
        }
      });
      observer.observe(pane, { childList: true, characterData: true, subtree: true });
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true }));
      setTimeout(() => resolve([idAt, NaN]), 5000);
    })`)) as [number, number];
    if (Number.isFinite(id)) idMs.push(id);
    if (Number.isFinite(full)) fullMs.push(full);
    await page.waitForTimeout(80);
  }
  console.log(`j to detail pane: example shown p50 ${fmt(median(idMs))} ms, p95 ${fmt(percentile(idMs, 95))} ms; with evidence and history p50 ${fmt(median(fullMs))} ms, p95 ${fmt(percentile(fullMs, 95))} ms (n=${idMs.length})`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
}
