// `npm run bench:quality [-- --file data.json] [--n 20000] [--seed 1] [--negative no_relation]
//   [--clean-share 0.1] [--set key=value ...]`: injects label noise into a TACRED-format dataset
// (10% of positives flipped to the negative label, as in TACRED, then 3% of all examples to a
// random other label), puts a random share of it into a "dev" split that serves as the clean set
// with the true labels applied through a TACRev-style reference patch (the paper's setting), ranks
// the rest ("train") with the built-in model and every strategy, and prints per strategy:
// precision overall and in the top fifth of its flags by score, recall, IS/ES/ESP precision
// against the negatives' noise rate and the whole data's, KNN's flag count, and the triage
// queue's precision at 50/100/500/1000 next to a confident-learning ranking by self-confidence
// on the same probabilities (cleanlab's default order). Without --file it uses generated data.
// `--set clMinMargin=0` (etc.) overrides a rank parameter, for measuring defaults.
// `--retrain-seeds N` (default 3) trains each retraining row N times: the gap is a few F1
// points and one training's spread about one, so shares of the gap need more seeds to settle.
// Then the retraining table (scripts/bench/retraining.ts): the built-in model retrained on each
// automatic export of the run, scored with TACRED's metric on --eval-file (clean held-out data
// in the format of --file) or, for generated data, a generated clean test set.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSyntheticTacred } from '../../tools/demo-generator/synthetic-tacred';
import { importSplit } from '../../src/main/core/store/import-split';
import { mulberry32 } from '../../src/main/core/random/seeded-rng';
import { rankProject } from '../../src/main/core/ranking/rank-project';
import { openDatabase } from '../../src/main/core/store/database';
import { importReferenceSet } from '../../src/main/core/store/reference-sets';
import { rankedBySelfConfidence } from '../../src/main/core/noise/confident-learning';
import { STRATEGY_NAMES } from '../../src/shared/strategies';
import { fmt } from './stats';
import { printRetrainingTable } from './retraining';
import { tacredScore } from '../../src/main/core/metrics/tacred-score';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const seed = Number(arg('seed') ?? 1);
const negative = arg('negative') ?? 'no_relation';
const cleanShare = Number(arg('clean-share') ?? 0.1);
const overrides: Record<string, unknown> = {};
args.forEach((a, i) => {
  if (a !== '--set') return;
  const [key, value] = args[i + 1]!.split('=') as [string, string];
  overrides[key] = /^-?[\d.]+$/.test(value) ? Number(value) : value;
});

type Rec = Record<string, unknown> & { id: string; relation: string };
let records: Rec[];
let source: string;
const file = arg('file');
if (file) {
  records = (JSON.parse(fs.readFileSync(file, 'utf8')) as Rec[]).map((r) => ({ ...r, id: String(r.id) }));
  source = path.basename(file);
} else {
  const n = Number(arg('n') ?? 20000);
  records = generateSyntheticTacred({ n, seed: 4242, noise: { falseNegativeRate: 0, randomRate: 0 } }).records as unknown as Rec[];
  source = `generated (${n})`;
}

// Inject noise: the original labels are the truth.
const random = mulberry32(seed);
const labels = [...new Set(records.map((r) => r.relation))].sort();
const truth = new Map(records.map((r) => [r.id, r.relation]));
const noisy = records.map((r) => ({ ...r }));
for (const r of noisy) {
  if (r.relation !== negative && random() < 0.1) r.relation = negative;
  else if (random() < 0.03) {
    const others = labels.filter((l) => l !== r.relation);
    r.relation = others[Math.floor(random() * others.length)]!;
  }
}
const isDev = new Map(noisy.map((r) => [r.id, random() < cleanShare]));
const train = noisy.filter((r) => !isDev.get(r.id));
const dev = noisy.filter((r) => isDev.get(r.id));
// The reference patch relabels the dev examples whose label the noise changed, as TACRev does.
const patch = dev.filter((r) => r.relation !== truth.get(r.id)).map((r) => ({ id: r.id, relation: truth.get(r.id)! }));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-quality-'));
fs.writeFileSync(path.join(dir, 'train.json'), JSON.stringify(train));
fs.writeFileSync(path.join(dir, 'dev.json'), JSON.stringify(dev));
fs.writeFileSync(path.join(dir, 'truth-dev.json'), JSON.stringify(patch));
const db = openDatabase(path.join(dir, 'q.winnow'), { create: true });
await importSplit(db, { filePath: path.join(dir, 'train.json'), split: 'train', negativeLabel: negative });
await importSplit(db, { filePath: path.join(dir, 'dev.json'), split: 'dev' });
await importReferenceSet(db, path.join(dir, 'truth-dev.json'), 'truth');
const started = performance.now();
const summary = await rankProject(db, {
  strategies: [...STRATEGY_NAMES],
  clean: [{ kind: 'split', name: 'dev' }],
  cleanReference: 'truth',
  seed,
  ...overrides,
});
const seconds = (performance.now() - started) / 1000;

const changed = new Set(train.filter((r) => r.relation !== truth.get(r.id)).map((r) => r.id));
const negatives = train.filter((r) => r.relation === negative);
const baseAll = changed.size / train.length;
const baseNegatives = negatives.filter((r) => changed.has(r.id)).length / negatives.length;
console.log(`quality on ${source}: ${train.length} ranked examples (train), ${labels.length} labels, ${changed.size} changed by injected noise (${fmt(100 * baseAll)}%; negatives ${fmt(100 * baseNegatives)}% of ${negatives.length})`);
console.log(`clean set: ${summary.cleanSet?.description}: ${summary.cleanSet?.examples} examples, ${summary.cleanSet?.relabelledByReference} relabelled by the reference`);
if (Object.keys(overrides).length) console.log(`overrides: ${JSON.stringify(overrides)}`);
for (const warning of summary.warnings) console.log(`warning: ${warning}`);
console.log(`rank: ${fmt(seconds)} s (${Object.entries(summary.timings).map(([k, v]) => `${k} ${fmt(v / 1000)} s`).join(', ')})`);

