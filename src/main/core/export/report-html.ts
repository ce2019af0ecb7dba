import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { WinnowError } from '../../../shared/errors';
import type { Db } from '../store/database';
import { chartConfig, reportContent, type ReportSection, type ReportTable } from '../../../shared/report-content';
import { escapeHtml } from './html-table';
import { collectReportData } from './report-data';

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

/** Runs in the page: draws every chart of the embedded content with the app's own chart code. Plain ES2017, no imports. */
const CLIENT_SCRIPT = `(function () {
  'use strict';
  var content = JSON.parse(document.getElementById('report-content').textContent);
  var chartConfig = ${String(chartConfig)};
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var drawn = 0;
  content.sections.forEach(function (section) {
    section.charts.forEach(function (spec) {
      var canvas = document.getElementById(spec.id);
      if (!canvas) return;
      new Chart(canvas, chartConfig(spec, { text: '#1d2530', grid: '#e3e8ee' }));
      drawn++;
    });
  });
  document.body.setAttribute('data-charts-drawn', String(drawn));
})();`;

const STYLE = `
:root { color-scheme: light; --fg: #1d2530; --muted: #5d6b7a; --line: #dde3ea; --card: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1280px; padding: 24px 28px 64px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 0 0 8px; }
.muted { color: var(--muted); } code { font-size: 12px; word-break: break-all; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 16px 0 20px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card b { display: block; font-size: 20px; }
/* Columns filled top to bottom (as in the app), so that a short section leaves no hole beside a tall one. */
.sections { columns: 2 460px; column-gap: 20px; }
.section { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; min-width: 0; break-inside: avoid; display: inline-block; width: 100%; margin: 0 0 20px; }
/* column-span needs a block box: an inline-block section stayed inside one column. */
.section.wide { column-span: all; display: block; }
.section p { margin: 0 0 8px; overflow-wrap: anywhere; }
.table-scroll { max-width: 100%; overflow-x: auto; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
.chart { position: relative; width: 100%; margin: 8px 0; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; max-width: 100%; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: right; overflow-wrap: anywhere; } th:first-child, td:first-child { text-align: left; white-space: nowrap; }
/* Figures never break inside; words and hashes in text tables still may. */
table:not(.text) td:not(:first-child) { white-space: nowrap; } th { overflow-wrap: normal; }
table.text td, table.text th { text-align: left; }
thead th { background: var(--card); }
details { margin: 8px 0; } summary { cursor: pointer; color: var(--muted); }
@media print { .chart, .section { break-inside: avoid; } details { display: block; } }
`;

function table(t: ReportTable): string {
  const head = t.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = t.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  const caption = t.caption && !t.folded ? `<caption>${escapeHtml(t.caption)}</caption>` : '';
  const html = `<div class="table-scroll"><table id="${escapeHtml(t.id)}"${t.text ? ' class="text"' : ''}>${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
  return t.folded ? `<details><summary>${escapeHtml(t.caption ?? `Table (${t.rows.length} rows)`)}</summary>${html}</details>` : html;
}

function section(s: ReportSection): string {
  return `<section class="section${s.wide ? ' wide' : ''}" id="section-${escapeHtml(s.id)}">
<h2>${escapeHtml(s.title)}</h2>
${s.intro.map((p) => `<p class="muted">${escapeHtml(p)}</p>`).join('\n')}
${s.cards?.length ? `<div class="cards">${s.cards.map((c) => `<div class="card"><b>${escapeHtml(c.value)}</b>${escapeHtml(c.label)}</div>`).join('')}</div>` : ''}
${s.charts.map((c) => `<div class="chart" style="height:${c.height}px"><canvas id="${escapeHtml(c.id)}" aria-label="${escapeHtml(c.ariaLabel)}" role="img"></canvas></div>`).join('\n')}
${s.tables.map(table).join('\n')}
</section>`;
}

/** A self-contained HTML report for one run (and optionally its agreement with a reference): the in-app report's content. */
export function buildReportHtml(db: Db, options: { runId: number; reference?: string; comparison?: number; appVersion: string }): string {
  const data = collectReportData(db, options);
  const content = reportContent(data);
  const chartJs = scriptSafe(chartJsBundle());
  const client = scriptSafe(CLIENT_SCRIPT);
  const csp = `default-src 'none'; script-src ${cspHash(chartJs)} ${cspHash(client)}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Winnow ${escapeHtml(data.appVersion)}">
<title>${escapeHtml(content.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Winnow report</h1>
<p class="muted">${escapeHtml(content.subtitle)}</p>
<div class="cards">
${content.cards.map((c) => `<div class="card"><b>${escapeHtml(c.value)}</b>${escapeHtml(c.label)}</div>`).join('\n')}
</div>
<div class="sections">
${content.sections.map(section).join('\n')}
</div>
<script type="application/json" id="report-data">${jsonSafe(data)}</script>
<script type="application/json" id="report-content">${jsonSafe(content)}</script>
<script>${chartJs}</script>
<script>${client}</script>
</body>
</html>
`;
}
