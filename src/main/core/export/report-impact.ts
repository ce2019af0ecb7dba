import { comparisonRows, comparisonViews, VARIANTS } from '../../../shared/compare';
import type { ReportData } from '../../../shared/report';
import { escapeHtml, table } from './html-table';

/**
 * The report's two sections on whether to trust the run and what cleaning buys: the model's
 * quality (TACRED scores against the given labels, confusions, calibration) and the latest
 * retraining comparison (F1 per variant with the spread over seeds). Charts are drawn by
 * IMPACT_CLIENT_SCRIPT from the page's embedded data; every number is also in a table.
 */

const f3 = (v: number | null) => (v === null ? '–' : v.toFixed(3));
const signed = (v: number | null) => (v === null ? '' : `${v >= 0 ? '+' : ''}${v.toFixed(3)}`);

function qualitySection(data: ReportData): string {
  const q = data.quality;
  if (!q) return '<h2>Model quality</h2><p class="muted">This run has no stored predictions.</p>';
  const source =
    data.run.model.startsWith('winnow-builtin')
      ? 'out-of-fold predictions of the built-in model (each example predicted by the fold model that did not train on it)'
      : 'the predictions of the run\'s model as they came';
  return `
<h2 id="model-quality">Model quality</h2>
<p class="muted">How far to trust the flags: ${source}, scored against the given labels with TACRED's metric (micro-averaged over the positive labels; a negative
  prediction is never counted as a guess, a negative label never as gold). Noisy labels pull these figures down, so they are a floor for the model's true quality.</p>
<div class="cards">
  <div class="card"><b>${f3(q.microF1)}</b>micro-F1</div>
  <div class="card"><b>${f3(q.macroF1)}</b>macro-F1</div>
  <div class="card"><b>${f3(q.microPrecision)}</b>micro precision</div>
  <div class="card"><b>${f3(q.microRecall)}</b>micro recall</div>
  <div class="card"><b>${f3(q.accuracy)}</b>accuracy (all labels)</div>
  <div class="card"><b>${f3(q.ece)}</b>expected calibration error</div>
</div>
<div class="row">
  <div><div class="chart" style="height:300px"><canvas id="chart-reliability" aria-label="Reliability diagram" role="img"></canvas></div>
    <p class="muted">Reliability: the share of correct predictions per confidence bin against the bin's mean confidence; a calibrated model follows the diagonal.</p></div>
  <div>${table(['given', 'predicted', 'examples'], q.confusions.map((c) => [c.given, c.predicted, c.count]))}<p class="muted">The most frequent confusions.</p></div>
</div>
<details><summary>Per label (${q.perLabel.length} positive labels)</summary>${table(
    ['label', 'precision', 'recall', 'F1', 'given', 'predicted', 'correct'],
    q.perLabel.map((l) => [l.label, f3(l.precision), f3(l.recall), f3(l.f1), l.gold, l.guessed, l.correct]),
  )}</details>
<details><summary>Calibration bins</summary>${table(
    ['confidence', 'examples', 'mean confidence', 'accuracy'],
    q.reliability.map((b) => [`${b.from.toFixed(1)}–${b.to.toFixed(1)}`, b.count, f3(b.confidence), f3(b.accuracy)]),
  )}</details>`;
}

