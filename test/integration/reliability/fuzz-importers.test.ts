/**
 * Fuzzed inputs (issue #6, part 2): the TACRED JSON / JSON Lines importer, the reference
 * patch reader and importer, the predictions reader and the model manifest loader get random
 * and mutated files (truncations, byte flips, other encodings, huge arrays, non-finite
 * numbers, wrong embedding widths, deep nesting, empty files, repeated keys). Each must
 * either accept the file (and then hold exactly what it says) or refuse it with a WinnowError
 * that names the file and, for a list of records, the record and the field; a refused import
 * leaves the project exactly as it was.
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSplit } from '../../../src/main/core/store/import-split';
import { readPredictionsFile } from '../../../src/main/core/io/predictions-file';
import { readReferencePatch } from '../../../src/main/core/io/reference-patch';
import { readManifestFile } from '../../../src/main/core/model/manifest-file';
import { rankProject } from '../../../src/main/core/ranking/rank-project';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { applyDecisions } from '../../../src/main/core/store/decisions';
import { importReferenceSet } from '../../../src/main/core/store/reference-sets';
import { WinnowError } from '../../../src/shared/errors';
import { record, writeJson } from '../../helpers/records';
import { checkProject, SOUND, tableCounts } from './support';

// ---------------------------------------------------------------------------------------------
// Shared machinery

type Outcome<T> = { ok: true; value: T } | { ok: false; error: WinnowError };

/** Runs `work`; a WinnowError is an outcome, any other error fails the property as is. */
async function settle<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof WinnowError) return { ok: false, error };
    throw error;
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** JSON text nested `depth` arrays deep: `[[[...]]]`. */
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

type ByteMutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; flips: { at: number; xor: number }[] }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'encoding'; encoding: 'utf16le-bom' | 'utf16be-bom' | 'utf16le' | 'latin1' }
  | { kind: 'empty' }
  | { kind: 'blank' };

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fraction }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), flips: fc.array(fc.record({ at: fraction, xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fraction, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('encoding' as const), encoding: fc.constantFrom('utf16le-bom' as const, 'utf16be-bom' as const, 'utf16le' as const, 'latin1' as const) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'empty' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'blank' as const }) },
);

function applyBytes(text: string, mutation: ByteMutation): Buffer {
  const utf8 = Buffer.from(text, 'utf8');
  const at = (f: number) => Math.floor(f * utf8.length);
  switch (mutation.kind) {
    case 'truncate':
      return utf8.subarray(0, at(mutation.at));
    case 'flip': {
      const out = Buffer.from(utf8);
      for (const flip of mutation.flips) out[at(flip.at)]! ^= flip.xor;
      return out;
    }
    case 'insert':
      return Buffer.concat([utf8.subarray(0, at(mutation.at)), Buffer.from(mutation.bytes), utf8.subarray(at(mutation.at))]);
    case 'encoding': {
      if (mutation.encoding === 'latin1') return Buffer.from(text, 'latin1');
      const le = Buffer.from(text, 'utf16le');
      if (mutation.encoding === 'utf16le') return le;
      if (mutation.encoding === 'utf16le-bom') return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]);
    }
    case 'empty':
      return Buffer.alloc(0);
    case 'blank':
      return Buffer.from(' \n\t\r\n ');
  }
}

/** A folder for one describe block (the shared tempDir helper empties its folders after each test). */
const suiteDirs: string[] = [];
function suiteDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-fuzz-'));
  suiteDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of suiteDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

let fileCounter = 0;
function writeFile(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, `${++fileCounter}-${name}`);
  fs.writeFileSync(file, content);
  return file;
}

/** Records with non-ASCII text, so that re-encodings really change bytes. */
function tacredRecords(prefix: string, n = 5): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    record(`${prefix}${i}`, {
      token: ['Zoë', 'Müller', 'was', 'a', 'mathématicienne', '東京'],
      relation: i % 2 ? 'no_relation' : 'per:title',
    }),
  );
}

/** A record's text with `field` removed (raw === null) or its value replaced by raw JSON text. */
function recordText(value: Record<string, unknown>, field: string | null, raw: string | null): string {
  if (field === null) return JSON.stringify(value);
  const copy: Record<string, unknown> = { ...value };
  if (raw === null) {
    delete copy[field];
    return JSON.stringify(copy);
  }
  copy[field] = '\u0000BAD\u0000';
  return JSON.stringify(copy).replace('"\\u0000BAD\\u0000"', () => raw);
}

// ---------------------------------------------------------------------------------------------
// TACRED JSON and JSON Lines

