import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { processIsAlive } from '../io/commit-journal';

/**
 * The built-in model writes its fold packages to a temporary folder named after the process
 * (`winnow-builtin-<pid>-XXXXXX`) and removes it when done; one left by a killed process is
 * removed at the next start or ranking, once that process is gone.
 */
const PREFIX = 'winnow-builtin-';
const OWNED = /^winnow-builtin-(\d+)-[A-Za-z0-9]{6}$/;
/** Folders of versions that did not put the pid in the name: removed once a day old. */
const LEGACY = /^winnow-builtin-[A-Za-z0-9]{6}$/;
const LEGACY_AGE_MS = 24 * 60 * 60 * 1000;

export async function makeBuiltinWorkDir(): Promise<string> {
  return fs.promises.mkdtemp(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
}

/** Removes the built-in model's temporary folders whose process is gone; returns them. */
export async function sweepStaleBuiltinFolders(dir = os.tmpdir()): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const owned = OWNED.exec(name);
    let stale = false;
    if (owned) stale = !processIsAlive(Number(owned[1]));
    else if (LEGACY.test(name)) {
      const stat = await fs.promises.stat(path.join(dir, name)).catch(() => null);
      stale = stat !== null && stat.isDirectory() && Date.now() - stat.mtimeMs > LEGACY_AGE_MS;
    }
    if (!stale) continue;
    const folder = path.join(dir, name);
    try {
      await fs.promises.rm(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // Someone else's folder we may not remove: leave it.
    }
  }
  return removed;
}
