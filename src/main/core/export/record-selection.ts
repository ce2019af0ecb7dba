import type { Db } from '../store/database';
import type { ChangePlan } from './change-plan';

/** One record of a split as stored: its verbatim text and given label. */
export interface SplitRow {
  exampleId: number;
  position: number;
  id: string;
  label: string;
  raw: string;
}

/** What a plan does with one record: drop it, or keep it under its given or a new label. */
export type RecordOutcome = { kind: 'eliminated' } | { kind: 'kept'; label: string } | { kind: 'relabelled'; label: string };

const BATCH = 5000;

/**
 * A split's records in file order, in batches rather than one open iterator: the connection
 * stays usable between them, and a caller that awaits between batches lets a cancel arrive.
 */
export function* splitRowBatches(db: Db, splitId: number, batchSize = BATCH): Generator<SplitRow[]> {
  const batch = db.prepare(
    `SELECT e.id AS exampleId, e.position, e.ext_id AS id, l.name AS label, r.raw
     FROM examples e JOIN example_records r ON r.example_id = e.id JOIN labels l ON l.id = e.label_id
     WHERE e.split_id = ? AND e.position > ? ORDER BY e.position LIMIT ${batchSize}`,
  );
  for (let lastPosition = -1; ; ) {
    const rows = batch.all(splitId, lastPosition) as SplitRow[];
    if (!rows.length) return;
    lastPosition = rows[rows.length - 1]!.position;
    yield rows;
  }
}

/**
 * The one rule that turns a plan into records, shared by the export (which writes them) and
 * the retraining comparison (which trains on them), so that what is measured is what is exported.
 */
export function recordOutcome(plan: ChangePlan, row: { exampleId: number; label: string }): RecordOutcome {
  const change = plan.changes.get(row.exampleId);
  if (change?.action === 'eliminate') return { kind: 'eliminated' };
  if (change?.action === 'reannotate' && change.label !== null && change.label !== row.label) return { kind: 'relabelled', label: change.label };
  return { kind: 'kept', label: row.label };
}
