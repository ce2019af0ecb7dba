// `npm run bench:quality [-- --file data.json] [--n 20000] [--seed 1]`: injects label noise
// into a TACRED-format dataset (10% of positives flipped to the negative label, as in TACRED,
// and 3% of all examples to a random other label), ranks with the built-in model and every
// strategy, and prints precision and recall of each strategy's flags against the injected
// truth, plus the built-in model's out-of-fold macro-F1. Without --file it uses generated data.
// Then the retraining table (scripts/bench/retraining.ts), scored on --eval-file (clean
// held-out data in the format of --file) or, for generated data, a generated clean test set.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSyntheticTacred } from '../../tools/demo-generator/synthetic-tacred';
import { importSplit } from '../../src/main/core/store/import-split';
import { mulberry32 } from '../../src/main/core/random/seeded-rng';
import { rankProject } from '../../src/main/core/ranking/rank-project';
import { openDatabase } from '../../src/main/core/store/database';
import { importReferenceSet } from '../../src/main/core/store/reference-sets';
import { fmt } from './stats';
import { printRetrainingTable } from './retraining';
import { tacredScore } from '../../src/main/core/metrics/tacred-score';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const seed = Number(arg('seed') ?? 1);
const negative = arg('negative') ?? 'no_relation';
const cleanShare = Number(arg('clean-share') ?? 0.1);

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
const changed = new Set(noisy.filter((r) => r.relation !== truth.get(r.id)).map((r) => r.id));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-quality-'));
fs.writeFileSync(path.join(dir, 'noisy.json'), JSON.stringify(noisy));
// A clean reference for ES/ESP: the true labels of a random share of the examples, as a
// TACRev-style patch would give.
const cleanIds = records.filter(() => random() < cleanShare).map((r) => ({ id: r.id, relation: truth.get(r.id)! }));
fs.writeFileSync(path.join(dir, 'clean.json'), JSON.stringify(cleanIds));

const db = openDatabase(path.join(dir, 'q.winnow'), { create: true });
await importSplit(db, { filePath: path.join(dir, 'noisy.json'), split: 'train' });
await importReferenceSet(db, path.join(dir, 'clean.json'), 'clean');
const started = performance.now();
const summary = await rankProject(db, { strategies: ['is', 'es', 'esp', 'cl', 'knn'], clean: { kind: 'reference', name: 'clean' }, seed });
const seconds = (performance.now() - started) / 1000;

console.log(`quality on ${source}: ${records.length} examples, ${labels.length} labels, ${changed.size} labels changed by injected noise (base rate ${fmt((100 * changed.size) / records.length)}%), clean reference ${cleanIds.length} examples`);
console.log(`rank: ${fmt(seconds)} s (${Object.entries(summary.timings).map(([k, v]) => `${k} ${fmt(v / 1000)} s`).join(', ')})`);
const base = changed.size / records.length;
const cleanSet = new Set(cleanIds.map((c) => c.id));
const rows = db.prepare('SELECT f.strategy, e.ext_id AS id FROM flags f JOIN examples e ON e.id = f.example_id WHERE f.run_id = ?').all(summary.runId) as { strategy: string; id: string }[];
const queue = db.prepare('SELECT e.ext_id AS id FROM queue q JOIN examples e ON e.id = q.example_id WHERE q.run_id = ?').pluck().all(summary.runId) as string[];
const by = new Map<string, string[]>();
for (const r of rows) by.set(r.strategy, [...(by.get(r.strategy) ?? []), r.id]);
by.set('any (queue)', queue);
console.log('strategy\tflags\tprecision\tx base rate\trecall');
for (const [strategy, ids] of by) {
  const hits = ids.filter((id) => changed.has(id)).length;
  const eligible = strategy === 'es' || strategy === 'esp' ? [...changed].filter((id) => !cleanSet.has(id)).length : changed.size;
  const precision = ids.length ? hits / ids.length : 0;
  console.log(`${strategy}\t${ids.length}\t${fmt(100 * precision)}%\t${fmt(precision / base, 2)}\t${fmt((100 * hits) / Math.max(1, eligible))}%`);
}

// Out-of-fold macro-F1 over positive classes, against the original (pre-noise) labels and
// against the given (noisy) ones.
const predictions = db
  .prepare('SELECT e.ext_id AS id, l.name AS predicted, g.name AS given FROM predictions p JOIN examples e ON e.id = p.example_id JOIN labels l ON l.id = p.predicted_label_id JOIN labels g ON g.id = e.label_id WHERE p.run_id = ?')
  .all(summary.runId) as { id: string; predicted: string; given: string }[];
const macroF1 = (gold: (r: { id: string; given: string }) => string) => tacredScore(predictions.map(gold), predictions.map((r) => r.predicted), negative).macroF1;
console.log(`built-in model, out-of-fold macro-F1 (positives): ${fmt(macroF1((r) => truth.get(r.id)!), 3)} vs original labels, ${fmt(macroF1((r) => r.given), 3)} vs given labels`);
const evalFile = arg('eval-file');
const heldOut = evalFile
  ? (JSON.parse(fs.readFileSync(evalFile, 'utf8')) as Rec[])
  : file
    ? null
    : (generateSyntheticTacred({ n: Math.round(records.length / 4), seed: 4343, idPrefix: 'heldout-', noise: { falseNegativeRate: 0, randomRate: 0 } }).records as unknown as Rec[]);
await printRetrainingTable({ db, runId: summary.runId, train: 'train', truth, heldOut, negative, dir });
db.close();
fs.rmSync(dir, { recursive: true, force: true });
