import { comparisonRows, comparisonViews, signedDelta, VARIANTS, type ComparisonRow } from './compare';
import type { ReportData } from './report';
import { STRATEGIES, type StrategyName } from './strategies';

/**
 * What the report says, as plain data: the in-app report screen and the saved HTML file both
 * draw exactly this (same sections, sentences, tables and charts), so they cannot drift
 * apart. Chart specs are JSON (no callbacks), drawn by Chart.js on either side.
 */

export type Cell = string | number;

export interface ReportTable {
  id: string;
  head: string[];
  rows: Cell[][];
  /** Shown folded (a <details>) when long; the chart above already shows the same numbers. */
  folded?: boolean;
  /** Words rather than numbers: cells aligned left. */
  text?: boolean;
  /** What the table holds, shown above it (and on its fold). */
  caption?: string;
}

export interface ReportChart {
  id: string;
  ariaLabel: string;
  horizontal?: boolean;
  stacked?: boolean;
  labels: string[];
  datasets: {
    label: string;
    /** A value per category, or a [low, high] range (a floating bar). */
    data: (number | null | [number, number])[];
    color: string | string[];
    /** Drawn as a line over the bars (dashed: a reference line). */
    line?: boolean;
    dashed?: boolean;
    /** A thin bar drawn over the others (a min–max range), in the text colour whatever `color` says. */
    thin?: boolean;
  }[];
  categoryTitle?: string;
  valueTitle?: string;
  /** Percentages: the value axis ends at 100. */
  percent?: boolean;
  /** Fixed ends of the value axis. */
  valueMin?: number;
  valueMax?: number;
  height: number;
}

export interface ReportSection {
  id: string;
  title: string;
  /** Sentences that say what the numbers count. */
  intro: string[];
  /** Headline figures, shown as cards above the charts. */
  cards?: ReportCard[];
  charts: ReportChart[];
  tables: ReportTable[];
  /** Spans the whole width (long tables, wide charts). */
  wide?: boolean;
}

export interface ReportCard {
  value: string;
  label: string;
  /** For tests and the page: names the figure. */
  testId?: string;
}

export interface ReportContent {
  title: string;
  subtitle: string;
  cards: ReportCard[];
  sections: ReportSection[];
}

export const REPORT_COLORS = {
  keep: '#3b8f5a',
  eliminate: '#d64545',
  reannotate: '#2f6fde',
  gain: '#3b8f5a',
  loss: '#d64545',
  flags: '#7a5cc2',
  precision: '#2f6fde',
  recall: '#e8a33d',
  suggestion: '#3b8f5a',
  neutral: '#9aa5b1',
  range: '#1d2530',
} as const;

const count = (n: number) => n.toLocaleString('en-US');
const badge = (s: StrategyName | 'any') => (s === 'any' ? 'any' : STRATEGIES[s].badge);
const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
const signed = (n: number) => (n > 0 ? `+${count(n)}` : n < 0 ? `−${count(-n)}` : '0');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

function labelSection(data: ReportData): ReportSection {
  const { names, before, after } = data.labels;
  const rows = names.map((name, i) => ({ name, before: before[i]!, after: after[i]!, change: after[i]! - before[i]! }));
  const changed = rows.filter((r) => r.change !== 0).sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || a.name.localeCompare(b.name));
  const totalBefore = before.reduce((a, b) => a + b, 0);
  const totalAfter = after.reduce((a, b) => a + b, 0);
  return {
    id: 'labels',
    title: 'Label changes from the decisions',
    intro: [
      `Every split together: ${count(totalBefore)} examples before review, ${count(totalAfter)} after (eliminated examples dropped, reannotated ones counted under their new label).`,
      changed.length
        ? `The chart shows the change per label (after minus before) on a linear scale, so that a handful of decisions is as visible as a thousand; the table lists every label.`
        : 'No decision has changed a label count yet.',
    ],
    charts: changed.length
      ? [
          {
            id: 'chart-labels',
            ariaLabel: 'Change in examples per label, after minus before review',
            horizontal: true,
            labels: changed.map((r) => r.name),
            datasets: [{ label: 'change (after − before)', data: changed.map((r) => r.change), color: changed.map((r) => (r.change > 0 ? REPORT_COLORS.gain : REPORT_COLORS.loss)) }],
            valueTitle: 'examples gained (+) or lost (−)',
            height: Math.max(140, changed.length * 24 + 70),
          },
        ]
      : [],
    tables: [
      {
        id: 'table-labels',
        head: ['label', 'before', 'after', 'change'],
        rows: rows.map((r) => [r.name, count(r.before), count(r.after), signed(r.change)]),
        folded: rows.length > 12,
      },
    ],
  };
}

