import fs from 'node:fs';
import Database from 'better-sqlite3';
import { WinnowError } from '../../../shared/errors';
import { isBusyError, storageError } from '../errors/storage-errors';
import { checkpointPassive } from './checkpoint';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from './migrations';


export type Db = Database.Database;

/**
 * Electron loads better-sqlite3 built for its own ABI; Node (tests, CLI) uses the default
 * build. The shell sets this once at start-up so the two builds never overwrite each other.
 */
// Worker threads load their own copy of this module, so the shell also passes the path in
// the environment, which workers inherit.
let nativeBinding: string | undefined = process.env.WINNOW_SQLITE_BINDING || undefined;
export function setNativeBinding(path: string | undefined): void {
  nativeBinding = path;
}

export interface OpenOptions {
  /** Create the file when missing (otherwise a missing file is an error). */
  create?: boolean;
  readonly?: boolean;
  /**
   * How long SQLite itself waits for a taken write lock (default 5 s). Jobs, workers and the
   * CLI may wait; the app's own connection passes 0 and retries asynchronously instead
   * (store/busy-retry.ts), since a wait here blocks the thread.
   */
  busyTimeoutMs?: number;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Refuses a file that is not an SQLite database before SQLite touches it: opened
 * read-write, SQLite would turn an empty (or any zero-length) file into a database, and the
 * migrations would make it a project.
 */
function checkHeader(path: string, create: boolean): void {
  let size: number;
  let head: Buffer;
  try {
    const fd = fs.openSync(path, 'r');
    try {
      size = fs.fstatSync(fd).size;
      head = Buffer.alloc(SQLITE_HEADER.length);
      fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new WinnowError('INVALID_FILE', `${path} is a folder, not a Winnow project`);
    throw storageError(error, path) ?? new WinnowError('INVALID_FILE', `Cannot read ${path}: ${(error as Error).message}`);
  }
  if (size === 0) {
    if (create) return;
    throw new WinnowError('INVALID_FILE', `${path} is empty (0 bytes), not a Winnow project`);
  }
  if (size < SQLITE_HEADER.length || !head.equals(SQLITE_HEADER)) {
    throw new WinnowError('INVALID_FILE', `${path} is not a Winnow project (not an SQLite database)`);
  }
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const memory = path === ':memory:';
  const exists = memory || fs.existsSync(path);
  if (!exists && !options.create) {
    throw new WinnowError('NOT_FOUND', `Project file not found: ${path}`);
  }
  if (exists && !memory) checkHeader(path, options.create ?? false);
  let db: Db;
  try {
    db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: !options.create,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
  } catch (error) {
    throw storageError(error, path) ?? new WinnowError('INVALID_FILE', `Cannot open project ${path}: ${(error as Error).message}`);
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 5000))}`);
    // Reading user_version fails fast on a file that is not SQLite at all; an SQLite file of
    // something else is refused before anything (even the journal mode) is written to it.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version === 0 && !memory) refuseForeignDatabase(db, path, options.create ?? false);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode is durable across application crashes (not power loss), which is
      // what the decision log promises.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) applyMigrations(db, path, version, migrations);
    else if (version !== LATEST_SCHEMA_VERSION) {
      throw new WinnowError('INVALID_FILE', `Project ${path} has schema version ${version}; open it read-write once to migrate`);
    }
  } catch (error) {
    db.close();
    if (error instanceof WinnowError) throw error;
    // Busy: another connection holds the lock (a migration, a recovery); the caller may retry.
    if (isBusyError(error)) throw error;
    throw storageError(error, path) ?? new WinnowError('INVALID_FILE', `${path} is not a Winnow project (${(error as Error).message})`);
  }
  if (!options.readonly && !memory) checkpointOnClose(db);
  return db;
}

/** Schema version 0: a fresh file we are creating, or an SQLite database of something else. */
function refuseForeignDatabase(db: Db, path: string, create: boolean): void {
  const objects = db.prepare("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").pluck().get() as number;
  if (objects > 0) throw new WinnowError('INVALID_FILE', `${path} is an SQLite database, but not a Winnow project`);
  if (!create) throw new WinnowError('INVALID_FILE', `${path} is an empty SQLite database, not a Winnow project`);
}

/**
 * Closing copies what the write-ahead log holds into the project file first, so that the
 * `.winnow` file alone holds every committed write (SQLite does this by itself only when the
 * last connection closes; the app's connection usually stays open while jobs and the CLI
 * come and go).
 */
function checkpointOnClose(db: Db): void {
  const close = db.close.bind(db);
  db.close = () => {
    if (db.open) checkpointPassive(db);
    return close();
  };
}

/** Exported for tests, which pass their own migration lists. */
export function applyMigrations(db: Db, path: string, from: number, list: readonly Migration[]): void {
  if (from > list.length) {
    throw new WinnowError(
      'INVALID_FILE',
      `Project ${path} was written by a newer Winnow (schema ${from}, this build knows ${list.length})`,
    );
  }
  if (from === list.length) return;
  if (from > 0 && path !== ':memory:') backupBeforeMigration(db, path, from);
  for (let version = from; version < list.length; version++) {
    const step = list[version]!;
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

function backupBeforeMigration(db: Db, path: string, version: number): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const backup = `${path}.v${version}.bak`;
  if (!fs.existsSync(backup)) fs.copyFileSync(path, backup);
}
