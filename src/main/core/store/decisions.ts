import crypto from 'node:crypto';
import type { ChannelParsedInput } from '../../../shared/contract';
import type { BatchResult, DecisionAction, DecisionLine, LoggedAction, RequestedAction } from '../../../shared/decisions';
import { WinnowError } from '../../../shared/errors';
import { AnnotatorName } from '../../../shared/team';
import type { Db } from './database';
import { isNoteBatch } from './decision-notes';
import { matchingExampleIds } from './example-query';
import { LabelTable } from './labels';


export interface DecisionRequest {
  /** Example row ids. */
  examples: readonly number[];
  action: RequestedAction;
  label?: string | undefined;
  note?: string | undefined;
  runId?: number | null | undefined;
  annotator: string;
  /** A final decision that settles the annotators' disagreement (any annotator may adjudicate). */
  adjudication?: boolean | undefined;
}

/** A row of the decisions table, as SELECT * reads it. */
export interface LogRecord {
  id: number;
  uid: string;
  example_id: number;
  action: LoggedAction;
  label_id: number | null;
  annotator: string;
  owner: string;
  adjudication: 0 | 1;
  batch_id: string;
  undoes: number | null;
  run_id: number | null;
  note: string | null;
}

const INSERT_RECORD =
  'INSERT INTO decisions (uid, example_id, action, label_id, annotator, owner, adjudication, created_at, run_id, note, batch_id, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

function checkedAnnotator(annotator: string): string {
  const parsed = AnnotatorName.safeParse(annotator);
  if (!parsed.success) throw new WinnowError('INVALID_INPUT', `Set an annotator name before deciding (${parsed.error.issues[0]?.message ?? 'invalid name'})`);
  return parsed.data;
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
  const annotator = checkedAnnotator(request.annotator);
  if (request.action === 'reannotate' && !request.label?.trim()) throw new WinnowError('INVALID_INPUT', 'Reannotate needs a label');
  if (request.action === 'accept' && !request.runId) throw new WinnowError('INVALID_INPUT', 'Accepting a suggestion needs the run that made it');
  const labels = new LabelTable(db);
  const batchId = crypto.randomUUID();
  const now = new Date().toISOString();
  const given = db.prepare('SELECT label_id FROM examples WHERE id = ?').pluck();
  const suggestion = db.prepare('SELECT suggested_label_id FROM queue WHERE run_id = ? AND example_id = ?').pluck();
  const insert = db.prepare(INSERT_RECORD);
  const adjudication = request.adjudication ? 1 : 0;
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
      insert.run(crypto.randomUUID(), example, action, action === 'reannotate' ? label : null, annotator, annotator, adjudication, now, request.runId ?? null, note, batchId, null);
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

/**
 * One annotator's undo and redo stacks, rebuilt from the log so that they survive restarts
 * and merges. Only the batches that set this annotator's decisions count (adjudications
 * included): an undo never touches another annotator's work.
 */
export function undoRedoStacks(db: Db, annotator: string): { undo: string[]; redo: string[] } {
  const batches = db
    .prepare(
      `SELECT g.batchId, t.batch_id AS reverts FROM
         (SELECT batch_id AS batchId, min(id) AS first, min(undoes) AS undoes FROM decisions WHERE owner = ? AND batch_id IS NOT NULL GROUP BY batch_id) g
       LEFT JOIN decisions t ON t.id = g.undoes ORDER BY g.first`,
    )
    .all(annotator) as BatchInfo[];
  const undo: string[] = [];
  let redo: string[] = [];
  for (const batch of batches) {
    if (batch.reverts === null) {
      undo.push(batch.batchId);
      redo = [];
    } else if (undo.at(-1) === batch.reverts) {
      undo.pop();
      redo.push(batch.batchId);
    } else if (redo.at(-1) === batch.reverts) {
      redo.pop();
      undo.push(batch.batchId);
    }
  }
  return { undo, redo };
}

/**
 * Appends records that put every example of `batchId` back to its state before that batch,
 * in the same annotator's decisions (or the adjudications) only: the state before is that
 * annotator's previous record of the example, whatever others decided meanwhile.
 */
function revertBatch(db: Db, batchId: string): BatchResult {
  const records = db.prepare('SELECT * FROM decisions WHERE batch_id = ? ORDER BY id').all(batchId) as LogRecord[];
  const previous = db.prepare('SELECT * FROM decisions WHERE example_id = ? AND owner = ? AND adjudication = ? AND id < ? ORDER BY id DESC LIMIT 1');
  const insert = db.prepare(INSERT_RECORD);
  const newBatch = crypto.randomUUID();
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const record of records) {
      const before = previous.get(record.example_id, record.owner, record.adjudication, record.id) as LogRecord | undefined;
      insert.run(
        crypto.randomUUID(),
        record.example_id,
        before?.action ?? 'clear',
        before?.label_id ?? null,
        record.owner,
        record.owner,
        record.adjudication,
        now,
        before?.run_id ?? null,
        before?.note ?? null,
        newBatch,
        record.id,
      );
    }
  }).immediate();
  return { batchId: newBatch, count: records.length };
}