describe('importSplit under fuzzed input', () => {
  let dir: string;
  let db: Db;

  beforeAll(async () => {
    dir = suiteDir();
    db = openDatabase(path.join(dir, 'fuzz.winnow'), { create: true });
    await importSplit(db, { filePath: writeJson(path.join(dir, 'base.json'), [record('b1'), record('b2', { relation: 'no_relation' })]), split: 'base' });
    const ids = db.prepare('SELECT id FROM examples').pluck().all() as number[];
    applyDecisions(db, { examples: ids, action: 'eliminate', annotator: 'fuzz' });
    return () => db.close();
  });

  function serialise(format: 'json' | 'jsonl', texts: string[]): string {
    return format === 'json' ? `[\n${texts.join(',\n')}\n]\n` : texts.join('\n') + '\n';
  }

  /** What the file holds, read by an independent parser; null when it is not a valid file. */
  function oracleIds(bytes: Buffer, format: 'json' | 'jsonl'): string[] | null {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes).replace(/^\uFEFF/, '');
    } catch {
      return null;
    }
    try {
      const values = format === 'json' ? (JSON.parse(text) as unknown[]) : text.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
      return values.map((v) => String((v as { id: unknown }).id));
    } catch {
      return null;
    }
  }

  it('imports a mutated file whole, or refuses it with a WinnowError naming file and record and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('json' as const, 'jsonl' as const), byteMutation, fc.boolean(), async (format, mutation, declare) => {
        const n = ++fileCounter;
        const bytes = applyBytes(serialise(format, tacredRecords(`m${n}-`).map((r) => JSON.stringify(r, null, format === 'json' ? 1 : 0))), mutation);
        const file = writeFile(dir, `mutated.${format}`, bytes);
        const before = tableCounts(db);
        const split = `s${n}`;
        const outcome = await settle(() => importSplit(db, { filePath: file, split, format: declare ? format : 'auto' }));
        if (outcome.ok) {
          const stored = db.prepare('SELECT e.ext_id FROM examples e JOIN splits s ON s.id = e.split_id WHERE s.name = ? ORDER BY e.position').pluck().all(split) as string[];
          const used = db.prepare('SELECT format FROM splits WHERE name = ?').pluck().get(split) as 'json' | 'jsonl';
          // Bytes that are not UTF-8 are accepted leniently: a known bug, see the it.fails below.
          if (isUtf8(bytes)) expect(stored).toEqual(oracleIds(bytes, used));
          expect(outcome.value.imported).toBe(stored.length);
        } else {
          const message = outcome.error.message;
          expect(outcome.error.code).toBe('INVALID_FILE');
          expect(message.startsWith(`${file}: `), message).toBe(true);
          expect(message).toMatch(/: record \d+[ ,:]|neither a JSON array nor JSON Lines|no valid records/);
          expect(tableCounts(db)).toEqual(before);
        }
      }),
      { numRuns: 200 },
    );
    expect(checkProject(db, {})).toEqual(SOUND);
  });

  type FieldCase = { field: string; raw: string | null; expectField: RegExp };
  const INDEX_FIELDS = ['subj_start', 'subj_end', 'obj_start', 'obj_end'];
  const STRING_FIELDS = ['relation', 'subj_type', 'obj_type'];
  const deep = fc.integer({ min: 2, max: 20_000 }).map(nested);
  const common = fc.oneof(fc.constantFrom('null', 'true', '{}', '{"a": {"b": [1, 2]}}', '[]'), deep);
  const fieldCase: fc.Arbitrary<FieldCase> = fc.oneof(
    // Missing fields.
    fc.constantFrom('id', 'relation', 'token', ...INDEX_FIELDS, 'subj_type', 'obj_type').map((field) => ({ field, raw: null, expectField: new RegExp(`field "${field}": is missing`) })),
    fc.record({ field: fc.constant('id'), raw: fc.oneof(common, fc.constantFrom('""', '1.5', '-0.25')), expectField: fc.constant(/field "id"/) }),
    fc.record({ field: fc.constantFrom(...STRING_FIELDS), raw: fc.oneof(common, fc.constantFrom('""', '5', '-1e400')) }).map((c) => ({ ...c, expectField: new RegExp(`field "${c.field}"`) })),
    fc.record({ field: fc.constant('token'), raw: fc.oneof(common, fc.constantFrom('"Ada Lovelace"', '5', '["Ada", 5, "was", "a", "b", "c"]', '["Ada", null, "x", "y", "z", "w"]')), expectField: fc.constant(/field "token(\.\d+)?"/) }),
    fc.record({ field: fc.constantFrom(...INDEX_FIELDS), raw: fc.oneof(common, fc.constantFrom('"0"', '1.5', '-1', '1e400', '-1e400')) }).map((c) => ({ ...c, expectField: new RegExp(`field "${c.field}"`) })),
    // Well-typed but impossible spans: out of the six tokens, or overlapping.
    fc.record({ field: fc.constantFrom(...INDEX_FIELDS), raw: fc.integer({ min: 6, max: 2 ** 40 }).map(String), expectField: fc.constant(/field "(subj|obj)_(start|end)"/) }),
  );

  it('names the record and the field of a bad value in an otherwise valid file (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('json' as const, 'jsonl' as const), fc.nat({ max: 4 }), fieldCase, async (format, index, c) => {
        const n = ++fileCounter;
        const records = tacredRecords(`f${n}-`);
        const texts = records.map((r, i) => (i === index ? recordText(r, c.field, c.raw) : JSON.stringify(r)));
        const file = writeFile(dir, `field.${format}`, serialise(format, texts));
        const before = tableCounts(db);
        const outcome = await settle(() => importSplit(db, { filePath: file, split: `f${n}` }));
        expect(outcome.ok, `${c.field} = ${c.raw?.slice(0, 40)} was accepted`).toBe(false);
        if (outcome.ok) return;
        const where = format === 'json' ? `record ${index}` : `record ${index} \\(line ${index + 1}\\)`;
        expect(outcome.error.message).toMatch(new RegExp(`^${escape(file)}: ${where}( id "[^"]*")?, field "`));
        expect(outcome.error.message).toMatch(c.expectField);
        expect(tableCounts(db)).toEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it('names both records of a repeated id, and the split of an id the project already holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('json' as const, 'jsonl' as const), fc.nat({ max: 3 }), fc.integer({ min: 1, max: 4 }), async (format, first, gap) => {
        const n = ++fileCounter;
        const records = tacredRecords(`d${n}-`);
        const second = Math.min(4, first + gap);
        records[second]!.id = records[first]!.id;
        const file = writeFile(dir, `dup.${format}`, serialise(format, records.map((r) => JSON.stringify(r))));
        const before = tableCounts(db);
        const outcome = await settle(() => importSplit(db, { filePath: file, split: `d${n}` }));
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.error.message).toMatch(new RegExp(`record ${second}\\b.*field "id": duplicates the id of record ${first}`));
        records[second]!.id = 'b2';
        const again = writeFile(dir, `known.${format}`, serialise(format, records.map((r) => JSON.stringify(r))));
        await expect(importSplit(db, { filePath: again, split: `d${n}` })).rejects.toThrow(new RegExp(`record ${second}\\b.*field "id": already exists in split "base"`));
        expect(tableCounts(db)).toEqual(before);
      }),
      { numRuns: 20 },
    );
  });

  it('refuses arrays and lines of arbitrary JSON at the first record, naming it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('json' as const, 'jsonl' as const), fc.array(fc.jsonValue({ maxDepth: 4 }), { minLength: 1, maxLength: 5 }), async (format, values) => {
        const file = writeFile(dir, `junk.${format}`, format === 'json' ? JSON.stringify(values, null, 2) : values.map((v) => JSON.stringify(v)).join('\n') + '\n');
        const before = tableCounts(db);
        const outcome = await settle(() => importSplit(db, { filePath: file, split: `j${fileCounter}`, format }));
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.error.message).toMatch(/: record \d+[ ,:]|no valid records/);
        expect(tableCounts(db)).toEqual(before);
      }),
      { numRuns: 100 },
    );
  });

  it('names the record of a non-finite number token or other invalid JSON in one record', async () => {
    for (const format of ['json', 'jsonl'] as const) {
      for (const raw of ['NaN', 'Infinity', '-Infinity', 'undefined', "'x'", '0x1F', '01']) {
        const texts = tacredRecords(`nf${++fileCounter}-`).map((r, i) => (i === 3 ? recordText(r, 'subj_start', raw) : JSON.stringify(r)));
        const file = writeFile(dir, `nonfinite.${format}`, serialise(format, texts));
        const before = tableCounts(db);
        await expect(importSplit(db, { filePath: file, split: `nf${fileCounter}` })).rejects.toThrow(format === 'json' ? /: record 3: is not valid JSON/ : /: record 3 \(line 4\): is not valid JSON/);
        expect(tableCounts(db)).toEqual(before);
      }
    }
  });

  it('copes with a 200k-token record: accepted when valid, and the bad token is named when not', async () => {
    const tokens = Array.from({ length: 200_000 }, (_, i) => `t${i}`);
    for (const format of ['json', 'jsonl'] as const) {
      const good = record(`huge-${format}`, { token: tokens, subj_start: 0, subj_end: 1, obj_start: 199_998, obj_end: 199_999 });
      const file = writeFile(dir, `huge.${format}`, serialise(format, [JSON.stringify(good)]));
      const result = await importSplit(db, { filePath: file, split: `huge-${format}` });
      expect(result.imported).toBe(1);
      expect(db.prepare('SELECT token_count FROM examples WHERE ext_id = ?').pluck().get(`huge-${format}`)).toBe(200_000);

      const bad = record(`huge-bad-${format}`, { token: [...tokens.slice(0, -1), 42] });
      const badFile = writeFile(dir, `huge-bad.${format}`, serialise(format, [JSON.stringify(record(`ok-${format}`)), JSON.stringify(bad)]));
      const before = tableCounts(db);
      await expect(importSplit(db, { filePath: badFile, split: `huge-bad-${format}` })).rejects.toThrow(/record 1( \(line 2\))? id "huge-bad-\w+", field "token\.199999": every token must be a string/);
      expect(tableCounts(db)).toEqual(before);
    }
  });

  it('reads a repeated key as JSON.parse does (the last one) and keeps deep junk in unknown fields verbatim', async () => {
    const base = JSON.stringify(record('dupkey-1'));
    const repeated = base.replace('"relation":"per:title"', '"relation":"per:title","relation":"org:founded_by"');
    const junk = JSON.stringify(record('deepjunk-1')).replace(/}$/, `,"junk":${nested(50_000)}}`);
    const file = writeFile(dir, 'repeated.jsonl', `${repeated}\n${junk}\n`);
    await importSplit(db, { filePath: file, split: 'repeated' });
    const label = db.prepare("SELECT l.name FROM examples e JOIN labels l ON l.id = e.label_id WHERE e.ext_id = 'dupkey-1'").pluck().get();
    expect(label).toBe('org:founded_by');
    const raw = db.prepare("SELECT r.raw FROM example_records r JOIN examples e ON e.id = r.example_id WHERE e.ext_id = 'deepjunk-1'").pluck().get();
    expect(raw).toBe(junk);
    const conflicting = JSON.stringify(record('dupkey-2')).replace('"subj_start":0', '"subj_start":0,"subj_start":"zero"');
    await expect(importSplit(db, { filePath: writeFile(dir, 'repeated-bad.jsonl', conflicting + '\n'), split: 'repeated-bad' })).rejects.toThrow(/record 0 \(line 1\) id "dupkey-2", field "subj_start"/);
  });

  // KNOWN BUG (reported): bytes that are not UTF-8 are decoded leniently and imported without a
  // word: a Latin-1 file gets U+FFFD in place of its accented letters (so the stored "verbatim"
  // record, and every export of it, differ from the file), and in JSON Lines an incomplete
  // UTF-8 sequence at the very end of the file is dropped by readline (record-source.ts,
  // json-array-framer.ts). Flip to `it` once such files are refused.
  it('refuses a file that is not UTF-8 rather than replacing or dropping bytes', async () => {
    const text = (format: 'json' | 'jsonl') => serialise(format, [JSON.stringify(record(`enc-${format}-${++fileCounter}`, { token: ['Café', 'Zoë', 'was', 'a', 'résumé', '.'] }))]);
    const files = [
      writeFile(dir, 'latin1.json', Buffer.from(text('json'), 'latin1')),
      writeFile(dir, 'latin1.jsonl', Buffer.from(text('jsonl'), 'latin1')),
      writeFile(dir, 'tail.jsonl', Buffer.concat([Buffer.from(text('jsonl'), 'utf8'), Buffer.from([0xe6, 0x9d])])),
    ];
    const accepted: string[] = [];
    for (const file of files) {
      const outcome = await settle(() => importSplit(db, { filePath: file, split: `enc-${++fileCounter}` }));
      if (outcome.ok) accepted.push(path.basename(file));
      else expect(outcome.error.message).toMatch(/record 0|line \d+/);
    }
    expect(accepted).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Reference patches (TACRev and Re-TACRED styles)

describe('readReferencePatch / importReferenceSet under fuzzed input', () => {
  let dir: string;
  let db: Db;
  beforeAll(async () => {
    dir = suiteDir();
    db = openDatabase(path.join(dir, 'patch.winnow'), { create: true });
    await importSplit(db, { filePath: writeJson(path.join(dir, 'base.json'), [record('p0'), record('p1')]), split: 'train' });
    return () => db.close();
  });

  const LABELS = ['no_relation', 'per:title', 'org:founded_by', 'per:city_of_birth'];
  const base = (prefix: string) => Array.from({ length: 6 }, (_, i) => ({ id: `${prefix}${i}`, relation: LABELS[i % LABELS.length]! }));
  const tacrev = (entries: { id: unknown; relation: unknown }[]) => `[\n${entries.map((e) => JSON.stringify(e)).join(',\n')}\n]\n`;
  const retacred = (entries: { id: string; relation: string }[]) => `{\n${entries.map((e) => `${JSON.stringify(e.id)}: ${JSON.stringify(e.relation)}`).join(',\n')}\n}\n`;

  it('imports a mutated patch as JSON.parse reads it, or refuses it with a WinnowError and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('tacrev' as const, 'retacred' as const), byteMutation, async (style, mutation) => {
        const n = ++fileCounter;
        const entries = base(`m${n}-`);
        const bytes = applyBytes(style === 'tacrev' ? tacrev(entries) : retacred(entries), mutation);
        const file = writeFile(dir, `patch-${style}.json`, bytes);
        const before = tableCounts(db);
        const outcome = await settle(() => importReferenceSet(db, file, `ref${n}`));
        if (outcome.ok) {
          const stored = new Map(
            (db.prepare('SELECT l.ext_id AS id, l.label FROM reference_labels l JOIN reference_sets s ON s.id = l.set_id WHERE s.name = ?').all(`ref${n}`) as { id: string; label: string }[]).map((r) => [r.id, r.label]),
          );
          const parsed = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as unknown;
          const expected = Array.isArray(parsed)
            ? new Map((parsed as { id: string | number; relation: string }[]).map((e) => [String(e.id), e.relation]))
            : new Map(Object.entries(parsed as Record<string, string>));
          expect(stored).toEqual(expected);
          expect(outcome.value.count).toBe(expected.size);
        } else {
          expect(outcome.error.message.startsWith(`${file}: `), outcome.error.message).toBe(true);
          expect(tableCounts(db)).toEqual(before);
        }
      }),
      { numRuns: 150 },
    );
  });

  const badEntryValue = fc.oneof(fc.constantFrom(null, true, 1.5, '', [], {}, ['x']), fc.jsonValue({ maxDepth: 3 }).filter((v) => typeof v !== 'string' && typeof v !== 'number'));

  it('TACRev: names the entry and the field of a bad value (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 5 }), fc.constantFrom('id', 'relation'), badEntryValue, fc.boolean(), async (index, field, value, drop) => {
        const entries: Record<string, unknown>[] = base(`t${++fileCounter}-`);
        if (drop) delete entries[index]![field];
        else entries[index]![field] = value;
        const file = writeFile(dir, 'tacrev-bad.json', JSON.stringify(entries, null, 1));
        const before = tableCounts(db);
        const outcome = await settle(() => importReferenceSet(db, file, `tb${fileCounter}`));
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(outcome.error.message).toMatch(new RegExp(`^${escape(file)}: entry ${index}, field "${field}": (is missing|is .+)`));
        expect(tableCounts(db)).toEqual(before);
      }),
      { numRuns: 100 },
    );
  });

  it('TACRev: names a non-object entry; Re-TACRED: names the key of a bad label', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 5 }), fc.jsonValue({ maxDepth: 3 }), async (index, value) => {
        fc.pre(typeof value !== 'object' || value === null || Array.isArray(value));
        const entries: unknown[] = base(`n${++fileCounter}-`);
        entries[index] = value;
        const file = writeFile(dir, 'tacrev-nonobject.json', JSON.stringify(entries));
        await expect(readReferencePatch(file)).rejects.toThrow(new RegExp(`^${escape(file)}: entry ${index}: is .*, not an object`));
      }),
      { numRuns: 50 },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 5 }), fc.jsonValue({ maxDepth: 3 }), async (index, value) => {
        fc.pre(typeof value !== 'string' || value === '');
        const entries = base(`r${++fileCounter}-`);
        const text = `{${entries.map((e, i) => `${JSON.stringify(e.id)}: ${i === index ? JSON.stringify(value) : JSON.stringify(e.relation)}`).join(', ')}}`;
        const file = writeFile(dir, 'retacred-bad.json', text);
        await expect(readReferencePatch(file)).rejects.toThrow(new RegExp(`^${escape(file)}: key "${escape(entries[index]!.id)}": the label is`));
      }),
      { numRuns: 50 },
    );
  });

  it('Re-TACRED: reads any object of string labels exactly, whatever the keys and spacing (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ minLength: 1, unit: 'binary' }), fc.string({ minLength: 1, unit: 'binary' }), { minKeys: 1, maxKeys: 8 }), fc.constantFrom(0, 1, 2, '\t'), async (dict, indent) => {
        const file = writeFile(dir, 'retacred-any.json', JSON.stringify(dict, null, indent));
        const patch = await readReferencePatch(file);
        expect(patch.style).toBe('retacred');
        expect(new Map([...patch.labels].sort())).toEqual(new Map(Object.entries(dict).sort()));
      }),
      { numRuns: 150 },
    );
  });

  it('Re-TACRED: a repeated key with a different label is refused naming both, the same label is read once', async () => {
    const same = writeFile(dir, 'dup-same.json', '{"a": "per:title", "b": "no_relation", "a": "per:title"}');
    expect([...(await readReferencePatch(same)).labels]).toEqual([['a', 'per:title'], ['b', 'no_relation']]);
    const conflict = writeFile(dir, 'dup-conflict.json', '{"a": "per:title", "b": "no_relation", "a": "org:founded_by"}');
    await expect(readReferencePatch(conflict)).rejects.toThrow(/key "a": id "a" is labelled "org:founded_by" but key "a" labels it "per:title"/);
    const tacrevConflict = writeFile(dir, 'dup-tacrev.json', '[{"id": "a", "relation": "x"}, {"id": "a", "relation": "y"}]');
    await expect(readReferencePatch(tacrevConflict)).rejects.toThrow(/entry 1: id "a" is labelled "y" but entry 0 labels it "x"/);
  });

  it('reads a 200k-entry patch', async () => {
    const entries = Array.from({ length: 200_000 }, (_, i) => ({ id: `big${i}`, relation: LABELS[i % 4]! }));
    const file = writeFile(dir, 'big.json', tacrev(entries));
    const summary = await importReferenceSet(db, file, 'big', { allowUnknown: true });
    expect(summary.count).toBe(200_000);
  });

  // KNOWN BUG (reported): describe() in reference-patch.ts calls JSON.stringify on the bad value,
  // which throws RangeError (not a WinnowError) for values nested ~5000 deep (a 10 KB file).
  it('refuses deeply nested junk with a WinnowError (TACRev entry and Re-TACRED value)', async () => {
    for (const text of [`[${nested(10_000)}]`, `{"a": ${nested(10_000)}}`, `[{"id": ${nested(10_000)}, "relation": "x"}]`]) {
      const outcome = await settle(() => readReferencePatch(writeFile(dir, 'deep.json', text)));
      expect(outcome.ok).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Predictions files

describe('readPredictionsFile under fuzzed input', () => {
  const LABELS = ['no_relation', 'per:title', 'org:founded_by'];
  const IDS = Array.from({ length: 6 }, (_, i) => `e${i}`);
  const KNOWN = new Map(IDS.map((id, i) => [id, i]));
  const DIM = 4;
  let dir: string;
  beforeAll(() => {
    dir = suiteDir();
  });

  interface Row {
    id: unknown;
    probs: unknown;
    embedding?: unknown;
  }
  const baseRows = (): Row[] => IDS.map((id, i) => ({ id, probs: LABELS.map((_, j) => (j === i % 3 ? 0.5 : 0.25)), embedding: [i, 1, -1, 0.5] }));
  /** Header then rows; `raw` replaces the JSON text of one value (for NaN and friends). */
  const fileText = (rows: Row[], raws: Map<string, string> = new Map()) => {
    let text = [JSON.stringify({ labels: LABELS }), ...rows.map((r) => JSON.stringify(r))].join('\n') + '\n';
    for (const [marker, raw] of raws) text = text.replace(JSON.stringify(marker), () => raw);
    return text;
  };

  it('reads a mutated file consistently, or refuses it with a WinnowError naming the line (property)', async () => {
    await fc.assert(
      fc.asyncProperty(byteMutation, async (mutation) => {
        const bytes = applyBytes(fileText(baseRows()), mutation);
        const file = writeFile(dir, 'mutated.jsonl', bytes);
        const outcome = await settle(() => readPredictionsFile(file, { knownIds: KNOWN }));
        if (outcome.ok) {
          const { probs, covered, labels } = outcome.value;
          for (let i = 0; i < IDS.length; i++) {
            if (!covered[i]) continue;
            const row = Array.from(probs.subarray(i * labels.length, (i + 1) * labels.length));
            expect(row.every((p) => Number.isFinite(p) && p >= 0 && p <= 1)).toBe(true);
            expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-3);
          }
        } else {
          expect(outcome.error.message.startsWith(`${file}: `), outcome.error.message).toBe(true);
          expect(outcome.error.message).toMatch(/: line \d+[,:( ]|: is empty|: has a header but no prediction rows/);
        }
      }),
      { numRuns: 200 },
    );
  });

  type RowCase = { row: number; apply: (rows: Row[], raws: Map<string, string>) => void; expect: RegExp; label: string };
  const nonFinite = fc.constantFrom('NaN', 'Infinity', '-Infinity');
  const rowCase: fc.Arbitrary<RowCase> = fc.oneof(
    fc.record({ row: fc.nat({ max: 5 }), j: fc.nat({ max: 2 }), token: nonFinite }).map(({ row, j, token }) => ({
      row,
      label: `probs[${j}] = ${token}`,
      apply: (rows: Row[], raws: Map<string, string>) => {
        (rows[row]!.probs as unknown[])[j] = 'RAW-P';
        raws.set('RAW-P', token);
      },
      expect: new RegExp(`field "probs\\[${j}\\]": is ${token}, which JSON cannot hold`),
    })),
    fc.record({ row: fc.nat({ max: 5 }), d: fc.nat({ max: DIM - 1 }), token: nonFinite }).map(({ row, d, token }) => ({
      row,
      label: `embedding[${d}] = ${token}`,
      apply: (rows: Row[], raws: Map<string, string>) => {
        (rows[row]!.embedding as unknown[])[d] = 'RAW-E';
        raws.set('RAW-E', token);
      },
      expect: new RegExp(`field "embedding\\[${d}\\]": is ${token}`),
    })),
    fc.record({ row: fc.integer({ min: 1, max: 5 }), width: fc.integer({ min: 1, max: 64 }).filter((w) => w !== DIM) }).map(({ row, width }) => ({
      row,
      label: `embedding width ${width}`,
      apply: (rows: Row[]) => {
        rows[row]!.embedding = Array.from({ length: width }, () => 0.5);
      },
      expect: new RegExp(`field "embedding": has ${width} values but line 2 has ${DIM}`),
    })),
    fc.record({ row: fc.nat({ max: 5 }), width: fc.integer({ min: 0, max: 10 }).filter((w) => w !== LABELS.length) }).map(({ row, width }) => ({
      row,
      label: `probs width ${width}`,
      apply: (rows: Row[]) => {
        rows[row]!.probs = Array.from({ length: width }, () => 1 / Math.max(width, 1));
      },
      expect: new RegExp(`field "probs": has ${width} values but the header names ${LABELS.length} labels`),
    })),
    fc.record({ row: fc.nat({ max: 5 }), j: fc.nat({ max: 2 }), value: fc.oneof(fc.constantFrom(-0.5, 1.5, '0.5', null, true, [0.5], {})) }).map(({ row, j, value }) => ({
      row,
      label: `probs[${j}] = ${JSON.stringify(value)}`,
      apply: (rows: Row[]) => {
        (rows[row]!.probs as unknown[])[j] = value;
      },
      expect: new RegExp(`field "probs\\[${j}\\]": is `),
    })),
    fc.record({ row: fc.nat({ max: 5 }), scale: fc.constantFrom(0.5, 2, 0.9) }).map(({ row, scale }) => ({
      row,
      label: `probs scaled by ${scale}`,
      apply: (rows: Row[]) => {
        rows[row]!.probs = (rows[row]!.probs as number[]).map((p) => p * scale);
      },
      expect: /field "probs": sums to /,
    })),
    fc.record({ row: fc.nat({ max: 5 }), id: fc.constantFrom('unknown', 'e', 'E0') }).map(({ row, id }) => ({
      row,
      label: `id ${id}`,
      apply: (rows: Row[]) => {
        rows[row]!.id = id;
      },
      expect: new RegExp(`id "${id}", field "id": "${id}" is not an example of this project`),
    })),
    fc.record({ row: fc.integer({ min: 1, max: 5 }) }).map(({ row }) => ({
      row,
      label: 'repeated id',
      apply: (rows: Row[]) => {
        rows[row]!.id = rows[0]!.id;
      },
      expect: /field "id": "e0" already has a row on line 2/,
    })),
    fc.record({ row: fc.nat({ max: 5 }), field: fc.constantFrom('id', 'probs') }).map(({ row, field }) => ({
      row,
      label: `no ${field}`,
      apply: (rows: Row[]) => {
        delete (rows[row] as unknown as Record<string, unknown>)[field];
      },
      expect: new RegExp(`field "${field}": is missing`),
    })),
  );

  it('names the line, the id and the field of a bad row (property)', async () => {
    await fc.assert(
      fc.asyncProperty(rowCase, async (c) => {
        const rows = baseRows();
        const raws = new Map<string, string>();
        c.apply(rows, raws);
        const file = writeFile(dir, 'row.jsonl', fileText(rows, raws));
        const outcome = await settle(() => readPredictionsFile(file, { knownIds: KNOWN }));
        expect(outcome.ok, `${c.label} was accepted`).toBe(false);
        if (outcome.ok) return;
        expect(outcome.error.message).toMatch(new RegExp(`^${escape(file)}: line ${c.row + 2}[,:]`));
        expect(outcome.error.message).toMatch(c.expect);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a bad header, an empty file and a file in another encoding with a WinnowError', async () => {
    const cases: [string | Buffer, RegExp][] = [
      ['', /: is empty/],
      ['\n\n', /: is empty/],
      [`${JSON.stringify({ labels: LABELS })}\n`, /has a header but no prediction rows/],
      [`${JSON.stringify(baseRows()[0])}\n`, /line 1: the first line must be the header .*found a prediction row instead/],
      [`{"labels": ["a", "a"]}\n`, /line 1 \(header\), field "labels\[1\]": "a" repeats labels\[0\]/],
      [`{"labels": ["a"]}\n`, /line 1 \(header\), field "labels": must name at least two labels/],
      [`{"labels": ["a", NaN]}\n`, /line 1, field "labels\[1\]": is NaN/],
      [`{"labels": ${nested(3000)}}\n`, /line 1 \(header\), field "labels\[0\]"/],
      [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fileText(baseRows()), 'utf16le')]), /line 1: not valid JSON/],
      [`[${JSON.stringify({ labels: LABELS })}]\n`, /line 1: the first line must be the header/],
    ];
    for (const [content, pattern] of cases) {
      const file = writeFile(dir, 'header.jsonl', content);
      const outcome = await settle(() => readPredictionsFile(file, { knownIds: KNOWN }));
      expect(outcome.ok, String(pattern)).toBe(false);
      if (!outcome.ok) expect(outcome.error.message).toMatch(pattern);
    }
  });

  it('refuses a 200k-wide probability row and a 200k-wide embedding of the wrong width by line and field', async () => {
    const rows = baseRows();
    rows[2]!.probs = Array.from({ length: 200_000 }, () => 0);
    await expect(readPredictionsFile(writeFile(dir, 'wide.jsonl', fileText(rows)), { knownIds: KNOWN })).rejects.toThrow(/line 4, id "e2", field "probs": has 200000 values but the header names 3 labels/);
    const wide = baseRows();
    wide[3]!.embedding = Array.from({ length: 200_000 }, () => 0.1);
    await expect(readPredictionsFile(writeFile(dir, 'wide-e.jsonl', fileText(wide)), { knownIds: KNOWN })).rejects.toThrow(/line 5, id "e3", field "embedding": has 200000 values but line 2 has 4/);
  });

  it('through rankProject: a refused predictions file stores no run and changes nothing (property)', async () => {
    const db = openDatabase(path.join(dir, 'rank.winnow'), { create: true });
    try {
      const records = Array.from({ length: 12 }, (_, i) => record(`k${i}`, { relation: LABELS[i % 3] }));
      await importSplit(db, { filePath: writeJson(path.join(dir, 'rank.json'), records), split: 'train' });
      const rows = (): Row[] => records.map((r, i) => ({ id: r.id, probs: [0.8, 0.1, 0.1].map((_, j) => (j === i % 3 ? 0.8 : 0.1)), embedding: [i % 3, 1, (i * 7) % 5, 0.5] }));
      await fc.assert(
        fc.asyncProperty(fc.oneof(byteMutation.map((m) => ({ m, c: null })), rowCase.map((c) => ({ m: null, c }))), async ({ m, c }) => {
          const list = rows();
          const raws = new Map<string, string>();
          if (c) {
            // Row cases use ids e0..e5; keep them pointing into this project.
            c.apply(list, raws);
            for (const row of list) if (typeof row.id === 'string' && /^e\d$/.test(row.id)) row.id = `k${row.id.slice(1)}`;
          }
          const text = fileText(list, raws);
          const file = writeFile(dir, 'rank-predictions.jsonl', m ? applyBytes(text, m) : text);
          const before = tableCounts(db);
          const outcome = await settle(() => rankProject(db, { model: { kind: 'predictions', file }, strategies: ['cl', 'knn', 'is'] }));
          if (!outcome.ok) {
            expect(outcome.error.message).toMatch(new RegExp(`^${escape(file)}: `));
            expect(tableCounts(db)).toEqual(before);
          }
        }),
        { numRuns: 40 },
      );
      expect(checkProject(db, { train: 12 })).toEqual(SOUND);
    } finally {
      db.close();
    }
  });

  // KNOWN BUG (reported): with a NaN token on a line, findMarked() in predictions-file.ts walks
  // the parsed line recursively, and describeNumber() JSON.stringifies a non-number
  // probability: both throw RangeError (not a WinnowError) on values nested ~5000+ deep.
  it('refuses deeply nested junk on a row with a WinnowError', async () => {
    for (const line of [`{"x": ${nested(10_000)}, "id": "e0", "probs": [NaN, 0.5, 0.5]}`, `{"id": "e0", "probs": [${nested(10_000)}, 0.5, 0.5]}`]) {
      const outcome = await settle(() => readPredictionsFile(writeFile(dir, 'deep.jsonl', `${JSON.stringify({ labels: LABELS })}\n${line}\n`), { knownIds: KNOWN }));
      expect(outcome.ok).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Model manifests (winnow-model.json)

describe('readManifestFile under fuzzed input', () => {
  let dir: string;
  beforeAll(() => {
    dir = suiteDir();
  });

  const transformer = {
    format: 'winnow-model/1',
    name: 'bert-tacred',
    labels: ['no_relation', 'per:title', 'org:founded_by'],
    negativeLabel: 'no_relation',
    input: { kind: 'transformer', maxLength: 128, entityMarkers: { style: 'typed', subjStart: '[S:{type}]', subjEnd: '[/S:{type}]', objStart: '[O:{type}]', objEnd: '[/O:{type}]' }, inputNames: { inputIds: 'input_ids', attentionMask: 'attention_mask', tokenTypeIds: null } },
    outputs: { logits: 'logits', embedding: 'pooled' },
    outputsAreProbabilities: false,
  };
  const segment = {
    format: 'winnow-model/1',
    name: 'builtin',
    labels: ['no_relation', 'per:title'],
    negativeLabel: 'no_relation',
    input: { kind: 'segment-features', featureSet: 'winnow-segment-bow/1', maxFeatures: 256, inputName: 'feature_ids' },
    outputs: { logits: 'logits', embedding: null },
  };

  /** Every path to a value in `value`, e.g. ['input', 'entityMarkers', 'style'], ['labels', 1]. */
  function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
    if (typeof value === 'object' && value !== null) return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
    return [prefix];
  }
  const fieldName = (p: readonly (string | number)[]) => p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');

  function setAt(root: unknown, p: (string | number)[], value: unknown, remove: boolean): unknown {
    const copy = structuredClone(root) as Record<string | number, unknown>;
    let node = copy;
    for (const key of p.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    const last = p.at(-1)!;
    if (remove && !Array.isArray(node)) delete node[last];
    else node[last] = value;
    return copy;
  }

  it('loads a mutated manifest, or refuses it naming the file and a field on every line (property)', async () => {
    const line = (file: string) => new RegExp(`^${escape(file)}: (\\S+) (is missing|is .+)$`);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(transformer, segment),
        fc.nat(),
        fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, '', 0, -1, 1e9, 8192, 'typed', 'winnow-model/2', [], {})),
        fc.boolean(),
        async (manifest, pick, value, remove) => {
          const all = paths(manifest).filter((p) => p.length > 0);
          const target = all[pick % all.length]!;
          const file = writeFile(dir, 'winnow-model.json', JSON.stringify(setAt(manifest, target, value, remove), null, 2));
          const outcome = await settle(() => readManifestFile(file));
          if (outcome.ok) return;
          const lines = outcome.error.message.split('\n').filter((l) => !/^\(and \d+ more problems\)$/.test(l));
          const mutated = fieldName(target);
          const named: string[] = [];
          for (const l of lines) {
            const match = line(file).exec(l);
            expect(match, l).not.toBeNull();
            named.push(match![1]!);
          }
          // At least one line is about the mutated field, a field around it, or a rule tying it to another.
          const related = named.some((f) => f === mutated || mutated.startsWith(f) || f.startsWith(mutated) || f === 'negativeLabel' || f === 'labels' || f === '(top');
          expect(related, `${mutated} -> ${named.join(', ')}`).toBe(true);
        },
      ),
      { numRuns: 250 },
    );
  });

  it('refuses mutated bytes, other encodings and arbitrary JSON with a WinnowError that names the file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(byteMutation.map((m) => applyBytes(JSON.stringify(transformer, null, 2), m)), fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v)))), async (bytes) => {
        const file = writeFile(dir, 'winnow-model.json', bytes);
        const outcome = await settle(() => readManifestFile(file));
        if (!outcome.ok) expect(outcome.error.message.startsWith(`${file}: `), outcome.error.message).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('copes with 200k labels, repeated keys and a UTF-8 BOM', async () => {
    const labels = ['no_relation', ...Array.from({ length: 200_000 }, (_, i) => `rel:${i}`)];
    expect((await readManifestFile(writeFile(dir, 'big.json', JSON.stringify({ ...segment, labels })))).labels).toHaveLength(200_001);
    const repeated = [...labels];
    repeated[150_000] = 'rel:3';
    await expect(readManifestFile(writeFile(dir, 'big-dup.json', JSON.stringify({ ...segment, labels: repeated })))).rejects.toThrow(/: labels is .*: labels must be unique/);
    const duplicateKey = JSON.stringify(segment).replace('"name":"builtin"', '"name":"builtin","name":5');
    await expect(readManifestFile(writeFile(dir, 'dup-key.json', duplicateKey))).rejects.toThrow(/: name is 5: /);
    expect((await readManifestFile(writeFile(dir, 'bom.json', `\uFEFF${JSON.stringify(segment)}`))).name).toBe('builtin');
  });

  // KNOWN BUG (reported, src/main/core/model/manifest-file.ts): shortJson() JSON.stringifies the
  // offending value, which throws RangeError (not a WinnowError) for a value nested ~5000 deep.
  it('refuses a deeply nested value with a WinnowError', async () => {
    const file = writeFile(dir, 'deep.json', JSON.stringify(segment).replace('"name":"builtin"', `"name":${nested(10_000)}`));
    const outcome = await settle(() => readManifestFile(file));
    expect(outcome.ok).toBe(false);
  });
});
