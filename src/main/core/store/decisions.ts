import crypto from 'node:crypto';
import type { ChannelParsedInput } from '../../../shared/contract';
import type { BatchResult, DecisionAction, DecisionLine, LoggedAction, RequestedAction } from '../../../shared/decisions';
import { WinnowError } from '../../../shared/errors';
import type { Db } from './database';
import { isNoteBatch } from './decision-notes';
import { matchingExampleIds } from './example-query';
import { LabelTable } from './labels';


export interface DecisionRequest {
  /** Example row ids. */
  examples: readonly number[];
  action: RequestedAction;
  label?: string;
  note?: string;
  runId?: number | null;
  annotator: string;
}

interface LogRecord {
  id: number;
  example_id: number;
  action: LoggedAction;
  label_id: number | null;
  batch_id: string;
  undoes: number | null;
  run_id: number | null;
  note: string | null;
}

/**
 * Appends one user action (one batch) to the decision log. Every example's new state is a new
 * record; nothing is updated or deleted. One transaction: the whole batch or nothing.
 */
export function applyDecisions(db: Db, request: DecisionRequest): BatchResult {
  // An example listed twice would get two records in one batch, and undo would restore the
  // first record's state instead of the state before the batch.
  const examples = [...new Set(request.examples)];
  if (!examples.length) return { batchId: null, count: 0 };
  if (!request.annotator.trim()) throw new WinnowError('INVALID_INPUT', 'Set an annotator name before deciding');
  if (request.action === 'reannotate' && !request.label?.trim()) throw new WinnowError('INVALID_INPUT', 'Reannotate needs a label');
  if (request.action === 'accept' && !request.runId) throw new WinnowError('INVALID_INPUT', 'Accepting a suggestion needs the run that made it');
  const labels = new LabelTable(db);
  const batchId = crypto.randomUUID();
  const now = new Date().toISOString();
  const given = db.prepare('SELECT label_id FROM examples WHERE id = ?').pluck();
  const suggestion = db.prepare('SELECT suggested_label_id FROM queue WHERE run_id = ? AND example_id = ?').pluck();
  const insert = db.prepare(
    'INSERT INTO decisions (example_id, action, label_id, annotator, created_at, run_id, note, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  // A note belongs to the example, not to one decision: a new decision without a note of its
  // own carries the latest one forward (also a note written before the first decision).
  const latestNote = db.prepare('SELECT note FROM decisions WHERE example_id = ? ORDER BY id DESC LIMIT 1').pluck();
  let count = 0;
  db.transaction(() => {
    const requestedLabel = request.action === 'reannotate' ? labels.idFor(request.label!.trim()) : null;
    for (const example of examples) {
      const givenLabel = given.get(example) as number | undefined;
      if (givenLabel === undefined) throw new WinnowError('NOT_FOUND', `No example with row id ${example}`);
      let action: DecisionAction = request.action === 'accept' ? 'reannotate' : request.action;
      let label = requestedLabel;
      if (request.action === 'accept') {
        label = (suggestion.get(request.runId, example) as number | undefined) ?? null;
        if (label === null) throw new WinnowError('INVALID_INPUT', `Run ${request.runId} made no suggestion for this example`);
      }
      // Reannotating to the label it already has is keeping it.
      if (action === 'reannotate' && label === givenLabel) {
        action = 'keep';
        label = null;
      }
      const note = request.note ?? ((latestNote.get(example) as string | null | undefined) ?? null);
      insert.run(example, action, action === 'reannotate' ? label : null, request.annotator, now, request.runId ?? null, note, batchId);
      count++;
    }
  }).immediate();
  return { batchId, count };
}

interface BatchInfo {
  batchId: string;
  /** The batch this one reverts, when it is an undo or a redo. */
  reverts: string | null;
}

/** Undo and redo stacks, rebuilt from the log so that they survive restarts. */
export function undoRedoStacks(db: Db): { undo: string[]; redo: string[]; kinds: Map<string, 'decision' | 'undo' | 'redo'> } {
  const groups = db
    .prepare('SELECT batch_id AS batchId, min(id) AS first, min(undoes) AS undoes FROM decisions WHERE batch_id IS NOT NULL GROUP BY batch_id ORDER BY first')
    .all() as { batchId: string; first: number; undoes: number | null }[];
  const batchOf = db.prepare('SELECT batch_id FROM decisions WHERE id = ?').pluck();
  const batches: BatchInfo[] = groups.map((g) => ({ batchId: g.batchId, reverts: g.undoes === null ? null : (batchOf.get(g.undoes) as string) }));
  const undo: string[] = [];
  let redo: string[] = [];
  const kinds = new Map<string, 'decision' | 'undo' | 'redo'>();
  for (const batch of batches) {
    if (batch.reverts === null) {
      undo.push(batch.batchId);
      redo = [];
      kinds.set(batch.batchId, 'decision');
    } else if (undo.at(-1) === batch.reverts) {
      undo.pop();
      redo.push(batch.batchId);
      kinds.set(batch.batchId, 'undo');
    } else if (redo.at(-1) === batch.reverts) {
      redo.pop();
      undo.push(batch.batchId);
      kinds.set(batch.batchId, 'redo');
    }
  }
  return { undo, redo, kinds };
}

/** Appends records that put every example of `batchId` back to its state before that batch. */
function revertBatch(db: Db, batchId: string, annotator: string): BatchResult {
  const records = db.prepare('SELECT * FROM decisions WHERE batch_id = ? ORDER BY id').all(batchId) as LogRecord[];
  const previous = db.prepare('SELECT * FROM decisions WHERE example_id = ? AND id < ? ORDER BY id DESC LIMIT 1');
  const insert = db.prepare(
    'INSERT INTO decisions (example_id, action, label_id, annotator, created_at, run_id, note, batch_id, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const newBatch = crypto.randomUUID();
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const record of records) {
      const before = previous.get(record.example_id, record.id) as LogRecord | undefined;
      insert.run(record.example_id, before?.action ?? 'clear', before?.label_id ?? null, annotator, now, before?.run_id ?? null, before?.note ?? null, newBatch, record.id);
    }
  }).immediate();
  return { batchId: newBatch, count: records.length };
}

