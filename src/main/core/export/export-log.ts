import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { journalPathFor, recoverFolder } from '../io/commit-journal';
import type { Db } from '../store/database';

/** Recorded before the first file is staged, so that a killed export names its folder. */
export function recordExportStarted(db: Db, record: { split: string; dataset: string; path: string }): number {
  return Number(
    db
      .prepare("INSERT INTO exports (created_at, split, dataset, path, state) VALUES (?, ?, ?, ?, 'writing')")
      .run(new Date().toISOString(), record.split, record.dataset, record.path).lastInsertRowid,
  );
}

/** Just before the commit point: what the committed unit will be. */
export function recordExportCommitting(db: Db, id: number, unit: { sha256: string; records: number; manifestSha256: string }): void {
  db.prepare("UPDATE exports SET state = 'committing', sha256 = ?, records = ?, manifest_sha256 = ? WHERE id = ?").run(unit.sha256, unit.records, unit.manifestSha256, id);
}

export function recordExportSettled(db: Db, id: number, state: 'done' | 'abandoned'): void {
  db.prepare('UPDATE exports SET state = ? WHERE id = ?').run(state, id);
}

function fileSha256(file: string): string | null {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

/**
 * Finishes the exports a killed process left mid-commit (see io/commit-journal) and removes
 * the temporary files of writers that are gone. Run when a project opens and before each
 * export; one indexed query when nothing was interrupted.
 */
export function recoverInterruptedExports(db: Db): { folders: string[]; completed: string[]; removedTemporaryFiles: string[] } {
  const pending = db.prepare("SELECT id, path, manifest_sha256 AS manifestSha256 FROM exports WHERE state IN ('writing', 'committing')").all() as { id: number; path: string; manifestSha256: string | null }[];
  const result = { folders: [] as string[], completed: [] as string[], removedTemporaryFiles: [] as string[] };
  for (const folder of new Set(pending.map((p) => path.dirname(p.path)))) {
    const recovered = recoverFolder(folder);
    result.folders.push(folder);
    result.completed.push(...recovered.completed);
    result.removedTemporaryFiles.push(...recovered.removedTemporaryFiles);
  }
  for (const row of pending) {
    // A live process is still committing it.
    if (fs.existsSync(journalPathFor(row.path))) continue;
    // Done when the manifest on disk is this export's (recovered, or committed just before the kill).
    const done = row.manifestSha256 !== null && fileSha256(`${row.path}.manifest.json`) === row.manifestSha256;
    recordExportSettled(db, row.id, done ? 'done' : 'abandoned');
  }
  return result;
}
