import crypto from 'node:crypto';
import { WinnowError } from '../../../shared/errors';
import type { Db } from './database';

/**
 * Notes. A note belongs to an example and travels with its decisions; writing one never
 * decides anything. It is one more record in the append-only log, in a batch of its own
 * (so that undo takes it back like any other action):
 * - on an example this annotator decided, a copy of their current decision carrying the note
 *   (the decision stays what it was; exports and the decisions CSV read the note from it);
 * - on an example they did not decide, a `clear` record of theirs carrying the note (their
 *   decisions stay as they were), which the example's next decision picks up (applyDecisions carries the
 *   latest note forward whenever a decision comes without one).
 * Kept in the log rather than in the page, a note survives reloads, restarts and a decision
 * made from another window or the CLI.
 */
export const NOTE_BATCH_PREFIX = 'note-';

export function isNoteBatch(batchId: string): boolean {
  return batchId.startsWith(NOTE_BATCH_PREFIX);
}

export interface NoteResult {
  batchId: string;
  /** `current`: the note was added to the example's decision; `next`: it waits for the first one. */
  attachedTo: 'current' | 'next';
}

interface CurrentDecision {
  action: 'keep' | 'eliminate' | 'reannotate';
  label_id: number | null;
  run_id: number | null;
}

/** Sets the example's note (an empty text removes it) without changing its decision. */
export function attachNote(db: Db, request: { example: number; note: string; annotator: string }): NoteResult {
  if (!request.annotator.trim()) throw new WinnowError('INVALID_INPUT', 'Set an annotator name before writing notes');
  const note = request.note.trim();
  if (note.length > 2000) throw new WinnowError('INVALID_INPUT', `A note holds at most 2000 characters; this one has ${note.length}`);
  const exists = db.prepare('SELECT 1 FROM examples WHERE id = ?').pluck().get(request.example);
  if (!exists) throw new WinnowError('NOT_FOUND', `No example with row id ${request.example}`);
  const batchId = `${NOTE_BATCH_PREFIX}${crypto.randomUUID()}`;
  let attachedTo: NoteResult['attachedTo'] = 'next';
  db.transaction(() => {
    // The annotator's own decision: a note never changes what another annotator decided.
    const current = db
      .prepare('SELECT d.action, d.label_id, d.run_id FROM annotator_state s JOIN decisions d ON d.id = s.decision_id WHERE s.example_id = ? AND s.annotator = ?')
      .get(request.example, request.annotator) as CurrentDecision | undefined;
    attachedTo = current ? 'current' : 'next';
    db.prepare('INSERT INTO decisions (uid, owner, example_id, action, label_id, annotator, created_at, run_id, note, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      crypto.randomUUID(),
      request.annotator,
      request.example,
      current?.action ?? 'clear',
      current?.label_id ?? null,
      request.annotator,
      new Date().toISOString(),
      current?.run_id ?? null,
      note || null,
      batchId,
    );
  }).immediate();
  return { batchId, attachedTo };
}

/** The example's note as it stands (the latest record's), null when it has none. */
export function currentNote(db: Db, example: number): string | null {
  return (db.prepare('SELECT note FROM decisions WHERE example_id = ? ORDER BY id DESC LIMIT 1').pluck().get(example) as string | null | undefined) ?? null;
}