export function undoLast(db: Db, annotator: string): BatchResult {
  const target = undoRedoStacks(db).undo.at(-1);
  return target ? revertBatch(db, target, annotator) : { batchId: null, count: 0 };
}

export function redoLast(db: Db, annotator: string): BatchResult {
  const target = undoRedoStacks(db).redo.at(-1);
  return target ? revertBatch(db, target, annotator) : { batchId: null, count: 0 };
}

/**
 * The decisions: by default each decided example's current decision in log order; with
 * `all`, every record of the append-only log (undos and redos included).
 */
export function* iterateDecisions(db: Db, options: { all?: boolean; exampleRowId?: number } = {}): Generator<DecisionLine> {
  const conditions = [
    ...(options.all ? [] : ['d.id IN (SELECT decision_id FROM decision_state)']),
    ...(options.exampleRowId === undefined ? [] : [`d.example_id = ${Number(options.exampleRowId)}`]),
  ];
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = db
    .prepare(
      `SELECT d.id AS seq, e.ext_id AS id, s.name AS split, d.action, g.name AS oldLabel, n.name AS newLabel, d.annotator,
              d.created_at AS time, d.note, d.run_id AS run, d.batch_id AS batchId
       FROM decisions d JOIN examples e ON e.id = d.example_id JOIN splits s ON s.id = e.split_id
       JOIN labels g ON g.id = e.label_id LEFT JOIN labels n ON n.id = d.label_id
       ${where} ORDER BY d.id`,
    )
    .all() as (Omit<DecisionLine, 'kind'> & { batchId: string | null })[];
  const { kinds } = undoRedoStacks(db);
  for (const { batchId, ...line } of rows) {
    yield { ...line, kind: batchId && isNoteBatch(batchId) ? 'note' : (batchId && kinds.get(batchId)) || 'decision' };
  }
}

export function decisionHistory(db: Db, exampleRowId: number): DecisionLine[] {
  return [...iterateDecisions(db, { all: true, exampleRowId })];
}

/** The example row ids a decision request names: explicit ids, or a filter whose count the user confirmed. */
export function resolveDecisionTargets(db: Db, target: ChannelParsedInput<'decisions:apply'>['target']): number[] {
  if ('ids' in target) {
    const rows = db.prepare('SELECT ext_id AS id, id AS row FROM examples WHERE ext_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(target.ids)) as { id: string; row: number }[];
    const found = new Set(rows.map((r) => r.id));
    const missing = target.ids.filter((id) => !found.has(id));
    if (missing.length) throw new WinnowError('NOT_FOUND', `No example with id "${missing[0]}"${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}`);
    return rows.map((r) => r.row);
  }
  const examples = matchingExampleIds(db, target.filter, target.run ?? null);
  if (examples.length !== target.expectedCount) {
    throw new WinnowError('CONFLICT', `The filter now matches ${examples.length} examples, not the ${target.expectedCount} you confirmed; nothing was changed`);
  }
  return examples;
}

/** The row id of an example, by its id as imported. */
export function exampleRowId(db: Db, extId: string): number {
  const row = db.prepare('SELECT id FROM examples WHERE ext_id = ?').pluck().get(extId) as number | undefined;
  if (row === undefined) throw new WinnowError('NOT_FOUND', `No example with id "${extId}"`);
  return row;
}

/** Every log record of one example (by its id), oldest first. */
export function decisionHistoryOf(db: Db, extId: string): DecisionLine[] {
  return decisionHistory(db, exampleRowId(db, extId));
}
