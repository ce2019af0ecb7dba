import path from 'node:path';
import { WinnowError } from '../../../shared/errors';
import type { CleanSetSummary, RunSummary } from '../../../shared/ranking';
import type { StrategyName } from '../../../shared/strategies';
import type { Db } from '../store/database';
import { runQuality } from './run-quality';
import { readNegativeLabel } from '../store/project-summary';

/**
 * A run's stored parameters as they may be shown: model files by name only (a path on the
 * server is none of a browser client's business, and names are what the user chose).
 */
function shownParameters(params: Record<string, unknown>): Record<string, unknown> {
  const model = params.model as Record<string, unknown> | undefined;
  if (!model) return params;
  const shown: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(model)) shown[key] = key === 'kind' || typeof value !== 'string' ? value : path.basename(value);
  return { ...params, model: shown };
}

export function listRuns(db: Db): RunSummary[] {
  const projectNegative = readNegativeLabel(db);
  const rows = db
    .prepare(
      `SELECT r.id, r.created_at AS createdAt, r.model_name AS model, r.provider, r.params, r.summary, r.negative_label AS negativeLabel,
              (SELECT count(*) FROM queue q WHERE q.run_id = r.id) AS queue
       FROM runs r ORDER BY r.id DESC`,
    )
    .all() as { id: number; createdAt: string; model: string; provider: string; params: string; summary: string; negativeLabel: string; queue: number }[];
  return rows.map((r) => {
    const params = JSON.parse(r.params) as Record<string, unknown> & { strategies: StrategyName[] };
    const summary = JSON.parse(r.summary) as { examples: number; flags: Record<string, number>; cleanSet?: CleanSetSummary | null; warnings?: string[]; neighbourSearch?: RunSummary['neighbourSearch'] };
    return {
      id: r.id,
      createdAt: r.createdAt,
      model: r.model,
      provider: r.provider,
      strategies: params.strategies,
      examples: summary.examples,
      flags: summary.flags,
      queue: r.queue,
      negativeLabel: r.negativeLabel,
      invalidated: runInvalidation(r.negativeLabel, projectNegative),
      parameters: shownParameters(params),
      cleanSet: summary.cleanSet ?? null,
      warnings: summary.warnings ?? [],
      quality: runQuality(db, r.id),
      neighbourSearch: summary.neighbourSearch ?? {},
    };
  });
}

/** Why a run no longer fits its project, or null. */
export function runInvalidation(runNegative: string, projectNegative: string): string | null {
  return runNegative === projectNegative
    ? null
    : `ranked with negative label "${runNegative}"; the project's is now "${projectNegative}": rank again`;
}

/** Refuses to use a run for something that depends on the project's negative label. */
export function requireCurrentRun(db: Db, runId: number, purpose: string): void {
  const row = db.prepare('SELECT negative_label FROM runs WHERE id = ?').pluck().get(runId) as string | undefined;
  if (row === undefined) throw new WinnowError('NOT_FOUND', `No run ${runId} in this project`);
  const why = runInvalidation(row, readNegativeLabel(db));
  if (why) throw new WinnowError('CONFLICT', `Run ${runId} cannot be used for ${purpose}: it was ${why}`);
}

/** The run asked for, or the latest one when none is named. */
export function resolveRunId(db: Db, runId?: number): number {
  if (runId !== undefined) {
    if (!db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId)) throw new WinnowError('NOT_FOUND', `No run ${runId} in this project`);
    return runId;
  }
  const latest = db.prepare('SELECT max(id) FROM runs').pluck().get() as number | null;
  if (latest === null) throw new WinnowError('NOT_FOUND', 'This project has no ranking run yet: run `winnow rank` first');
  return latest;
}

export interface FlagLine {
  id: string;
  split: string;
  given: string;
  suggested: string;
  strategies: Record<string, number>;
}

/** Flagged examples of a run in triage order (or one strategy's flags by score). */
export function* iterateFlags(db: Db, runId: number, strategy?: string): Generator<FlagLine> {
  if (strategy) {
    const rows = db
      .prepare(
        `SELECT e.ext_id AS id, s.name AS split, g.name AS given, l.name AS suggested, f.strategy, f.score
         FROM flags f JOIN examples e ON e.id = f.example_id JOIN splits s ON s.id = e.split_id
         JOIN labels g ON g.id = e.label_id JOIN labels l ON l.id = f.suggested_label_id
         WHERE f.run_id = ? AND f.strategy = ? ORDER BY f.score DESC, e.id`,
      )
      .iterate(runId, strategy) as IterableIterator<{ id: string; split: string; given: string; suggested: string; strategy: string; score: number }>;
    for (const r of rows) yield { id: r.id, split: r.split, given: r.given, suggested: r.suggested, strategies: { [r.strategy]: r.score } };
    return;
  }
  const rows = db
    .prepare(
      `SELECT e.ext_id AS id, s.name AS split, g.name AS given, l.name AS suggested, q.strategies
       FROM queue q JOIN examples e ON e.id = q.example_id JOIN splits s ON s.id = e.split_id
       JOIN labels g ON g.id = e.label_id JOIN labels l ON l.id = q.suggested_label_id
       WHERE q.run_id = ? ORDER BY q.rank`,
    )
    .iterate(runId) as IterableIterator<{ id: string; split: string; given: string; suggested: string; strategies: string }>;
  for (const r of rows) {
    const strategies = JSON.parse(r.strategies) as Record<string, { score: number }>;
    yield { id: r.id, split: r.split, given: r.given, suggested: r.suggested, strategies: Object.fromEntries(Object.entries(strategies).map(([k, v]) => [k, v.score])) };
  }
}
