import path from 'node:path';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { importSplit } from '../../../src/main/core/store/import-split';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { CountCache, queryExamples } from '../../../src/main/core/store/example-query';
import { ExampleQuery } from '../../../src/shared/domain';
import {
  buildSearchIndex,
  indexSearchBatch,
  searchExampleIds,
  searchIndexState,
  startSearchIndexer,
  phraseQuery,
} from '../../../src/main/core/store/search-index';
import { record, writeJson } from '../../helpers/records';
import { applyDecisions } from '../../../src/main/core/store/decisions';
import { tempDir } from '../../helpers/temp-dir';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = tempDir();
  db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
  return () => db.close();
});

/** The scan the index replaces: SQLite's LIKE over sentence and id. */
function likeScan(text: string): number[] {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db.prepare(`SELECT id FROM examples WHERE sentence LIKE ? ESCAPE '\\' OR ext_id LIKE ? ESCAPE '\\' ORDER BY id`).pluck().all(pattern, pattern) as number[];
}

// Letters in both cases, non-ASCII letters whose case LIKE does not fold (É/é, ß, İ), and the
// characters LIKE and FTS5 treat specially.
const alphabet = ['a', 'b', 'A', 'B', 'n', 'N', 'é', 'É', 'ß', 'İ', 'i', '%', '_', '\\', '"', "'", '*', '-', '1'];
const word = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));
const sentence = fc.array(word, { minLength: 3, maxLength: 9 });

async function importSentences(split: string, sentences: string[][], prefix: string): Promise<void> {
  const records = sentences.map((tokens, i) => record(`${prefix}${i}`, { token: tokens, subj_start: 0, subj_end: 0, obj_start: 2, obj_end: 2 }));
  await importSplit(db, { filePath: writeJson(path.join(dir, `${split}.json`), records), split });
}

