import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import * as arrow from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm/node';
import { importSplit } from '../../../src/main/core/store/import-split';
import { readLabelNames } from '../../../src/main/core/io/parquet-source';
import { exportDataset } from '../../../src/main/core/export/export-modes';
import { applyDecisions } from '../../../src/main/core/store/decisions';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { projectSummary } from '../../../src/main/core/store/project-summary';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

const fixtures = path.resolve(import.meta.dirname, '../../fixtures/parquet');
const classLabelFile = path.join(fixtures, 'tacred-classlabel.arrow-rs.parquet');
const stringsFile = path.join(fixtures, 'tacred-strings.arrow-rs.parquet');
const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'tacred-records.json'), 'utf8')) as Record<string, unknown>[];
const COLUMNS = ['id', 'docid', 'relation', 'token', 'subj_start', 'subj_end', 'obj_start', 'obj_end', 'subj_type', 'obj_type', 'stanford_pos', 'stanford_head'];

let dir: string;
let db: Db;

beforeEach(() => {
  dir = tempDir();
  db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
  return () => db.close();
});

/** Rows as read by Apache Arrow's Rust reader (parquet-wasm), an implementation Winnow does not use. */
function readWithArrowRs(file: string): { rows: Record<string, unknown>[]; metadata: Map<string, string> } {
  const table = arrow.tableFromIPC(parquetWasm.readParquet(fs.readFileSync(file)).intoIPCStream());
  const rows = table.toArray().map((row: arrow.StructRowProxy) => {
    const plain = row.toJSON() as Record<string, unknown>;
    return Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, v instanceof arrow.Vector ? [...v] : typeof v === 'bigint' ? Number(v) : v]));
  });
  return { rows, metadata: parquetWasm.readSchema(fs.readFileSync(file)).metadata() };
}

function storedRecords(split = 'train'): Record<string, unknown>[] {
  return (db.prepare('SELECT r.raw FROM examples e JOIN example_records r ON r.example_id = e.id JOIN splits s ON s.id = e.split_id WHERE s.name = ? ORDER BY e.position').pluck().all(split) as string[]).map(
    (raw) => JSON.parse(raw) as Record<string, unknown>,
  );
}

function pick(r: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(COLUMNS.map((c) => [c, r[c]]));
}