/** Undoes this annotator's own last batch (decisions or adjudications), never another annotator's. */
export function undoLast(db: Db, annotator: string): BatchResult {
  const target = undoRedoStacks(db, checkedAnnotator(annotator)).undo.at(-1);
  return target ? revertBatch(db, target) : { batchId: null, count: 0 };
}

/** Redoes this annotator's own last undone batch. */
export function redoLast(db: Db, annotator: string): BatchResult {
  const target = undoRedoStacks(db, checkedAnnotator(annotator)).redo.at(-1);
  return target ? revertBatch(db, target) : { batchId: null, count: 0 };
}

type Kind = DecisionLine['kind'];

/**
 * An undo reverts a decision or a redo; a redo reverts an undo. Reverted records are always
 * of the same example and earlier in the log, so a walk in log order knows each target's kind.
 */
function kindOf(kinds: Map<number, Kind>, undoes: number | null): Kind {
  if (undoes === null) return 'decision';
  return kinds.get(undoes) === 'undo' ? 'redo' : 'undo';
}

/**
 * The decisions: by default every annotator's current decision on each example they decided
 * (and the current adjudications), in log order; with `all`, every record of the append-only
 * log (undos and redos included). `annotator` keeps one annotator's records.
 */
export function* iterateDecisions(db: Db, options: { all?: boolean; exampleRowId?: number; annotator?: string } = {}): Generator<DecisionLine> {
  const conditions = [
    ...(options.exampleRowId === undefined ? [] : [`d.example_id = ${Number(options.exampleRowId)}`]),
    ...(options.annotator === undefined ? [] : ['d.owner = @annotator']),
  ];
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const rows = db
    .prepare(
      `SELECT d.id AS seq, d.uid, e.ext_id AS id, s.name AS split, d.action, g.name AS oldLabel, n.name AS newLabel, d.annotator,
              d.created_at AS time, d.note, d.run_id AS run, d.adjudication, d.undoes, d.batch_id AS batchId,
              (d.id IN (SELECT decision_id FROM annotator_state UNION ALL SELECT decision_id FROM adjudication_state)) AS current
       FROM decisions d JOIN examples e ON e.id = d.example_id JOIN splits s ON s.id = e.split_id
       JOIN labels g ON g.id = e.label_id LEFT JOIN labels n ON n.id = d.label_id
       ${where} ORDER BY d.id`,
    )
    .all(options.annotator === undefined ? {} : { annotator: options.annotator }) as (Omit<DecisionLine, 'kind' | 'adjudication'> & {
    adjudication: 0 | 1;
    undoes: number | null;
    batchId: string | null;
    current: 0 | 1;
  })[];
  // Kinds come from the chain of reverted records; with a filter the chain may lie outside
  // the rows read, so it is looked up there.
  const kinds = new Map<number, Kind>();
  const undoesOf = db.prepare('SELECT undoes FROM decisions WHERE id = ?').pluck();
  const kindById = (id: number, undoes: number | null): Kind => {
    let kind = kinds.get(id);
    if (kind === undefined) {
      if (undoes !== null && !kinds.has(undoes)) kindById(undoes, (undoesOf.get(undoes) as number | null | undefined) ?? null);
      kind = kindOf(kinds, undoes);
      kinds.set(id, kind);
    }
    return kind;
  };
  for (const { undoes, current, adjudication, batchId, ...line } of rows) {
    const reverted = kindById(line.seq, undoes);
    // A note's record repeats its annotator's decision with the note: shown as a note.
    const kind = batchId && isNoteBatch(batchId) && reverted === 'decision' ? 'note' : reverted;
    if (options.all || current) yield { ...line, kind, adjudication: adjudication === 1 };
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
