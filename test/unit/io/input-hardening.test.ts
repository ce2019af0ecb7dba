import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WinnowError } from '../../../src/shared/errors';
import { JsonArrayFramer, JsonFramingError } from '../../../src/main/core/io/json-array-framer';
import { readJsonObjectFile } from '../../../src/main/core/io/json-object-file';
import { jsonSyntaxReason, parseJsonText } from '../../../src/main/core/io/json-syntax';
import { readPredictionsFile } from '../../../src/main/core/io/predictions-file';
import { readRecords, type SourceFormat } from '../../../src/main/core/io/record-source';
import { readReferencePatch } from '../../../src/main/core/io/reference-patch';
import { openDatabase } from '../../../src/main/core/store/database';
import { importSplit } from '../../../src/main/core/store/import-split';
import { importReferenceSet } from '../../../src/main/core/store/reference-sets';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

const MiB = 1024 * 1024;
const PASSWD = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';

async function collect(file: string, format: SourceFormat, maxRecordBytes?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const r of readRecords(file, format, undefined, maxRecordBytes === undefined ? {} : { maxRecordBytes })) out.push(r.text);
  return out;
}

async function failure(work: () => Promise<unknown>): Promise<WinnowError> {
  const outcome = await work().then(
    () => null,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(WinnowError);
  return outcome as WinnowError;
}

afterEach(() => vi.restoreAllMocks());

describe('JSON Lines: linear in the line length, with a cap per record', () => {
  it('joins a line that spans many chunks once, not once per chunk', async () => {
    const dir = tempDir();
    const big = JSON.stringify({ id: 'big', pad: 'x'.repeat(20 * MiB) });
    const file = path.join(dir, 'big.jsonl');
    fs.writeFileSync(file, `{"id":"a"}\n${big}\n{"id":"b"}\n`);
    const concat = vi.spyOn(Buffer, 'concat');
    const texts = await collect(file, 'jsonl');
    expect(texts.map((t) => t.length)).toEqual([10, big.length, 10]);
    expect(texts[1]).toBe(big);
    // 20 MiB arrive in about 20 chunks of 1 MiB: the pieces are joined in one go.
    expect(concat.mock.calls.length).toBe(1);
  });

  it('refuses a record over the cap, naming the line, its size and the limit, without holding it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'huge.jsonl');
    const line = JSON.stringify({ id: 'huge', pad: 'y'.repeat(3 * MiB) });
    fs.writeFileSync(file, `{"id":"a"}\n${line}\n{"id":"b"}\n`);
    const concat = vi.spyOn(Buffer, 'concat');
    const error = await failure(() => collect(file, 'jsonl', MiB));
    expect(error.code).toBe('INVALID_FILE');
    expect(error.message).toBe(
      `${file}: record 1 (line 2): is 3.0 MiB (${Buffer.byteLength(line)} bytes), over the limit of 1.0 MiB for one record (raise it with --max-record-mb if the file is right)`,
    );
    expect(concat).not.toHaveBeenCalled();
    // Under the default cap (64 MiB) the same file reads.
    expect((await collect(file, 'jsonl')).length).toBe(3);
  });

  it('applies the cap to the last line too (no newline at the end)', async () => {
    const file = path.join(tempDir(), 'tail.jsonl');
    fs.writeFileSync(file, `{"id":"a"}\n{"pad":"${'z'.repeat(2 * MiB)}"}`);
    expect((await failure(() => collect(file, 'jsonl', MiB))).message).toMatch(/record 1 \(line 2\): is 2\.0 MiB/);
  });
});

