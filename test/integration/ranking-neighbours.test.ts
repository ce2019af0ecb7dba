import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticTacred } from '../../tools/demo-generator/synthetic-tacred';
import { importSplit } from '../../src/main/core/store/import-split';
import { rankProject } from '../../src/main/core/ranking/rank-project';
import { iterateFlags, listRuns } from '../../src/main/core/ranking/run-queries';
import { openDatabase, type Db } from '../../src/main/core/store/database';
import os from 'node:os';

let db: Db;
let predictions: string;

/** Embeddings near one of 12 directions per label, so that neighbours are meaningful. */
beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-neighbours-'));
  const train = generateSyntheticTacred({ n: 1200, seed: 31, idPrefix: 'tr' });
  fs.writeFileSync(path.join(dir, 'train.json'), JSON.stringify(train.records));
  db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
  await importSplit(db, { filePath: path.join(dir, 'train.json'), split: 'train' });
  const rows = db.prepare('SELECT e.ext_id AS id, l.name AS label FROM examples e JOIN labels l ON l.id = e.label_id ORDER BY e.id').all() as { id: string; label: string }[];
  const labels = [...new Set(rows.map((r) => r.label))].sort();
  const lines = [JSON.stringify({ labels })];
  rows.forEach((row, i) => {
    const t = train.trueLabels.get(row.id)!;
    const l = Math.max(0, labels.indexOf(t));
    const probs = labels.map((name) => (name === t ? 0.8 : 0.2 / (labels.length - 1)));
    const embedding = Array.from({ length: 8 }, (_, d) => Math.cos(l * 0.7 * (d + 1)) + 0.05 * Math.sin(i * (d + 3)));
    lines.push(JSON.stringify({ id: row.id, probs, embedding }));
  });
  predictions = path.join(dir, 'preds.jsonl');
  fs.writeFileSync(predictions, lines.join('\n') + '\n');
}, 120_000);

describe('neighbour search in a ranking run', () => {
  it('stores which search each strategy used with its recall, and `runs` lists it', async () => {
    const exact = await rankProject(db, { model: { kind: 'predictions', file: predictions }, strategies: ['is', 'knn'], neighbours: 'exact' });
    expect(exact.neighbourSearch.knn).toMatchObject({ method: 'exact', recall: 1, queries: 1200, base: 1200, k: 10 });
    expect(exact.neighbourSearch.is).toMatchObject({ method: 'exact' });

    // Probing every cell makes the index exact, so the flags must be the same.
    const full = await rankProject(db, { model: { kind: 'predictions', file: predictions }, strategies: ['is', 'knn'], neighbours: 'approx', ivfLists: 8, ivfProbes: 10_000 });
    expect(full.neighbourSearch.knn).toMatchObject({ method: 'approx', recall: 1 });
    expect(full.neighbourSearch.knn!.index!.nprobe).toBe(full.neighbourSearch.knn!.index!.nlist);
    const flags = (run: number) => [...iterateFlags(db, run)].map((f) => `${f.id}:${f.suggested}`);
    expect(flags(full.runId)).toEqual(flags(exact.runId));

    const rough = await rankProject(db, { model: { kind: 'predictions', file: predictions }, strategies: ['knn'], neighbours: 'approx', ivfLists: 40, ivfProbes: 1 });
    const report = rough.neighbourSearch.knn!;
    expect(report.method).toBe('approx');
    expect(report.recallSample).toBe(500);
    expect(report.recall).toBeGreaterThan(0);
    expect(report.recall).toBeLessThanOrEqual(1);

    const listed = listRuns(db).find((r) => r.id === rough.runId)!;
    expect(listed.neighbourSearch).toMatchObject({ knn: { method: 'approx', recall: report.recall, index: { nlist: report.index!.nlist, nprobe: 1, nprobeFrom: 'given' } } });
    expect(report.index!.nlist).toBeGreaterThanOrEqual(40);
    const stored = JSON.parse(db.prepare('SELECT params FROM runs WHERE id = ?').pluck().get(rough.runId) as string) as Record<string, unknown>;
    expect(stored).toMatchObject({ neighbours: 'approx', ivfLists: 40, ivfProbes: 1 });
  }, 120_000);

  it('auto keeps the exact search on a small project', async () => {
    const run = await rankProject(db, { model: { kind: 'predictions', file: predictions }, strategies: ['knn'] });
    expect(run.neighbourSearch.knn).toMatchObject({ method: 'exact', reason: expect.stringMatching(/^auto/) });
  }, 60_000);
});
