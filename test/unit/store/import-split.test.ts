import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { exportDataset } from '../../../src/main/core/export/export-modes';
import { importSplit as importInProject } from '../../../src/main/core/store/import-split';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { projectSummary } from '../../../src/main/core/store/project-summary';
import { record, writeJson, writeJsonl } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

let dir: string;
let db: Db;
/** Every test runs twice: records read on the importing thread, and in a reader thread of their own. */
let readInWorker = false;
const importSplit: typeof importInProject = (target, options) => importInProject(target, { readInWorker, ...options });

beforeEach(() => {
  dir = tempDir();
  db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
  return () => db.close();
});

function counts() {
  const summary = projectSummary(db, 'p');
  return { examples: summary.exampleCount, splits: summary.splits.length, labels: db.prepare('SELECT count(*) FROM labels').pluck().get() };
}

async function expectRejected(records: unknown[] | string, pattern: RegExp, format: 'json' | 'jsonl' = 'json') {
  const file = path.join(dir, `bad.${format}`);
  if (typeof records === 'string') fs.writeFileSync(file, records);
  else if (format === 'json') writeJson(file, records);
  else writeJsonl(file, records);
  const before = counts();
  await expect(importSplit(db, { filePath: file, split: 'bad', format })).rejects.toThrow(pattern);
  expect(counts()).toEqual(before);
}

