import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WinnowError } from '../../../shared/errors';
import { readReferencePatch } from '../io/reference-patch';
import type { Db } from './database';

export interface ReferenceSetSummary {
  name: string;
  style: 'tacrev' | 'retacred';
  count: number;
  /** How many of the patch's ids this project holds. */
  matched: number;
  /** How many distinct labels of the patch this project does not know. */
  unknownLabels: number;
  sourcePath: string;
  importedAt: string;
}

export interface ReferenceImportOptions {
  /** Import even when some ids are not in the project or some labels are unknown to it. */
  allowUnknown?: boolean;
}

function quoteSome(values: string[], total: number): string {
  const shown = values.slice(0, 3).map((v) => JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v));
  return `${shown.join(', ')}${total > shown.length ? `, ... (${total - shown.length} more)` : ''}`;
}

/**
 * Ids the project does not hold and labels it does not know, like an import checks a
 * split: a patch for another dataset, or one with a typo in a label, is refused by default.
 */
function checkAgainstProject(db: Db, file: string, labels: Map<string, string>, allowUnknown: boolean): void {
  const ids = JSON.stringify([...labels.keys()]);
  const unknownIdCount = db.prepare('SELECT count(*) FROM json_each(?) WHERE value NOT IN (SELECT ext_id FROM examples)').pluck().get(ids) as number;
  const names = JSON.stringify([...new Set(labels.values())]);
  const unknownLabels = db.prepare('SELECT value FROM json_each(?) WHERE value NOT IN (SELECT name FROM labels) ORDER BY value').pluck().all(names) as string[];
  if (allowUnknown || (unknownIdCount === 0 && unknownLabels.length === 0)) return;
  const problems: string[] = [];
  if (unknownIdCount) {
    const some = db.prepare('SELECT value FROM json_each(?) WHERE value NOT IN (SELECT ext_id FROM examples) LIMIT 3').pluck().all(ids) as string[];
    problems.push(`${unknownIdCount} of its ${labels.size} ids are not in this project (${quoteSome(some, unknownIdCount)})`);
  }
  if (unknownLabels.length) problems.push(`${unknownLabels.length} of its labels are unknown to this project (${quoteSome(unknownLabels, unknownLabels.length)})`);
  throw new WinnowError('INVALID_FILE', `${file}: ${problems.join(' and ')}; nothing was imported (import it anyway with --allow-unknown)`);
}

/** Imports a TACRev- or Re-TACRED-style patch as a named set of reference labels. */
export async function importReferenceSet(db: Db, filePath: string, name: string, options: ReferenceImportOptions = {}): Promise<ReferenceSetSummary> {
  if (!/^[\w.-]{1,64}$/.test(name)) throw new WinnowError('INVALID_INPUT', `Reference names use letters, digits, _ . - (at most 64): "${name}"`);
  if (db.prepare('SELECT 1 FROM reference_sets WHERE name = ?').get(name)) {
    throw new WinnowError('CONFLICT', `A reference set named "${name}" already exists in this project`);
  }
  const patch = await readReferencePatch(filePath);
  // Winnow writes empty patches (an export with nothing relabelled); as a reference one means nothing.
  if (patch.labels.size === 0) {
    throw new WinnowError('INVALID_FILE', `${filePath}: the patch has no entries (${patch.style === 'tacrev' ? '[]' : '{}'}); a reference needs at least one id and label`);
  }
  checkAgainstProject(db, filePath, patch.labels, options.allowUnknown ?? false);
  const sha256 = crypto.createHash('sha256').update(await fs.promises.readFile(filePath)).digest('hex');
  const importedAt = new Date().toISOString();
  db.transaction(() => {
    const setId = db
      .prepare('INSERT INTO reference_sets (name, style, source_path, source_sha256, imported_at, count) VALUES (?, ?, ?, ?, ?, ?)')
      .run(name, patch.style, path.resolve(filePath), sha256, importedAt, patch.labels.size).lastInsertRowid;
    const insert = db.prepare('INSERT INTO reference_labels (set_id, ext_id, label) VALUES (?, ?, ?)');
    for (const [id, label] of patch.labels) insert.run(setId, id, label);
  })();
  return listReferenceSets(db).find((set) => set.name === name)!;
}

export function listReferenceSets(db: Db): ReferenceSetSummary[] {
  return db
    .prepare(
      `SELECT r.name, r.style, r.count, r.source_path AS sourcePath, r.imported_at AS importedAt,
              (SELECT count(*) FROM reference_labels l JOIN examples e ON e.ext_id = l.ext_id WHERE l.set_id = r.id) AS matched,
              (SELECT count(DISTINCT l.label) FROM reference_labels l WHERE l.set_id = r.id AND l.label NOT IN (SELECT name FROM labels)) AS unknownLabels
       FROM reference_sets r ORDER BY r.id`,
    )
    .all() as ReferenceSetSummary[];
}

/** Reference label per example row id, for the examples of this project that the set covers. */
export function referenceLabelsByExample(db: Db, name: string): Map<number, string> {
  const set = db.prepare('SELECT id FROM reference_sets WHERE name = ?').get(name) as { id: number } | undefined;
  if (!set) {
    const known = listReferenceSets(db).map((s) => s.name);
    throw new WinnowError('NOT_FOUND', `No reference set named "${name}"${known.length ? ` (known: ${known.join(', ')})` : ' (import one with `winnow reference import`)'}`);
  }
  const rows = db
    .prepare('SELECT e.id AS exampleId, l.label FROM reference_labels l JOIN examples e ON e.ext_id = l.ext_id WHERE l.set_id = ?')
    .all(set.id) as { exampleId: number; label: string }[];
  return new Map(rows.map((row) => [row.exampleId, row.label]));
}
