import { WinnowError } from '../../../shared/errors';
import type { RankSummary } from '../../../shared/ranking';
import type { Db } from '../store/database';
import { readNegativeLabel } from '../store/project-summary';
import { resolveCleanSet } from './clean-set';
import { loadRankingDataset } from './dataset';
import { computeModelOutputs, type Progress } from './model-outputs';
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
    throw error;
  }
}

async function rankProjectUnguarded(db: Db, input: RankOptionsInput, context: { signal?: AbortSignal; onProgress?: Progress }): Promise<RankSummary> {
  const options = RankOptions.parse(input);
  // A killed ranking's (or import's) unpublished rows go first.
  await sweepAbandonedWrites(db);
  const progress: Progress = context.onProgress ?? (() => undefined);
  const started = performance.now();
  const timings: Record<string, number> = {};
  const data = loadRankingDataset(db, options.splits);
  if (data.rowIds.length < 10) throw new WinnowError('INVALID_INPUT', `Ranking needs at least 10 examples; the selection has ${data.rowIds.length}`);
  const negativeLabel = readNegativeLabel(db);
  const projectLabels = [...new Set(data.givenLabels)].sort();
  if (!projectLabels.includes(negativeLabel)) projectLabels.push(negativeLabel);
  const needsClean = options.strategies.some((s) => s === 'es' || s === 'esp');
  if (needsClean && !options.clean) {
    throw new WinnowError('INVALID_INPUT', 'ES and ESP need a clean set (--clean reference:<name>, decided or split:<name>); or leave them out of --strategies');
  }
  const clean = needsClean && options.clean ? resolveCleanSet(db, data, options.clean) : null;
  const outputs = await computeModelOutputs(data, projectLabels, negativeLabel, options, context.signal, progress);
  Object.assign(timings, outputs.timings);
  const strategies = await runStrategies(data.givenLabels, data.extIds, outputs, clean, options, context.signal, progress);
  Object.assign(timings, strategies.timings);
  if (context.signal?.aborted) throw new WinnowError('CANCELLED', 'Ranking cancelled');
  progress('saving', 0, 1);
  const flagCounts: Record<string, number> = {};
  for (const s of options.strategies) flagCounts[s] = 0;
  for (const f of strategies.flags) flagCounts[f.strategy] = (flagCounts[f.strategy] ?? 0) + 1;
  const saveStart = performance.now();
  timings.total = Math.round(performance.now() - started);
  const runId = await persistRun(db, data, {
    options,
    outputs,
    flags: strategies.flags,
    notes: strategies.notes,
    timings,
    summary: { examples: data.rowIds.length, flags: flagCounts, cleanSet: clean ? { description: clean.description, size: clean.positions.length, skippedUnknownLabels: strategies.cleanSkipped } : null },
  }, { onProgress: (done, total) => progress('saving', done, total) });
  timings.save = Math.round(performance.now() - saveStart);
  const queue = db.prepare('SELECT count(*) FROM queue WHERE run_id = ?').pluck().get(runId) as number;
  progress('done', 1, 1);
  return {
    runId,
    examples: data.rowIds.length,
    model: outputs.modelName,
    provider: outputs.provider,
    skippedProviders: outputs.skipped,
    flags: flagCounts,
    queue,
    timings,
    quality: runQuality(db, runId),
  };
}