describe('Parquet import', () => {
  it('imports a Hugging Face style file (ClassLabel ids, names in the metadata) written by arrow-rs', async () => {
    const result = await importSplit(db, { filePath: classLabelFile, split: 'train' });
    expect(result.imported).toBe(23);
    expect(storedRecords().map(pick)).toEqual(expected.map(pick));
    const split = projectSummary(db, 'p').splits[0]!;
    expect(split.format).toBe('parquet');
    expect(result.sha256).toBe((await import('node:crypto')).createHash('sha256').update(fs.readFileSync(classLabelFile)).digest('hex'));
  });

  it('imports relations stored as strings, and class ids named by a --labels file', async () => {
    await importSplit(db, { filePath: stringsFile, split: 'train' });
    expect(storedRecords().map(pick)).toEqual(expected.map(pick));
    // The same ids under other names: the --labels file wins over the metadata.
    const names = await readLabelNames(path.join(fixtures, 'labels.txt'));
    const renamed = names.map((n) => `x:${n}`);
    const other = openDatabase(path.join(dir, 'q.winnow'), { create: true });
    try {
      await importSplit(other, { filePath: classLabelFile, split: 'train', labelNames: renamed });
      const labels = other.prepare('SELECT l.name FROM examples e JOIN labels l ON l.id = e.label_id ORDER BY e.id').pluck().all();
      expect(labels).toEqual(expected.map((r) => `x:${r.relation as string}`));
    } finally {
      other.close();
    }
  });

  it('reads --labels files as lines or a JSON array and names a bad one', async () => {
    const lines = path.join(dir, 'labels.txt');
    fs.writeFileSync(lines, 'no_relation\r\nper:title\n\n');
    expect(await readLabelNames(lines)).toEqual(['no_relation', 'per:title']);
    const json = path.join(dir, 'labels.json');
    fs.writeFileSync(json, '["a", "b"]');
    expect(await readLabelNames(json)).toEqual(['a', 'b']);
    fs.writeFileSync(lines, 'a\n\nb\n');
    await expect(readLabelNames(lines)).rejects.toThrow(/labels\.txt: line 2 is empty/);
    fs.writeFileSync(json, '["a", 3]');
    await expect(readLabelNames(json)).rejects.toThrow(/expected a JSON array of non-empty label names/);
    await expect(readLabelNames(path.join(dir, 'missing.txt'))).rejects.toThrow(/missing\.txt: cannot read the label names \(ENOENT\)/);
  });

  it('detects Parquet by its magic bytes whatever the file is called', async () => {
    const copy = path.join(dir, 'data.bin');
    fs.copyFileSync(stringsFile, copy);
    expect((await importSplit(db, { filePath: copy, split: 'train', format: 'auto' })).imported).toBe(23);
  });

  it('refuses class ids without names, naming the column and the way out', async () => {
    const file = path.join(dir, 'ids.parquet');
    parquetWriteFile({ filename: file, columnData: columns([record('a')], { relation: [0] }, { relation: 'INT32' }) });
    await expect(importSplit(db, { filePath: file, split: 'train' })).rejects.toThrow(/column "relation" holds class ids .* pass the names with --labels/);
    expect(db.prepare('SELECT count(*) FROM splits').pluck().get()).toBe(0);
  });

  it('refuses a class id outside the names, naming row and column, and leaves nothing behind', async () => {
    const file = path.join(dir, 'ids.parquet');
    parquetWriteFile({ filename: file, columnData: columns([record('a'), record('b'), record('c')], { relation: [0, 1, 7] }, { relation: 'INT32' }) });
    await expect(importSplit(db, { filePath: file, split: 'train', labelNames: ['no_relation', 'per:title'] })).rejects.toThrow(/ids\.parquet: row 2, column "relation": class id 7 has no name \(2 labels in the --labels file\)/);
    expect(db.prepare('SELECT count(*) FROM examples').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM splits').pluck().get()).toBe(0);
  });

  it('names row and column of an invalid value, all or nothing like the JSON importer', async () => {
    const file = path.join(dir, 'bad.parquet');
    parquetWriteFile({ filename: file, columnData: columns([record('a'), record('b'), record('c', { obj_end: 9 })]) });
    await expect(importSplit(db, { filePath: file, split: 'train' })).rejects.toThrow(/bad\.parquet: row 2 id "c", field "obj_end": 9 is outside the 6 tokens/);
    expect(db.prepare('SELECT count(*) FROM examples').pluck().get()).toBe(0);
  });

  it('reads row group by row group', async () => {
    const file = path.join(dir, 'groups.parquet');
    const many = Array.from({ length: 250 }, (_, i) => record(`r${i}`));
    parquetWriteFile({ filename: file, columnData: columns(many), rowGroupSize: 40 });
    expect((await parquetMetadataAsync(await asyncBufferFromFile(file))).row_groups.length).toBe(7);
    await importSplit(db, { filePath: file, split: 'train' });
    expect(storedRecords().map((r) => r.id)).toEqual(many.map((r) => r.id));
  });
});

describe('Parquet export', () => {
  it('exports an imported arrow-rs file back equal: rows, types, ClassLabel metadata (read back by arrow-rs)', async () => {
    for (const [name, file] of [['classlabel', classLabelFile], ['strings', stringsFile]] as const) {
      const project = openDatabase(path.join(dir, `${name}.winnow`), { create: true });
      try {
        await importSplit(project, { filePath: file, split: 'train' });
        const out = path.join(dir, `${name}.out.parquet`);
        const summary = await exportDataset(project, { split: 'train', mode: 'original', apply: 'both', format: 'parquet', outPath: out, appVersion: 'test' });
        expect(summary.count).toBe(23);
        const original = readWithArrowRs(file);
        const exported = readWithArrowRs(out);
        expect(exported.rows).toEqual(original.rows);
        expect(exported.metadata.get('huggingface')).toBe(original.metadata.get('huggingface'));
        const schema = (f: string) => arrow.tableFromIPC(parquetWasm.readParquet(fs.readFileSync(f)).intoIPCStream()).schema.fields.map((field) => `${field.name}:${String(field.type)}:${field.nullable}`);
        expect(schema(out)).toEqual(schema(file));
      } finally {
        project.close();
      }
    }
  });

  it('writes reviewed relabels as class ids and refuses a label the ClassLabel names lack', async () => {
    await importSplit(db, { filePath: classLabelFile, split: 'train' });
    const names = await readLabelNames(path.join(fixtures, 'labels.txt'));
    const first = db.prepare('SELECT id FROM examples ORDER BY id LIMIT 1').pluck().get() as number;
    const target = names.find((n) => n !== expected[0]!.relation)!;
    applyDecisions(db, { examples: [first], action: 'reannotate', label: target, annotator: 't' });
    const out = path.join(dir, 'reviewed.parquet');
    await exportDataset(db, { split: 'train', mode: 'reviewed', apply: 'both', format: 'parquet', outPath: out, appVersion: 'test' });
    const rows = readWithArrowRs(out).rows;
    expect(rows[0]!.relation).toBe(names.indexOf(target));
    expect(rows.slice(1)).toEqual(readWithArrowRs(classLabelFile).rows.slice(1));

    applyDecisions(db, { examples: [first], action: 'reannotate', label: 'org:invented_here', annotator: 't' });
    await expect(exportDataset(db, { split: 'train', mode: 'reviewed', apply: 'both', format: 'parquet', outPath: path.join(dir, 'x.parquet'), appVersion: 'test' })).rejects.toThrow(/label "org:invented_here" is not among the \d+ ClassLabel names/);
    expect(fs.existsSync(path.join(dir, 'x.parquet'))).toBe(false);
  });

  it('exports a JSON split as Parquet that imports back to the same records', async () => {
    const records = [record('j1'), record('j2', { relation: 'no_relation', docid: null }), record('j3', { extra_field: 'text this time', score: 0.5 })];
    await importSplit(db, { filePath: writeJson(path.join(dir, 'train.json'), records), split: 'train' });
    const out = path.join(dir, 'train.parquet');
    await exportDataset(db, { split: 'train', mode: 'original', apply: 'both', format: 'parquet', outPath: out, appVersion: 'test' });
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(out));
    const byName = Object.fromEntries(metadata.schema.map((e) => [e.name, e]));
    expect(byName.subj_start).toMatchObject({ type: 'INT32' });
    expect(byName.token).toMatchObject({ converted_type: 'LIST' });
    expect(byName.extra_field).toMatchObject({ converted_type: 'JSON' });
    expect(byName.score).toMatchObject({ type: 'DOUBLE' });
    const other = openDatabase(path.join(dir, 'back.winnow'), { create: true });
    try {
      await importSplit(other, { filePath: out, split: 'train' });
      const back = (other.prepare('SELECT r.raw FROM example_records r ORDER BY r.example_id').pluck().all() as string[]).map((t) => JSON.parse(t) as Record<string, unknown>);
      // Every column exists in every row of a Parquet file: a key a record lacked comes back null.
      const keys = [...new Set(records.flatMap((r) => Object.keys(r)))];
      expect(back).toEqual(records.map((r) => Object.fromEntries(keys.map((k) => [k, r[k] ?? null]))));
      const direct = (await parquetReadObjects({ file: await asyncBufferFromFile(out) })) as Record<string, unknown>[];
      expect(direct.map((r) => r.id)).toEqual(['j1', 'j2', 'j3']);
    } finally {
      other.close();
    }
  });
});

/** Column data for hyparquet-writer from TACRED records, with per-column overrides. */
function columns(records: Record<string, unknown>[], values: Record<string, unknown[]> = {}, types: Record<string, string> = {}) {
  const names = ['id', 'relation', 'token', 'subj_start', 'subj_end', 'obj_start', 'obj_end', 'subj_type', 'obj_type'];
  return names.map((name) => {
    const data = values[name] ?? records.map((r) => r[name]);
    const type = types[name] ?? (name === 'token' ? undefined : typeof data[0] === 'number' ? 'INT32' : 'STRING');
    return type ? { name, data, type: type as 'STRING' } : { name, data };
  });
}
