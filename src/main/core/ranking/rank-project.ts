import { OptionError, WinnowError } from '../../../shared/errors';
import { RANK_DEFAULTS, type RankSummary } from '../../../shared/ranking';
import { ProviderUnavailableError } from '../inference/execution-providers';
import type { Db } from '../store/database';
import { readNegativeLabel } from '../store/project-summary';
import { checkCleanSet, cleanSetSummary, resolveCleanSet } from './clean-set';
import { loadRankingDataset, subsetDataset, withTrustedLabels } from './dataset';
import { computeModelOutputs, subsetOutputs, type Progress } from './model-outputs';
import { persistRun } from './persist-run';
import { sweepAbandonedWrites } from '../store/unpublished';
import { RankOptions, type RankOptionsInput } from './rank-options';
import { runStrategies } from './run-strategies';
import { runQuality } from './run-quality';

/** One ranking run from start to stored result; nothing is written unless it completes. */
export async function rankProject(db: Db, input: RankOptionsInput, context: { signal?: AbortSignal; onProgress?: Progress } = {}): Promise<RankSummary> {
  try {
    return await rankProjectUnguarded(db, input, context);
  } catch (error) {
    // Training and onnxruntime stop with a DOM AbortError; the app speaks of cancelling.
    if (error instanceof Error && error.name === 'AbortError') throw new WinnowError('CANCELLED', 'Ranking cancelled; nothing was saved');
    if (error instanceof ProviderUnavailableError) {
      const reasons = error.skipped.map((s) => `${s.provider}: ${s.reason}`).join('; ');
      const forced = RankOptions.safeParse(input).data?.providers;
      if (forced?.length === 1) throw new OptionError('providers', `${forced[0]} cannot start on this machine (${reasons}); leave the provider out to use the best one that starts`);
      throw new WinnowError('UNSUPPORTED', `No execution provider could start (${reasons})`);
    }
    throw error;
  }
}

const MIN_RANKED = 10;