function flipCase(text: string, mask: number): string {
  return [...text].map((c, i) => ((mask >> (i % 30)) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
}

describe('text search index', () => {
  it('finds exactly what the LIKE scan finds, before, during and after the build', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(sentence, { minLength: 5, maxLength: 40 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(8), fc.integer()), { minLength: 8, maxLength: 8 }), async (sentences, picks) => {
        db.close();
        db = openDatabase(path.join(tempDir(), 'p.winnow'), { create: true });
        await importSentences('train', sentences, 'Id-');
        const texts = picks.map(([s, start, len, mask]) => {
          const source = sentences[s % sentences.length]!.join(' ');
          const chars = [...source];
          const from = start % chars.length;
          return flipCase(chars.slice(from, from + len + 1).join(''), mask);
        });
        texts.push('id-1', 'É', 'ab%', '__', 'no such text at all');
        const check = () => {
          for (const text of texts) expect(searchExampleIds(db, text), `search "${text}"`).toEqual(likeScan(text));
        };
        check();
        indexSearchBatch(db, 7);
        expect(searchIndexState(db).ready).toBe(sentences.length <= 7);
        check();
        buildSearchIndex(db, { batch: 9 });
        expect(searchIndexState(db).ready).toBe(true);
        check();
      }),
      { numRuns: 25, seed: 17 },
    );
  });

  it('uses the index: a candidate the index does not hold is not found', async () => {
    await importSentences('train', [['Ada', 'was', 'born', 'here'], ['nothing', 'to', 'see']], 'x');
    buildSearchIndex(db);
    // Remove the entry behind the index's back: only a search through the index misses it.
    db.prepare('DELETE FROM example_search WHERE rowid = ?').run(1);
    expect(searchExampleIds(db, 'born')).toEqual([]);
    expect(likeScan('born')).toEqual([1]);
    // Two-character texts always scan (no trigram to look up).
    expect(searchExampleIds(db, 'bo')).toEqual([1]);
  });

  it('indexes later imports after the mark and drops entries past the last example', async () => {
    await importSentences('train', [['alpha', 'beta', 'gamma']], 'a');
    buildSearchIndex(db);
    await importSentences('dev', [['alpha', 'delta', 'omega']], 'b');
    expect(searchIndexState(db)).toMatchObject({ indexedUpto: 1, maxId: 2, ready: false });
    expect(searchExampleIds(db, 'alpha')).toEqual([1, 2]);
    buildSearchIndex(db);
    expect(searchExampleIds(db, 'alpha')).toEqual([1, 2]);
    expect(searchExampleIds(db, 'omeg')).toEqual([2]);
    // A removed top example frees its id; the next example with that id is indexed afresh.
    db.prepare('DELETE FROM example_records WHERE example_id = 2').run();
    db.prepare('DELETE FROM example_rows WHERE id = 2').run();
    db.prepare("DELETE FROM split_rows WHERE name = 'dev'").run();
    await importSentences('test', [['zeta', 'eta', 'theta']], 'c');
    expect(searchIndexState(db)).toMatchObject({ indexedUpto: 1, maxId: 2, ready: false });
    expect(searchExampleIds(db, 'omeg')).toEqual([]);
    expect(searchExampleIds(db, 'thet')).toEqual([2]);
    buildSearchIndex(db);
    expect(searchExampleIds(db, 'omeg')).toEqual([]);
    expect(searchExampleIds(db, 'thet')).toEqual([2]);
  });

  it('quotes the text as one phrase so that FTS5 syntax in it is searched for, not obeyed', async () => {
    expect(phraseQuery('a"b* OR c')).toBe('"a""b* OR c"');
    await importSentences('train', [['say', '"hi"', 'NOT', 'x*y'], ['hi', 'there', 'now']], 'q');
    buildSearchIndex(db);
    for (const text of ['"hi"', 'NOT x', 'x*y', 'hi" NOT "x']) expect(searchExampleIds(db, text), text).toEqual(likeScan(text));
  });

  it('checks only the non-ASCII examples of an ASCII query with LIKE', async () => {
    // The Kelvin sign folds to "k" in FTS5 but not in LIKE; "ÉCOLE" folds to "école" in FTS5 only.
    await importSentences('train', [['\u212Aelvin', 'scale', 'here'], ['kelvin', 'scale', 'here'], ['ÉCOLE', 'is', 'near'], ['école', 'is', 'far']], 'u');
    buildSearchIndex(db);
    expect(db.prepare('SELECT example_id FROM example_search_unicode ORDER BY 1').pluck().all()).toEqual([1, 3, 4]);
    expect(searchExampleIds(db, 'kelvin')).toEqual([2]);
    expect(searchExampleIds(db, 'école')).toEqual([4]);
    expect(searchExampleIds(db, 'COLE')).toEqual([3, 4]);
    for (const text of ['kelvin', 'KELVIN', 'école', 'ÉCOLE', 'cole', 'is n']) expect(searchExampleIds(db, text), text).toEqual(likeScan(text));
  });

  it('the grid query gives the same page through the index', async () => {
    await importSentences('train', Array.from({ length: 60 }, (_, i) => ['row', String(i), i % 3 ? 'Born' : 'seen', 'x']), 'g');
    const query = ExampleQuery.parse({ filter: { text: 'born' }, sort: [{ column: 'id', direction: 'desc' }], limit: 10 }) as Parameters<typeof queryExamples>[1];
    const before = queryExamples(db, query, new CountCache());
    buildSearchIndex(db);
    const after = queryExamples(db, query, new CountCache());
    expect(after).toEqual(before);
    expect(after.total).toBe(40);
  });

  it('pages and counts a search the same through the match table, the file-order walk and plain SQL', async () => {
    // Dense matches (the index walk) and sparse ones (a sort of the few matches), with and without other filters.
    const sentences = Array.from({ length: 300 }, (_, i) => ['row', String(i), i % 2 ? 'Born' : i % 97 === 0 ? 'rare' : 'seen', 'x']);
    await importSentences('train', sentences.slice(0, 150), 'a');
    await importSentences('dev', sentences.slice(150), 'b');
    buildSearchIndex(db);
    const decided = db.prepare('SELECT id FROM examples WHERE id % 7 = 0').pluck().all() as number[];
    applyDecisions(db, { examples: decided, action: 'keep', annotator: 't' });
    const queries = [
      { filter: { text: 'born' }, limit: 20 },
      { filter: { text: 'born' }, limit: 20, offset: 60 },
      { filter: { text: 'rare' }, limit: 20 },
      { filter: { text: 'born', splits: ['dev'] }, limit: 20 },
      { filter: { text: 'born', decision: 'undecided' as const }, limit: 20 },
      { filter: { text: 'born' }, sort: [{ column: 'label' as const, direction: 'asc' as const }], limit: 20 },
      { filter: { text: 'born' }, sort: [{ column: 'position' as const, direction: 'desc' as const }], limit: 20 },
    ];
    const cache = new CountCache();
    for (const q of queries) {
      const parsed = ExampleQuery.parse(q) as Parameters<typeof queryExamples>[1];
      const plain = queryExamples(db, parsed);
      expect(queryExamples(db, parsed, cache), JSON.stringify(q)).toEqual(plain);
      expect(queryExamples(db, parsed, cache), `again ${JSON.stringify(q)}`).toEqual(plain);
      expect(plain.rows.length).toBeGreaterThan(0);
    }
    expect(queryExamples(db, ExampleQuery.parse({ filter: { text: 'born' } }) as Parameters<typeof queryExamples>[1], cache)).toMatchObject({ total: 150, decided: decided.filter((id) => (id - 1) % 2 === 1).length });
    // A match table dropped behind the cache's back is made again.
    for (const name of db.prepare("SELECT name FROM temp.sqlite_master WHERE type = 'table'").pluck().all() as string[]) db.exec(`DROP TABLE temp.${name}`);
    const parsed = ExampleQuery.parse(queries[0]) as Parameters<typeof queryExamples>[1];
    expect(queryExamples(db, parsed, cache)).toEqual(queryExamples(db, parsed));
  });

  it('never indexes past a split still being imported, and indexes it once published', async () => {
    await importSentences('train', [['alpha', 'born', 'here'], ['beta', 'gamma', 'delta']], 'a');
    const hidden = Number(db.prepare("INSERT INTO split_rows (name, format, imported_at, state, owner_pid) VALUES ('hidden', 'json', 'now', 'importing', 1)").run().lastInsertRowid);
    db.prepare(
      `INSERT INTO example_rows (ext_id, split_id, position, label_id, subj_start, subj_end, obj_start, obj_end, subj_type, obj_type, token_count, tokens, sentence)
       SELECT 'h1', ?, 0, label_id, subj_start, subj_end, obj_start, obj_end, subj_type, obj_type, token_count, tokens, 'hidden born words' FROM example_rows WHERE id = 1`,
    ).run(hidden);
    await importSentences('dev', [['born', 'again', 'now']], 'b');
    buildSearchIndex(db);
    expect(searchIndexState(db).indexedUpto).toBe(2);
    expect(searchExampleIds(db, 'born')).toEqual([1, 4]);
    db.prepare("UPDATE split_rows SET state = 'published' WHERE id = ?").run(hidden);
    buildSearchIndex(db);
    expect(searchIndexState(db)).toMatchObject({ indexedUpto: 4, ready: true });
    expect(searchExampleIds(db, 'born')).toEqual([1, 3, 4]);
    db.prepare('DELETE FROM example_search WHERE rowid = 4').run();
    expect(searchExampleIds(db, 'born')).toEqual([1, 3]);
  });

  it('builds in the background on its own connection and stops when complete', async () => {
    await importSentences('train', Array.from({ length: 25 }, (_, i) => ['word', String(i), 'end']), 'bg');
    const indexer = startSearchIndexer(path.join(dir, 'p.winnow'), { batch: 4, pauseMs: 0 });
    const state = await indexer.done;
    expect(state).toMatchObject({ ready: true, indexedUpto: 25 });
    expect(searchIndexState(db).ready).toBe(true);
  });
});
