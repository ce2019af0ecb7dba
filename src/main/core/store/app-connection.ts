import { WalCheckpointer, type CheckpointerOptions } from './checkpoint';
import { openDatabase, type Db } from './database';
import { sweepAbandonedWrites } from './unpublished';

/**
 * The app's (or browser server's) own connection to the open project, kept apart from the
 * connections that jobs open:
 * - no busy timeout: SQLite's wait would block the event loop; calls that find the write
 *   lock taken are retried asynchronously (app/dispatch.ts, store/busy-retry.ts);
 * - the write-ahead log is copied into the `.winnow` file shortly after each write, after
 *   each job and on close, so that the file alone holds every acknowledged decision;
 * - what a killed import or ranking left unpublished is removed in the background, in
 *   short transactions.
 */
export class AppConnection {
  readonly db: Db;
  private readonly checkpointer: WalCheckpointer;
  private readonly sweeping: Promise<unknown>;

  constructor(path: string, options: { create?: boolean; checkpoint?: CheckpointerOptions } = {}) {
    this.db = openDatabase(path, { create: options.create ?? false, busyTimeoutMs: 0 });
    this.checkpointer = new WalCheckpointer(this.db, options.checkpoint);
    this.sweeping = sweepAbandonedWrites(this.db, { retryBusy: true })
      .then((removed) => {
        if (removed.length) this.noteWrite();
      })
      // A sweep that cannot finish now (project closed, lock taken for long) runs again at
      // the next open or job.
      .catch(() => undefined);
  }

  /** Call after anything this connection (or a job on the same file) wrote. */
  noteWrite(): void {
    if (this.db.open) this.checkpointer.noteWrite();
  }

  /** Resolves once the background sweep is done and the log is copied (tests, shutdown). */
  async whenIdle(): Promise<void> {
    await this.sweeping;
    await this.checkpointer.whenIdle();
  }

  close(): void {
    if (!this.db.open) return;
    this.checkpointer.flush();
    this.checkpointer.dispose();
    // database.ts's close copies the log once more before closing.
    this.db.close();
  }
}
