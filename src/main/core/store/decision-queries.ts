import type { Db } from './database';

/** How many of these examples already have a decision, by action (what a bulk action would replace). */
export interface DecidedAmong {
  count: number;
  decided: { keep: number; eliminate: number; reannotate: number };
  /** With a run: how many of them it made no suggestion for (an accept cannot apply to those). */
  withoutSuggestion: number | null;
}

export function decidedAmong(db: Db, examples: readonly number[], runId: number | null): DecidedAmong {
  const ids = JSON.stringify(examples);
  const decided = { keep: 0, eliminate: 0, reannotate: 0 };
  const rows = db
    .prepare('SELECT ds.action, count(*) AS n FROM decision_state ds WHERE ds.example_id IN (SELECT value FROM json_each(?)) GROUP BY ds.action')
    .all(ids) as { action: keyof typeof decided; n: number }[];
  for (const row of rows) decided[row.action] = row.n;
  const withoutSuggestion =
    runId === null
      ? null
      : (db
          .prepare('SELECT count(*) FROM json_each(?) j WHERE NOT EXISTS (SELECT 1 FROM queue q WHERE q.run_id = ? AND q.example_id = j.value)')
          .pluck()
          .get(ids, runId) as number);
  return { count: new Set(examples).size, decided, withoutSuggestion };
}

/** The examples among these that have no decision yet, in the given order. */
export function undecidedOnly(db: Db, examples: readonly number[]): number[] {
  const decided = new Set(
    db.prepare('SELECT example_id FROM decision_state WHERE example_id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(examples)) as number[],
  );
  return examples.filter((e) => !decided.has(e));
}

/** The examples a batch changed (their ids as imported), in log order; at most `limit`. */
export function batchExampleIds(db: Db, batchId: string, limit = 100): string[] {
  return db
    .prepare('SELECT e.ext_id FROM decisions d JOIN examples e ON e.id = d.example_id WHERE d.batch_id = ? GROUP BY d.example_id ORDER BY min(d.id) LIMIT ?')
    .pluck()
    .all(batchId, limit) as string[];
}
