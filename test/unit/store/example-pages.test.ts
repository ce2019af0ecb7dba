import path from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ExampleFilter } from '../../../src/shared/examples';
import type { SortColumn } from '../../../src/shared/domain';
import { applyDecisions } from '../../../src/main/core/store/decisions';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { CountCache, queryExamples } from '../../../src/main/core/store/example-query';
import { importSplit } from '../../../src/main/core/store/import-split';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

// The grid's pages, each fetched on its own at any offset, against one ordering of every
// example computed here: a page is the ids of its slice of the order, then their columns,
// so a page must be exactly that slice with every shown column of those examples.
const LABELS = ['no_relation', 'per:title', 'org:founded', 'per:age', 'no_relation', 'no_relation'];
const TYPES = ['PERSON', 'ORGANIZATION'];
const OBJECT_TYPES = ['TITLE', 'CITY'];

interface Truth {
  id: string;
  split: string;
  splitOrder: number;
  position: number;
  label: string;
  subjType: string;
  objType: string;
  length: number;
  decided: boolean;
}

let db: Db;
let truth: Truth[];

beforeEach(async () => {
  const dir = tempDir();
  db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
  truth = [];
  for (const [splitOrder, [split, count]] of ([['train', 45], ['dev', 17]] as const).entries()) {
    const records = Array.from({ length: count }, (_, i) => {
      const tokens = Array.from({ length: 3 + ((i * 5) % 7) }, (_, k) => `w${k}`);
      return record(`${split}-${String(i).padStart(2, '0')}`, {
        relation: LABELS[(i * 7 + splitOrder) % LABELS.length],
        subj_type: TYPES[i % 3 === 0 ? 1 : 0],
        obj_type: OBJECT_TYPES[i % 4 === 1 ? 1 : 0],
        token: tokens,
        subj_start: 0,
        subj_end: 0,
        obj_start: 1,
        obj_end: 1,
        stanford_pos: undefined,
        stanford_ner: undefined,
        stanford_head: undefined,
        stanford_deprel: undefined,
      });
    });
    await importSplit(db, { filePath: writeJson(path.join(dir, `${split}.json`), records), split });
    records.forEach((r, position) =>
      truth.push({ id: r.id as string, split, splitOrder, position, label: r.relation as string, subjType: r.subj_type as string, objType: r.obj_type as string, length: (r.token as string[]).length, decided: false }),
    );
  }
  // A few decisions, so that the decision column and filter have something to show.
  const ids = db.prepare('SELECT id FROM examples ORDER BY id').pluck().all() as number[];
  const chosen = [3, 10, 11, 30, 50, 61];
  applyDecisions(db, { examples: chosen.map((i) => ids[i]!), action: 'eliminate', annotator: 'ann' });
  for (const i of chosen) truth[i]!.decided = true;
  return () => db.close();
});

const key: Record<'label' | 'length' | 'split' | 'subjType' | 'objType' | 'id' | 'position', (t: Truth) => string | number> = {
  label: (t) => t.label,
  length: (t) => t.length,
  split: (t) => t.split,
  // Ties by object type (one index serves the sort and a filter on both types).
  subjType: (t) => `${t.subjType}\u0000${t.objType}`,
  objType: (t) => t.objType,
  id: (t) => t.id,
  position: (t) => t.splitOrder * 1000 + t.position,
};
type Column = keyof typeof key;

function ordered(filter: ExampleFilter, sort: { column: Column; direction: 'asc' | 'desc' }[]): Truth[] {
  const fileOrder = (t: Truth) => t.splitOrder * 1000 + t.position;
  return truth
    .filter((t) => (!filter.labels || filter.labels.includes(t.label)) && (!filter.subjTypes || filter.subjTypes.includes(t.subjType)) && (!filter.objTypes || filter.objTypes.includes(t.objType)) && (!filter.splits || filter.splits.includes(t.split)))
    .filter((t) => filter.decision === undefined || (filter.decision === 'undecided') !== t.decided)
    .sort((a, b) => {
      for (const s of sort) {
        const x = key[s.column](a);
        const y = key[s.column](b);
        if (x !== y) return (x < y ? -1 : 1) * (s.direction === 'desc' ? -1 : 1);
      }
      // Ties in file order, reversed under a descending last column (one index read backwards).
      return (fileOrder(a) - fileOrder(b)) * (sort.at(-1)?.direction === 'desc' ? -1 : 1);
    });
}

const filters: ExampleFilter[] = [{}, { subjTypes: ['PERSON'], objTypes: ['CITY'] }, { splits: ['dev'] }, { splits: ['train', 'dev'] }, { labels: ['no_relation'] }, { labels: ['per:title'], subjTypes: ['PERSON'] }, { decision: 'undecided' }, { decision: 'decided', splits: ['train'] }];