async function rankProjectUnguarded(db: Db, input: RankOptionsInput, context: { signal?: AbortSignal; onProgress?: Progress }): Promise<RankSummary> {
  const options = RankOptions.parse(input);
  // A killed ranking's (or import's) unpublished rows go first.
  await sweepAbandonedWrites(db);
  const progress: Progress = context.onProgress ?? (() => undefined);
  const started = performance.now();
  const timings: Record<string, number> = {};
  const warnings: string[] = [];
  const negativeLabel = readNegativeLabel(db);

  const needsClean = options.strategies.some((s) => s === 'es' || s === 'esp');
  if (needsClean && options.clean.length === 0) {
    throw new WinnowError('INVALID_INPUT', 'ES and ESP need a clean set (--clean split:<name>, reference:<name> or decided); or leave them out of --strategies');
  }
  if (options.cleanReference && options.clean.length === 0) {
    throw new OptionError('cleanReference', 'applies its labels to a clean set: give the clean set too (e.g. --clean split:dev)');
  }
  // The clean set is trusted by definition, so it is not ranked unless its splits are named.
  const clean = options.clean.length ? resolveCleanSet(db, options.clean, options.cleanReference) : null;
  const cleanRows = clean ? new Set(clean.labels.keys()) : undefined;
  let data = loadRankingDataset(db, options.splits, cleanRows);
  if (clean) data = withTrustedLabels(data, clean.labels);
  const rankedSplits = options.splits ? new Set(options.splits) : null;
  const isRanked = (position: number) => (rankedSplits ? rankedSplits.has(data.splits[position]!) : !cleanRows?.has(data.rowIds[position]!));
  const countRanked = () => data.rowIds.reduce((n, _, p) => n + (isRanked(p) ? 1 : 0), 0);
  const selected = countRanked();
  if (selected < MIN_RANKED) {
    const why = clean && !rankedSplits ? ` outside the clean set (${clean.description})` : '';
    throw new WinnowError('INVALID_INPUT', `Ranking needs at least ${MIN_RANKED} examples; the selection has ${selected}${why}`);
  }
  const projectLabels = [...new Set([...data.givenLabels, ...(data.trainingLabels ?? [])])].sort();
  if (!projectLabels.includes(negativeLabel)) projectLabels.push(negativeLabel);
  const positiveLabels = projectLabels.filter((l) => l !== negativeLabel);
  const cleanInData = () => (clean ? data.rowIds.filter((row) => clean.labels.has(row)) : []);
  if (clean && needsClean) warnings.push(...checkCleanSet(cleanSetSummary(clean, cleanInData()), options.k, positiveLabels));

  let outputs = await computeModelOutputs(data, projectLabels, negativeLabel, options, context.signal, progress);
  Object.assign(timings, outputs.timings);
  if (outputs.modelKind === 'builtin' && options.probabilityFit === 'auto' && !outputs.cleanedProbs) {
    warnings.push(
      `${data.examples.length.toLocaleString('en-US')} examples: CL, KNN, ES and ESP read the one cross-fit (probability fit auto fits the second, cleaned one up to ${RANK_DEFAULTS.probabilityFitAutoMax.toLocaleString('en-US')}; --probability-fit cleaned forces it, at about 1.5x the ranking time)`,
    );
  }
  let notCovered = 0;
  if (outputs.covered) {
    const covered = outputs.covered;
    const keep: number[] = [];
    for (let p = 0; p < data.rowIds.length; p++) {
      if (covered[p]) keep.push(p);
      else if (isRanked(p)) notCovered++;
    }
    if (notCovered > 0) {
      warnings.push(`${notCovered.toLocaleString('en-US')} of ${selected.toLocaleString('en-US')} examples have no prediction and were not ranked`);
    }
    data = subsetDataset(data, keep);
    outputs = subsetOutputs(outputs, keep);
    const rankedNow = countRanked();
    if (rankedNow < MIN_RANKED) throw new WinnowError('INVALID_INPUT', `The predictions cover ${rankedNow} of the ${selected} examples to rank; ranking needs at least ${MIN_RANKED}`);
  }

  const cleanPositions = clean && needsClean ? new Map<number, string>() : null;
  if (cleanPositions && clean) data.rowIds.forEach((row, p) => {
    const label = clean.labels.get(row);
    if (label !== undefined) cleanPositions.set(p, label);
  });
  const strategies = await runStrategies(data.givenLabels, data.extIds, outputs, cleanPositions, options, context.signal, progress);
  Object.assign(timings, strategies.timings);
  if (context.signal?.aborted) throw new WinnowError('CANCELLED', 'Ranking cancelled');
  let cleanSet = null;
  if (clean) {
    cleanSet = cleanSetSummary(clean, needsClean ? strategies.cleanUsed.map((p) => data.rowIds[p]!) : cleanInData());
    if (needsClean) {
      checkCleanSet(cleanSet, options.k, positiveLabels);
      const lost = cleanInData().length - cleanSet.examples;
      if (lost > 0) warnings.push(`${lost} clean examples were left out: the model does not know their trusted label`);
    }
  }

  const ranked = new Uint8Array(data.rowIds.length);
  for (let p = 0; p < ranked.length; p++) if (isRanked(p)) ranked[p] = 1;
  const flags = strategies.flags.filter((f) => ranked[f.index]);
  progress('saving', 0, 1);
  const flagCounts: Record<string, number> = {};
  for (const s of options.strategies) flagCounts[s] = 0;
  for (const f of flags) flagCounts[f.strategy] = (flagCounts[f.strategy] ?? 0) + 1;
  const examples = ranked.reduce((n, r) => n + r, 0);
  const saveStart = performance.now();
  timings.total = Math.round(performance.now() - started);
  const runId = await persistRun(db, data, {
    options,
    outputs,
    flags,
    ranked,
    notes: strategies.notes,
    timings,
    negativeLabel,
    summary: { examples, notCovered, flags: flagCounts, cleanSet, warnings, neighbourSearch: strategies.searches },
  }, { onProgress: (done, total) => progress('saving', done, total), signal: context.signal });
  timings.save = Math.round(performance.now() - saveStart);
  const queue = db.prepare('SELECT count(*) FROM queue WHERE run_id = ?').pluck().get(runId) as number;
  progress('done', 1, 1);
  return {
    runId,
    examples,
    notCovered,
    model: outputs.modelName,
    provider: outputs.provider,
    skippedProviders: outputs.skipped,
    negativeLabel,
    flags: flagCounts,
    queue,
    cleanSet,
    warnings,
    timings,
    quality: runQuality(db, runId),
    neighbourSearch: strategies.searches,
  };
}
