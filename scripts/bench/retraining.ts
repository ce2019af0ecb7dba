// The retraining table of `npm run bench:quality` (the paper's experiment): the built-in model
// retrained on the original labels (the oracle), on the noisy labels as given, and on each
// cleaned variant of the run, scored with TACRED's metric on clean held-out data; and the share
// of the noisy-to-oracle F1 gap each variant recovers. The variants come from `winnow compare`'s
// own code (compareVariants); the oracle goes through the same featurizer and learner.
import fs from 'node:fs';
import path from 'node:path';
import { COMPARE_VARIANTS } from '../../src/shared/compare';
import { featurize, trainAndPredict } from '../../src/main/core/compare/builtin-retrainer';
import { compareVariants } from '../../src/main/core/compare/compare-variants';
import { loadSplitExamples } from '../../src/main/core/compare/variant-set';
import { tacredScore } from '../../src/main/core/metrics/tacred-score';
import { importSplit } from '../../src/main/core/store/import-split';
import type { Db } from '../../src/main/core/store/database';
import { fmt } from './stats';

export interface RetrainingInput {
  db: Db;
  runId: number;
  /** Name of the (noisy) training split in the project. */
  train: string;
  /** The true label of every training example (before the noise). */
  truth: ReadonlyMap<string, string>;
  /** Clean held-out records; the table is skipped without them. */
  heldOut: readonly Record<string, unknown>[] | null;
  negative: string;
  dir: string;
  seeds?: number;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export async function printRetrainingTable(input: RetrainingInput): Promise<void> {
  if (!input.heldOut?.length) {
    console.log('\nretraining: skipped (no held-out data: pass --eval-file with the clean test split of --file)');
    return;
  }
  const seeds = input.seeds ?? 3;
  const file = path.join(input.dir, 'heldout.json');
  fs.writeFileSync(file, JSON.stringify(input.heldOut));
  // Imported after the ranking, so the run never saw it.
  await importSplit(input.db, { filePath: file, split: 'heldout' });
  const started = performance.now();
  const result = await compareVariants(input.db, { train: input.train, evals: ['heldout'], run: input.runId, variants: COMPARE_VARIANTS.filter((v) => v !== 'reviewed'), seeds });
  const compareSeconds = (performance.now() - started) / 1000;

  // The oracle: the same split with its true labels, through the same featurizer and learner.
  const train = loadSplitExamples(input.db, input.train);
  const heldOut = loadSplitExamples(input.db, 'heldout');
  const classNames = [...new Set([input.negative, ...train.labels, ...heldOut.labels, ...input.truth.values()])].sort();
  const classIndex = new Map(classNames.map((l, i) => [l, i]));
  const data = featurize(train.examples, [heldOut.examples]);
  const evalRows = Int32Array.from(heldOut.ids, (_, i) => train.ids.length + i);
  // Trains on the training rows `keep` accepts with the labels `labelOf` gives them, per seed.
  const retrain = async (labelOf: (id: string, given: string) => string, keep: (id: string, given: string) => boolean) => {
    const labels = new Int32Array(train.ids.length + heldOut.ids.length);
    train.ids.forEach((id, i) => (labels[i] = classIndex.get(labelOf(id, train.labels[i]!))!));
    const rows = Int32Array.from(train.ids.flatMap((id, i) => (keep(id, train.labels[i]!) ? [i] : [])));
    const f1s: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const predicted = await trainAndPredict(data, labels, rows, classNames.length, evalRows, { seed });
      f1s.push(tacredScore(heldOut.labels, Array.from(predicted, (k) => classNames[k]!), input.negative).f1);
    }
    return { size: rows.length, f1s };
  };
  const truthOf = (id: string) => input.truth.get(id)!;
  const oracle = (await retrain(truthOf, () => true)).f1s;
  // What the paper's strategies could buy at best: they only look at examples labelled negative,
  // so the ceilings remove (E) or correct (R) every noisy negative and nothing else.
  const noisyNegative = (id: string, given: string) => given === input.negative && truthOf(id) !== given;
  const ceilingE = await retrain((_, given) => given, (id, given) => !noisyNegative(id, given));
  const ceilingR = await retrain((id, given) => (noisyNegative(id, given) ? truthOf(id) : given), () => true);
  // Beyond any strategy that looks only at negatives: the R-style ceiling with every positive
  // whose given label is wrong removed as well (what ESP, CL and KNN could add at best by
  // eliminating positives).
  const noisyPositive = (id: string, given: string) => given !== input.negative && truthOf(id) !== given;
  const ceilingRP = await retrain((id, given) => (noisyNegative(id, given) ? truthOf(id) : given), (id, given) => !noisyPositive(id, given));
  const noisyPositives = train.ids.filter((id, i) => noisyPositive(id, train.labels[i]!)).length;
  const noisyNegatives = train.ids.filter((id, i) => noisyNegative(id, train.labels[i]!)).length;

  const f1Of = (name: string) => result.variants.find((v) => v.name === name)?.scores[0]?.seeds.map((s) => s.f1) ?? [];
  const noisy = mean(f1Of('original'));
  const oracleF1 = mean(oracle);
  const gap = oracleF1 - noisy;
  console.log(
    `\nretraining (the paper's experiment): built-in model, fixed hyperparameters ${JSON.stringify(result.hyperparameters)}, ${seeds} seeds, ` +
      `TACRED micro-F1 on ${heldOut.ids.length} clean held-out examples; winnow compare took ${fmt(compareSeconds)} s for ${result.variants.length} variants x ${seeds} seeds`,
  );
  console.log('training set\texamples\tremoved\trelabelled\tF1 mean\tF1 min-max\tvs noisy\tgap recovered');
  const line = (name: string, size: number, removed: number, relabelled: number, f1s: number[]) => {
    const m = mean(f1s);
    const recovered = gap > 0 ? `${fmt((100 * (m - noisy)) / gap)}%` : '-';
    console.log(`${name}\t${size}\t${removed}\t${relabelled}\t${m.toFixed(4)}\t${Math.min(...f1s).toFixed(4)}-${Math.max(...f1s).toFixed(4)}\t${m - noisy >= 0 ? '+' : ''}${(m - noisy).toFixed(4)}\t${recovered}`);
  };
  line('oracle (original labels)', train.ids.length, 0, 0, oracle);
  line('ceiling of E-style (every noisy negative removed)', ceilingE.size, noisyNegatives, 0, ceilingE.f1s);
  line('ceiling of R-style (every noisy negative corrected)', ceilingR.size, 0, noisyNegatives, ceilingR.f1s);
  line('the same, and every mislabelled positive removed', ceilingRP.size, noisyPositives, noisyNegatives, ceilingRP.f1s);
  for (const v of result.variants) line(v.name === 'original' ? 'noisy (as given)' : v.name, v.trainSize, v.removed, v.relabelled, f1Of(v.name));
  for (const s of result.skipped) console.log(`${s.name}\tskipped: ${s.reason}`);
}