function comparisonSection(data: ReportData): string {
  const c = data.comparison;
  if (!c) {
    return `<h2 id="cleaning-impact">Does cleaning help?</h2>
<p class="muted">No retraining comparison with this run yet. Run one on the <i>Cleaning impact</i> screen, or
  <code>winnow compare PROJECT --train train --eval test</code>: each cleaned variant is exported, a model is retrained on it and scored on held-out data.</p>`;
  }
  const views = comparisonViews(c);
  return `
<h2 id="cleaning-impact">Does cleaning help? Retraining on each variant</h2>
<p class="muted">Comparison ${c.id} (${escapeHtml(c.createdAt)}): a model (${c.model === 'builtin' ? `the built-in model, fixed hyperparameters ${escapeHtml(JSON.stringify(c.hyperparameters))}` : `<code>${escapeHtml(c.model)}</code>`})
  trained on each variant of <b>${escapeHtml(c.train)}</b>, built exactly as the export writes it, with seeds ${c.seeds.join(', ')}; scored with TACRED's micro F1 over positive labels.
  Bars: mean F1 over the seeds; lines: the lowest and highest seed.</p>
${views
  .map((view, i) => {
    const rows = comparisonRows(c, view);
    return `<h3>${escapeHtml(view.eval)}, ${view.labels === 'given' ? 'given labels' : `labels of reference ${escapeHtml(c.reference ?? '')}`}</h3>
<div class="chart" style="height:300px"><canvas id="chart-impact-${i}" aria-label="F1 per variant on ${escapeHtml(view.eval)}" role="img"></canvas></div>
${table(
  ['variant', 'dataset', 'training examples', 'removed', 'relabelled', 'P', 'R', 'F1 (mean)', 'F1 min–max', 'vs original'],
  rows.map((r) => [r.name, VARIANTS[r.name].title, r.trainSize, r.removed, r.relabelled, f3(r.p.mean), f3(r.r.mean), f3(r.f1.mean), `${f3(r.f1.min)}–${f3(r.f1.max)}`, signed(r.delta)]),
)}`;
  })
  .join('\n')}
${c.skipped.length ? `<p class="muted">Not run: ${c.skipped.map((s) => `${escapeHtml(s.name)} (${escapeHtml(s.reason)})`).join('; ')}.</p>` : ''}`;
}

export function impactSections(data: ReportData): string {
  return `${qualitySection(data)}\n${comparisonSection(data)}`;
}

/** Draws the reliability diagram and the F1-per-variant charts; plain ES2017, runs after the main script. */
export const IMPACT_CLIENT_SCRIPT = `(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var drawn = Number(document.body.getAttribute('data-charts-drawn') || 0);
  function make(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    drawn++;
    new Chart(canvas, config);
  }
  var q = data.quality;
  if (q) make('chart-reliability', {
    type: 'bar',
    data: { labels: q.reliability.map(function (b) { return b.from.toFixed(1) + '-' + b.to.toFixed(1); }), datasets: [
      { type: 'line', label: 'perfect calibration', data: q.reliability.map(function (b) { return (b.from + b.to) / 2; }), borderColor: '#9aa5b1', borderDash: [4, 4], pointRadius: 0 },
      { type: 'line', label: 'mean confidence', data: q.reliability.map(function (b) { return b.confidence; }), borderColor: '#e8a33d', spanGaps: true },
      { label: 'accuracy', data: q.reliability.map(function (b) { return b.accuracy; }), backgroundColor: '#2f6fde' }
    ] },
    options: { scales: { x: { title: { display: true, text: 'confidence' } }, y: { min: 0, max: 1, title: { display: true, text: 'share correct' } } } }
  });
  var c = data.comparison;
  if (c) {
    var views = [];
    c.variants.forEach(function (v) { v.scores.forEach(function (s) {
      if (!views.some(function (w) { return w.eval === s.eval && w.labels === s.labels; })) views.push({ eval: s.eval, labels: s.labels });
    }); });
    views.forEach(function (view, i) {
      var rows = c.variants.map(function (v) {
        var s = v.scores.filter(function (x) { return x.eval === view.eval && x.labels === view.labels; })[0];
        return s ? { name: v.name, f1: s.f1 } : null;
      }).filter(Boolean);
      var lows = rows.map(function (r) { return r.f1.min; });
      var floor = Math.max(0, Math.floor((Math.min.apply(null, lows) - 0.02) * 20) / 20);
      make('chart-impact-' + i, {
        type: 'bar',
        data: { labels: rows.map(function (r) { return r.name; }), datasets: [
          { label: 'F1, mean over seeds', data: rows.map(function (r) { return r.f1.mean; }), backgroundColor: rows.map(function (r) { return r.name === 'original' ? '#9aa5b1' : '#2f6fde'; }), order: 1 },
          { label: 'F1, min to max', data: rows.map(function (r) { return [r.f1.min, r.f1.max]; }), backgroundColor: '#1d2530', barPercentage: 0.08, grouped: false, order: 0 }
        ] },
        options: { scales: { y: { min: floor, title: { display: true, text: 'F1 (TACRED, micro)' } } } }
      });
    });
  }
  document.body.setAttribute('data-charts-drawn', String(drawn));
})();`;
