import fs from 'node:fs';
import path from 'node:path';
import { WinnowError } from '../../../shared/errors';

/** SQLite's and the OS's codes for "no room left", and for "the write lock is taken". */
const FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** SQLITE_BUSY and its extended codes: another connection holds the lock; trying again can work. */
export function isBusyError(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/** Free bytes for unprivileged writers on the file system holding `file` (null if unknown). */
function freeBytes(file: string): number | null {
  let dir = path.dirname(path.resolve(file));
  // statfs needs a path that exists: walk up to the nearest folder that does.
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    const stats = fs.statfsSync(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/** Less than this is "full" for SQLite, which needs room for its -wal and -shm files. */
const NEARLY_FULL_BYTES = 1 << 20;

function fullMessage(file: string): string {
  return `${file}: the disk is full (no space left to write it); free some space and try again`;
}

/**
 * A full disk or a failing drive, said in words that name the file, instead of SQLite's
 * "disk I/O error" or a misleading "not a Winnow project". Null for any other error.
 */
export function storageError(error: unknown, file: string): WinnowError | null {
  if (error instanceof WinnowError) return error.code === 'DISK_FULL' ? error : null;
  const code = codeOf(error);
  if (code === undefined) return null;
  if (FULL_CODES.has(code)) return new WinnowError('DISK_FULL', fullMessage(file));
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code === 'EIO') {
    // SQLite reports a full disk as an I/O error when it cannot create or grow -shm or -wal.
    const free = freeBytes(file);
    if (free !== null && free < NEARLY_FULL_BYTES) return new WinnowError('DISK_FULL', fullMessage(file));
    if (code === 'SQLITE_CANTOPEN') return null;
    return new WinnowError('INTERNAL', `${file}: the disk reported an I/O error (${code}); the drive may have been removed or be failing`);
  }
  return null;
}

/** The same, for errors whose file is not known where they are caught. */
export function storageErrorWithoutFile(error: unknown): WinnowError | null {
  const code = codeOf(error);
  if (code !== undefined && FULL_CODES.has(code)) {
    const file = typeof (error as { path?: unknown }).path === 'string' ? (error as { path: string }).path : null;
    return new WinnowError('DISK_FULL', file ? fullMessage(file) : 'The disk is full (no space left to write); free some space and try again');
  }
  return null;
}
