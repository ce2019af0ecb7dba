import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { WinnowError } from '../../../shared/errors';
import type { Db } from '../store/database';
import type { ReportData } from '../../../shared/report';
import { collectReportData } from './report-data';
import { escapeHtml, table } from './html-table';
import { IMPACT_CLIENT_SCRIPT, impactSections } from './report-impact';

/**
 * The project report: one HTML file that opens anywhere, offline, years later. Charts are
 * drawn by Chart.js (MIT, one 200 kB UMD file with no dependencies of its own, canvas
 * rendering, so the page stays small however many labels), inlined into the page together
 * with the data; a Content-Security-Policy of `default-src 'none'` makes the browser refuse
 * any network access, which also proves the page needs none. Every number a chart shows is
 * also in a table, for printing and for readers without JavaScript.
 */

let chartJsSource: string | null = null;

/** Chart.js's UMD build, read once from the installed package. */
export function chartJsBundle(): string {
  if (chartJsSource === null) {
    const require = createRequire(import.meta.url);
    let entry: string;
    try {
      entry = require.resolve('chart.js');
    } catch {
      throw new WinnowError('INTERNAL', 'The report needs the chart.js package, which is not installed (run npm install)');
    }
    const file = path.join(path.dirname(entry), 'chart.umd.min.js');
    if (!fs.existsSync(file)) throw new WinnowError('INTERNAL', `The report needs ${file} (Chart.js 4 UMD build), which is missing`);
    chartJsSource = fs.readFileSync(file, 'utf8');
  }
  return chartJsSource;
}


/** Text placed inside <script> must not be able to close the element early. */
const scriptSafe = (code: string) => code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

/** JSON for a data block: `<` escaped so that no label can end the block or open a comment. */
const jsonSafe = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const cspHash = (code: string) => `'sha256-${crypto.createHash('sha256').update(code, 'utf8').digest('base64')}'`;

const pct = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);

