import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectPredictionsFormat, readModelPredictions, type PredictionsSource } from '../../../src/main/core/io/model-predictions';
import { readNumpyMatrix } from '../../../src/main/core/io/numpy-file';
import { WinnowError } from '../../../src/shared/errors';
import { invalidFileMessage } from '../../helpers/refused';
import { tempDir } from '../../helpers/temp-dir';

// Written once by test/fixtures/numpy/make_fixtures.py (numpy); read here without Python.
const FIXTURES = path.resolve(__dirname, '../../fixtures/numpy');
const at = (name: string) => path.join(FIXTURES, name);
const RECORDS = JSON.parse(fs.readFileSync(at('records.json'), 'utf8')) as { id: string; relation: string }[];
const KNOWN = new Map(RECORDS.map((r, i) => [r.id, i]));
const LABELS = ['Other', 'Cause-Effect', 'Component-Whole', 'Member-Collection'];

const npy = (file: string, extra: Partial<PredictionsSource> = {}): PredictionsSource => ({ file: at(file), labels: at('labels.json'), ids: at('ids.txt'), ...extra });
const read = (source: PredictionsSource) => readModelPredictions(source, { knownIds: KNOWN });

describe('predictions from Python: every format gives the same numbers', () => {
  it('reads float32 C-order, float64 Fortran-order and format versions 2 and 3 identically to JSON Lines, CSV and TSV', async () => {
    const jsonl = await read({ file: at('probs.jsonl') });
    expect(jsonl.format).toBe('jsonl');
    expect(jsonl.labels).toEqual(LABELS);
    expect(jsonl.missing).toBe(0);
    for (const source of [npy('probs.f4.npy'), npy('probs.f8-fortran.npy'), npy('probs.v2.npy'), npy('probs.v3.npy'), npy('probs.f4.npy', { labels: at('labels.txt') }), { file: at('probs.csv') }, { file: at('probs.tsv') }]) {
      const out = await read(source);
      expect(out.labels, source.file).toEqual(LABELS);
      expect(out.missing, source.file).toBe(0);
      expect(Array.from(out.probs), source.file).toEqual(Array.from(jsonl.probs));
    }
    // The rows of the files are shuffled against the records: the ids put them back.
    const first = RECORDS[0]!.id;
    const f4 = await readNumpyMatrix(at('probs.f4.npy'), 'pred_probs');
    const row = fs.readFileSync(at('ids.txt'), 'utf8').split('\n').indexOf(first);
    expect(row).toBeGreaterThan(0);
    expect(Array.from(jsonl.probs.subarray(0, 4))).toEqual(Array.from(Float32Array.from(f4.values.subarray(row * 4, row * 4 + 4))));
  });

  it('knows each format by its content', async () => {
    expect(await detectPredictionsFormat(at('probs.f4.npy'))).toBe('npy');
    expect(await detectPredictionsFormat(at('probs.jsonl'))).toBe('jsonl');
    expect(await detectPredictionsFormat(at('probs.csv'))).toBe('csv');
    expect(await detectPredictionsFormat(at('probs.tsv'))).toBe('tsv');
  });

  it('reads an embeddings .npy row by row with the probabilities', async () => {
    const out = await read(npy('probs.f4.npy', { embeddings: at('embeddings.npy') }));
    expect(out.embeddingDim).toBe(8);
    const matrix = await readNumpyMatrix(at('embeddings.npy'), 'the embeddings');
    const ids = fs.readFileSync(at('ids.txt'), 'utf8').trim().split('\n');
    const r = 7;
    const index = KNOWN.get(ids[r]!)!;
    expect(Array.from(out.embedding!.subarray(index * 8, index * 8 + 8))).toEqual(Array.from(Float32Array.from(matrix.values.subarray(r * 8, r * 8 + 8))));
  });

  it('covers part of the project and says how many examples it left out', async () => {
    const out = await read(npy('partial.npy', { ids: at('partial-ids.txt') }));
    expect(out.missing).toBe(20);
    expect(out.covered.reduce((s, c) => s + c, 0)).toBe(60);
    const ids = new Set(fs.readFileSync(at('partial-ids.txt'), 'utf8').trim().split('\n'));
    RECORDS.forEach((r, i) => expect(out.covered[i]).toBe(ids.has(r.id) ? 1 : 0));
  });
});

