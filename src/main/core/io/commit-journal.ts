import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { WinnowError } from '../../../shared/errors';
import { parseJsonText } from './json-syntax';

/**
 * Several files that must change together (an export's data, manifest, decisions CSV, patch)
 * cannot be renamed into place in one atomic step. The journal makes the set one unit: once
 * every new file is complete and synced under its temporary name, a journal listing the
 * renames is written atomically; that write is the commit point. A process killed before it
 * leaves the previous files untouched; one killed after it leaves a journal, and recovery
 * finishes the renames (roll forward). Readers that find a journal know the set is mid-commit.
 */

const JOURNAL_PREFIX = '.';
const JOURNAL_SUFFIX = '.commit-journal.json';

const Journal = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  /** The committing process: a live one is still at work and its journal is not recovered. */
  pid: z.number().int(),
  /** Bare file names in the journal's folder: the temporary name and the final name. */
  renames: z.array(z.object({ from: z.string().min(1), to: z.string().min(1) })).min(1),
});
type Journal = z.infer<typeof Journal>;

/** The journal of the unit whose main file is `mainPath` (an export's data file). */
export function journalPathFor(mainPath: string): string {
  return path.join(path.dirname(mainPath), `${JOURNAL_PREFIX}${path.basename(mainPath)}${JOURNAL_SUFFIX}`);
}

export function isJournalName(name: string): boolean {
  return name.startsWith(JOURNAL_PREFIX) && name.endsWith(JOURNAL_SUFFIX);
}

/** Makes renames and new names in `dir` durable; folders cannot be opened for sync on Windows. */
export function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw error;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

function writeDurably(file: string, text: string): void {
  const temp = `${file}.${process.pid}.writing`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  syncFolder(path.dirname(file));
}

function applyRenames(dir: string, journal: Journal): void {
  for (const { from, to } of journal.renames) {
    const source = path.join(dir, from);
    // Absent: renamed before the process stopped (rename is atomic, so it is whole).
    if (fs.existsSync(source)) fs.renameSync(source, path.join(dir, to));
  }
  syncFolder(dir);
}

/**
 * Renames every `[temporaryPath, finalPath]` pair (all in one folder, every temporary file
 * complete and synced) as one unit, through a journal beside `mainPath`.
 */
export function commitRenames(mainPath: string, pairs: readonly (readonly [string, string])[]): void {
  if (!pairs.length) return;
  const dir = path.dirname(path.resolve(mainPath));
  for (const [from, to] of pairs) {
    if (path.dirname(path.resolve(from)) !== dir || path.dirname(path.resolve(to)) !== dir) {
      throw new WinnowError('INTERNAL', `commit journal: ${from} -> ${to} leaves the folder ${dir}`);
    }
  }
  if (pairs.length === 1) {
    // One rename is atomic by itself.
    fs.renameSync(pairs[0]![0], pairs[0]![1]);
    syncFolder(dir);
    return;
  }
  const journal: Journal = {
    version: 1,
    createdAt: new Date().toISOString(),
    pid: process.pid,
    renames: pairs.map(([from, to]) => ({ from: path.basename(from), to: path.basename(to) })),
  };
  const journalPath = journalPathFor(mainPath);
  // An older journal for the same unit is finished first, so that its renames cannot land
  // on top of this commit later.
  if (fs.existsSync(journalPath)) rollForward(journalPath);
  writeDurably(journalPath, `${JSON.stringify(journal, null, 1)}\n`);
  applyRenames(dir, journal);
  fs.rmSync(journalPath, { force: true });
  syncFolder(dir);
}

function readJournal(journalPath: string): Journal {
  try {
    return Journal.parse(parseJsonText(fs.readFileSync(journalPath, 'utf8'), journalPath));
  } catch (error) {
    // A journal is written to a temporary name and renamed, so a broken one was not ours.
    // The reason names a position or a field, never the file's text.
    const reason =
      error instanceof WinnowError
        ? error.message.slice(journalPath.length + 2)
        : error instanceof z.ZodError
          ? `field "${error.issues[0]?.path.join('.') || '(top level)'}": ${error.issues[0]?.message ?? 'invalid'}`
          : 'unreadable';
    throw new WinnowError('INVALID_FILE', `${journalPath}: not a Winnow commit journal (${reason}); remove it by hand`);
  }
}

/** Finishes the commit a journal describes; returns the final names it completed. */
export function rollForward(journalPath: string): string[] {
  const parsed = readJournal(journalPath);
  const dir = path.dirname(journalPath);
  applyRenames(dir, parsed);
  fs.rmSync(journalPath, { force: true });
  syncFolder(dir);
  return parsed.renames.map((r) => path.join(dir, r.to));
}

/** False once the process is gone (a zombie counts as gone); this process is always alive. */
export function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process whose parent has not reaped it yet still answers signal 0 (a zombie).
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

// Temporary names: AtomicFileWriter's `.<name>.<pid>.<hex>.tmp`, the journal's `<journal>.<pid>.writing`.
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;
const JOURNAL_TEMP_NAME = /^\..+\.commit-journal\.json\.(\d+)\.writing$/;

export interface FolderRecovery {
  /** Final names completed from a journal left by a killed commit. */
  completed: string[];
  /** Temporary files of processes that no longer run, removed. */
  removedTemporaryFiles: string[];
}

/**
 * What a killed writer can leave in a folder: journals (finished here), and temporary files
 * of processes that are gone (removed). Temporary files of live processes are left alone: an
 * export may be running in another window.
 */
export function recoverFolder(dir: string): FolderRecovery {
  const result: FolderRecovery = { completed: [], removedTemporaryFiles: [] };
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return result;
    throw error;
  }
  for (const name of names.filter(isJournalName)) {
    const journalPath = path.join(dir, name);
    const { pid } = readJournal(journalPath);
    // Another process is committing right now (commits in this process are synchronous).
    if (pid !== process.pid && processIsAlive(pid)) continue;
    result.completed.push(...rollForward(journalPath));
  }
  const remaining = result.completed.length ? fs.readdirSync(dir) : names;
  for (const name of remaining) {
    const match = TEMP_NAME.exec(name) ?? JOURNAL_TEMP_NAME.exec(name);
    if (!match || processIsAlive(Number(match[1]))) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    result.removedTemporaryFiles.push(path.join(dir, name));
  }
  return result;
}
