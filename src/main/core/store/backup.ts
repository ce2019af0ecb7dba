import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WinnowError } from '../../../shared/errors';
import { storageError } from '../errors/storage-errors';
import { syncFolder } from '../io/commit-journal';
import type { Db } from './database';

export interface BackupResult {
  path: string;
  bytes: number;
}

export interface BackupOptions {
  /**
   * Pages copied per step (default 1024, 4 MiB): between steps the event loop runs. Copying a
   * live file restarts when another connection writes to it; after a few restarts the rest is
   * copied in one step, so a busy project is copied all the same.
   */
  pagesPerStep?: number;
}

/** The same file under another name (a hard link, `./p.winnow` for `p.winnow`), or its -wal/-shm. */
function isTheProject(projectPath: string, target: string): boolean {
  const project = path.resolve(projectPath);
  const resolved = path.resolve(target);
  if (resolved === project || resolved === `${project}-wal` || resolved === `${project}-shm` || resolved === `${project}-journal`) return true;
  try {
    const a = fs.statSync(project);
    const b = fs.statSync(resolved);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

/**
 * A consistent copy of an open project through SQLite's online backup API, written to a
 * temporary file in the target's folder, synced, and renamed over the target: the target
 * only ever holds a whole copy. The copy holds everything committed, including what still
 * sits in the write-ahead log, and is a project of its own (one file, no -wal needed).
 */
export async function backupProject(db: Db, projectPath: string, target: string, options: BackupOptions = {}): Promise<BackupResult> {
  if (isTheProject(projectPath, target)) {
    throw new WinnowError('INVALID_INPUT', `${target} is the project itself; choose another file for the copy`);
  }
  const final = path.resolve(target);
  if (fs.existsSync(final) && fs.statSync(final).isDirectory()) throw new WinnowError('INVALID_INPUT', `${target} is a folder; name the copy's file`);
  const dir = path.dirname(final);
  // The temporary name AtomicFileWriter uses, so a killed copy's leftover is recognised and swept.
  const temp = path.join(dir, `.${path.basename(final)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const step = options.pagesPerStep ?? 1024;
  let restarts = 0;
  let lastRemaining = Number.POSITIVE_INFINITY;
  try {
    fs.mkdirSync(dir, { recursive: true });
    await db.backup(temp, {
      progress: ({ totalPages, remainingPages }) => {
        if (remainingPages > lastRemaining) restarts++;
        lastRemaining = remainingPages;
        return restarts >= 3 ? totalPages : step;
      },
    });
    const fd = fs.openSync(temp, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    const bytes = fs.statSync(temp).size;
    fs.renameSync(temp, final);
    syncFolder(dir);
    return { path: final, bytes };
  } catch (error) {
    fs.rmSync(temp, { force: true });
    for (const suffix of ['-journal', '-wal', '-shm']) fs.rmSync(temp + suffix, { force: true });
    throw storageError(error, final) ?? error;
  }
}