function flagSection(data: ReportData): ReportSection {
  const { strategies, counts, examplesByAgreement, pairwise, queue } = data.flags;
  const upper = strategies.map((s) => STRATEGIES[s].badge);
  return {
    id: 'flags',
    title: `Flags per strategy and their overlap (run ${data.run.id})`,
    intro: [`${plural(queue, 'example is', 'examples are')} in the triage queue (flagged by at least one strategy). The overlap table counts the examples flagged by both strategies of a pair (the diagonal: by the strategy itself).`],
    charts: [
      {
        id: 'chart-flags',
        ariaLabel: 'Flagged examples per strategy',
        labels: upper,
        datasets: [{ label: 'flagged examples', data: counts, color: REPORT_COLORS.flags }],
        valueTitle: 'flagged examples',
        height: 240,
      },
      {
        id: 'chart-agreement',
        ariaLabel: 'Examples by number of agreeing strategies',
        labels: examplesByAgreement.map((_, i) => `${i + 1}`),
        datasets: [{ label: 'examples', data: examplesByAgreement, color: REPORT_COLORS.flags }],
        categoryTitle: 'flagged by exactly this many strategies',
        valueTitle: 'examples',
        height: 200,
      },
    ],
    tables: [
      { id: 'table-overlap', head: ['overlap', ...upper], rows: pairwise.map((row, i) => [upper[i]!, ...row.map(count)]) },
      { id: 'table-agreement', head: ['flagged by exactly', ...examplesByAgreement.map((_, i) => `${i + 1}`)], rows: [['examples', ...examplesByAgreement.map(count)]] },
    ],
  };
}

function timelineSection(data: ReportData): ReportSection {
  const t = data.decisionsOverTime;
  const decided = data.decided.keep + data.decided.eliminate + data.decided.reannotate;
  const bucket = t.bucket === 'hour' ? 'hour (UTC)' : 'day (UTC)';
  const series = (name: 'keep' | 'eliminate' | 'reannotate') => t.series[name] ?? t.labels.map(() => 0);
  return {
    id: 'timeline',
    title: 'Decisions over time',
    intro: [
      `Each decided example counted once, in the ${t.bucket} it reached its current decision: ${count(decided)} in all, the same examples as the summary above.`,
      `The decision log holds ${plural(t.logRecords, 'record', 'records')} (every change, undo, redo and note); they are not counted here.`,
    ],
    charts: t.labels.length
      ? [
          {
            id: 'chart-decisions',
            ariaLabel: 'Decided examples over time, by current decision',
            stacked: true,
            labels: t.labels,
            datasets: [
              { label: 'keep', data: series('keep'), color: REPORT_COLORS.keep },
              { label: 'eliminate', data: series('eliminate'), color: REPORT_COLORS.eliminate },
              { label: 'reannotate', data: series('reannotate'), color: REPORT_COLORS.reannotate },
            ],
            categoryTitle: bucket,
            valueTitle: 'decided examples',
            height: 240,
          },
        ]
      : [],
    tables: t.labels.length
      ? [{ id: 'table-decisions', head: [bucket, 'keep', 'eliminate', 'reannotate'], rows: t.labels.map((l, i) => [l, count(series('keep')[i] ?? 0), count(series('eliminate')[i] ?? 0), count(series('reannotate')[i] ?? 0)]), folded: t.labels.length > 6 }]
      : [],
  };
}

