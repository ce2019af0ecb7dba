import path from 'node:path';
import { WinnowError } from '../../../shared/errors';
import {
  DECISION_LOG_FORMAT,
  type DatasetFingerprint,
  type DecisionExportResult,
  type DecisionImportResult,
  type DecisionLogEntry,
} from '../../../shared/team';
import type { LoggedAction } from '../../../shared/decisions';
import { readDecisionLog, writeDecisionLog } from '../io/decision-log-file';
import type { Db } from './database';
import type { LogRecord } from './decisions';
import { LabelTable } from './labels';
import { rebuildDerivedState } from './team-state';

/** The data a log was recorded on: each split's name, size and the sha256 of the file it was imported from. */
export function datasetFingerprint(db: Db): DatasetFingerprint {
  return { splits: db.prepare('SELECT name, count, source_sha256 AS sha256 FROM splits ORDER BY id').all() as DatasetFingerprint['splits'] };
}

const short = (sha: string | null) => (sha === null ? 'unknown' : `${sha.slice(0, 12)}…`);

/**
 * Why a log recorded on `theirs` does not fit this project, or null when it does: every split
 * the log's project had must be here, from the same file (sha256) and of the same size. Splits
 * only this project has are fine (the log names none of their examples).
 */
export function fingerprintMismatch(ours: DatasetFingerprint, theirs: DatasetFingerprint): string | null {
  const here = new Map(ours.splits.map((s) => [s.name, s]));
  const problems: string[] = [];
  for (const split of theirs.splits) {
    const mine = here.get(split.name);
    if (!mine) problems.push(`split "${split.name}" (${split.count} examples) is not in this project`);
    else if (mine.sha256 !== split.sha256) problems.push(`split "${split.name}" was imported here from a file with sha256 ${short(mine.sha256)}, in the log's project from ${short(split.sha256)}`);
    else if (mine.count !== split.count) problems.push(`split "${split.name}" has ${mine.count} examples here and ${split.count} in the log's project`);
  }
  return problems.length ? problems.join('; ') : null;
}

interface ExportRow {
  uid: string;
  batch: string | null;
  example: string;
  split: string;
  action: LoggedAction;
  label: string | null;
  annotator: string;
  time: string;
  note: string | null;
  runId: number | null;
  runCreatedAt: string | null;
  undoes: string | null;
  adjudication: 0 | 1;
}

/** The log's records (one annotator's, or all) in log order, as the exchange format writes them. */
export function decisionLogEntries(db: Db, annotator?: string): DecisionLogEntry[] {
  const rows = db
    .prepare(
      `SELECT d.uid, d.batch_id AS batch, e.ext_id AS example, s.name AS split, d.action, l.name AS label, d.annotator, d.created_at AS time,
              d.note, d.run_id AS runId, r.created_at AS runCreatedAt, t.uid AS undoes, d.adjudication
       FROM decisions d JOIN examples e ON e.id = d.example_id JOIN splits s ON s.id = e.split_id
       LEFT JOIN labels l ON l.id = d.label_id LEFT JOIN decisions t ON t.id = d.undoes LEFT JOIN runs r ON r.id = d.run_id
       ${annotator === undefined ? '' : 'WHERE d.owner = @annotator'} ORDER BY d.id`,
    )
    .all(annotator === undefined ? {} : { annotator }) as ExportRow[];
  return rows.map((r) => ({
    uid: r.uid,
    batch: r.batch,
    example: r.example,
    split: r.split,
    action: r.action,
    label: r.label,
    annotator: r.annotator,
    time: r.time,
    note: r.note,
    run: r.runId !== null && r.runCreatedAt !== null ? { id: r.runId, createdAt: r.runCreatedAt } : null,
    undoes: r.undoes,
    adjudication: r.adjudication === 1,
  }));
}

/**
 * Writes this project's decision log (or one annotator's decisions: the records that set them,
 * undos and redos included, and their adjudications) with the dataset fingerprint, for
 * another copy of the project to merge.
 */
export async function exportDecisionLog(
  db: Db,
  options: { outPath: string; annotator?: string | undefined; appVersion: string; projectName: string },
): Promise<DecisionExportResult> {
  const entries = decisionLogEntries(db, options.annotator);
  const outPath = path.resolve(options.outPath);
  const sha256 = await writeDecisionLog(
    outPath,
    {
      format: DECISION_LOG_FORMAT,
      exportedAt: new Date().toISOString(),
      appVersion: options.appVersion,
      project: options.projectName,
      annotator: options.annotator ?? null,
      fingerprint: datasetFingerprint(db),
      records: entries.length,
    },
    entries,
  );
  return { path: outPath, records: entries.length, annotator: options.annotator ?? null, sha256 };
}

type LocalRecord = Pick<LogRecord, 'id' | 'example_id' | 'action' | 'label_id' | 'annotator' | 'owner' | 'adjudication' | 'undoes'>;

/** From this many records on, a merge recomputes the derived state once instead of record by record. */
const BULK_MERGE = 200;

