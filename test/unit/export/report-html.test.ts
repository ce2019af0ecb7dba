import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ReportData } from '../../../src/shared/report';
import { buildReportHtml, chartJsBundle } from '../../../src/main/core/export/report-html';
import { importSplit } from '../../../src/main/core/store/import-split';
import { collectReportData } from '../../../src/main/core/export/report-data';
import { reportContent, type ReportContent } from '../../../src/shared/report-content';
import vm from 'node:vm';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { applyDecisions, undoLast } from '../../../src/main/core/store/decisions';
import { LabelTable } from '../../../src/main/core/store/labels';
import { listComparisons, saveComparison } from '../../../src/main/core/compare/comparison-store';
import { importReferenceSet } from '../../../src/main/core/store/reference-sets';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

const GIVEN: Record<string, string> = { a: 'per:title', b: 'no_relation', c: 'no_relation', d: 'org:founded_by', e: 'no_relation', f: '<b>odd</b>' };
let dir: string;
let db: Db;
let runId: number;
let row: Record<string, number>;

beforeEach(async () => {
  dir = tempDir();
  db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
  await importSplit(db, { filePath: writeJson(path.join(dir, 'train.json'), Object.keys(GIVEN).map((id) => record(id, { relation: GIVEN[id] }))), split: 'train' });
  row = Object.fromEntries((db.prepare('SELECT ext_id AS id, id AS row FROM examples').all() as { id: string; row: number }[]).map((r) => [r.id, r.row]));
  const labels = new LabelTable(db);
  runId = Number(
    db
      .prepare(
        `INSERT INTO run_rows (created_at, model_kind, model_name, model_hash, provider, providers_skipped, params, timings, label_order, summary)
         VALUES ('2024-05-01T10:00:00.000Z', 'builtin', 'built-in MLP', 'cd', 'cpu', '[]', '{"strategies": ["is", "cl", "knn"], "k": 3}', '{}', '[]', '{}')`,
      )
      .run().lastInsertRowid,
  );
  const predict = db.prepare("INSERT INTO predictions (run_id, example_id, predicted_label_id, predicted_prob, given_prob, probs) VALUES (?, ?, ?, 1, 1, x'00000000')");
  for (const [id, label] of Object.entries(GIVEN)) predict.run(runId, row[id], labels.idFor(label));
  const flag = db.prepare("INSERT INTO flags (run_id, example_id, strategy, score, suggested_label_id, evidence) VALUES (?, ?, ?, 0.5, ?, '{}')");
  // b: is, cl, knn; c: is, cl; e: knn; a: cl
  for (const [s, id, to] of [['is', 'b', 'per:title'], ['cl', 'b', 'per:title'], ['knn', 'b', 'per:title'], ['is', 'c', 'per:title'], ['cl', 'c', 'org:founded_by'], ['knn', 'e', 'per:title'], ['cl', 'a', 'no_relation']] as const) {
    flag.run(runId, row[id], s, labels.idFor(to));
  }
  const queue = db.prepare("INSERT INTO queue (run_id, example_id, rank, agreement, top_score, suggested_label_id, strategies) VALUES (?, ?, ?, 1, 0.5, ?, '{}')");
  ['b', 'c', 'e', 'a'].forEach((id, rank) => queue.run(runId, row[id], rank, labels.idFor('per:title')));
  applyDecisions(db, { examples: [row.b!], action: 'reannotate', label: 'per:title', annotator: 'ann' });
  applyDecisions(db, { examples: [row.c!], action: 'eliminate', annotator: 'ann' });
  applyDecisions(db, { examples: [row.a!], action: 'keep', annotator: 'ann' });
  applyDecisions(db, { examples: [row.e!], action: 'eliminate', annotator: 'ann' });
  undoLast(db, 'ann');
  return () => db.close();
});

function embedded(html: string): ReportData {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!) as ReportData;
}

