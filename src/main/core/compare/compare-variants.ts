import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { COMPARE_VARIANTS, CompareParameters, spreadOf, VARIANTS, type CompareResult, type CompareVariant, type VariantResult, type VariantScores } from '../../../shared/compare';
import { OptionError, optionErrorFromZod, WinnowError } from '../../../shared/errors';
import { STRATEGIES, type StrategyName } from '../../../shared/strategies';
import { splitRowBatches } from '../export/record-selection';
import { AtomicFileWriter } from '../io/atomic-file';
import { tacredScore } from '../metrics/tacred-score';
import type { Db } from '../store/database';
import { readNegativeLabel } from '../store/project-summary';
import { referenceLabelsByExample } from '../store/reference-sets';
import { COMPARE_HYPERPARAMETERS, featurize, trainAndPredict } from './builtin-retrainer';
import { saveComparison } from './comparison-store';
import { evalLeakWarnings } from './eval-leaks';
import { parseTrainerCommand, readTrainerPredictions, runTrainer, trainerArgv, type TrainerCommand } from './trainer-command';
import { buildVariantSet, loadSplitExamples, type SplitExamples, type VariantSet } from './variant-set';

/** The engine's options: the shared parameters plus what only a local user may give (paths, a command). */
export const CompareOptions = CompareParameters.extend({
  /** Run this command per variant and seed instead of the built-in model (see trainer-command.ts). */
  trainer: z.string().trim().min(1, 'give the command').optional(),
  /** Write `<variant>.<eval>.seed<k>.jsonl` here, one `{"id", "relation"}` per eval example. */
  predictionsDir: z.string().min(1).optional(),
});
export type CompareOptions = z.output<typeof CompareOptions>;
export type CompareOptionsInput = z.input<typeof CompareOptions>;

export interface CompareContext {
  signal?: AbortSignal | undefined;
  onProgress?: ((phase: string, done: number, total: number) => void) | undefined;
}

/** Progress is counted in thousandths of one training. */
const UNIT = 1000;

/**
 * Does cleaning help? Builds each variant's training set as the export would write it, trains
 * one model per variant and seed (the built-in model with fixed hyperparameters, or the user's
 * trainer), predicts the eval splits and scores them with TACRED's metric against their given
 * labels and, with a reference, against the labels with the reference applied. The result is
 * stored with the run, in one statement at the end: a cancel or an error leaves nothing.
 */
export async function compareVariants(db: Db, input: CompareOptionsInput, context: CompareContext = {}): Promise<CompareResult> {
  try {
    return await compareUnguarded(db, input, context);
  } catch (error) {
    if (error instanceof Error && error.name === 'AbortError') throw new WinnowError('CANCELLED', 'Comparison cancelled; nothing was saved');
    throw error;
  }
}

interface EvalTarget {
  split: SplitExamples;
  /** Offset of this split's rows among all eval rows. */
  offset: number;
  golds: { labels: 'given' | 'reference'; gold: string[] }[];
}

