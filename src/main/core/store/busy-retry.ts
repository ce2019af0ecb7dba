import { setTimeout as sleep } from 'node:timers/promises';
import { WinnowError } from '../../../shared/errors';
import { isBusyError } from '../errors/storage-errors';

export interface BusyRetryOptions {
  /** Give up after this long (default 10 s). */
  deadlineMs?: number;
}

export const DEFAULT_BUSY_DEADLINE_MS = 10_000;

/**
 * Runs `work` again, after a short asynchronous pause, while SQLite answers SQLITE_BUSY
 * (another connection holds the write lock). The app's connection has no busy timeout, so
 * a taken lock never blocks the event loop; jobs hold the lock for a few milliseconds at a
 * time, and a retry soon lands between two of their batches. A failed attempt changed
 * nothing (its transaction was rolled back), so trying again is safe.
 */
export async function retryWhileBusy<T>(work: () => T | Promise<T>, options: BusyRetryOptions = {}): Promise<T> {
  const deadline = performance.now() + (options.deadlineMs ?? DEFAULT_BUSY_DEADLINE_MS);
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isBusyError(error)) throw error;
      if (performance.now() >= deadline) {
        throw new WinnowError(
          'BUSY',
          `The project is busy: another writer (an import or ranking, or another Winnow process) held its write lock for ${Math.round((options.deadlineMs ?? DEFAULT_BUSY_DEADLINE_MS) / 1000)} s; nothing was changed, try again`,
        );
      }
      // Short pauses first (a job's batch lasts a few ms), with jitter so that two waiting
      // callers do not keep colliding; never longer than a few ms between attempts.
      await sleep(Math.min(1 + attempt, 4) + Math.random());
    }
  }
}
