import path from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { importSplit } from '../../../src/main/core/store/import-split';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { applyDecisions, iterateDecisions, redoLast, undoLast, undoRedoStacks } from '../../../src/main/core/store/decisions';
import { queryExamples } from '../../../src/main/core/store/example-query';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

let db: Db;
let rows: number[];

beforeEach(async () => {
  const dir = tempDir();
  db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
  await importSplit(db, { filePath: writeJson(path.join(dir, 'in.json'), ['a', 'b', 'c', 'd'].map((id) => record(id, { relation: id === 'd' ? 'no_relation' : 'per:title' }))), split: 'train' });
  rows = db.prepare('SELECT id FROM examples ORDER BY id').pluck().all() as number[];
  return () => db.close();
});

type State = Record<string, string>;
function state(): State {
  const page = queryExamples(db, { filter: {}, sort: [], offset: 0, limit: 100 });
  return Object.fromEntries(page.rows.map((r) => [r.id, r.decision ? `${r.decision.action}${r.decision.label ? `:${r.decision.label}` : ''}` : '-']));
}

describe('decision log', () => {
  it('records keep, eliminate and reannotate; the current state is the latest record', () => {
    applyDecisions(db, { examples: [rows[0]!], action: 'keep', annotator: 'ann' });
    applyDecisions(db, { examples: [rows[1]!], action: 'eliminate', annotator: 'ann', note: 'duplicate' });
    applyDecisions(db, { examples: [rows[2]!], action: 'reannotate', label: 'per:employee_of', annotator: 'ann' });
    applyDecisions(db, { examples: [rows[0]!], action: 'eliminate', annotator: 'ann' });
    expect(state()).toEqual({ a: 'eliminate', b: 'eliminate', c: 'reannotate:per:employee_of', d: '-' });
    const lines = [...iterateDecisions(db)];
    expect(lines.map((l) => [l.id, l.action, l.oldLabel, l.newLabel, l.annotator])).toEqual([
      ['b', 'eliminate', 'per:title', null, 'ann'],
      ['c', 'reannotate', 'per:title', 'per:employee_of', 'ann'],
      ['a', 'eliminate', 'per:title', null, 'ann'],
    ]);
    expect(lines[0]!.note).toBe('duplicate');
    expect([...iterateDecisions(db, { all: true })]).toHaveLength(4);
  });

  it('treats reannotating to the same label as keeping, and refuses an empty annotator', () => {
    applyDecisions(db, { examples: [rows[0]!], action: 'reannotate', label: 'per:title', annotator: 'ann' });
    expect(state().a).toBe('keep');
    expect(() => applyDecisions(db, { examples: [rows[0]!], action: 'keep', annotator: ' ' })).toThrow(/annotator/);
  });

  it('undoes and redoes whole batches, in order, without limit, and survives reopening', () => {
    applyDecisions(db, { examples: [rows[0]!, rows[1]!], action: 'eliminate', annotator: 'ann' });
    applyDecisions(db, { examples: [rows[1]!], action: 'reannotate', label: 'org:founded', annotator: 'ann' });
    expect(state()).toMatchObject({ a: 'eliminate', b: 'reannotate:org:founded' });
    expect(undoLast(db, 'ann').count).toBe(1);
    expect(state()).toMatchObject({ a: 'eliminate', b: 'eliminate' });
    expect(undoLast(db, 'ann').count).toBe(2);
    expect(state()).toMatchObject({ a: '-', b: '-' });
    expect(undoLast(db, 'ann')).toEqual({ batchId: null, count: 0 });
    expect(redoLast(db, 'ann').count).toBe(2);
    expect(state()).toMatchObject({ a: 'eliminate', b: 'eliminate' });
    // The stacks come from the log alone.
    expect(undoRedoStacks(db, 'ann').redo).toHaveLength(1);
    expect(redoLast(db, 'ann').count).toBe(1);
    expect(state()).toMatchObject({ a: 'eliminate', b: 'reannotate:org:founded' });
    // A new action clears the redo stack.
    undoLast(db, 'ann');
    applyDecisions(db, { examples: [rows[3]!], action: 'keep', annotator: 'ann' });
    expect(redoLast(db, 'ann').count).toBe(0);
    const kinds = [...iterateDecisions(db, { all: true })].map((l) => l.kind);
    expect(kinds).toEqual(['decision', 'decision', 'decision', 'undo', 'undo', 'undo', 'redo', 'redo', 'redo', 'undo', 'decision']);
  });

  it('matches a simple model of do/undo/redo for random sequences', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('do' as const), examples: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }), action: fc.constantFrom('keep', 'eliminate', 'reannotate') }),
      fc.constant({ kind: 'undo' as const }),
      fc.constant({ kind: 'redo' as const }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 14 }), (steps) => {
        db.exec('DROP TRIGGER decisions_no_delete');
        db.exec('DELETE FROM decision_state; DELETE FROM annotator_state; DELETE FROM adjudication_state; DELETE FROM decisions;');
        db.exec("CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;");
        // Model: a list of snapshots; undo moves back, redo forward, do truncates.
        const ids = ['a', 'b', 'c', 'd'];
        let history: State[] = [Object.fromEntries(ids.map((id) => [id, '-']))];
        let at = 0;
        for (const s of steps) {
          if (s.kind === 'do') {
            applyDecisions(db, { examples: s.examples.map((i) => rows[i]!), action: s.action as 'keep', label: s.action === 'reannotate' ? 'x:y' : undefined, annotator: 'p' });
            const next = { ...history[at]! };
            for (const i of s.examples) next[ids[i]!] = s.action === 'reannotate' ? 'reannotate:x:y' : s.action;
            history = [...history.slice(0, at + 1), next];
            at++;
          } else if (s.kind === 'undo') {
            undoLast(db, 'p');
            at = Math.max(0, at - 1);
          } else {
            redoLast(db, 'p');
            at = Math.min(history.length - 1, at + 1);
          }
          expect(state()).toEqual(history[at]);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('filters the grid by decision state and counts decided rows', () => {
    applyDecisions(db, { examples: [rows[0]!, rows[1]!], action: 'eliminate', annotator: 'ann' });
    const page = queryExamples(db, { filter: { decision: 'undecided' }, sort: [], offset: 0, limit: 10 });
    expect(page.rows.map((r) => r.id)).toEqual(['c', 'd']);
    expect(queryExamples(db, { filter: {}, sort: [], offset: 0, limit: 10 }).decided).toBe(2);
    expect(queryExamples(db, { filter: { decision: 'eliminate' }, sort: [], offset: 0, limit: 10 }).total).toBe(2);
  });
});
