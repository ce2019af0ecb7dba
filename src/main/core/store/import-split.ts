import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WinnowError } from '../../../shared/errors';
import type { ImportResult } from '../../../shared/domain';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from './database';
import { LabelTable } from './labels';
import { firstNegativeLabel, writeNegativeLabel } from './negative-label';
import { readNegativeLabel } from './project-summary';
import { BATCH_PAUSE_MS, IMPORT_BATCH_LOCK_MS, removeUnpublished, sweepAbandonedWrites } from './unpublished';
import { storageError } from '../errors/storage-errors';
import { detectFormat, type SourceFormat } from '../io/record-source';
import { prepareRecord, type PreparedRecord, type RecordColumns } from '../io/prepared-record';
import { readPreparedRecords } from '../io/prepared-records';
import { isParquetFile, openParquetSource, type ParquetSourceSchema } from '../io/parquet-source';

export interface ImportOptions {
  filePath: string;
  /** How messages name the file (the name the user chose it by); the path when absent. */
  fileLabel?: string | undefined;
  split: string;
  format?: SourceFormat | 'parquet' | 'auto';
  /** Parquet only: names of the relation column's class ids, in id order (a `--labels` file). */
  labelNames?: readonly string[];
  /** Import the valid records and write the rejected ones to a report instead of failing. */
  skipInvalid?: boolean;
  /** Where the rejection report goes; defaults to beside the source file. */
  reportPath?: string;
  /** Largest record accepted, in bytes (default 64 MiB). */
  maxRecordBytes?: number;
  /**
   * The project's negative label, chosen at its first import (guessed when absent: see
   * firstNegativeLabel); a later import may only repeat the project's.
   */
  negativeLabel?: string | undefined;
  /** Read and check records in a thread of their own (default: for large files). */
  readInWorker?: boolean;
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

function where(file: string, source: Pick<PreparedRecord, 'index' | 'line' | 'row'>, id: string | null): string {
  const line = source.line === null ? '' : ` (line ${source.line})`;
  const named = id === null ? '' : ` id "${id}"`;
  // Parquet has rows and columns: "row 12 id "x", field "obj_end"" reads as the file does.
  if (source.row !== undefined) return `${file}: row ${source.row}${named}`;
  return `${file}: record ${source.index}${line}${named}`;
}

/** Records inserted per batch start here and adapt so that a batch holds the lock ~48 ms. */
const FIRST_BATCH = 128;
const MIN_BATCH = 16;
const MAX_BATCH = 4096;

interface PendingRecord {
  id: string;
  text: string;
  columns: RecordColumns;
}

/**
 * Streams one split file into the project, all or nothing, without holding the write lock
 * for long: records are checked outside any transaction, committed in batches of a few
 * milliseconds into a split that no reader sees yet (state 'importing'), and one tiny
 * transaction publishes the split at the end. A failure or a cancel removes the unpublished
 * rows; a killed import leaves them to the next import or project open, which removes them.
 */
export async function importSplit(db: Db, options: ImportOptions): Promise<ImportResult> {
  const file = options.filePath;
  const label = options.fileLabel ?? file;
  if (!fs.existsSync(file)) throw new WinnowError('NOT_FOUND', `${label}: file not found`);
  // A killed import's rows hold ids and the split's name: remove them first.
  await sweepAbandonedWrites(db);
  const existing = db.prepare('SELECT count, state, owner_pid AS owner FROM split_rows WHERE name = ?').get(options.split) as { count: number; state: string; owner: number | null } | undefined;
  if (existing?.state === 'published') {
    throw new WinnowError('CONFLICT', `Split "${options.split}" already exists in this project (${existing.count} examples); choose another split name`);
  }
  if (existing) {
    throw new WinnowError('CONFLICT', `Split "${options.split}" is being imported right now (by process ${existing.owner}); wait for that import to finish or choose another split name`);
  }
  const current = readNegativeLabel(db);
  const firstImport = (db.prepare('SELECT count(*) FROM examples').pluck().get() as number) === 0;
  if (!firstImport && options.negativeLabel !== undefined && options.negativeLabel !== current) {
    throw new WinnowError('CONFLICT', `The negative label is chosen at a project's first import; this project's is "${current}" (change it in the project's settings, \`winnow negative-label\`)`);
  }
  const format = !options.format || options.format === 'auto' ? ((await isParquetFile(file)) ? 'parquet' : await detectFormat(file)) : options.format;
  const parquet = format === 'parquet' ? await openParquetSource(file, { labelNames: options.labelNames, label }) : null;
  const sourceSchema: ParquetSourceSchema | null = parquet?.sourceSchema ?? null;
  const labels = new LabelTable(db);
  const insertExample = db.prepare(
    `INSERT INTO example_rows (ext_id, split_id, position, label_id, subj_start, subj_end, obj_start, obj_end,
       subj_type, obj_type, token_count, tokens, sentence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const insertRaw = db.prepare('INSERT INTO example_records (example_id, raw) VALUES (?, ?)');
  // Other splits, published or still importing (their ids would collide at publication).
  const findExisting = db.prepare(
    'SELECT s.name AS split, s.state, e.position FROM example_rows e JOIN split_rows s ON s.id = e.split_id WHERE e.ext_id = ? AND e.split_id <> ?',
  );
  // Looking every id up costs a few microseconds a record (seconds at a million); while the
  // project has no other split there is nothing to find. Asked again at every batch, so a split
  // that another import starts meanwhile is checked from then on (and its ids, if any collide
  // before that, are refused by the unique index at insert, as a conflict).
  const othersExist = db.prepare('SELECT EXISTS (SELECT 1 FROM split_rows WHERE id <> ?)').pluck();
  let checkOthers = true;
  const seen = new Map<string, number>();
  const labelCounts = new Map<string, number>();
  const rejected: Rejection[] = [];
  let imported = 0;
  let lastReport = 0;
  let pending: PendingRecord[] = [];
  let batchSize = FIRST_BATCH;

  let splitId: number;
  try {
    splitId = Number(
      db
        .prepare("INSERT INTO split_rows (name, format, source_format, source_schema, source_path, imported_at, state, owner_pid) VALUES (?, ?, ?, ?, ?, ?, 'importing', ?)")
        // A Parquet row is kept as a JSON object's text, hence format 'jsonl' (see migration 9).
        .run(options.split, format === 'parquet' ? 'jsonl' : format, format, sourceSchema && JSON.stringify(sourceSchema), path.resolve(file), new Date().toISOString(), process.pid).lastInsertRowid,
    );
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new WinnowError('CONFLICT', `Split "${options.split}" is being imported right now; wait for that import to finish or choose another split name`);
    }
    throw error;
  }
  checkOthers = othersExist.get(splitId) === 1;

  let totalBytes = 0;
  let bytesRead = 0;
  const writeBatch = db.transaction((batch: PendingRecord[]) => {
    for (const { id, columns: c, text } of batch) {
      const exampleId = insertExample.run(
        id,
        splitId,
        imported++,
        labels.idFor(c.relation),
        c.subjStart,
        c.subjEnd,
        c.objStart,
        c.objEnd,
        c.subjType,
        c.objType,
        c.tokenCount,
        c.tokens,
        c.sentence,
      ).lastInsertRowid;
      insertRaw.run(exampleId, text);
    }
  });
  const flush = () => {
    checkOthers = othersExist.get(splitId) === 1;
    if (!pending.length) return;
    const before = imported;
    const started = performance.now();
    try {
      writeBatch.immediate(pending);
    } catch (error) {
      imported = before;
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new WinnowError('CONFLICT', `${label}: an example id of this file was imported into another split at the same time; nothing was imported`);
      }
      throw error;
    }
    // Aim at a few milliseconds of lock per batch, whatever the machine and record size.
    const ms = performance.now() - started;
    batchSize = Math.max(MIN_BATCH, Math.min(MAX_BATCH, Math.round((batchSize * IMPORT_BATCH_LOCK_MS) / Math.max(ms, 0.25))));
    pending = [];
    // Reported right after a commit, so a kill at a report lands between two batches.
    if (imported - lastReport >= 2000) {
      lastReport = imported;
      options.onProgress?.({ phase: 'reading records', done: bytesRead, total: totalBytes });
    }
  };

  // A larger page cache keeps the index B-trees in memory for the bulk insert.
  const previousCacheSize = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -65536');
  try {
    let records: AsyncIterable<PreparedRecord>;
    let fileHash: () => string;
    if (parquet) {
      const hash = crypto.createHash('sha256');
      const rows = parquet.records((progress) => {
        hash.update(progress.chunk);
        totalBytes = progress.totalBytes;
        bytesRead = progress.bytesRead;
      });
      records = (async function* () {
        for await (const row of rows) yield prepareRecord(row);
      })();
      fileHash = () => hash.digest('hex');
    } else {
      const prepared = readPreparedRecords(file, format as SourceFormat, {
        maxRecordBytes: options.maxRecordBytes,
        inWorker: options.readInWorker,
        onBytes: (read, total) => {
          bytesRead = read;
          totalBytes = total;
        },
      });
      records = prepared.records;
      fileHash = prepared.sha256;
    }
    const stopIfCancelled = () => {
      if (options.signal?.aborted) throw new WinnowError('CANCELLED', `Import of ${label} cancelled`);
    };
    for await (const source of records) {
      stopIfCancelled();
      const id = source.id;
      let problem = source.problem;
      if (!problem && id !== null) {
        const first = seen.get(id);
        if (first !== undefined) problem = { field: 'id', reason: `duplicates the id of record ${first}` };
        else if (checkOthers) {
          const other = findExisting.get(id, splitId) as { split: string; state: string; position: number } | undefined;
          if (other?.state === 'published') problem = { field: 'id', reason: `already exists in split "${other.split}" (record ${other.position})` };
          else if (other) problem = { field: 'id', reason: `is being imported into split "${other.split}" right now` };
        }
      }
      if (problem) {
        if (!options.skipInvalid) {
          // Text that is not JSON has no fields to name.
          throw new WinnowError('INVALID_FILE', source.parsed ? `${where(label, source, id)}, field "${problem.field}": ${problem.reason}` : `${where(label, source, null)}: ${problem.reason}`);
        }
        rejected.push({ index: source.index, line: source.line, id, ...problem });
        continue;
      }
      const columns = source.columns!;
      seen.set(id!, source.index);
      labelCounts.set(columns.relation, (labelCounts.get(columns.relation) ?? 0) + 1);
      pending.push({ id: id!, text: source.text, columns });
      if (pending.length >= batchSize) flush();
    }
    flush();
    if (imported === 0) {
      throw new WinnowError('INVALID_FILE', `${label}: no valid records${rejected.length ? ` (${rejected.length} rejected)` : ''}`);
    }
    const sha256 = fileHash();
    options.onProgress?.({ phase: 'committing', done: totalBytes, total: totalBytes });
    let reportPath: string | null = null;
    if (rejected.length) {
      reportPath = options.reportPath ?? `${file}.rejected.jsonl`;
      await fs.promises.mkdir(path.dirname(reportPath), { recursive: true });
      await fs.promises.writeFile(reportPath, rejected.map((r) => JSON.stringify(r)).join('\n') + '\n');
    }
    const negativeLabel = firstImport ? firstNegativeLabel(labelCounts, options.negativeLabel, label) : current;
    // A cancel that comes with the last batch or while the report is written still wins:
    // until the split is published below, nothing of it is visible.
    stopIfCancelled();
    // The commit point: one small update makes the whole split visible at once (with the
    // project's negative label when this is its first split).
    db.transaction(() => {
      db.prepare("UPDATE split_rows SET state = 'published', owner_pid = NULL, count = ?, source_sha256 = ? WHERE id = ? AND state = 'importing'").run(imported, sha256, splitId);
      if (firstImport) writeNegativeLabel(db, negativeLabel);
    }).immediate();
    await refreshStatistics(db);
    return { split: options.split, imported, rejected: rejected.length, reportPath, reportDownloadUrl: null, sha256, negativeLabel };
  } catch (error) {
    labels.reload();
    // Left for the next import or open if this fails too (the lock may be taken).
    await removeUnpublished(db, 'split', splitId).catch(() => undefined);
    // A full disk names the project file rather than SQLite's "database or disk is full".
    throw storageError(error, db.name) ?? error;
  } finally {
    db.pragma(`cache_size = ${previousCacheSize}`);
  }
}

/**
 * Fresh statistics let SQLite's planner pick the right index for the grid's queries (e.g.
 * scanning ids in order rather than sorting 70k no_relation rows). One ANALYZE of the whole
 * file holds the write lock for a few hundred ms at 100k examples, so each index is
 * analysed in its own short transaction. (A sampled ANALYZE, `analysis_limit`, is short but
 * misjudges the split index, whose first rows all share one split, and the planner then
 * sorts the whole table for the first page.) Statistics only help: a failure is ignored.
 */
export async function refreshStatistics(db: Db): Promise<void> {
  try {
    // example_records has no index, so ANALYZE would read every record's text to count the
    // rows (the longest step by far); it holds one row per example, counted through an index.
    db.transaction(() => {
      db.prepare("DELETE FROM sqlite_stat1 WHERE tbl = 'example_records'").run();
      db.prepare("INSERT INTO sqlite_stat1 (tbl, idx, stat) SELECT 'example_records', NULL, CAST(count(*) AS TEXT) FROM example_rows").run();
    }).immediate();
  } catch {
    return;
  }
  // Every other table, as one ANALYZE would: a missing statistic (even for the one-row split
  // table) makes the planner guess a million rows and choose other plans.
  const targets = db
    .prepare(
      `SELECT coalesce(i.name, t.name) FROM sqlite_master t LEFT JOIN sqlite_master i ON i.type = 'index' AND i.tbl_name = t.name
       WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%' AND t.name <> 'example_records' ORDER BY t.name, i.name`,
    )
    .pluck()
    .all() as string[];
  for (const target of targets) {
    try {
      // Immediate: ANALYZE writes its results at the end, and a deferred transaction that
      // another writer overtook while it read could not take the lock then.
      db.transaction(() => db.exec(`ANALYZE "${target}"`)).immediate();
    } catch {
      return;
    }
    await sleep(BATCH_PAUSE_MS);
  }
}