/** Runs in the page: draws the charts from the embedded data. Plain ES2017, no imports. */
const CLIENT_SCRIPT = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var C = {
    before: '#9aa5b1', after: '#2f6fde', keep: '#5b8c5a', eliminate: '#d64545', reannotate: '#2f6fde',
    undo: '#b9b9b9', precision: '#2f6fde', recall: '#e8a33d', suggestion: '#5b8c5a', flags: '#7a5cc2'
  };
  Chart.defaults.animation = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.maintainAspectRatio = false;
  var drawn = 0;
  function make(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) return null;
    drawn++;
    return new Chart(canvas, config);
  }
  function axisTitle(text) { return { display: true, text: text }; }
  // A log axis gets a tick at every integer; keep 1, 2 and 5 of each decade so they stay legible.
  function countTick(value) {
    if (this.type !== 'logarithmic') return Number.isInteger(value) ? value.toLocaleString() : '';
    var mantissa = value / Math.pow(10, Math.floor(Math.log10(value) + 1e-9));
    return [1, 2, 5].some(function (m) { return Math.abs(mantissa - m) < 1e-6; }) ? value.toLocaleString() : '';
  }

  var labels = make('chart-labels', {
    type: 'bar',
    data: { labels: data.labels.names, datasets: [
      { label: 'before review', data: data.labels.before, backgroundColor: C.before },
      { label: 'after review', data: data.labels.after, backgroundColor: C.after }
    ] },
    options: { indexAxis: 'y', scales: {
      // Below 1, so that a label with a single example still shows a bar on the log axis.
      x: { type: 'logarithmic', min: 0.7, title: axisTitle('examples (log scale)'), ticks: { callback: countTick } },
      y: { ticks: { autoSkip: false } }
    } }
  });
  var toggle = document.getElementById('labels-log');
  if (toggle && labels) toggle.addEventListener('change', function () {
    labels.options.scales.x.type = toggle.checked ? 'logarithmic' : 'linear';
    labels.options.scales.x.min = toggle.checked ? 0.7 : 0;
    labels.options.scales.x.title.text = toggle.checked ? 'examples (log scale)' : 'examples';
    labels.update();
  });

  make('chart-flags', {
    type: 'bar',
    data: { labels: data.flags.strategies.map(function (s) { return s.toUpperCase(); }),
      datasets: [{ label: 'flagged examples', data: data.flags.counts, backgroundColor: C.flags }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, title: axisTitle('flagged examples') } } }
  });

  make('chart-agreement', {
    type: 'bar',
    data: { labels: data.flags.examplesByAgreement.map(function (_, i) { return (i + 1) + (i === 0 ? ' strategy' : ' strategies'); }),
      datasets: [{ label: 'examples', data: data.flags.examplesByAgreement, backgroundColor: C.flags }] },
    options: { plugins: { legend: { display: false } }, scales: { x: { title: axisTitle('flagged by exactly') }, y: { beginAtZero: true, title: axisTitle('examples') } } }
  });

  var t = data.decisionsOverTime;
  if (t.labels.length) make('chart-decisions', {
    type: 'bar',
    data: { labels: t.labels, datasets: [
      { label: 'keep', data: t.series.keep, backgroundColor: C.keep },
      { label: 'eliminate', data: t.series.eliminate, backgroundColor: C.eliminate },
      { label: 'reannotate', data: t.series.reannotate, backgroundColor: C.reannotate },
      { label: 'undo / redo', data: t.series['undo/redo'], backgroundColor: C.undo }
    ] },
    options: { scales: { x: { stacked: true, title: axisTitle(t.bucket === 'hour' ? 'hour (UTC)' : 'day (UTC)') },
      y: { stacked: true, beginAtZero: true, title: axisTitle('decision records') } } }
  });

  if (data.evaluation) {
    var rows = data.evaluation.strategies;
    var pick = function (key) { return rows.map(function (r) { return r[key] === null ? null : r[key] * 100; }); };
    make('chart-evaluation', {
      type: 'bar',
      data: { labels: rows.map(function (r) { return r.strategy.toUpperCase(); }), datasets: [
        { label: 'precision', data: pick('precision'), backgroundColor: C.precision },
        { label: 'recall', data: pick('recall'), backgroundColor: C.recall },
        { label: 'suggestion = reference', data: pick('suggestionAccuracy'), backgroundColor: C.suggestion }
      ] },
      options: { scales: { y: { beginAtZero: true, max: 100, title: axisTitle('%') } } }
    });
  }
  document.body.setAttribute('data-charts-drawn', String(drawn));
})();`;

const STYLE = `
:root { color-scheme: light; --fg: #1d2530; --muted: #5d6b7a; --line: #dde3ea; --card: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 28px 64px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 36px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.muted { color: var(--muted); } code { font-size: 12px; word-break: break-all; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin: 16px 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card b { display: block; font-size: 20px; }
.chart { position: relative; width: 100%; }
.row { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; } @media (max-width: 800px) { .row { grid-template-columns: 1fr; } }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: right; } th:first-child, td:first-child { text-align: left; }
thead th { background: var(--card); }
details { margin: 8px 0; } summary { cursor: pointer; color: var(--muted); }
pre { background: var(--card); border: 1px solid var(--line); padding: 8px; overflow: auto; font-size: 12px; }
@media print { .chart { break-inside: avoid; } details { display: block; } }
`;


function sections(data: ReportData): string {
  const total = data.labels.before.reduce((a, b) => a + b, 0);
  const kept = data.labels.after.reduce((a, b) => a + b, 0);
  const { strategies, pairwise } = data.flags;
  const maxPair = Math.max(1, ...pairwise.flat());
  const labelRows = data.labels.names.map((name, i) => {
    const before = data.labels.before[i]!;
    const after = data.labels.after[i]!;
    return [name, before, after, after - before > 0 ? `+${after - before}` : after - before];
  });
  const evaluation = data.evaluation;
  const evaluationSection = evaluation
    ? `<p class="muted">Reference <b>${escapeHtml(evaluation.reference)}</b> covers ${evaluation.covered} ranked examples and changes the label of ${evaluation.changed}.
        Precision: share of flagged (covered) examples whose reference label differs from the given one; recall: share of the reference's changes that were flagged;
        "suggestion = reference": how often the suggested label is the reference label, among the flagged examples the reference changed.</p>
       <div class="chart" style="height:320px"><canvas id="chart-evaluation" aria-label="Precision and recall per strategy" role="img"></canvas></div>
       ${table(
         ['strategy', 'flagged', 'covered by reference', 'precision', 'recall', 'suggestion = reference', 'flagged negatives the reference calls positive'],
         evaluation.strategies.map((s) => [s.strategy.toUpperCase(), s.flagged, s.flaggedCovered, pct(s.precision), pct(s.recall), pct(s.suggestionAccuracy), pct(s.negativesToPositive)]),
       )}`
    : `<p class="muted">No reference set was given; import a TACRev or Re-TACRED patch and pass its name (<code>--reference NAME</code>) to see each strategy's precision and recall.</p>`;
  const timeline = data.decisionsOverTime;
  return `
<div class="cards">
  <div class="card"><b>${total}</b>examples in ${data.splits.length} split${data.splits.length === 1 ? '' : 's'}</div>
  <div class="card"><b>${data.flags.queue}</b>flagged by run ${data.run.id} (any strategy)</div>
  <div class="card"><b>${data.decided.keep}</b>kept by a reviewer</div>
  <div class="card"><b>${data.decided.eliminate}</b>eliminated</div>
  <div class="card"><b>${data.decided.reannotate}</b>reannotated</div>
  <div class="card"><b>${kept}</b>examples after review</div>
</div>

<h2>Label distribution, before and after review</h2>
<p class="muted">All splits; "after" applies every current decision (eliminated examples dropped, reannotated ones counted under their new label).
  <label><input type="checkbox" id="labels-log" checked> log scale</label></p>
<div class="chart" style="height:${Math.max(160, data.labels.names.length * 22 + 70)}px"><canvas id="chart-labels" aria-label="Label distribution before and after review" role="img"></canvas></div>
<details><summary>Table</summary>${table(['label', 'before', 'after', 'change'], labelRows)}</details>

<h2>Flags per strategy and their overlap (run ${data.run.id})</h2>
<div class="row">
  <div><div class="chart" style="height:280px"><canvas id="chart-flags" aria-label="Flags per strategy" role="img"></canvas></div></div>
  <div><div class="chart" style="height:280px"><canvas id="chart-agreement" aria-label="Examples by number of agreeing strategies" role="img"></canvas></div></div>
</div>
<p class="muted">Examples flagged by both strategies (the diagonal: by the strategy itself).</p>
${table(
  ['', ...strategies.map((s) => s.toUpperCase())],
  strategies.map((s, i) => [s.toUpperCase(), ...pairwise[i]!]),
  (r, c) => (c === 0 ? null : `background: rgba(122, 92, 194, ${(0.08 + 0.6 * (pairwise[r]![c - 1]! / maxPair)).toFixed(2)})`),
)}
${table(['flagged by exactly', ...data.flags.examplesByAgreement.map((_, i) => `${i + 1}`)], [['examples', ...data.flags.examplesByAgreement]])}

<h2>Decisions over time</h2>
${
  timeline.labels.length
    ? `<div class="chart" style="height:300px"><canvas id="chart-decisions" aria-label="Decisions over time" role="img"></canvas></div>
