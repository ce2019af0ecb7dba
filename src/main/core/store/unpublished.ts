import { setTimeout as sleep } from 'node:timers/promises';
import { processIsAlive } from '../io/commit-journal';
import { retryWhileBusy } from './busy-retry';
import type { Db } from './database';

/**
 * Long writes (an import's split, a ranking's run) commit in short batches into rows that
 * readers never see (the `splits`, `examples` and `runs` views show published rows only),
 * and one tiny transaction publishes them. This module holds the batching rules and the
 * removal of unpublished rows that a failed, cancelled or killed writer left behind.
 */

export type Unpublished = 'split' | 'run';

/** A batch holds the write lock for about this long... */
export const BATCH_LOCK_MS = 4;
/** ...then the writer pauses so that a waiting writer (a decision) gets the lock. */
export const BATCH_PAUSE_MS = 2;
/**
 * An import's batches hold the lock longer: each commit rewrites the index pages its rows
 * touched (a few hundred, whatever the batch's size), so 4 ms batches of about 150 records
 * rewrote most of them once per batch. At 48 ms (about 1,700 records) a million-record
 * import takes about 4 s less, measured on 2 cores, and a decision made meanwhile waits at
 * most one batch (target: p95 under 100 ms).
 */
export const IMPORT_BATCH_LOCK_MS = 48;

export interface BatchedWriteOptions {
  /** Also wait on SQLITE_BUSY asynchronously (the app's own connection has no busy timeout). */
  retryBusy?: boolean;
  lockMs?: number;
  pauseMs?: number;
  /** Called after each committed batch with the items written so far. */
  onBatch?: (done: number) => void;
  /** Checked before each batch: an aborted write stops with a DOM AbortError. */
  signal?: AbortSignal;
}

/**
 * Writes items `0..total-1` in immediate transactions of about `lockMs` each (at least one
 * item), pausing between them. Not atomic as a whole: use it for unpublished rows only.
 */
export async function writeInBatches(db: Db, total: number, write: (index: number) => void, options: BatchedWriteOptions = {}): Promise<void> {
  const lockMs = options.lockMs ?? BATCH_LOCK_MS;
  let next = 0;
  const batch = db.transaction(() => {
    const until = performance.now() + lockMs;
    do write(next++);
    while (next < total && performance.now() < until);
  });
  while (next < total) {
    options.signal?.throwIfAborted();
    const start = next;
    // A batch that failed was rolled back: it starts again from its first item.
    const attempt = () => {
      next = start;
      batch.immediate();
    };
    if (options.retryBusy) await retryWhileBusy(attempt);
    else attempt();
    options.onBatch?.(next);
    if (next < total) await sleep(options.pauseMs ?? BATCH_PAUSE_MS);
  }
}

const REMOVE_ROWS = 2000;

/** Deletes the next few rows of an unpublished split or run; false once nothing is left. */
function removeBatch(db: Db, kind: Unpublished, id: number): boolean {
  return db
    .transaction((): boolean => {
      if (kind === 'split') {
        const state = db.prepare('SELECT state FROM split_rows WHERE id = ?').pluck().get(id) as string | undefined;
        if (state === undefined || state === 'published') return false;
        const rows = JSON.stringify(db.prepare('SELECT id FROM example_rows WHERE split_id = ? LIMIT ?').pluck().all(id, REMOVE_ROWS));
        if (rows === '[]') {
          db.prepare("DELETE FROM split_rows WHERE id = ? AND state <> 'published'").run(id);
          return false;
        }
        db.prepare('DELETE FROM example_records WHERE example_id IN (SELECT value FROM json_each(?))').run(rows);
        db.prepare('DELETE FROM example_rows WHERE id IN (SELECT value FROM json_each(?))').run(rows);
        return true;
      }
      const state = db.prepare('SELECT state FROM run_rows WHERE id = ?').pluck().get(id) as string | undefined;
      if (state === undefined || state === 'published') return false;
      for (const table of ['predictions', 'flags', 'queue'] as const) {
        const removed = db
          .prepare(`DELETE FROM ${table} WHERE run_id = ? AND example_id IN (SELECT example_id FROM ${table} WHERE run_id = ? LIMIT ?)`)
          .run(id, id, REMOVE_ROWS).changes;
        if (removed > 0) return true;
      }
      db.prepare("DELETE FROM run_rows WHERE id = ? AND state <> 'published'").run(id);
      return false;
    })
    .immediate();
}

/** Removes an unpublished split or run in short transactions (never a published one). */
export async function removeUnpublished(db: Db, kind: Unpublished, id: number, options: Pick<BatchedWriteOptions, 'retryBusy' | 'pauseMs'> = {}): Promise<void> {
  for (;;) {
    if (!db.open) return;
    const more = options.retryBusy ? await retryWhileBusy(() => removeBatch(db, kind, id)) : removeBatch(db, kind, id);
    if (!more) return;
    await sleep(options.pauseMs ?? BATCH_PAUSE_MS);
  }
}

/**
 * Unpublished splits and runs whose writer is gone (killed, crashed). Those of a process
 * that still runs are left alone: it may be importing right now, from the CLI or a job.
 */
export function abandonedWrites(db: Db): { kind: Unpublished; id: number; name: string }[] {
  const splits = db.prepare("SELECT id, name, owner_pid AS owner FROM split_rows WHERE state <> 'published'").all() as { id: number; name: string; owner: number | null }[];
  const runs = db.prepare("SELECT id, owner_pid AS owner FROM run_rows WHERE state <> 'published'").all() as { id: number; owner: number | null }[];
  const gone = (owner: number | null) => owner === null || !processIsAlive(owner);
  return [
    ...splits.filter((s) => gone(s.owner)).map((s) => ({ kind: 'split' as const, id: s.id, name: s.name })),
    ...runs.filter((r) => gone(r.owner)).map((r) => ({ kind: 'run' as const, id: r.id, name: `run ${r.id}` })),
  ];
}

/** Removes every abandoned unpublished split and run; returns what was removed. */
export async function sweepAbandonedWrites(db: Db, options: Pick<BatchedWriteOptions, 'retryBusy' | 'pauseMs'> = {}): Promise<string[]> {
  const found = options.retryBusy ? await retryWhileBusy(() => abandonedWrites(db)) : abandonedWrites(db);
  for (const item of found) await removeUnpublished(db, item.kind, item.id, options);
  return found.map((item) => item.name);
}