function evaluationSection(data: ReportData): ReportSection {
  const e = data.evaluation;
  if (!e) {
    return {
      id: 'evaluation',
      title: 'Agreement with a reference',
      intro: ['No reference set was chosen. Import a TACRev or Re-TACRED patch (in the rank dialog, or `winnow reference import`) and choose it to see each strategy’s precision and recall against it.'],
      charts: [],
      tables: [],
    };
  }
  const pick = (key: 'precision' | 'recall' | 'suggestionAccuracy') => e.strategies.map((s) => (s[key] === null ? null : s[key]! * 100));
  return {
    id: 'evaluation',
    title: `Agreement with “${e.reference}”`,
    intro: [
      `The reference covers ${count(e.covered)} ranked examples and changes the label of ${count(e.changed)} of them.`,
      'Precision: the share of flagged (covered) examples whose reference label differs from the given one. Recall: the share of the reference’s changes that were flagged. “Suggestion = reference”: how often the suggested label is the reference’s, among the flagged examples it changed.',
    ],
    charts: [
      {
        id: 'chart-evaluation',
        ariaLabel: 'Precision and recall per strategy',
        labels: e.strategies.map((s) => badge(s.strategy)),
        datasets: [
          { label: 'precision', data: pick('precision'), color: REPORT_COLORS.precision },
          { label: 'recall', data: pick('recall'), color: REPORT_COLORS.recall },
          { label: 'suggestion = reference', data: pick('suggestionAccuracy'), color: REPORT_COLORS.suggestion },
        ],
        valueTitle: '%',
        percent: true,
        height: 260,
      },
    ],
    tables: [
      {
        id: 'table-evaluation',
        head: ['strategy', 'flagged', 'covered by reference', 'precision', 'recall', 'suggestion = reference', 'flagged negatives the reference calls positive'],
        rows: e.strategies.map((s) => [badge(s.strategy), count(s.flagged), count(s.flaggedCovered), pct(s.precision), pct(s.recall), pct(s.suggestionAccuracy), pct(s.negativesToPositive)]),
      },
    ],
    wide: true,
  };
}

const f3 = (v: number | null) => (v === null ? '–' : v.toFixed(3));

/**
 * Agreement between annotators whose logs were merged (shown with two or more): the matrix of
 * examples each pair decided with Cohen's kappa, Fleiss' kappa, and the conflicts by label.
 */
function agreementSection(data: ReportData): ReportSection[] {
  const a = data.agreement;
  if (!a) return [];
  const names = a.annotators.map((x) => x.name);
  const labels = a.labels.slice(0, 30);
  return [
    {
      id: 'agreement',
      title: 'Agreement between annotators',
      intro: [
        'Per pair of annotators: the examples both decided, and Cohen’s kappa over their outcomes (keep, eliminate, or the new label); on the diagonal, the examples each decided.',
        a.fleissExamples
          ? `Fleiss’ kappa over the ${plural(a.fleissExamples, 'example', 'examples')} three or more annotators decided: ${f3(a.fleiss)}.`
          : 'No example was decided by three or more annotators, so there is no Fleiss’ kappa.',
        `${plural(a.conflicts, 'conflict', 'conflicts')} (examples whose annotators’ decisions differ), ${count(a.adjudicated)} of them adjudicated; filter the grid on Conflicts to settle the others.`,
      ],
      cards: [
        { value: count(a.conflicts), label: 'conflicts', testId: 'agreement-conflicts' },
        { value: count(a.adjudicated), label: 'adjudicated' },
        { value: f3(a.fleiss), label: 'Fleiss’ kappa' },
      ],
      charts: labels.length
        ? [
            {
              id: 'chart-agreement-labels',
              ariaLabel: 'Examples two or more annotators decided, per given label: agreed and in conflict',
              horizontal: true,
              stacked: true,
              labels: labels.map((l) => l.label),
              datasets: [
                { label: 'agreed', data: labels.map((l) => l.agreed), color: REPORT_COLORS.keep },
                { label: 'conflicts', data: labels.map((l) => l.conflicts), color: REPORT_COLORS.eliminate },
              ],
              valueTitle: 'examples decided by two or more annotators',
              height: Math.max(140, labels.length * 24 + 70),
            },
          ]
        : [],
      tables: [
        {
          id: 'table-agreement',
          head: ['both decided · κ', ...names],
          rows: a.matrix.map((row, i) => [names[i]!, ...row.map((cell, j) => (i === j ? `${count(cell.overlap)} decided` : cell.overlap ? `${count(cell.overlap)} · κ ${f3(cell.kappa)}` : '0'))]),
        },
        {
          id: 'table-agreement-labels',
          head: ['given label', 'decided by 2+', 'agreed', 'conflicts', 'agreement'],
          rows: a.labels.map((l) => [l.label, count(l.examples), count(l.agreed), count(l.conflicts), pct(l.examples ? l.agreed / l.examples : null)]),
          folded: a.labels.length > 12,
        },
      ],
    },
  ];
}