/**
 * Merges another copy's decision log into this project: records this project lacks are
 * appended in the log's order (each keeps its uid, annotator, time, batch and what it
 * reverts), records it has are skipped, so importing twice changes nothing. Refused, with
 * nothing changed, when the log was recorded on other data or contradicts this project's log.
 * One transaction: all of it or none.
 */
export async function importDecisionLog(db: Db, file: string, options: { label?: string } = {}): Promise<DecisionImportResult> {
  const label = options.label ?? file;
  const log = await readDecisionLog(file, label);
  const mismatch = fingerprintMismatch(datasetFingerprint(db), log.header.fingerprint);
  if (mismatch) throw new WinnowError('CONFLICT', `${label}: recorded on other data than this project: ${mismatch}; nothing was imported`);

  const labels = new LabelTable(db);
  const byUid = db.prepare('SELECT id, example_id, action, label_id, annotator, owner, adjudication, undoes FROM decisions WHERE uid = ?');
  const example = db.prepare('SELECT e.id, s.name AS split FROM examples e JOIN splits s ON s.id = e.split_id WHERE e.ext_id = ?');
  const runCreatedAt = db.prepare('SELECT created_at FROM runs WHERE id = ?').pluck();
  const insert = db.prepare(
    'INSERT INTO decisions (uid, example_id, action, label_id, annotator, owner, adjudication, created_at, run_id, note, batch_id, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let imported = 0;
  let alreadyPresent = 0;
  const annotators = new Set<string>();
  try {
    db.transaction(() => {
      // A large merge sets the derived-state trigger aside and recomputes the touched
      // examples' state once at the end (about twice as fast for 50k records); the trigger
      // is put back, from its own stored definition, before the transaction commits, and the
      // write lock held throughout keeps any other writer from deciding meanwhile.
      const trigger = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'decisions_derive_state'").pluck().get() as string | undefined;
      const bulk = trigger !== undefined && log.entries.length >= BULK_MERGE;
      if (bulk) db.exec('DROP TRIGGER decisions_derive_state');
      const touched = new Set<number>();
      log.entries.forEach((entry, index) => {
        const where = `${label}: line ${log.lines[index]} (record "${entry.uid}")`;
        const target = example.get(entry.example) as { id: number; split: string } | undefined;
        if (!target) throw new WinnowError('INVALID_FILE', `${where}: no example "${entry.example}" in this project`);
        if (target.split !== entry.split) throw new WinnowError('INVALID_FILE', `${where}: example "${entry.example}" is in split "${target.split}" here, "${entry.split}" in the log`);
        const labelId = entry.label === null ? null : labels.idFor(entry.label);
        const reverted = entry.undoes === null ? null : (byUid.get(entry.undoes) as LocalRecord | undefined);
        if (entry.undoes !== null && !reverted) throw new WinnowError('INVALID_FILE', `${where}: reverts record "${entry.undoes}", which is neither in this project nor earlier in the log`);
        if (reverted && reverted.example_id !== target.id) throw new WinnowError('INVALID_FILE', `${where}: reverts record "${entry.undoes}" of another example`);
        const present = byUid.get(entry.uid) as LocalRecord | undefined;
        if (present) {
          const same =
            present.example_id === target.id &&
            present.action === entry.action &&
            present.label_id === labelId &&
            present.annotator === entry.annotator &&
            present.adjudication === (entry.adjudication ? 1 : 0) &&
            present.undoes === (reverted?.id ?? null);
          if (!same) throw new WinnowError('CONFLICT', `${where}: this project already has a record with this uid that says something else; nothing was imported`);
          alreadyPresent++;
          return;
        }
        if (reverted && reverted.adjudication !== (entry.adjudication ? 1 : 0)) throw new WinnowError('INVALID_FILE', `${where}: an undo or redo of an ${reverted.adjudication ? 'adjudication' : 'annotation'} must be one too`);
        // Run ids are per project: keep one only when this project has the same run (a copy's).
        const runId = entry.run !== null && runCreatedAt.get(entry.run.id) === entry.run.createdAt ? entry.run.id : null;
        const owner = reverted ? reverted.owner : entry.annotator;
        insert.run(entry.uid, target.id, entry.action, labelId, entry.annotator, owner, entry.adjudication ? 1 : 0, entry.time, runId, entry.note, entry.batch, reverted?.id ?? null);
        imported++;
        annotators.add(owner);
        touched.add(target.id);
      });
      if (bulk) {
        rebuildDerivedState(db, [...touched]);
        db.exec(trigger);
      }
    }).immediate();
  } catch (error) {
    labels.reload();
    throw error;
  }
  return { file: label, records: log.entries.length, imported, alreadyPresent, annotators: [...annotators].sort() };
}

/** A plain file name for an exported log: the project's name and the annotator's, made safe. */
export function decisionLogFileName(projectName: string, annotator: string | undefined, at = new Date()): string {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  return `${safeFileName(projectName)}.${annotator === undefined ? 'all' : safeFileName(annotator)}.decisions.${stamp}.jsonl`;
}

/** A name made of letters, digits and `_ . -` only, not starting with a dot: safe in a file name anywhere. */
export function safeFileName(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/\.{2,}/g, '.').replace(/^[._]+/, '') || 'unnamed';
}
