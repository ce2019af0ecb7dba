import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WinnowError } from '../../../shared/errors';
import type { ImportResult } from '../../../shared/domain';
import type { Db } from './database';
import { LabelTable } from './labels';
import { detectFormat, readRecords, type SourceFormat, type SourceRecord } from '../io/record-source';
import { checkTacredRecord } from '../io/tacred-record';

export interface ImportOptions {
  filePath: string;
  /** How messages name the file (the name the user chose it by); the path when absent. */
  fileLabel?: string | undefined;
  split: string;
  format?: SourceFormat | 'auto';
  /** Import the valid records and write the rejected ones to a report instead of failing. */
  skipInvalid?: boolean;
  /** Where the rejection report goes; defaults to beside the source file. */
  reportPath?: string;
  signal?: AbortSignal;
  onProgress?: (progress: { phase: string; done: number; total: number }) => void;
}

interface Rejection {
  index: number;
  line: number | null;
  id: string | null;
  field: string;
  reason: string;
}

function where(file: string, source: SourceRecord, id: string | null): string {
  const line = source.line === null ? '' : ` (line ${source.line})`;
  const named = id === null ? '' : ` id "${id}"`;
  return `${file}: record ${source.index}${line}${named}`;
}

function peekId(value: unknown): string | null {
  if (typeof value === 'object' && value !== null && 'id' in value) {
    const id = (value as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return null;
}

/**
 * Streams one split file into the project in a single transaction: either every record
 * lands or the project is left exactly as it was.
 */
export async function importSplit(db: Db, options: ImportOptions): Promise<ImportResult> {
  const file = options.filePath;
  const label = options.fileLabel ?? file;
  if (!fs.existsSync(file)) throw new WinnowError('NOT_FOUND', `${label}: file not found`);
  const existing = db.prepare('SELECT count FROM splits WHERE name = ?').get(options.split) as { count: number } | undefined;
  if (existing) {
    throw new WinnowError('CONFLICT', `Split "${options.split}" already exists in this project (${existing.count} examples); choose another split name`);
  }
  const format = !options.format || options.format === 'auto' ? await detectFormat(file) : options.format;
  const hash = crypto.createHash('sha256');
  const labels = new LabelTable(db);
  const insertExample = db.prepare(
    `INSERT INTO examples (ext_id, split_id, position, label_id, subj_start, subj_end, obj_start, obj_end,
       subj_type, obj_type, token_count, tokens, sentence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insertRaw = db.prepare('INSERT INTO example_records (example_id, raw) VALUES (?, ?)');
  const findExisting = db.prepare(
    'SELECT s.name AS split, e.position FROM examples e JOIN splits s ON s.id = e.split_id WHERE e.ext_id = ?',
  );
  const seen = new Map<string, number>();
  const rejected: Rejection[] = [];
  let imported = 0;
  let lastReport = 0;

  // A larger page cache keeps the index B-trees in memory for the bulk insert.
  const previousCacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -65536');
  db.exec('BEGIN IMMEDIATE');
  try {
    const splitId = Number(
      db
        .prepare('INSERT INTO splits (name, format, source_path, imported_at) VALUES (?, ?, ?, ?)')
        .run(options.split, format, path.resolve(file), new Date().toISOString()).lastInsertRowid,
    );
    let totalBytes = 0;
    let bytesRead = 0;
    const records = readRecords(file, format, (progress) => {
      hash.update(progress.chunk);
      totalBytes = progress.totalBytes;
      bytesRead = progress.bytesRead;
    });
    for await (const source of records) {
      if (options.signal?.aborted) throw new WinnowError('CANCELLED', `Import of ${label} cancelled`);
      let value: unknown;
      try {
        value = JSON.parse(source.text);
      } catch (error) {
        const problem = { field: '(record)', reason: `is not valid JSON: ${(error as Error).message}` };
        if (!options.skipInvalid) throw new WinnowError('INVALID_FILE', `${where(label, source, null)}: ${problem.reason}`);
        rejected.push({ index: source.index, line: source.line, id: null, ...problem });
        continue;
      }
      const id = peekId(value);
      const checked = checkTacredRecord(value);
      let problem = checked.problem;
      if (!problem && id !== null) {
        const first = seen.get(id);
        if (first !== undefined) problem = { field: 'id', reason: `duplicates the id of record ${first}` };
        else {
          const other = findExisting.get(id) as { split: string; position: number } | undefined;
          if (other) problem = { field: 'id', reason: `already exists in split "${other.split}" (record ${other.position})` };
        }
      }
      if (problem) {
        if (!options.skipInvalid) {
          throw new WinnowError('INVALID_FILE', `${where(label, source, id)}, field "${problem.field}": ${problem.reason}`);
        }
        rejected.push({ index: source.index, line: source.line, id, ...problem });
        continue;
      }
      const record = checked.record!;
      seen.set(id!, source.index);
      const exampleId = insertExample.run(
        id,
        splitId,
        imported,
        labels.idFor(record.relation),
        record.subj_start,
        record.subj_end,
        record.obj_start,
        record.obj_end,
        record.subj_type,
        record.obj_type,
        record.token.length,
        JSON.stringify(record.token),
        record.token.join(' '),
      ).lastInsertRowid;
      insertRaw.run(exampleId, source.text);
      imported++;
      if (imported - lastReport >= 2000) {
        lastReport = imported;
        options.onProgress?.({ phase: 'reading records', done: bytesRead, total: totalBytes });
      }
    }
    if (imported === 0) {
      throw new WinnowError('INVALID_FILE', `${label}: no valid records${rejected.length ? ` (${rejected.length} rejected)` : ''}`);
    }
    const sha256 = hash.digest('hex');
    db.prepare('UPDATE splits SET count = ?, source_sha256 = ? WHERE id = ?').run(imported, sha256, splitId);
    options.onProgress?.({ phase: 'committing', done: totalBytes, total: totalBytes });
    let reportPath: string | null = null;
    if (rejected.length) {
      reportPath = options.reportPath ?? `${file}.rejected.jsonl`;
      await fs.promises.writeFile(reportPath, rejected.map((r) => JSON.stringify(r)).join('\n') + '\n');
    }
    db.exec('COMMIT');
    // Fresh statistics let SQLite's planner pick the right index for the grid's queries
    // (e.g. scanning ids in order rather than sorting 70k no_relation rows).
    db.exec('ANALYZE');
    return { split: options.split, imported, rejected: rejected.length, reportPath, sha256 };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    labels.reload();
    throw error;
  } finally {
    db.pragma(`cache_size = ${previousCacheSize}`);
  }
}