async function compareUnguarded(db: Db, input: CompareOptionsInput, context: CompareContext): Promise<CompareResult> {
  const started = performance.now();
  const parsed = CompareOptions.safeParse(input);
  if (!parsed.success) throw optionErrorFromZod(parsed.error, 'compare option');
  const options = parsed.data;
  const bad = (option: string, detail: string) => new OptionError(option, detail, 'compare option');
  const { signal } = context;
  const progress = context.onProgress ?? (() => undefined);
  const throwIfCancelled = () => {
    if (signal?.aborted) throw new WinnowError('CANCELLED', 'Comparison cancelled; nothing was saved');
  };

  const negativeLabel = readNegativeLabel(db);
  const splitNames = db.prepare('SELECT name FROM splits ORDER BY id').pluck().all() as string[];
  const known = splitNames.length ? ` (splits: ${splitNames.join(', ')})` : ' (import one first)';
  if (!splitNames.includes(options.train)) throw bad('train', `no split named "${options.train}" in this project${known}`);
  const evalNames = [...new Set(options.evals)];
  for (const name of evalNames) {
    if (!splitNames.includes(name)) throw bad('evals', `no split named "${name}" in this project${known}`);
    if (name === options.train) throw bad('evals', `"${name}" is the training split; a model scored on its own training data says nothing about cleaning`);
  }
  const trainer = options.trainer ? parseTrainerCommand(options.trainer) : null;

  let runId: number | null = null;
  if (options.run !== undefined) {
    if (!db.prepare('SELECT 1 FROM runs WHERE id = ?').get(options.run)) throw new WinnowError('NOT_FOUND', `compare option "run": no run ${options.run} in this project`);
    runId = options.run;
  } else runId = (db.prepare('SELECT max(id) FROM runs').pluck().get() as number | null) ?? null;
  const reference = options.reference ? referenceLabelsByExample(db, options.reference) : null;

  progress('building the training sets', 0, 1);
  const train = loadSplitExamples(db, options.train);
  const { runnable, skipped } = runnableVariants(db, options.variants, runId, train);
  if (!runnable.length) throw new WinnowError('INVALID_INPUT', `None of the variants can be built: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
  const sets = runnable.map((variant) => buildVariantSet(db, { split: train.name, splitId: train.splitId, variant, runId, withTexts: trainer !== null }));
  throwIfCancelled();

  let offset = 0;
  const targets: EvalTarget[] = evalNames.map((name) => {
    const split = loadSplitExamples(db, name);
    const golds: EvalTarget['golds'] = [{ labels: 'given', gold: split.labels }];
    if (reference) golds.push({ labels: 'reference', gold: split.exampleIds.map((id, i) => reference.get(id) ?? split.labels[i]!) });
    const target = { split, offset, golds };
    offset += split.ids.length;
    return target;
  });
  const evalCount = offset;
  if (evalCount === 0) throw bad('evals', 'the eval splits hold no examples');
  const warnings = runId !== null && runnable.some((v) => VARIANTS[v].strategy) ? evalLeakWarnings(db, runId, train.name, targets.map((t) => t.split)) : [];

  const seeds = Array.from({ length: options.seeds }, (_, i) => i + 1);
  const trainings = sets.length * seeds.length;
  const predictionsDir = options.predictionsDir ? path.resolve(options.predictionsDir) : null;
  if (predictionsDir) await fs.promises.mkdir(predictionsDir, { recursive: true });
  const logPath = trainer ? (predictionsDir ? path.join(predictionsDir, 'trainer.log') : `${db.name.replace(/\.winnow$/, '')}.compare-${new Date().toISOString().replace(/[:.]/g, '-')}.log`) : null;

  const scoresBy = new Map<CompareVariant, Map<string, VariantScores>>();
  const record = async (set: VariantSet, seed: number, predicted: readonly string[]) => {
    for (const target of targets) {
      const guesses = predicted.slice(target.offset, target.offset + target.split.ids.length);
      for (const { labels, gold } of target.golds) {
        const s = tacredScore(gold, guesses, negativeLabel);
        const key = `${target.split.name}\u0000${labels}`;
        const byKey = scoresBy.get(set.name) ?? new Map<string, VariantScores>();
        scoresBy.set(set.name, byKey);
        const entry = byKey.get(key) ?? { eval: target.split.name, labels, seeds: [], f1: { mean: 0, min: 0, max: 0 } };
        entry.seeds.push({ seed, p: s.precision, r: s.recall, f1: s.f1 });
        byKey.set(key, entry);
      }
      if (predictionsDir) {
        const file = new AtomicFileWriter(path.join(predictionsDir, `${set.name}.${target.split.name}.seed${seed}.jsonl`));
        await file.open();
        try {
          await file.write(target.split.ids.map((id, i) => `${JSON.stringify({ id, relation: guesses[i] })}\n`).join(''));
          await file.commit();
        } catch (error) {
          await file.abort();
          throw error;
        }
      }
    }
  };

  if (trainer) {
    await withTrainer(db, trainer, { sets, seeds, targets, evalCount, logPath: logPath!, signal, progress, trainings }, record);
  } else {
    const classNames = [...new Set([negativeLabel, ...sets.flatMap((s) => s.labels), ...targets.flatMap((t) => t.golds.flatMap((g) => g.gold))])].sort();
    const classIndex = new Map(classNames.map((l, i) => [l, i]));
    progress('features', 0, 1);
    const data = featurize(
      train.examples,
      targets.map((t) => t.split.examples),
    );
    const trainIndex = new Map(train.exampleIds.map((id, i) => [id, i]));
    const evalRows = Int32Array.from({ length: evalCount }, (_, i) => data.trainCount + i);
    let finished = 0;
    for (const set of sets) {
      const labels = new Int32Array(data.trainCount + evalCount);
      const rows = Int32Array.from(set.exampleIds, (id) => trainIndex.get(id)!);
      set.labels.forEach((label, i) => (labels[rows[i]!] = classIndex.get(label)!));
      for (const seed of seeds) {
        throwIfCancelled();
        const phase = `training ${set.name}, seed ${seed} (${finished + 1} of ${trainings})`;
        progress(phase, finished * UNIT, trainings * UNIT);
        const predicted = await trainAndPredict(data, labels, rows, classNames.length, evalRows, {
          seed,
          signal,
          onProgress: (done, total) => progress(phase, finished * UNIT + Math.floor((UNIT * done) / Math.max(1, total)), trainings * UNIT),
        });
        await record(set, seed, Array.from(predicted, (k) => classNames[k]!));
        finished++;
      }
    }
  }
  throwIfCancelled();

  const variants: VariantResult[] = sets.map((set) => ({
    name: set.name,
    trainSize: set.exampleIds.length,
    removed: set.removed,
    relabelled: set.relabelled,
    scores: [...(scoresBy.get(set.name)?.values() ?? [])].map((s) => ({ ...s, f1: spreadOf(s.seeds.map((x) => x.f1)) })),
  }));
  progress('saving', trainings * UNIT, trainings * UNIT);
  return saveComparison(db, { ...options, run: runId }, {
    createdAt: new Date().toISOString(),
    runId,
    train: train.name,
    evals: evalNames,
    reference: options.reference ?? null,
    negativeLabel,
    seeds,
    model: trainer ? trainer.template : 'builtin',
    hyperparameters: trainer ? null : { ...COMPARE_HYPERPARAMETERS },
    variants,
    skipped,
    warnings,
    predictionsDir,
    log: logPath,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  });
}

/** Which asked-for variants this run and project can build, and why the others cannot. */
function runnableVariants(db: Db, asked: readonly CompareVariant[], runId: number | null, train: SplitExamples) {
  const strategies = runId === null ? [] : ((JSON.parse(db.prepare('SELECT params FROM runs WHERE id = ?').pluck().get(runId) as string) as { strategies?: StrategyName[] }).strategies ?? []);
  const rankedTrain = runId !== null && !!db.prepare('SELECT 1 FROM predictions p JOIN examples e ON e.id = p.example_id WHERE p.run_id = ? AND e.split_id = ? LIMIT 1').get(runId, train.splitId);
  const decided = db.prepare('SELECT count(*) FROM decision_state ds JOIN examples e ON e.id = ds.example_id WHERE e.split_id = ?').pluck().get(train.splitId) as number;
  const runnable: CompareVariant[] = [];
  const skipped: { name: CompareVariant; reason: string }[] = [];
  // The table reads best in one order whatever order they were asked in.
  for (const name of COMPARE_VARIANTS.filter((v) => asked.includes(v))) {
    const info = VARIANTS[name];
    let reason: string | null = null;
    if (info.strategy) {
      if (runId === null) reason = 'this project has no ranking run (run `winnow rank` first)';
      else if (!strategies.includes(info.strategy)) reason = `run ${runId} did not run ${STRATEGIES[info.strategy].badge} (it ran ${strategies.map((s) => STRATEGIES[s].badge).join(', ') || 'none'})`;
      else if (!rankedTrain) reason = `run ${runId} did not rank split "${train.name}"`;
    } else if (info.mode === 'reviewed' && decided === 0) reason = `no human decisions on split "${train.name}" yet (it would be the original)`;
    if (reason) skipped.push({ name, reason });
    else runnable.push(name);
  }
  return { runnable, skipped };
}

/** The user's trainer per variant and seed: TACRED JSON in, a predictions file out. */
async function withTrainer(
  db: Db,
  trainer: TrainerCommand,
  job: {
    sets: VariantSet[];
    seeds: number[];
    targets: EvalTarget[];
    evalCount: number;
    logPath: string;
    signal: AbortSignal | undefined;
    progress: (phase: string, done: number, total: number) => void;
    trainings: number;
  },
  record: (set: VariantSet, seed: number, predicted: readonly string[]) => Promise<void>,
): Promise<void> {
  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'winnow-compare-'));
  try {
    await fs.promises.mkdir(path.dirname(job.logPath), { recursive: true });
    await fs.promises.appendFile(job.logPath, `# winnow compare, ${new Date().toISOString()}: ${trainer.template}\n`);
    const evalFile = path.join(work, 'eval.json');
    const evalTexts: string[] = [];
    const evalIds: string[] = [];
    for (const target of job.targets) {
      for (const rows of splitRowBatches(db, target.split.splitId)) for (const row of rows) evalTexts.push(row.raw);
      evalIds.push(...target.split.ids);
    }
    await fs.promises.writeFile(evalFile, `[\n${evalTexts.join(',\n')}\n]\n`);
    let finished = 0;
    for (const set of job.sets) {
      const trainFile = path.join(work, `train.${set.name}.json`);
      await fs.promises.writeFile(trainFile, set.texts!.length ? `[\n${set.texts!.join(',\n')}\n]\n` : '[]\n');
      for (const seed of job.seeds) {
        const label = `variant ${set.name}, seed ${seed}`;
        job.progress(`trainer: ${set.name}, seed ${seed} (${finished + 1} of ${job.trainings})`, finished * UNIT, job.trainings * UNIT);
        const out = path.join(work, `predictions.${set.name}.seed${seed}.out`);
        await runTrainer(trainerArgv(trainer, { train: trainFile, eval: evalFile, out, seed: String(seed) }), { logFile: job.logPath, label, signal: job.signal });
        await record(set, seed, readTrainerPredictions(out, evalIds));
        finished++;
      }
    }
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}