describe('HTML report', () => {
  it('is one self-contained file: Chart.js inlined, no external reference, network forbidden by its CSP', () => {
    const html = buildReportHtml(db, { runId, appVersion: '1.2.3' });
    expect(html).toContain(chartJsBundle().slice(0, 2000));
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-[^"]+&#39;/);
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/url\(\s*["']?https?:/i);
    expect(html).toContain('Winnow 1.2.3');
    // The odd label is escaped in tables and cannot break out of the data block.
    expect(html).not.toContain('<b>odd</b>');
    expect(html).toContain('&lt;b&gt;odd&lt;/b&gt;');
    // The data block, Chart.js, the report's charts, the quality and impact charts.
    expect(html.match(/<\/script>/g)).toHaveLength(4);
  });

  it('embeds the numbers its charts draw', () => {
    const data = embedded(buildReportHtml(db, { runId, appVersion: '1.2.3' }));
    const byLabel = Object.fromEntries(data.labels.names.map((n, i) => [n, [data.labels.before[i], data.labels.after[i]]]));
    expect(byLabel).toEqual({ no_relation: [3, 1], 'per:title': [1, 2], 'org:founded_by': [1, 1], '<b>odd</b>': [1, 1] });
    expect(data.labels.names[0]).toBe('no_relation');
    expect(data.decided).toEqual({ keep: 1, eliminate: 1, reannotate: 1 });
    expect(data.flags.strategies).toEqual(['is', 'cl', 'knn']);
    expect(data.flags.counts).toEqual([2, 3, 2]);
    expect(data.flags.examplesByAgreement).toEqual([2, 1, 1]);
    expect(data.flags.pairwise).toEqual([
      [2, 2, 1],
      [2, 3, 1],
      [1, 1, 2],
    ]);
    expect(data.flags.queue).toBe(4);
    const t = data.decisionsOverTime;
    expect(t.bucket).toBe('hour');
    expect(t.labels).toHaveLength(1);
    // Decided examples, each once (e's eliminate was undone): the same counts as the summary.
    expect(t.series).toEqual({ keep: [1], eliminate: [1], reannotate: [1] });
    expect(t.logRecords).toBe(5);
    expect(data.evaluation).toBeNull();
    // One annotator: no agreement to show.
    expect(data.agreement).toBeNull();
    expect(data.run).toMatchObject({ id: runId, model: 'built-in MLP', strategies: ['is', 'cl', 'knn'], params: { k: 3 } });
  });

  it('shows precision and recall per strategy against a reference', async () => {
    const patch = path.join(dir, 'ref.json');
    fs.writeFileSync(patch, JSON.stringify([{ id: 'b', relation: 'per:title' }, { id: 'c', relation: 'no_relation' }, { id: 'a', relation: 'per:title' }, { id: 'e', relation: 'per:title' }]));
    await importReferenceSet(db, patch, 'gold');
    const html = buildReportHtml(db, { runId, reference: 'gold', appVersion: '1.2.3' });
    const data = embedded(html);
    const is = data.evaluation!.strategies.find((s) => s.strategy === 'is')!;
    // is flags b (wrong per the reference) and c (right): precision 1/2; the reference changes b and e: recall 1/2.
    expect(is).toMatchObject({ flagged: 2, flaggedCovered: 2, precision: 0.5, recall: 0.5, suggestionAccuracy: 1 });
    expect(html).toContain('id="chart-evaluation"');
    expect(html).toContain('<td>IS</td><td>2</td><td>2</td><td>50.0%</td><td>50.0%</td><td>100.0%</td>');
    expect(() => buildReportHtml(db, { runId, reference: 'nope', appVersion: '1' })).toThrow(/No reference set named "nope"/);
    expect(() => buildReportHtml(db, { runId: 42, appVersion: '1' })).toThrow('No run 42 in this project');
  });

  it('shows the model quality and the latest retraining comparison with the run', () => {
    const empty = buildReportHtml(db, { runId, appVersion: '1' });
    expect(empty).toContain('No retraining comparison with this run yet');
    expect(empty).toContain('For a held-out figure, run a comparison on the Cleaning impact screen');
    const seeds = (f1: number[]) => f1.map((v, i) => ({ seed: i + 1, p: v, r: v, f1: v }));
    const stored = saveComparison(db, {}, {
      createdAt: '2024-05-02T00:00:00.000Z', runId, train: 'train', evals: ['test'], reference: null, negativeLabel: 'no_relation', seeds: [1, 2], model: 'builtin',
      hyperparameters: { epochs: 10 }, predictionsDir: null, log: null, seconds: 1, skipped: [{ name: 'EN', reason: 'run 1 did not run ES' }],
      warnings: ['run 1 also ranked 2 examples of "test", so their labels went into the flags'],
      variants: [
        { name: 'original', trainSize: 6, removed: 0, relabelled: 0, scores: [{ eval: 'test', labels: 'given', seeds: seeds([0.5, 0.7]), f1: { mean: 0.6, min: 0.5, max: 0.7 } }] },
        { name: 'E', trainSize: 4, removed: 2, relabelled: 0, scores: [{ eval: 'test', labels: 'given', seeds: seeds([0.75, 0.75]), f1: { mean: 0.75, min: 0.75, max: 0.75 } }] },
      ],
    });
    const html = buildReportHtml(db, { runId, appVersion: '1' });
    const data = embedded(html);
    expect(data.comparison).toEqual(stored);
    expect(html).toContain('id="chart-impact-0"');
    expect(html).toContain('<tr><td>E</td><td>TACRED-E: IS flags dropped</td><td>4</td><td>2</td><td>0</td><td>0.750</td><td>0.750</td><td>0.750</td><td>0.750–0.750</td><td>+0.150</td><td>yes</td></tr>');
    expect(html).toContain('Not run: EN (run 1 did not run ES)');
    // Beside the out-of-fold readout, the comparison's held-out score of the original labels.
    expect(html).toContain('Held out (comparison #' + stored.id + '): the built-in model with fixed hyperparameters, trained on &quot;train&quot; as given, 2 seeds, micro-F1 0.600 on &quot;test&quot; (0.500–0.700).');
    expect(html).not.toContain('For a held-out figure');
    expect(html).toContain('Warning: run 1 also ranked 2 examples of &quot;test&quot;, so their labels went into the flags');
    // A comparison saved before warnings existed reads as one without any.
    const { warnings: _, id: __, ...older } = stored;
    db.prepare('INSERT INTO comparisons (created_at, run_id, params, result) VALUES (?, ?, ?, ?)').run(older.createdAt, runId, '{}', JSON.stringify(older));
    expect(listComparisons(db, runId)[0]).toMatchObject({ warnings: [], variants: stored.variants });
    // The newest is shown by default; one asked for by id is shown instead, and one the run does
    // not have is an error that names it and the run's comparisons.
    const newest = listComparisons(db, runId)[0]!.id;
    expect(embedded(buildReportHtml(db, { runId, appVersion: '1' })).comparison?.id).toBe(newest);
    expect(embedded(buildReportHtml(db, { runId, appVersion: '1', comparison: stored.id })).comparison).toEqual(stored);
    expect(() => buildReportHtml(db, { runId, appVersion: '1', comparison: 999 })).toThrow(`No comparison 999 with run ${runId} in this project (its comparisons: ${newest}, ${stored.id})`);
    // Every prediction is the given label with probability 1: perfect scores and calibration.
    expect(data.quality).toMatchObject({ examples: 6, microF1: 1, accuracy: 1, ece: 0 });
    expect(html).toContain('id="chart-reliability"');
    expect(html).toContain('<div class="card"><b>1.000</b>micro-F1</div>');
  });

  it('shows the in-app report\'s content: every section, sentence and table cell', () => {
    const html = buildReportHtml(db, { runId, appVersion: '1.2.3' });
    const content = reportContent(collectReportData(db, { runId, appVersion: '1.2.3' }));
    const escape = (t: string | number) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    expect(content.sections.map((s) => s.id)).toEqual(['labels', 'timeline', 'flags', 'quality', 'evaluation', 'comparison', 'run']);
    for (const section of content.sections) {
      expect(html).toContain(`<h2>${escape(section.title)}</h2>`);
      for (const sentence of section.intro) expect(html).toContain(escape(sentence));
      for (const chart of section.charts) expect(html).toContain(`id="${chart.id}"`);
      for (const table of section.tables) for (const row of table.rows) expect(html).toContain(`<tr>${row.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`);
    }
    for (const card of [...content.cards, ...content.sections.flatMap((s) => s.cards ?? [])]) expect(html).toContain(`<b>${escape(card.value)}</b>${escape(card.label)}`);
  });

  it('charts label changes on a linear scale, so that one decision shows', () => {
    const content = reportContent(collectReportData(db, { runId, appVersion: '1' }));
    const chart = content.sections[0]!.charts[0]!;
    // no_relation lost 2 (b relabelled, c eliminated), per:title gained 1 (b); other labels unchanged are left out.
    expect(chart.labels).toEqual(['no_relation', 'per:title']);
    expect(chart.datasets[0]!.data).toEqual([-2, 1]);
    expect(JSON.stringify(chart)).not.toMatch(/logarithmic/);
  });

  it('draws every chart in the saved page with the embedded chart code', () => {
    const html = buildReportHtml(db, { runId, appVersion: '1' });
    const client = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!).at(-1)!;
    const content = JSON.parse(/<script type="application\/json" id="report-content">([\s\S]*?)<\/script>/.exec(html)![1]!) as ReportContent;
    const made: { id: string; config: { type: string; data: { labels: string[] } } }[] = [];
    const attributes: Record<string, string> = {};
    class FakeChart {
      static defaults = { font: {} };
      constructor(canvas: { id: string }, config: { type: string; data: { labels: string[] } }) {
        made.push({ id: canvas.id, config });
      }
    }
    const document = {
      getElementById: (id: string) => (id === 'report-content' ? { textContent: JSON.stringify(content) } : html.includes(`id="${id}"`) ? { id } : null),
      body: { setAttribute: (k: string, v: string) => (attributes[k] = v) },
    };
    vm.runInNewContext(client, { Chart: FakeChart, document });
    const expected = content.sections.flatMap((s) => s.charts.map((c) => c.id));
    expect(made.map((m) => m.id)).toEqual(expected);
    expect(attributes['data-charts-drawn']).toBe(String(expected.length));
    expect(made[0]!.config.data.labels).toEqual(content.sections[0]!.charts[0]!.labels);
  });

  it('shows the agreement matrix between annotators and the conflicts by label', () => {
    // ben decides a, b, c and d; ann had kept a, relabelled b to per:title and eliminated c.
    applyDecisions(db, { examples: [row.a!], action: 'keep', annotator: 'ben' });
    applyDecisions(db, { examples: [row.b!], action: 'keep', annotator: 'ben' });
    applyDecisions(db, { examples: [row.c!], action: 'eliminate', annotator: 'ben' });
    applyDecisions(db, { examples: [row.d!], action: 'eliminate', annotator: 'ben' });
    applyDecisions(db, { examples: [row.b!], action: 'reannotate', label: 'per:title', annotator: 'cy', adjudication: true });
    const html = buildReportHtml(db, { runId, appVersion: '1.2.3' });
    const data = embedded(html);
    // ann / ben over a, b, c: (K, K), (T, K), (E, E): p_o = 2/3; ann K1 T1 E1, ben K2 E1:
    // p_e = (1/3)(2/3) + (1/3)(0) + (1/3)(1/3) = 1/3; kappa = (2/3 - 1/3) / (2/3) = 1/2.
    expect(data.agreement).toEqual({
      annotators: [{ name: 'ann', decided: 3 }, { name: 'ben', decided: 4 }],
      matrix: [
        [{ overlap: 3, kappa: null }, { overlap: 3, kappa: 0.5 }],
        [{ overlap: 3, kappa: 0.5 }, { overlap: 4, kappa: null }],
      ],
      fleiss: null,
      fleissExamples: 0,
      labels: [
        { label: 'no_relation', examples: 2, agreed: 1, conflicts: 1 },
        { label: 'per:title', examples: 1, agreed: 1, conflicts: 0 },
      ],
      conflicts: 1,
      adjudicated: 1,
    });
    // The in-app report draws the same section (one content for both).
    const section = reportContent(data).sections.find((x) => x.id === 'agreement')!;
    expect(section.tables.map((t) => t.id)).toEqual(['table-agreement', 'table-agreement-labels']);
    expect(section.charts[0]!.datasets.map((d) => d.data)).toEqual([[1, 1], [1, 0]]);
    expect(html).toContain('<h2>Agreement between annotators</h2>');
    expect(html).toContain('<tr><td>ann</td><td>3 decided</td><td>3 · κ 0.500</td></tr>');
    expect(html).toContain('<tr><td>no_relation</td><td>2</td><td>1</td><td>1</td><td>50.0%</td></tr>');
  });
});
