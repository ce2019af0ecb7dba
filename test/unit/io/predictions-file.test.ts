import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPredictionsFile } from '../../../src/main/core/io/predictions-file';
import { invalidFileMessage } from '../../helpers/refused';
import { tempDir } from '../../helpers/temp-dir';

const LABELS = ['no_relation', 'per:title', 'org:founded_by'];
const IDS = ['a1', 'a2', 'a3', '17'];
const KNOWN = new Map(IDS.map((id, i) => [id, i]));

function write(lines: (string | object)[]): string {
  const file = path.join(tempDir(), 'predictions.jsonl');
  fs.writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}

const header = { labels: LABELS };

function refused(lines: (string | object)[]): Promise<string> {
  return invalidFileMessage(write(lines), (file) => readPredictionsFile(file, { knownIds: KNOWN }));
}

describe('readPredictionsFile: a valid file', () => {
  it('lands every row at its example index, with embeddings, and counts the missing', async () => {
    const file = write([
      { labels: LABELS, model: 'extra header fields are ignored' },
      { id: 'a3', probs: [0.1, 0.2, 0.7], embedding: [1, 2] },
      '',
      { id: 17, probs: [1, 0, 0], embedding: [-0.5, 0.25] },
      { id: 'a1', probs: [0.33333, 0.33333, 0.33334], embedding: [3, 4], note: 'kept out' },
    ]);
    const progress: number[] = [];
    const out = await readPredictionsFile(file, { knownIds: KNOWN, onProgress: (p) => progress.push(p.done) });
    expect(out.labels).toEqual(LABELS);
    expect(out.embeddingDim).toBe(2);
    expect(Array.from(out.covered)).toEqual([1, 0, 1, 1]);
    expect(out.missing).toBe(1);
    const probs = Array.from(out.probs);
    expect(probs.slice(0, 3)).toEqual(Array.from(Float32Array.from([0.33333, 0.33333, 0.33334])));
    expect(probs.slice(3, 6)).toEqual([0, 0, 0]);
    expect(probs.slice(6, 9)).toEqual(Array.from(Float32Array.from([0.1, 0.2, 0.7])));
    expect(probs.slice(9, 12)).toEqual([1, 0, 0]);
    expect(Array.from(out.embedding!)).toEqual([3, 4, 0, 0, 1, 2, -0.5, 0.25]);
    expect(progress.at(-1)).toBe(fs.statSync(file).size);
  });

  it('has no embedding when no row gives one', async () => {
    const out = await readPredictionsFile(write([header, { id: 'a2', probs: [0, 0.5, 0.5] }]), { knownIds: KNOWN });
    expect(out.embedding).toBeNull();
    expect(out.embeddingDim).toBe(0);
    expect(out.missing).toBe(3);
  });

  it('handles many rows with wide embeddings', async () => {
    const n = 2000;
    const dim = 64;
    const known = new Map(Array.from({ length: n }, (_, i) => [`e${i}`, i]));
    const lines: object[] = [header];
    for (let i = n - 1; i >= 0; i--) {
      lines.push({ id: `e${i}`, probs: [0.5, 0.25, 0.25], embedding: Array.from({ length: dim }, (_, d) => i + d / 100) });
    }
    const out = await readPredictionsFile(write(lines), { knownIds: known });
    expect(out.missing).toBe(0);
    expect(out.embedding![1234 * dim + 5]).toBeCloseTo(1234.05, 2);
  });
});

