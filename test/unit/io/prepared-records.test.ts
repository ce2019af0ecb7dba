import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readPreparedRecords } from '../../../src/main/core/io/prepared-records';
import { prepareRecord, type PreparedRecord } from '../../../src/main/core/io/prepared-record';
import { BATCH_RECORDS, packBatch, unpackBatch } from '../../../src/main/core/io/record-reader-protocol';
import { record, writeJson, writeJsonl } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

async function all(file: string, format: 'json' | 'jsonl', inWorker: boolean) {
  const read = readPreparedRecords(file, format, { inWorker });
  const records: PreparedRecord[] = [];
  for await (const r of read.records) records.push(r);
  return { inWorker: read.inWorker, records, sha256: read.sha256() };
}

describe('records read in a reader thread', () => {
  it('are the records, problems and hash read on this thread, over several batches', async () => {
    const dir = tempDir();
    const records: unknown[] = Array.from({ length: BATCH_RECORDS * 2 + 17 }, (_, i) =>
      i % 997 === 5 ? { ...record(`r${i}`), subj_end: 99 } : record(`r${i}`, { token: ['Zoë', 'ñandú', '北京', `t${i}`, '😀', '.'], relation: i % 3 ? 'per:title' : 'no_relation' }),
    );
    records.splice(40, 0, { id: 7, relation: '' }, { id: 'x', token: 3 });
    for (const [format, file] of [['json', writeJson(path.join(dir, 'a.json'), records)], ['jsonl', writeJsonl(path.join(dir, 'a.jsonl'), records)]] as const) {
      const here = await all(file, format, false);
      const there = await all(file, format, true);
      expect(here.inWorker).toBe(false);
      expect(there.inWorker).toBe(true);
      expect(there.records).toEqual(here.records);
      expect(there.sha256).toBe(here.sha256);
      expect(here.records.filter((r) => r.problem).length).toBe(7);
    }
  });

  it('stop with the same error as on this thread, after the records before it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, `[${JSON.stringify(record('a'))}, ${JSON.stringify(record('b'))}, {"id": "c", "token": [`);
    for (const inWorker of [false, true]) {
      const seen: string[] = [];
      const read = readPreparedRecords(file, 'json', { inWorker });
      await expect(
        (async () => {
          for await (const r of read.records) seen.push(r.id!);
        })(),
      ).rejects.toThrow(/broken\.json: record 2 \(byte \d+\): the file ends inside a record/);
      expect(seen).toEqual(['a', 'b']);
    }
  });

  it('end the thread when the reader stops early', async () => {
    const dir = tempDir();
    const file = writeJson(
      path.join(dir, 'many.json'),
      Array.from({ length: BATCH_RECORDS * 6 }, (_, i) => record(`m${i}`)),
    );
    const read = readPreparedRecords(file, 'json', { inWorker: true });
    let n = 0;
    for await (const _ of read.records) if (++n === 10) break;
    expect(n).toBe(10);
    expect(() => read.sha256()).toThrow(/not been read to its end/);
  });

  it('cross between threads as they are (any text, ids, problems, rows)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const prepared = fc.oneof(
      fc.record({ id: text, tokens: fc.array(text, { minLength: 1, maxLength: 5 }), relation: fc.string({ minLength: 1 }), row: fc.option(fc.nat(), { nil: undefined }) }).map(({ id, tokens, relation, row }) =>
        prepareRecord({ index: 3, line: null, ...(row === undefined ? {} : { row }), text: JSON.stringify({ id, relation, token: tokens, subj_start: 0, subj_end: 0, obj_start: tokens.length > 1 ? 1 : 0, obj_end: tokens.length > 1 ? 1 : 0, subj_type: 'A', obj_type: 'B' }) }),
      ),
      text.map((t) => prepareRecord({ index: 9, line: 4, text: t })),
    );
    fc.assert(
      fc.property(fc.array(prepared, { maxLength: 12 }), (batch) => {
        expect(unpackBatch(structuredClone(packBatch(batch)))).toEqual(batch);
      }),
    );
  });
});
