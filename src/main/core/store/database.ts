import fs from 'node:fs';
import Database from 'better-sqlite3';
import { WinnowError } from '../../../shared/errors';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations';


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
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const exists = path === ':memory:' || fs.existsSync(path);
  if (!exists && !options.create) {
    throw new WinnowError('NOT_FOUND', `Project file not found: ${path}`);
  }
  let db: Db;
  try {
    db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: !options.create,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
  } catch (error) {
    throw new WinnowError('INVALID_FILE', `Cannot open project ${path}: ${(error as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode is durable across application crashes (not power loss), which is
      // what the decision log promises.
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    // Reading user_version fails fast on a file that is not SQLite at all.
    const version = db.pragma('user_version', { simple: true }) as number;
    if (!options.readonly) applyMigrations(db, path, version, migrations);
    else if (version !== LATEST_SCHEMA_VERSION) {
      throw new WinnowError('INVALID_FILE', `Project ${path} has schema version ${version}; open it read-write once to migrate`);
    }
  } catch (error) {
    db.close();
    if (error instanceof WinnowError) throw error;
    throw new WinnowError('INVALID_FILE', `${path} is not a Winnow project (${(error as Error).message})`);
  }
  return db;
}

/** Exported for tests, which pass their own migration lists. */
export function applyMigrations(db: Db, path: string, from: number, list: readonly string[]): void {
  if (from > list.length) {
    throw new WinnowError(
      'INVALID_FILE',
      `Project ${path} was written by a newer Winnow (schema ${from}, this build knows ${list.length})`,
    );
  }
  if (from === list.length) return;
  if (from > 0 && path !== ':memory:') backupBeforeMigration(db, path, from);
  for (let version = from; version < list.length; version++) {
    const sql = list[version]!;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

function backupBeforeMigration(db: Db, path: string, version: number): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const backup = `${path}.v${version}.bak`;
  if (!fs.existsSync(backup)) fs.copyFileSync(path, backup);
}
