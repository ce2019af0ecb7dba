import type Database from 'better-sqlite3';
import { isBusyError } from '../errors/storage-errors';

type Db = Database.Database;

export interface CheckpointResult {
  /** Every frame of the write-ahead log is now in the main file. */
  complete: boolean;
  /** Frames in the log, and how many of them are in the main file. */
  logFrames: number;
  checkpointedFrames: number;
}

/**
 * Copies the write-ahead log's committed pages into the `.winnow` file without waiting for
 * any lock (PASSIVE): it never blocks a writer or a reader, and stops short where a reader
 * still needs an older page. Complete when the main file alone holds every commit.
 */
export function checkpointPassive(db: Db): CheckpointResult {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    if (!row) return { complete: true, logFrames: 0, checkpointedFrames: 0 };
    // log is -1 when the database is not in WAL mode: nothing to copy.
    const complete = row.busy === 0 && (row.log <= 0 || row.checkpointed >= row.log);
    return { complete, logFrames: row.log, checkpointedFrames: row.checkpointed };
  } catch (error) {
    // Another connection is checkpointing right now.
    if (isBusyError(error)) return { complete: false, logFrames: -1, checkpointedFrames: -1 };
    throw error;
  }
}

export interface CheckpointerOptions {
  /** Quiet time after the last write before copying (default 500 ms). */
  debounceMs?: number;
  /** Writes that never pause are still copied this often (default 1500 ms). */
  maxDelayMs?: number;
  /** Pause before trying again when a checkpoint could not finish (default 250 ms). */
  retryMs?: number;
}

/**
 * Keeps the `.winnow` file complete on its own: after each write (debounced) it runs
 * passive checkpoints until the log is fully copied, so that within about two seconds of
 * the last acknowledged write a copy of the file alone holds everything. Timers never keep
 * the process alive.
 */
export class WalCheckpointer {
  private timer: NodeJS.Timeout | null = null;
  private firstPendingAt: number | null = null;
  private idleWaiters: (() => void)[] = [];
  private readonly debounceMs: number;
  private readonly maxDelayMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly db: Db,
    options: CheckpointerOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 1500;
    this.retryMs = options.retryMs ?? 250;
  }

  /** Something was written (by this connection or a job on the same file). */
  noteWrite(): void {
    const now = Date.now();
    this.firstPendingAt ??= now;
    const due = Math.min(now + this.debounceMs, this.firstPendingAt + this.maxDelayMs);
    this.schedule(Math.max(0, due - now));
  }

  /** Copies now; true when the main file holds everything. */
  flush(): boolean {
    if (!this.db.open) return true;
    const result = checkpointPassive(this.db);
    if (result.complete) {
      this.clear();
      this.firstPendingAt = null;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
    return result.complete;
  }

  /** Resolves once no copy is pending (for tests and shutdown). */
  whenIdle(): Promise<void> {
    if (this.timer === null && this.firstPendingAt === null) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops the timers; call flush() first to copy what is left. */
  dispose(): void {
    this.clear();
    this.firstPendingAt = null;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private schedule(delayMs: number): void {
    this.clear();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.flush() && this.db.open) this.schedule(this.retryMs);
    }, delayMs);
    this.timer.unref();
  }

  private clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