/**
 * The held-out figure beside the out-of-fold one, when the comparison on show has one: its
 * "original" variant is a model trained on the train split as given and scored on held-out
 * splits, which no out-of-fold prediction is.
 */
function heldOutLine(data: ReportData): string | null {
  const c = data.comparison;
  const original = c?.variants.find((v) => v.name === 'original');
  if (!c || !original?.scores.length) return null;
  const scores = original.scores.map((s) => `${f3(s.f1.mean)} on "${s.eval}"${s.labels === 'reference' ? ` with reference "${c.reference}"` : ''} (${f3(s.f1.min)}–${f3(s.f1.max)})`);
  const model = c.model === 'builtin' ? 'the built-in model with fixed hyperparameters' : 'the comparison’s trainer';
  return `Held out (comparison #${c.id}): ${model}, trained on "${c.train}" as given, ${c.seeds.length === 1 ? 'one seed' : `${c.seeds.length} seeds`}, micro-F1 ${scores.join(', ')}. A different model from the ranking’s (trained once on the whole split, not per fold), on other examples: the two figures are not expected to agree.`;
}

/** How far to trust the flags: the run's model against the given labels (see quality.ts). */
function qualitySection(data: ReportData): ReportSection {
  const q = data.quality;
  if (!q) return { id: 'quality', title: 'Model quality', intro: ['This run has no stored predictions.'], charts: [], tables: [] };
  const source = data.run.model.startsWith('winnow-builtin')
    ? 'out-of-fold predictions of the built-in model (each example predicted by the fold model that did not train on it)'
    : 'the predictions of the run’s model as they came';
  return {
    id: 'quality',
    title: 'Model quality',
    intro: [
      `How far to trust the flags: ${source}, scored against the given labels with TACRED’s metric (micro-averaged over the positive labels; a negative prediction is never counted as a guess, a negative label never as gold). Noisy labels pull these figures down, so they are a floor for the model’s true quality.`,
      heldOutLine(data) ?? 'For a held-out figure, run a comparison on the Cleaning impact screen: its "original" variant is a model trained on the split as given and scored on held-out data.',
    ],
    cards: [
      { value: f3(q.microF1), label: 'micro-F1', testId: 'quality-micro-f1' },
      { value: f3(q.macroF1), label: 'macro-F1' },
      { value: f3(q.microPrecision), label: 'micro precision' },
      { value: f3(q.microRecall), label: 'micro recall' },
      { value: f3(q.accuracy), label: 'accuracy (all labels)' },
      { value: f3(q.ece), label: 'expected calibration error', testId: 'quality-ece' },
    ],
    charts: [
      {
        id: 'chart-reliability',
        ariaLabel: 'Reliability diagram: share correct per confidence bin',
        labels: q.reliability.map((b) => `${b.from.toFixed(1)}–${b.to.toFixed(1)}`),
        datasets: [
          { label: 'perfect calibration', data: q.reliability.map((b) => (b.from + b.to) / 2), color: REPORT_COLORS.neutral, line: true, dashed: true },
          { label: 'mean confidence', data: q.reliability.map((b) => b.confidence), color: REPORT_COLORS.recall, line: true },
          { label: 'share correct', data: q.reliability.map((b) => b.accuracy), color: REPORT_COLORS.precision },
        ],
        categoryTitle: 'confidence',
        valueTitle: 'share correct',
        valueMin: 0,
        valueMax: 1,
        height: 240,
      },
    ],
    tables: [
      { id: 'table-confusions', caption: 'Top confusions (given label, predicted label)', text: true, head: ['given', 'predicted', 'examples'], rows: q.confusions.map((c) => [c.given, c.predicted, count(c.count)]) },
      {
        id: 'table-per-label',
        caption: `Precision, recall and F1 per label (${q.perLabel.length} labels)`,
        head: ['label', 'precision', 'recall', 'F1', 'given', 'predicted', 'correct'],
        rows: q.perLabel.map((l) => [l.label, f3(l.precision), f3(l.recall), f3(l.f1), count(l.gold), count(l.guessed), count(l.correct)]),
        folded: true,
      },
      {
        id: 'table-calibration',
        caption: `Calibration per confidence bin (${q.reliability.length} bins)`,
        head: ['confidence', 'examples', 'mean confidence', 'accuracy'],
        rows: q.reliability.map((b) => [`${b.from.toFixed(1)}–${b.to.toFixed(1)}`, count(b.count), f3(b.confidence), f3(b.accuracy)]),
        folded: true,
      },
    ],
  };
}