describe('predictions from Python: clear refusals', () => {
  it('names the dtype, byte order and shape it cannot use', async () => {
    expect(await invalidFileMessage(at('bad-int.npy'), (file) => read(npy('x', { file })))).toMatch(/holds <i8 values; pred_probs must be float32 or float64/);
    expect(await invalidFileMessage(at('bad-bigendian.npy'), (file) => read(npy('x', { file })))).toMatch(/big-endian/);
    expect(await invalidFileMessage(at('bad-3d.npy'), (file) => read(npy('x', { file })))).toMatch(/2-D array .* shape \(80, 4, 1\)/);
    expect(await invalidFileMessage(at('records.json'), (file) => readNumpyMatrix(file, 'pred_probs'))).toMatch(/not a numpy .npy file/);
  });

  it('checks the labels and ids files against the array', async () => {
    const dir = tempDir();
    const threeLabels = path.join(dir, 'labels.txt');
    fs.writeFileSync(threeLabels, 'Other\nCause-Effect\nComponent-Whole\n');
    expect(await invalidFileMessage(at('probs.f4.npy'), () => read(npy('probs.f4.npy', { labels: threeLabels })))).toMatch(/has 4 columns but .*labels.txt names 3 labels/);
    expect(await invalidFileMessage(at('probs.f4.npy'), () => read(npy('probs.f4.npy', { ids: at('partial-ids.txt') })))).toMatch(/has 80 rows but .*partial-ids.txt lists 60 ids/);
    const stranger = path.join(dir, 'ids.txt');
    fs.writeFileSync(stranger, fs.readFileSync(at('ids.txt'), 'utf8').replace(RECORDS[3]!.id, 'not-here'));
    expect(await invalidFileMessage(at('probs.f4.npy'), () => read(npy('probs.f4.npy', { ids: stranger })))).toMatch(/row \d+ \(id "not-here", .*\): "not-here" is not an example of this project/);
    const repeated = path.join(dir, 'labels.json');
    fs.writeFileSync(repeated, JSON.stringify(['Other', 'Other', 'A', 'B']));
    expect(await invalidFileMessage(repeated, () => read(npy('probs.f4.npy', { labels: repeated })))).toMatch(/entry \[1\]: "Other" repeats/);
  });

  it('needs the labels and ids with a .npy, and refuses them with other formats', async () => {
    await expect(read({ file: at('probs.f4.npy'), ids: at('ids.txt') })).rejects.toThrow(/needs its class order: give a labels file/);
    await expect(read({ file: at('probs.f4.npy'), labels: at('labels.json') })).rejects.toThrow(/needs its row order: give an ids file/);
    await expect(read({ file: at('probs.jsonl'), labels: at('labels.json') })).rejects.toThrow(WinnowError);
  });

  it('names the CSV line, id and column of a bad value', async () => {
    const dir = tempDir();
    const write = (name: string, text: string) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    };
    const ids = RECORDS.slice(0, 2).map((r) => r.id);
    const header = `id,${LABELS.join(',')}\n`;
    expect(await invalidFileMessage(write('a.csv', `${header}${ids[0]},0.5,0.5,x,0\n`), (file) => read({ file }))).toMatch(/line 2, id "np-000", column "Component-Whole": is NaN/);
    expect(await invalidFileMessage(write('b.csv', `${header}${ids[0]},0.5,0.6,0,0\n`), (file) => read({ file }))).toMatch(/line 2, id "np-000": the probabilities sum to 1.1/);
    expect(await invalidFileMessage(write('c.csv', `${header}${ids[0]},1,0,0,0\n${ids[0]},1,0,0,0\n`), (file) => read({ file }))).toMatch(/line 3, id "np-000", column "id": "np-000" already has a row on line 2/);
    expect(await invalidFileMessage(write('d.csv', `name,${LABELS.join(',')}\n${ids[0]},1,0,0,0\n`), (file) => read({ file }))).toMatch(/needs an "id" column/);
    expect(await invalidFileMessage(write('e.csv', `${header}${ids[0]},1,0,0\n`), (file) => read({ file }))).toMatch(/not valid CSV/);
  });
});