describe('grid pages', () => {
  it('are the slice of the whole order at every offset, for every sort and filter, with the columns of those examples', () => {
    const columns = Object.keys(key) as Column[];
    fc.assert(
      fc.property(
        fc.constantFrom(...filters),
        fc.array(fc.record({ column: fc.constantFrom(...columns), direction: fc.constantFrom('asc' as const, 'desc' as const) }), { maxLength: 2 }),
        fc.nat({ max: 70 }),
        fc.integer({ min: 1, max: 25 }),
        (filter, sort, offset, limit) => {
          const expected = ordered(filter, sort);
          const page = queryExamples(db, { filter, sort: sort as { column: SortColumn; direction: 'asc' | 'desc' }[], offset, limit }, new CountCache());
          expect(page.total).toBe(expected.length);
          expect(page.decided).toBe(expected.filter((t) => t.decided).length);
          const slice = expected.slice(offset, offset + limit);
          expect(page.rows.map((r) => r.id)).toEqual(slice.map((t) => t.id));
          expect(page.rows.map((r) => [r.split, r.position, r.label, r.subjType, r.objType, r.tokens.length, r.decision?.action ?? null])).toEqual(
            slice.map((t) => [t.split, t.position, t.label, t.subjType, t.objType, t.length, t.decided ? 'eliminate' : null]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never show or count a split that is still being imported', () => {
    db.prepare("INSERT INTO split_rows (name, format, source_format, source_path, imported_at, state, owner_pid, count) VALUES ('late', 'json', 'json', '/x', '2026-01-01', 'importing', ?, 0)").run(process.pid);
    const late = db.prepare("SELECT id FROM split_rows WHERE name = 'late'").pluck().get() as number;
    db.prepare(
      "INSERT INTO example_rows (ext_id, split_id, position, label_id, subj_start, subj_end, obj_start, obj_end, subj_type, obj_type, token_count, tokens, sentence) VALUES ('late-0', ?, 0, 1, 0, 0, 1, 1, 'PERSON', 'TITLE', 2, '[\"a\",\"b\"]', 'a b')",
    ).run(late);
    for (const sort of [[], [{ column: 'label' as const, direction: 'asc' as const }], [{ column: 'split' as const, direction: 'desc' as const }]]) {
      const page = queryExamples(db, { filter: {}, sort, offset: 0, limit: 100 }, new CountCache());
      expect(page.total).toBe(truth.length);
      expect(page.rows.map((r) => r.id)).not.toContain('late-0');
    }
  });
});

describe('sorting by score', () => {
  it("puts the rows CL alone flagged, whose score is on CL's own scale, below every row on the shared scale", () => {
    const run = Number(
      db
        .prepare(
          `INSERT INTO run_rows (created_at, model_kind, model_name, model_hash, provider, providers_skipped, params, timings, label_order, summary)
           VALUES ('2026-12-03T07:00:00.000Z', 'predictions', 'p', 'ef', 'cpu', '[]', '{"strategies": ["es", "cl", "knn"]}', '{}', '["no_relation", "per:title"]', '{"examples": 62, "flags": {}}')`,
        )
        .run().lastInsertRowid,
    );
    const rowOf = db.prepare('SELECT id FROM examples WHERE ext_id = ?').pluck();
    const label = db.prepare("SELECT id FROM labels WHERE name = 'per:title'").pluck().get() as number;
    const verdict = (score: number) => ({ score, suggested: 'per:title' });
    // [example, agreement, queue score, strategies]: CL's own numbers are the highest here.
    const entries: [string, number, number, Record<string, unknown>][] = [
      ['train-00', 1, 0.3, { es: verdict(0.3) }],
      ['train-01', 2, 0.1, { es: verdict(0.1), knn: verdict(0.05) }],
      ['train-02', 1, 0.95, { cl: verdict(0.95) }],
      ['train-03', 1, 0.7, { knn: verdict(0.7) }],
      ['train-04', 1, 0.4, { cl: verdict(0.4) }],
      ['train-05', 2, 0.5, { es: verdict(0.5), cl: verdict(0.99) }],
    ];
    const insert = db.prepare('INSERT INTO queue (run_id, example_id, rank, agreement, top_score, suggested_label_id, strategies) VALUES (?, ?, ?, ?, ?, ?, ?)');
    entries.forEach(([id, agreement, score, strategies], rank) => insert.run(run, rowOf.get(id), rank, agreement, score, label, JSON.stringify(strategies)));

    const flaggedOrder = ['train-03', 'train-05', 'train-00', 'train-01', 'train-02', 'train-04'];
    const page = (direction: 'asc' | 'desc') => queryExamples(db, { run, filter: {}, sort: [{ column: 'score', direction }], offset: 0, limit: 100 }, new CountCache()).rows.map((r) => r.id);
    const descending = page('desc');
    expect(descending.slice(0, 6)).toEqual(flaggedOrder);
    expect(descending).toHaveLength(truth.length);
    // Ascending is the same order reversed: unflagged rows, then CL's alone, then the shared scale.
    expect(page('asc')).toEqual([...descending].reverse());
    // The grid sorts by score within agreement (ExampleGrid's sort model).
    const withinAgreement = queryExamples(db, { run, filter: {}, sort: [{ column: 'agreement', direction: 'desc' }, { column: 'score', direction: 'desc' }], offset: 0, limit: 6 }, new CountCache());
    expect(withinAgreement.rows.map((r) => r.id)).toEqual(['train-05', 'train-01', 'train-03', 'train-00', 'train-02', 'train-04']);
  });
});