/**
 * F1 per variant of one comparison view (the report's and the impact screen's chart): the mean
 * over the seeds, the seeds' range as a thin bar, the axis starting just under the lowest seed.
 */
export function comparisonChart(rows: readonly ComparisonRow[], chart: Pick<ReportChart, 'id' | 'ariaLabel' | 'height'>): ReportChart {
  return {
    ...chart,
    labels: rows.map((r) => r.name),
    datasets: [
      { label: 'F1, mean over seeds', data: rows.map((r) => r.f1.mean), color: rows.map((r) => (r.name === 'original' ? REPORT_COLORS.neutral : REPORT_COLORS.precision)) },
      { label: 'F1, lowest to highest seed', data: rows.map((r): [number, number] => [r.f1.min, r.f1.max]), color: REPORT_COLORS.range, thin: true },
    ],
    valueTitle: 'F1 (TACRED, micro)',
    valueMin: Math.max(0, Math.floor((Math.min(...rows.map((r) => r.f1.min)) - 0.02) * 20) / 20),
  };
}

/** What cleaning buys: the latest retraining comparison made with this run (see compare.ts), one section per eval split and label set. */
function comparisonSections(data: ReportData): ReportSection[] {
  const c = data.comparison;
  if (!c) {
    return [
      {
        id: 'comparison',
        title: 'Does cleaning help?',
        intro: ['No retraining comparison with this run yet. Run one on the Cleaning impact screen, or `winnow compare PROJECT --train train --eval test`: each cleaned variant is exported, a model is retrained on it and scored on held-out data.'],
        charts: [],
        tables: [],
      },
    ];
  }
  const hyperparameters = Object.entries(c.hyperparameters ?? {}).map(([k, v]) => `${k} ${String(v)}`).join(', ');
  const model = c.model === 'builtin' ? `the built-in model, fixed hyperparameters: ${hyperparameters}` : `the trainer ${c.model}`;
  const intro = [
    `Comparison ${c.id} (${c.createdAt}): a model (${model}) trained on each variant of “${c.train}”, built exactly as the export writes it, with seeds ${c.seeds.join(', ')}; scored with TACRED’s micro F1 over positive labels. Bars: mean F1 over the seeds; the thin bars: the lowest to the highest seed. A difference to the original is beyond the seeds’ spread when the two F1 ranges do not overlap (two seeds or more); a smaller one is noise.`,
    ...(c.skipped.length ? [`Not run: ${c.skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}.`] : []),
    ...c.warnings.map((w) => `Warning: ${w}`),
  ];
  return comparisonViews(c).map((view, i) => {
    const rows = comparisonRows(c, view);
    return {
      id: `comparison-${i}`,
      title: `Does cleaning help? Retraining on each variant: ${view.eval}, ${view.labels === 'given' ? 'given labels' : `labels of reference ${c.reference ?? ''}`}`,
      intro: i === 0 ? intro : [],
      charts: [comparisonChart(rows, { id: `chart-impact-${i}`, ariaLabel: `F1 per variant on ${view.eval}`, height: 260 })],
      tables: [
        {
          id: `table-impact-${i}`,
          head: ['variant', 'dataset', 'training examples', 'removed', 'relabelled', 'P', 'R', 'F1 (mean)', 'F1 min–max', 'vs original', 'beyond the seeds’ spread'],
          rows: rows.map((r) => [r.name, VARIANTS[r.name].title, count(r.trainSize), count(r.removed), count(r.relabelled), f3(r.p.mean), f3(r.r.mean), f3(r.f1.mean), `${f3(r.f1.min)}–${f3(r.f1.max)}`, signedDelta(r.delta), r.delta === null ? '' : r.clear ? 'yes' : 'no']),
        },
      ],
      wide: true,
    };
  });
}

