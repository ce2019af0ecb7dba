import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase, type Db } from '../../../src/main/core/store/database';
import { applyDecisions, iterateDecisions, redoLast, undoLast } from '../../../src/main/core/store/decisions';
import { queryExamples } from '../../../src/main/core/store/example-query';
import { importSplit } from '../../../src/main/core/store/import-split';
import { migrations, teamMigrationStep } from '../../../src/main/core/store/migrations';
import { derivedStateMismatches } from '../../helpers/decision-state';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

let db: Db;
let rows: number[];
const ids = ['a', 'b', 'c', 'd'];

beforeEach(async () => {
  const dir = tempDir();
  db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
  await importSplit(db, { filePath: writeJson(path.join(dir, 'in.json'), ids.map((id) => record(id, { relation: id === 'd' ? 'no_relation' : 'per:title' }))), split: 'train' });
  rows = db.prepare('SELECT id FROM examples ORDER BY id').pluck().all() as number[];
  return () => db.close();
});

const page = (filter: Parameters<typeof queryExamples>[1]['filter'] = {}) => queryExamples(db, { filter, sort: [], offset: 0, limit: 100 });

/** Resolved state per example, as the grid shows it: the decision, or "conflict", or "-". */
function resolved(): Record<string, string> {
  return Object.fromEntries(
    page().rows.map((r) => [r.id, r.decision ? `${r.decision.action}${r.decision.label ? `:${r.decision.label}` : ''}` : r.team?.conflict ? 'conflict' : '-']),
  );
}

/** One annotator's current outcome per example. */
function votesOf(annotator: string): Record<string, string> {
  const rowsOf = db
    .prepare(
      `SELECT e.ext_id AS id, s.action, l.name AS label FROM annotator_state s JOIN examples e ON e.id = s.example_id LEFT JOIN labels l ON l.id = s.label_id WHERE s.annotator = ? ORDER BY e.ext_id`,
    )
    .all(annotator) as { id: string; action: string; label: string | null }[];
  return Object.fromEntries(rowsOf.map((r) => [r.id, r.label ?? r.action]));
}

