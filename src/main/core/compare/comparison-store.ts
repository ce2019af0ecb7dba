import { CompareResult } from '../../../shared/compare';
import type { Db } from '../store/database';

/** Stores a finished comparison with the run it used; returns the result with its id. */
export function saveComparison(db: Db, params: unknown, result: Omit<CompareResult, 'id'>): CompareResult {
  const id = Number(
    db.prepare('INSERT INTO comparisons (created_at, run_id, params, result) VALUES (?, ?, ?, ?)').run(result.createdAt, result.runId, JSON.stringify(params), JSON.stringify(result)).lastInsertRowid,
  );
  return { id, ...result };
}

/** Comparisons of a run (or those that used none, for null), newest first. */
export function listComparisons(db: Db, runId: number | null): CompareResult[] {
  const rows = (runId === null
    ? db.prepare('SELECT id, result FROM comparisons WHERE run_id IS NULL ORDER BY id DESC').all()
    : db.prepare('SELECT id, result FROM comparisons WHERE run_id = ? ORDER BY id DESC').all(runId)) as { id: number; result: string }[];
  const results: CompareResult[] = [];
  for (const row of rows) {
    // Written by Winnow; a row that no longer parses (an older shape) is left out rather than fatal.
    const parsed = CompareResult.safeParse({ ...(JSON.parse(row.result) as object), id: row.id });
    if (parsed.success) results.push(parsed.data);
  }
  return results;
}