function runSection(data: ReportData): ReportSection {
  return {
    id: 'run',
    title: `Run ${data.run.id} and its inputs`,
    intro: [],
    charts: [],
    tables: [
      {
        id: 'table-run',
        head: ['parameter', 'value'],
        text: true,
        rows: [
          ['created', data.run.createdAt],
          ['model', data.run.model],
          ['model sha256', data.run.modelHash],
          ['execution provider', data.run.provider],
          ['strategies', data.run.strategies.map(badge).join(', ')],
          ...Object.entries(data.run.params)
            .filter(([key]) => key !== 'strategies')
            .map(([key, value]): Cell[] => [key, typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(value)]),
        ],
      },
      { id: 'table-inputs', head: ['split', 'examples', 'source sha256'], rows: data.splits.map((s) => [s.name, count(s.count), s.sha256 ?? '–']), text: true },
    ],
  };
}

export function reportContent(data: ReportData): ReportContent {
  const total = data.labels.before.reduce((a, b) => a + b, 0);
  const after = data.labels.after.reduce((a, b) => a + b, 0);
  return {
    title: `Winnow report: run ${data.run.id}`,
    subtitle: `Run ${data.run.id} (${data.run.model}, ${data.run.createdAt}) · negative label ${data.negativeLabel} · generated ${data.generatedAt} by Winnow ${data.appVersion}`,
    cards: [
      { value: count(total), label: `examples in ${plural(data.splits.length, 'split', 'splits')}` },
      { value: count(data.flags.queue), label: `flagged by run ${data.run.id}` },
      { value: count(data.decided.keep), label: 'kept' },
      { value: count(data.decided.eliminate), label: 'eliminated' },
      { value: count(data.decided.reannotate), label: 'reannotated' },
      { value: count(after), label: 'examples after review' },
    ],
    sections: [labelSection(data), timelineSection(data), flagSection(data), qualitySection(data), evaluationSection(data), ...agreementSection(data), ...comparisonSections(data), runSection(data)],
  };
}

/**
 * The Chart.js configuration for a chart. Self-contained on purpose (no reference to anything
 * outside its body, no imports): the saved HTML report embeds this function's source text, so
 * the file and the app draw each chart with the same code.
 */
export function chartConfig(spec: ReportChart, colors: { text: string; grid: string }): Record<string, unknown> {
  // (Self-contained: the saved HTML embeds this function's source, so it names nothing outside it.)
  const title = (text: string | undefined) => (text ? { display: true, text, color: colors.text } : { display: false });
  const valueAxis = {
    beginAtZero: spec.valueMin === undefined,
    stacked: !!spec.stacked,
    min: spec.valueMin,
    max: spec.percent ? 100 : spec.valueMax,
    title: title(spec.valueTitle),
    ticks: { color: colors.text },
    grid: { color: colors.grid },
  };
  const categoryAxis = { stacked: !!spec.stacked, title: title(spec.categoryTitle), ticks: { color: colors.text, autoSkip: !spec.horizontal }, grid: { display: false } };
  return {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.datasets.map((d, i) =>
        d.line
          ? { type: 'line', label: d.label, data: d.data, borderColor: d.color, backgroundColor: d.color, borderDash: d.dashed ? [4, 4] : [], pointRadius: d.dashed ? 0 : 3, spanGaps: true, order: -1 - i }
          : d.thin
            ? // Spread bars in the theme's text colour: a fixed dark one is lost on a dark background.
              { label: d.label, data: d.data, backgroundColor: colors.text, borderWidth: 0, barPercentage: 0.08, grouped: false, order: -1 - i }
            : { label: d.label, data: d.data, backgroundColor: d.color, borderWidth: 0, order: i },
      ),
    },
    options: {
      indexAxis: spec.horizontal ? 'y' : 'x',
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: spec.datasets.length > 1, labels: { color: colors.text } } },
      scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
    },
  };
}