describe.each([false, true])('records read in a reader thread: %s', (inWorker) => {
  beforeEach(() => {
    readInWorker = inWorker;
  });

  describe('import validation: each bad input is refused with file, record and field, and nothing changes', () => {
    beforeEach(async () => {
      await importSplit(db, { filePath: writeJson(path.join(dir, 'good.json'), [record('g1'), record('g2', { relation: 'no_relation' })]), split: 'train' });
    });

    it('a missing required field', async () => {
      const bad = record('b2');
      delete bad.subj_type;
      await expectRejected([record('b1'), bad], /bad\.json: record 1 id "b2", field "subj_type": is missing/);
    });
    it('a field of the wrong type', async () => {
      await expectRejected([record('b1', { subj_start: '0' })], /record 0 id "b1", field "subj_start"/);
    });
    it('a non-integer index', async () => {
      await expectRejected([record('b1', { obj_end: 4.5 })], /field "obj_end": must be an integer/);
    });
    it('a negative index', async () => {
      await expectRejected([record('b1', { subj_start: -1 })], /field "subj_start": must be >= 0/);
    });
    it('a span outside the tokens', async () => {
      await expectRejected([record('b1', { obj_start: 5, obj_end: 6 })], /field "obj_end": 6 is outside the 6 tokens/);
    });
    it('start after end', async () => {
      await expectRejected([record('b1', { subj_start: 1, subj_end: 0 })], /field "subj_start": 1 is after subj_end 0/);
    });
    it('overlapping subject and object', async () => {
      await expectRejected([record('b1', { obj_start: 1, obj_end: 2 })], /field "obj_start": object span 1-2 overlaps subject span 0-1/);
    });
    it('empty tokens', async () => {
      await expectRejected([record('b1', { token: [] })], /field "token": must not be empty/);
    });
    it('a token that is not a string', async () => {
      await expectRejected([record('b1', { token: ['a', 7, 'c', 'd', 'e', 'f'] })], /field "token\.1"/);
    });
    it('a duplicate id inside the file', async () => {
      await expectRejected([record('b1'), record('b2'), record('b1')], /record 2 id "b1", field "id": duplicates the id of record 0/);
    });
    it('an id that already exists in another split', async () => {
      await expectRejected([record('g2')], /record 0 id "g2", field "id": already exists in split "train"/);
    });
    it('an empty relation', async () => {
      await expectRejected([record('b1', { relation: '' })], /field "relation": must not be empty/);
    });
    it('a record that is not an object', async () => {
      await expectRejected('[{"id":"x","relation":"r"} , 42]', /record 1 \(byte \d+\): expected a JSON object/);
    });
    it('malformed JSON inside a record', async () => {
      await expectRejected('[{"id": "b1", "relation": tru}]', /record 0: is not valid JSON/);
    });
    it('a truncated file', async () => {
      const text = JSON.stringify([record('b1'), record('b2')]);
      await expectRejected(text.slice(0, text.length - 40), /record 1 \(byte \d+\): the file ends inside a record/);
    });
    it('a file that is not an array', async () => {
      await expectRejected('"just a string"', /does not start with a JSON array/);
    });
    it('an empty file', async () => {
      await expectRejected('', /the file is empty/, 'json');
    });
    it('an empty array', async () => {
      await expectRejected('[]', /no valid records/);
    });
    it('bad JSON Lines, naming the line', async () => {
      const file = path.join(dir, 'bad.jsonl');
      fs.writeFileSync(file, `${JSON.stringify(record('b1'))}\n\n${JSON.stringify(record('b2', { obj_type: 7 }))}\n`);
      const before = counts();
      await expect(importSplit(db, { filePath: file, split: 'bad', format: 'jsonl' })).rejects.toThrow(/bad\.jsonl: record 1 \(line 3\) id "b2", field "obj_type"/);
      expect(counts()).toEqual(before);
    });
    it('an existing split name', async () => {
      const file = writeJson(path.join(dir, 'ok.json'), [record('n1')]);
      await expect(importSplit(db, { filePath: file, split: 'train' })).rejects.toThrow(/Split "train" already exists/);
    });
    it('a missing file', async () => {
      await expect(importSplit(db, { filePath: path.join(dir, 'nope.json'), split: 'x' })).rejects.toThrow(/nope\.json: file not found/);
    });
  });

  describe('import', () => {
    it('streams a JSON array, keeps every field, and exports deep-equal with key order', async () => {
      const records = [record('a'), record('b', { relation: 'no_relation', '10': 'numeric-looking key' }), record('c', { token: ['Zoë', '→', 'naïve', 'x', 'y', 'z'] })];
      const source = writeJson(path.join(dir, 'in.json'), records);
      const result = await importSplit(db, { filePath: source, split: 'train' });
      expect(result).toMatchObject({ split: 'train', imported: 3, rejected: 0 });
      const out = path.join(dir, 'out.json');
      const original = { split: 'train', mode: 'original', apply: 'both', appVersion: 'test' } as const;
      const exported = await exportDataset(db, { ...original, outPath: out, format: 'json' });
      expect(exported.count).toBe(3);
      const text = fs.readFileSync(out, 'utf8');
      expect(JSON.parse(text)).toEqual(records);
      // Key order survives, including a key JSON.parse would move first.
      expect(text.indexOf('"id"')).toBeLessThan(text.indexOf('"10"'));
      const outl = path.join(dir, 'out.jsonl');
      await exportDataset(db, { ...original, outPath: outl, format: 'jsonl' });
      const lines = fs.readFileSync(outl, 'utf8').trim().split('\n');
      expect(lines.map((l) => JSON.parse(l))).toEqual(records);
      expect(Object.keys(JSON.parse(lines[0]!))).toEqual(Object.keys(records[0]!));
    });

    it('reads JSON Lines with a BOM, CRLF line ends and blank lines', async () => {
      const records = [record('a'), record('b')];
      const file = path.join(dir, 'in.jsonl');
      fs.writeFileSync(file, '\uFEFF' + records.map((r) => JSON.stringify(r)).join('\r\n\r\n') + '\r\n');
      const result = await importSplit(db, { filePath: file, split: 'dev' });
      expect(result.imported).toBe(2);
      const page = db.prepare('SELECT ext_id FROM examples ORDER BY position').pluck().all();
      expect(page).toEqual(['a', 'b']);
    });

    it('detects the format when asked to', async () => {
      const file = writeJsonl(path.join(dir, 'data.txt'), [record('a')]);
      expect((await importSplit(db, { filePath: file, split: 'x', format: 'auto' })).imported).toBe(1);
    });

    it('with skipInvalid imports the valid records and reports the rejected ones', async () => {
      const bad = record('b', { obj_end: 99 });
      const file = writeJson(path.join(dir, 'mixed.json'), [record('a'), bad, record('c'), record('a')]);
      const report = path.join(dir, 'report.jsonl');
      const result = await importSplit(db, { filePath: file, split: 'train', skipInvalid: true, reportPath: report });
      expect(result).toMatchObject({ imported: 2, rejected: 2, reportPath: report });
      const rows = fs.readFileSync(report, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(rows).toEqual([
        expect.objectContaining({ index: 1, id: 'b', field: 'obj_end' }),
        expect.objectContaining({ index: 3, id: 'a', field: 'id' }),
      ]);
    });

    it('stops when cancelled and leaves nothing behind', async () => {
      const many = Array.from({ length: 5000 }, (_, i) => record(`r${i}`));
      const file = writeJson(path.join(dir, 'many.json'), many);
      const controller = new AbortController();
      let calls = 0;
      const promise = importSplit(db, {
        filePath: file,
        split: 'train',
        signal: controller.signal,
        onProgress: () => {
          calls++;
          controller.abort();
        },
      });
      await expect(promise).rejects.toThrow(/cancelled/);
      expect(calls).toBeGreaterThan(0);
      // The batches it committed are gone too (not only hidden). A label name it added may
      // stay, used by nothing: removing it could pull it from under another import.
      expect(counts()).toMatchObject({ examples: 0, splits: 0 });
      expect(db.prepare('SELECT count(*) FROM example_rows').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM example_records').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM split_rows').pluck().get()).toBe(0);
    });

    it('is cancelled by a cancel that comes after the last batch, before it is published', async () => {
      // However the batches fall, the last report before publishing is 'committing'; a cancel
      // there must still leave no split (once, the last batch's report came after the loop's
      // last cancel check and the split was published anyway).
      const file = writeJson(path.join(dir, 'few.json'), [record('a'), record('b'), record('c')]);
      const controller = new AbortController();
      const phases: string[] = [];
      const promise = importSplit(db, {
        filePath: file,
        split: 'train',
        signal: controller.signal,
        onProgress: ({ phase }) => {
          phases.push(phase);
          if (phase === 'committing') controller.abort();
        },
      });
      await expect(promise).rejects.toThrow(/cancelled/);
      expect(phases).toContain('committing');
      expect(counts()).toMatchObject({ examples: 0, splits: 0 });
    });

    it('records the source sha256 and counts per label', async () => {
      const file = writeJson(path.join(dir, 'in.json'), [record('a'), record('b', { relation: 'no_relation' }), record('c', { relation: 'no_relation' })]);
      const result = await importSplit(db, { filePath: file, split: 'train' });
      const summary = projectSummary(db, 'p');
      expect(summary.splits[0]!.sourceSha256).toBe(result.sha256);
      expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(summary.labelCounts).toEqual([
        { split: 'train', label: 'no_relation', count: 2 },
        { split: 'train', label: 'per:title', count: 1 },
      ]);
    });
  });

  describe('two imports at once into one project', () => {
    it('never lets an id into two splits: one import is refused with a clear error, the other is whole', async () => {
      // Interleaved on one connection (each import awaits between its batches); the second
      // file repeats ids from the end of the first, which the first has not reached yet.
      const first = Array.from({ length: 6000 }, (_, i) => record(`x${i}`));
      const second = [record('y0'), record('x5990'), record('y1')];
      const [a, b] = await Promise.allSettled([
        importSplit(db, { filePath: writeJson(path.join(dir, 'a.json'), first), split: 'a' }),
        importSplit(db, { filePath: writeJson(path.join(dir, 'b.json'), second), split: 'b' }),
      ]);
      const failed = [a, b].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(failed.length).toBe(1);
      expect(String(failed[0]!.reason)).toMatch(/"x5990", field "id": (already exists in split|is being imported into split)|imported into another split at the same time/);
      const ids = db.prepare('SELECT ext_id FROM examples').pluck().all() as string[];
      expect(new Set(ids).size).toBe(ids.length);
      const splits = projectSummary(db, 'p').splits;
      expect(splits).toHaveLength(1);
      expect(splits[0]!.count).toBe(splits[0]!.name === 'a' ? 6000 : 3);
    });
  });
});