describe('decisions of several annotators', () => {
  it('gives every record a unique id, its annotator and time', () => {
    applyDecisions(db, { examples: [rows[0]!, rows[1]!], action: 'keep', annotator: 'alice' });
    applyDecisions(db, { examples: [rows[0]!], action: 'eliminate', annotator: 'bob' });
    const log = [...iterateDecisions(db, { all: true })];
    expect(log.map((l) => [l.id, l.annotator, l.action])).toEqual([
      ['a', 'alice', 'keep'],
      ['b', 'alice', 'keep'],
      ['a', 'bob', 'eliminate'],
    ]);
    expect(new Set(log.map((l) => l.uid)).size).toBe(3);
    for (const line of log) {
      expect(line.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Date.parse(line.time)).not.toBeNaN();
    }
  });

  it('undoes and redoes only the annotator\'s own batches: bob\'s undo never reverts alice\'s eliminate', () => {
    applyDecisions(db, { examples: [rows[0]!], action: 'eliminate', annotator: 'alice' });
    applyDecisions(db, { examples: [rows[0]!, rows[1]!], action: 'keep', annotator: 'bob' });
    expect(resolved()).toMatchObject({ a: 'conflict', b: 'keep' });
    // Bob's undo reverts bob's keep of a and b, which came last in the log...
    expect(undoLast(db, 'bob').count).toBe(2);
    expect(votesOf('bob')).toEqual({});
    expect(votesOf('alice')).toEqual({ a: 'eliminate' });
    expect(resolved()).toMatchObject({ a: 'eliminate', b: '-' });
    // ...and a second undo by bob finds nothing of his: alice's eliminate stays.
    expect(undoLast(db, 'bob')).toEqual({ batchId: null, count: 0 });
    expect(votesOf('alice')).toEqual({ a: 'eliminate' });
    // Alice's own undo works on her stack, whatever bob did in between.
    applyDecisions(db, { examples: [rows[2]!], action: 'keep', annotator: 'bob' });
    expect(undoLast(db, 'alice').count).toBe(1);
    expect(votesOf('alice')).toEqual({});
    expect(votesOf('bob')).toEqual({ c: 'keep' });
    expect(redoLast(db, 'alice').count).toBe(1);
    expect(votesOf('alice')).toEqual({ a: 'eliminate' });
    // Bob's redo stack was cleared by his new decision.
    expect(redoLast(db, 'bob').count).toBe(0);
    expect(derivedStateMismatches(db)).toEqual([]);
  });

  it('shows conflicts side by side, finds them with the conflicts filter, and settles them by adjudication', () => {
    applyDecisions(db, { examples: [rows[0]!, rows[1]!], action: 'eliminate', annotator: 'alice' });
    applyDecisions(db, { examples: [rows[0]!], action: 'reannotate', label: 'org:founded', annotator: 'bob' });
    applyDecisions(db, { examples: [rows[1]!], action: 'eliminate', annotator: 'bob' });
    const conflicts = page({ conflicts: true });
    expect(conflicts.rows.map((r) => r.id)).toEqual(['a']);
    expect(conflicts.total).toBe(1);
    expect(conflicts.rows[0]!.decision).toBeNull();
    expect(conflicts.rows[0]!.team).toEqual({
      votes: [
        { annotator: 'alice', action: 'eliminate', label: null },
        { annotator: 'bob', action: 'reannotate', label: 'org:founded' },
      ],
      conflict: true,
      adjudication: null,
    });
    // b: both eliminated, unanimous; c, d: undecided (no team view for them).
    expect(resolved()).toEqual({ a: 'conflict', b: 'eliminate', c: '-', d: '-' });
    expect(page().rows.find((r) => r.id === 'c')!.team).toBeNull();
    // Conflicts count as decided, not as any one action.
    expect(page({ decision: 'decided' }).total).toBe(2);
    expect(page({ decision: 'eliminate' }).rows.map((r) => r.id)).toEqual(['b']);

    applyDecisions(db, { examples: [rows[0]!], action: 'reannotate', label: 'org:founded', annotator: 'carol', adjudication: true });
    expect(resolved().a).toBe('reannotate:org:founded');
    const adjudicated = page({ conflicts: true }).rows[0]!;
    // Still a disagreement between the annotators, now settled.
    expect(adjudicated.team).toMatchObject({ conflict: true, adjudication: { annotator: 'carol', action: 'reannotate', label: 'org:founded' } });
    // The adjudication is marked as such in the log, and carol has no vote of her own.
    const carol = [...iterateDecisions(db, { all: true })].filter((l) => l.annotator === 'carol');
    expect(carol.map((l) => [l.adjudication, l.kind])).toEqual([[true, 'decision']]);
    expect(votesOf('carol')).toEqual({});
    // Undoing the adjudication puts the conflict back; the annotators' decisions are untouched.
    expect(undoLast(db, 'carol').count).toBe(1);
    expect(resolved().a).toBe('conflict');
    expect(votesOf('alice')).toEqual({ a: 'eliminate', b: 'eliminate' });
    expect(derivedStateMismatches(db)).toEqual([]);
  });

  it('filters to the examples assigned to an annotator', () => {
    const insert = db.prepare('INSERT INTO assignments (annotator, example_id) VALUES (?, ?)');
    insert.run('alice', rows[0]);
    insert.run('alice', rows[2]);
    insert.run('bob', rows[1]);
    expect(page({ assignedTo: 'alice' }).rows.map((r) => r.id)).toEqual(['a', 'c']);
    expect(page({ assignedTo: 'bob', decision: 'undecided' }).rows.map((r) => r.id)).toEqual(['b']);
    expect(page({ assignedTo: 'nobody' }).total).toBe(0);
  });

  it('matches a model of per-annotator histories for random sequences of decisions, undos, redos and adjudications', () => {
    const annotators = ['alice', 'bob', 'carol'] as const;
    const step = fc.record({
      who: fc.constantFrom(...annotators),
      kind: fc.constantFrom('do', 'do', 'undo', 'redo'),
      examples: fc.uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
      action: fc.constantFrom('keep', 'eliminate', 'x:y', 'z:w'),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 16 }), (steps) => {
        const dir = tempDir();
        const fresh = openDatabase(path.join(dir, 'model.winnow'), { create: true });
        try {
          for (const [i, id] of ids.entries()) {
            if (i === 0) fresh.exec("INSERT INTO split_rows (name, format, imported_at) VALUES ('s', 'json', 'now'); INSERT INTO labels (name) VALUES ('per:title');");
            fresh.prepare(`INSERT INTO example_rows (ext_id, split_id, position, label_id, subj_start, subj_end, obj_start, obj_end, subj_type, obj_type, token_count, tokens, sentence) VALUES (?, 1, ?, 1, 0, 0, 1, 1, 'A', 'B', 2, '["a","b"]', 'a b')`).run(id, i);
          }
          const exampleRows = fresh.prepare('SELECT id FROM examples ORDER BY id').pluck().all() as number[];
          // Model: per annotator a list of snapshots (example -> outcome); undo moves back, redo forward, do truncates.
          // Carol only adjudicates.
          const histories = new Map<string, { snapshots: Record<string, string>[]; at: number }>(annotators.map((a) => [a, { snapshots: [{}], at: 0 }]));
          for (const s of steps) {
            const h = histories.get(s.who)!;
            if (s.kind === 'do') {
              const reannotate = s.action.includes(':');
              applyDecisions(fresh, {
                examples: s.examples.map((i) => exampleRows[i]!),
                action: reannotate ? 'reannotate' : (s.action as 'keep'),
                label: reannotate ? s.action : undefined,
                annotator: s.who,
                adjudication: s.who === 'carol',
              });
              const next = { ...h.snapshots[h.at]! };
              for (const i of s.examples) next[ids[i]!] = s.action;
              h.snapshots = [...h.snapshots.slice(0, h.at + 1), next];
              h.at++;
            } else if (s.kind === 'undo') {
              undoLast(fresh, s.who);
              h.at = Math.max(0, h.at - 1);
            } else {
              redoLast(fresh, s.who);
              h.at = Math.min(h.snapshots.length - 1, h.at + 1);
            }
            const now = (who: string) => histories.get(who)!.snapshots[histories.get(who)!.at]!;
            const expected: Record<string, string> = {};
            for (const id of ids) {
              const votes = ['alice', 'bob'].map((w) => now(w)[id]).filter((v): v is string => v !== undefined);
              const adjudication = now('carol')[id];
              expected[id] = adjudication ?? (votes.length === 0 ? '-' : new Set(votes).size > 1 ? 'conflict' : votes[0]!);
            }
            const shown = Object.fromEntries(
              queryExamples(fresh, { filter: {}, sort: [], offset: 0, limit: 10 }).rows.map((r) => [r.id, r.decision ? (r.decision.label ?? r.decision.action) : r.team?.conflict ? 'conflict' : '-']),
            );
            expect(shown).toEqual(expected);
          }
          expect(derivedStateMismatches(fresh)).toEqual([]);
        } finally {
          fresh.close();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('the team migration', () => {
  /** A project as the release before the team migration wrote it, with a log in that schema. */
  function legacyProject(file: string): void {
    const raw = new Database(file);
    applyMigrations(raw, file, 0, migrations.slice(0, migrations.indexOf(teamMigrationStep)));
    raw.exec(`INSERT INTO split_rows (name, format, imported_at) VALUES ('s', 'json', 'now');
      INSERT INTO labels (name) VALUES ('per:title'), ('org:founded');
      INSERT INTO example_rows (ext_id, split_id, position, label_id, subj_start, subj_end, obj_start, obj_end, subj_type, obj_type, token_count, tokens, sentence)
        VALUES ('x', 1, 0, 1, 0, 0, 1, 1, 'A', 'B', 2, '["a","b"]', 'a b'), ('y', 1, 1, 1, 0, 0, 1, 1, 'A', 'B', 2, '["a","b"]', 'a b'), ('z', 1, 2, 1, 0, 0, 1, 1, 'A', 'B', 2, '["a","b"]', 'a b');
      -- alice eliminates x; bob's undo (the old bug) reverts it; alice relabels y; bob keeps z.
      INSERT INTO decisions (example_id, action, label_id, annotator, created_at, batch_id, undoes) VALUES (1, 'eliminate', NULL, 'alice', '2024-01-01T00:00:00Z', 'b1', NULL);
      INSERT INTO decisions (example_id, action, label_id, annotator, created_at, batch_id, undoes) VALUES (1, 'clear', NULL, 'bob', '2024-01-01T00:01:00Z', 'b2', 1);
      INSERT INTO decisions (example_id, action, label_id, annotator, created_at, batch_id, undoes) VALUES (2, 'reannotate', 2, 'alice', '2024-01-01T00:02:00Z', 'b3', NULL);
      INSERT INTO decisions (example_id, action, label_id, annotator, created_at, batch_id, undoes) VALUES (3, 'keep', NULL, 'bob', '2024-01-01T00:03:00Z', 'b4', NULL);`);
    raw.close();
  }

  it('backfills ids deterministically, keeps every example\'s state, and keeps the log append-only', () => {
    const dir = tempDir();
    const [first, second] = [path.join(dir, 'one.winnow'), path.join(dir, 'two.winnow')];
    legacyProject(first);
    fs.copyFileSync(first, second);
    const a = openDatabase(first);
    const b = openDatabase(second);
    try {
      const uids = (d: Db) => d.prepare('SELECT uid FROM decisions ORDER BY id').pluck().all() as string[];
      // Two copies of one old project agree on their records' ids.
      expect(uids(a)).toEqual(uids(b));
      expect(new Set(uids(a)).size).toBe(4);
      for (const uid of uids(a)) expect(uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // Bob's old undo of alice's eliminate stays in alice's decisions: x is still undecided.
      expect(a.prepare('SELECT owner FROM decisions ORDER BY id').pluck().all()).toEqual(['alice', 'alice', 'alice', 'bob']);
      const state = queryExamples(a, { filter: {}, sort: [], offset: 0, limit: 10 }).rows.map((r) => [r.id, r.decision]);
      expect(state).toEqual([
        ['x', null],
        ['y', { action: 'reannotate', label: 'org:founded' }],
        ['z', { action: 'keep', label: null }],
      ]);
      expect(derivedStateMismatches(a)).toEqual([]);
      expect(() => a.exec("UPDATE decisions SET action = 'keep'")).toThrow(/append-only/);
      // Alice's undo stack still holds her relabel of y; bob's his keep of z.
      expect(undoLast(a, 'alice').count).toBe(1);
      expect(undoLast(a, 'bob').count).toBe(1);
      expect(queryExamples(a, { filter: { decision: 'decided' }, sort: [], offset: 0, limit: 10 }).total).toBe(0);
    } finally {
      a.close();
      b.close();
    }
    expect(fs.existsSync(`${first}.v${migrations.indexOf(teamMigrationStep)}.bak`)).toBe(true);
  });
});