const pct = (x: number) => (Number.isFinite(x) ? `${fmt(100 * x)}%` : '-');
const precision = (ids: readonly string[]) => (ids.length ? ids.filter((id) => changed.has(id)).length / ids.length : Number.NaN);
console.log('\nstrategy\tflags\tprecision\ttop fifth\tx overall\tbottom fifth\trecall\tx negatives\' rate\tx whole data\'s rate\tdistinct scores in top fifth');
const byStrategy = db.prepare('SELECT e.ext_id AS id, f.score FROM flags f JOIN examples e ON e.id = f.example_id WHERE f.run_id = ? AND f.strategy = ? ORDER BY f.score DESC, e.id');
for (const strategy of STRATEGY_NAMES) {
  const flagged = byStrategy.all(summary.runId, strategy) as { id: string; score: number }[];
  const ids = flagged.map((f) => f.id);
  const fifth = Math.max(1, Math.floor(ids.length / 5));
  const p = precision(ids);
  const top = precision(ids.slice(0, fifth));
  const hits = ids.filter((id) => changed.has(id)).length;
  const negativesOnly = strategy === 'is' || strategy === 'es';
  console.log(
    [strategy.toUpperCase(), ids.length, pct(p), pct(top), fmt(top / p, 2), pct(precision(ids.slice(-fifth))), pct(hits / changed.size),
      negativesOnly ? fmt(p / baseNegatives, 2) : '-', fmt(p / baseAll, 2), new Set(flagged.slice(0, fifth).map((f) => f.score.toFixed(4))).size].join('\t'),
  );
}
const knn = summary.flags.knn ?? 0;
console.log(`KNN flags ${knn} of ${train.length} examples (${pct(knn / train.length)}), for ${changed.size} noisy (${pct(baseAll)})`);

// The queue against cleanlab's default ranking on the same (out-of-sample) probabilities.
const queue = db.prepare('SELECT e.ext_id FROM queue q JOIN examples e ON e.id = q.example_id WHERE q.run_id = ? ORDER BY q.rank').pluck().all(summary.runId) as string[];
const order = JSON.parse(db.prepare('SELECT label_order FROM runs WHERE id = ?').pluck().get(summary.runId) as string) as string[];
const rows = db
  .prepare('SELECT e.ext_id AS id, g.name AS given, p.probs FROM predictions p JOIN examples e ON e.id = p.example_id JOIN labels g ON g.id = e.label_id WHERE p.run_id = ? ORDER BY e.id')
  .all(summary.runId) as { id: string; given: string; probs: Buffer }[];
const K = order.length;
const probs = new Float64Array(rows.length * K);
rows.forEach((r, i) => probs.set(new Float32Array(r.probs.buffer.slice(r.probs.byteOffset, r.probs.byteOffset + r.probs.byteLength)), i * K));
const given = Int32Array.from(rows, (r) => order.indexOf(r.given));
const cleanlab = Array.from(rankedBySelfConfidence(given, probs, K), (i) => rows[i]!.id);
console.log(`\nprecision at\t50\t100\t500\t1000\t(list length)`);
for (const [name, list] of [['queue', queue], ['cleanlab self-confidence', cleanlab]] as const) {
  console.log([name, ...[50, 100, 500, 1000].map((c) => (list.length >= c ? pct(precision(list.slice(0, c))) : `${pct(precision(list))} (all ${list.length})`)), list.length].join('\t'));
}

// Out-of-fold macro-F1 over positive classes, against the original (pre-noise) labels and
// against the given (noisy) ones.
const predictions = db
  .prepare('SELECT e.ext_id AS id, l.name AS predicted, g.name AS given FROM predictions p JOIN examples e ON e.id = p.example_id JOIN labels l ON l.id = p.predicted_label_id JOIN labels g ON g.id = e.label_id WHERE p.run_id = ?')
  .all(summary.runId) as { id: string; predicted: string; given: string }[];
const macroF1 = (gold: (r: { id: string; given: string }) => string) => tacredScore(predictions.map(gold), predictions.map((r) => r.predicted), negative).macroF1;
console.log(`\nbuilt-in model, out-of-fold macro-F1 (positives): ${fmt(macroF1((r) => truth.get(r.id)!), 3)} vs original labels, ${fmt(macroF1((r) => r.given), 3)} vs given labels`);
const evalFile = arg('eval-file');
const heldOut = evalFile
  ? (JSON.parse(fs.readFileSync(evalFile, 'utf8')) as Rec[])
  : file
    ? null
    : (generateSyntheticTacred({ n: Math.round(records.length / 4), seed: 4343, idPrefix: 'heldout-', noise: { falseNegativeRate: 0, randomRate: 0 } }).records as unknown as Rec[]);
const retrainSeeds = Number(arg('retrain-seeds') ?? 3);
if (!Number.isInteger(retrainSeeds) || retrainSeeds < 1) throw new Error(`--retrain-seeds must be a whole number >= 1, got ${arg('retrain-seeds')}`);
await printRetrainingTable({ db, runId: summary.runId, train: 'train', truth, heldOut, negative, dir, seeds: retrainSeeds });
db.close();
if (process.env.BENCH_KEEP) console.log(`project kept: ${path.join(dir, 'q.winnow')}`);
else fs.rmSync(dir, { recursive: true, force: true });