<details><summary>Table</summary>${table(
        [timeline.bucket === 'hour' ? 'hour (UTC)' : 'day (UTC)', 'keep', 'eliminate', 'reannotate', 'undo / redo'],
        timeline.labels.map((l, i) => [l, timeline.series.keep[i]!, timeline.series.eliminate[i]!, timeline.series.reannotate[i]!, timeline.series['undo/redo'][i]!]),
      )}</details>`
    : '<p class="muted">No decisions yet.</p>'
}

<h2>Agreement with a reference</h2>
${evaluationSection}
${impactSections(data)}

<h2>Run ${data.run.id}</h2>
${table(['', ''], [
  ['created', data.run.createdAt],
  ['model', data.run.model],
  ['model sha256', data.run.modelHash],
  ['execution provider', data.run.provider],
  ['strategies', data.run.strategies.join(', ')],
])}
<details><summary>All parameters</summary><pre>${escapeHtml(JSON.stringify(data.run.params, null, 2))}</pre></details>

<h2>Inputs</h2>
${table(['split', 'examples', 'source sha256'], data.splits.map((s) => [s.name, s.count, s.sha256 ?? '–']))}
`;
}

/** A self-contained HTML report for one run (and optionally its agreement with a reference). */
export function buildReportHtml(db: Db, options: { runId: number; reference?: string; appVersion: string }): string {
  const data = collectReportData(db, options);
  const chartJs = scriptSafe(chartJsBundle());
  const client = scriptSafe(CLIENT_SCRIPT);
  const impact = scriptSafe(IMPACT_CLIENT_SCRIPT);
  const csp = `default-src 'none'; script-src ${cspHash(chartJs)} ${cspHash(client)} ${cspHash(impact)}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Winnow ${escapeHtml(data.appVersion)}">
<title>Winnow report: run ${data.run.id}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Winnow report</h1>
<p class="muted">Run ${data.run.id} (${escapeHtml(data.run.model)}, ${escapeHtml(data.run.createdAt)}) · negative label <code>${escapeHtml(data.negativeLabel)}</code> ·
  generated ${escapeHtml(data.generatedAt)} by Winnow ${escapeHtml(data.appVersion)}</p>
${sections(data)}
<script type="application/json" id="report-data">${jsonSafe(data)}</script>
<script>${chartJs}</script>
<script>${client}</script>
<script>${impact}</script>
</body>
</html>
`;
}