describe('JSON arrays: the same cap per record', () => {
  it('refuses an element over the cap with its index, byte offset and size', async () => {
    const file = path.join(tempDir(), 'huge.json');
    const element = JSON.stringify({ id: 'huge', pad: 'y'.repeat(3 * MiB) });
    fs.writeFileSync(file, `[{"id":"a"},\n${element}]`);
    const error = await failure(() => collect(file, 'json', MiB));
    expect(error.message).toBe(
      `${file}: record 1 (byte 13): is 3.0 MiB (${Buffer.byteLength(element)} bytes), over the limit of 1.0 MiB for one record (raise it with --max-record-mb if the file is right)`,
    );
    expect((await collect(file, 'json')).length).toBe(2);
  });

  it('measures an oversized element across chunks and keeps framing the rest correctly', () => {
    const framer = new JsonArrayFramer({ maxElementBytes: 10 });
    expect(framer.push(Buffer.from('[{"a":"x"},{"b":"'))).toHaveLength(1);
    expect(framer.push(Buffer.from('0123456789'))).toHaveLength(0);
    let caught: unknown;
    try {
      framer.push(Buffer.from('"}]'));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(JsonFramingError);
    expect((caught as JsonFramingError).tooLarge).toEqual({ size: 18, complete: true });
    expect((caught as JsonFramingError).elementIndex).toBe(1);
  });

  it('imports refuse an oversized record and leave the project as it was', async () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
    try {
      const file = writeJson(path.join(dir, 'in.json'), [record('a'), record('b', { note: 'n'.repeat(2 * MiB) })]);
      await expect(importSplit(db, { filePath: file, split: 'train', maxRecordBytes: MiB })).rejects.toThrow(/record 1 \(byte \d+\): is 2\.0 MiB/);
      expect(db.prepare('SELECT count(*) FROM split_rows').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});

describe('errors never echo a file\'s contents', () => {
  it('restates a JSON syntax error as a position and a generic reason', () => {
    expect(jsonSyntaxReason(new SyntaxError('x'), '{"a": 1,, "b": 2}')).toBe('not valid JSON: a property name in double quotes was expected at column 9');
    expect(jsonSyntaxReason(new SyntaxError('x'), '{\n  "a": tru\n}')).toBe('not valid JSON: an unexpected character at line 2, column 8');
    expect(jsonSyntaxReason(new SyntaxError('x'), '[1, 2')).toBe('not valid JSON: a "]" was expected (the text ends early)');
    expect(() => parseJsonText('root:x:0:0', 'f.json')).toThrow('f.json: not valid JSON: an unexpected character at column 1');
  });

  it('for a file that starts with "root:x:0:0", in every reader', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'passwd');
    fs.writeFileSync(file, PASSWD);
    const db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
    try {
      const messages = [
        (await failure(() => importSplit(db, { filePath: file, split: 'a', format: 'jsonl' }))).message,
        (await failure(() => importSplit(db, { filePath: file, split: 'b', format: 'json' }))).message,
        (await failure(() => importSplit(db, { filePath: file, split: 'c' }))).message,
        (await failure(() => readReferencePatch(file))).message,
        (await failure(() => readPredictionsFile(file, { knownIds: new Map([['a', 0]]) }))).message,
        (await failure(() => readJsonObjectFile(file))).message,
      ];
      for (const message of messages) {
        expect(message).toContain(file);
        expect(message).not.toMatch(/root|daemon|bin\/bash|x:0/);
      }
      expect(messages[0]).toBe(`${file}: record 0 (line 1): is not valid JSON: an unexpected character at column 1`);
    } finally {
      db.close();
    }
  });
});

describe('reference patches are checked like splits', () => {
  async function project(): Promise<{ db: ReturnType<typeof openDatabase>; dir: string }> {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
    await importSplit(db, { filePath: writeJson(path.join(dir, 'train.json'), [record('a'), record('b', { relation: 'no_relation' })]), split: 'train' });
    return { db, dir };
  }

  it('refuses bytes that are not UTF-8, naming the line, instead of replacing them', async () => {
    const file = path.join(tempDir(), 'bad.json');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('[\n{"id": "a", "relation": "per:ti'), Buffer.from([0xff, 0xfe]), Buffer.from('tle"}\n]')]));
    expect((await failure(() => readReferencePatch(file))).message).toBe(`${file}: line 2: is not valid UTF-8 (save the file as UTF-8)`);
  });

  it('refuses an empty patch', async () => {
    const { db, dir } = await project();
    try {
      for (const text of ['[]', '{}', ' [ ] ']) {
        const file = path.join(dir, 'empty.json');
        fs.writeFileSync(file, text);
        expect((await failure(() => importReferenceSet(db, file, 'e'))).message).toMatch(/the patch has no entries/);
      }
      expect(db.prepare('SELECT count(*) FROM reference_sets').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('counts unknown ids and labels and refuses them unless allowed', async () => {
    const { db, dir } = await project();
    try {
      const file = path.join(dir, 'patch.json');
      fs.writeFileSync(file, JSON.stringify([
        { id: 'a', relation: 'per:title' },
        { id: 'b', relation: 'per:titel' },
        { id: 'zz1', relation: 'no_relation' },
        { id: 'zz2', relation: 'org:nope' },
      ]));
      const error = await failure(() => importReferenceSet(db, file, 'ref'));
      expect(error.message).toBe(
        `${file}: 2 of its 4 ids are not in this project ("zz1", "zz2") and 2 of its labels are unknown to this project ("org:nope", "per:titel"); nothing was imported (import it anyway with --allow-unknown)`,
      );
      expect(db.prepare('SELECT count(*) FROM reference_sets').pluck().get()).toBe(0);
      const set = await importReferenceSet(db, file, 'ref', { allowUnknown: true });
      expect(set).toMatchObject({ name: 'ref', count: 4, matched: 2, unknownLabels: 2 });
    } finally {
      db.close();
    }
  });

  it('imports a patch whose ids and labels the project knows without asking', async () => {
    const { db, dir } = await project();
    try {
      const file = path.join(dir, 'ok.json');
      fs.writeFileSync(file, JSON.stringify({ a: 'no_relation', b: 'per:title' }));
      expect(await importReferenceSet(db, file, 'ok')).toMatchObject({ count: 2, matched: 2, unknownLabels: 0 });
    } finally {
      db.close();
    }
  });
});
