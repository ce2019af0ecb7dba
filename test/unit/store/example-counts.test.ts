import path from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ExampleFilter } from '../../../src/shared/examples';
import { applyDecisions, undoLast } from '../../../src/main/core/store/decisions';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { CountCache, queryExamples } from '../../../src/main/core/store/example-query';
import { importSplit } from '../../../src/main/core/store/import-split';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

// The grid's totals with one cache kept across decisions, as the app keeps it (decisions clear
// only what depends on them), checked against counting every example by hand.
const LABELS = ['no_relation', 'per:title', 'org:founded', 'per:age'];
const TYPES = ['PERSON', 'ORGANIZATION'];

let db: Db;
let rows: number[];

interface Truth {
  label: string;
  subjType: string;
  split: string;
}
let truth: Map<number, Truth>;

beforeEach(async () => {
  const dir = tempDir();
  db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
  for (const [split, count] of [['train', 40], ['dev', 12]] as const) {
    const records = Array.from({ length: count }, (_, i) => record(`${split}-${i}`, { relation: LABELS[(i * 7) % LABELS.length], subj_type: TYPES[i % 3 === 0 ? 1 : 0] }));
    await importSplit(db, { filePath: writeJson(path.join(dir, `${split}.json`), records), split });
  }
  const all = db
    .prepare('SELECT e.id, l.name AS label, e.subj_type AS subjType, s.name AS split FROM examples e JOIN labels l ON l.id = e.label_id JOIN splits s ON s.id = e.split_id ORDER BY e.id')
    .all() as (Truth & { id: number })[];
  rows = all.map((r) => r.id);
  truth = new Map(all.map((r) => [r.id, r]));
  return () => db.close();
});

function decided(): Set<number> {
  return new Set(db.prepare('SELECT example_id FROM decision_state').pluck().all() as number[]);
}

function expected(filter: ExampleFilter): { total: number; decided: number } {
  const done = decided();
  const matches = rows.filter((id) => {
    const t = truth.get(id)!;
    if (filter.labels && !filter.labels.includes(t.label)) return false;
    if (filter.subjTypes && !filter.subjTypes.includes(t.subjType)) return false;
    if (filter.splits && !filter.splits.includes(t.split)) return false;
    if (filter.decision === 'undecided' && done.has(id)) return false;
    if (filter.decision === 'decided' && !done.has(id)) return false;
    return true;
  });
  return { total: matches.length, decided: matches.filter((id) => done.has(id)).length };
}

const filters: ExampleFilter[] = [
  {},
  { decision: 'undecided' },
  { decision: 'decided' },
  { decision: 'undecided', labels: ['per:title'] },
  { decision: 'undecided', labels: ['org:founded', 'per:age'], subjTypes: ['PERSON'] },
  { decision: 'undecided', splits: ['dev'] },
  { labels: ['per:age'], subjTypes: ['ORGANIZATION'] },
  { labels: ['no_relation'] },
  { labels: ['not-a-label'] },
  { decision: 'undecided', labels: ['not-a-label', 'per:title'] },
];

describe('grid totals', () => {
  it('stay exact across decisions and undos with one cache, for every filter', () => {
    const cache = new CountCache();
    const step = fc.oneof(
      fc.record({ kind: fc.constant('decide' as const), at: fc.array(fc.nat({ max: 51 }), { minLength: 1, maxLength: 4 }), action: fc.constantFrom('keep' as const, 'eliminate' as const) }),
      fc.record({ kind: fc.constant('undo' as const) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        for (const s of steps) {
          if (s.kind === 'decide') applyDecisions(db, { examples: [...new Set(s.at.map((i) => rows[i]!))], action: s.action, annotator: 'ann' });
          else undoLast(db, 'ann');
          cache.decisionsChanged();
          for (const filter of filters) {
            const page = queryExamples(db, { filter, sort: [], offset: 0, limit: 100 }, cache);
            expect({ total: page.total, decided: page.decided }, JSON.stringify(filter)).toEqual(expected(filter));
            expect(page.rows.length).toBe(Math.min(100, page.total));
          }
        }
      }),
      { numRuns: 25, seed: 11 },
    );
  });

  it('reads a label filter by the labels it names, none when it names only unknown ones', () => {
    const page = queryExamples(db, { filter: { labels: ['per:age', 'nope'] }, sort: [{ column: 'length', direction: 'desc' }], offset: 0, limit: 100 });
    expect(page.rows.every((r) => r.label === 'per:age')).toBe(true);
    expect(page.total).toBe(expected({ labels: ['per:age'] }).total);
    expect(queryExamples(db, { filter: { labels: ['nope'] }, sort: [], offset: 0, limit: 100 }).rows).toEqual([]);
  });
});