describe('readPredictionsFile: each problem names the file, the line, the id and the field', () => {
  it('a missing header', async () => {
    expect(await refused([{ id: 'a1', probs: [1, 0, 0] }])).toMatch(/line 1: the first line must be the header \{"labels": \[\.\.\.\]\}.*found a prediction row instead/);
  });

  it('an empty file', async () => {
    expect(await refused([])).toMatch(/: is empty; expected a header line/);
  });

  it('a header with repeated labels', async () => {
    expect(await refused([{ labels: ['a', 'b', 'a'] }])).toMatch(/line 1 \(header\), field "labels\[2\]": "a" repeats labels\[0\]/);
  });

  it('a header with an empty label', async () => {
    expect(await refused([{ labels: ['a', ''] }])).toMatch(/line 1 \(header\), field "labels\[1\]": labels must not be empty strings/);
  });

  it('a header without rows', async () => {
    expect(await refused([header])).toMatch(/has a header but no prediction rows/);
  });

  it('a line that is not JSON', async () => {
    expect(await refused([header, '{"id": "a1", "probs": [1, 0, 0]'])).toMatch(/line 2: not valid JSON/);
  });

  it('NaN and Infinity written by Python', async () => {
    expect(await refused([header, { id: 'a1', probs: [1, 0, 0] }, '{"id": "a2", "probs": [0.5, NaN, 0.5]}'])).toMatch(
      /line 3, id "a2", field "probs\[1\]": is NaN, which JSON cannot hold/,
    );
    expect(await refused([header, '{"id": "NaN-like id", "probs": [1, 0, 0], "embedding": [0, -Infinity]}'])).toMatch(
      /line 2, id "NaN-like id", field "embedding\[1\]": is -Infinity, which JSON cannot hold/,
    );
  });

  it('a value too large for a double (Infinity after parsing)', async () => {
    expect(await refused([header, '{"id": "a1", "probs": [1, 0, 0], "embedding": [1e999]}'])).toMatch(/line 2, id "a1", field "embedding\[0\]": is Infinity, not a finite number/);
  });

  it('a row with the wrong width', async () => {
    expect(await refused([header, { id: 'a1', probs: [0.5, 0.5] }])).toMatch(/line 2, id "a1", field "probs": has 2 values but the header names 3 labels/);
  });

  it('a probability outside [0, 1]', async () => {
    expect(await refused([header, { id: 'a1', probs: [2.5, -1, -0.5] }])).toMatch(/line 2, id "a1", field "probs\[0\]": is 2\.5, outside \[0, 1\]/);
  });

  it('a row that does not sum to 1', async () => {
    expect(await refused([header, { id: 'a1', probs: [0.5, 0.2, 0.2] }])).toMatch(/line 2, id "a1", field "probs": sums to 0\.9\d*, not 1/);
  });

  it('a probability that is not a number', async () => {
    expect(await refused([header, { id: 'a1', probs: [1, '0', 0] }])).toMatch(/line 2, id "a1", field "probs\[1\]": is "0", not a finite number/);
  });

  it('an unknown id', async () => {
    expect(await refused([header, { id: 'a1', probs: [1, 0, 0] }, { id: 'zz', probs: [1, 0, 0] }])).toMatch(/line 3, id "zz", field "id": "zz" is not an example of this project/);
  });

  it('a repeated id', async () => {
    expect(await refused([header, { id: 'a1', probs: [1, 0, 0] }, { id: 'a2', probs: [1, 0, 0] }, { id: 'a1', probs: [0, 1, 0] }])).toMatch(
      /line 4, id "a1", field "id": "a1" already has a row on line 2/,
    );
  });

  it('a missing id or probs', async () => {
    expect(await refused([header, { probs: [1, 0, 0] }])).toMatch(/line 2, field "id": is missing/);
    expect(await refused([header, { id: 'a1' }])).toMatch(/line 2, id "a1", field "probs": is missing/);
  });

  it('an embedding in some rows only', async () => {
    expect(await refused([header, { id: 'a1', probs: [1, 0, 0], embedding: [1, 2] }, { id: 'a2', probs: [1, 0, 0] }])).toMatch(
      /line 3, id "a2", field "embedding": is missing, but earlier rows have one/,
    );
    expect(await refused([header, { id: 'a1', probs: [1, 0, 0] }, { id: 'a2', probs: [1, 0, 0], embedding: [1, 2] }])).toMatch(
      /line 3, id "a2", field "embedding": is present but the first row \(line 2\) has none/,
    );
  });

  it('embeddings of different widths', async () => {
    expect(await refused([header, { id: 'a1', probs: [1, 0, 0], embedding: [1, 2] }, { id: 'a2', probs: [1, 0, 0], embedding: [1, 2, 3] }])).toMatch(
      /line 3, id "a2", field "embedding": has 3 values but line 2 has 2/,
    );
  });

  it('a missing file', async () => {
    await expect(readPredictionsFile(path.join(tempDir(), 'nope.jsonl'), { knownIds: KNOWN })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
