import fs from 'node:fs';
import path from 'node:path';
import { generateSyntheticTacred } from '../../tools/demo-generator/synthetic-tacred';
import { importSplit } from '../../src/main/core/store/import-split';
import { openDatabase, type Db } from '../../src/main/core/store/database';
import { LabelTable } from '../../src/main/core/store/labels';
import { mulberry32 } from './seeded';

/**
 * A project for the retraining comparison: generated train (noisy) and test (clean) splits and
 * one hand-written run whose IS and CL flags are drawn with a seed, so that every variant has
 * something to drop or relabel without the cost of a real ranking.
 */
export async function compareProject(dir: string, sizes = { train: 500, test: 200 }): Promise<{ db: Db; file: string; runId: number; trainFile: string; testFile: string }> {
  const train = generateSyntheticTacred({ n: sizes.train, seed: 71, idPrefix: 'tr' });
  const test = generateSyntheticTacred({ n: sizes.test, seed: 72, idPrefix: 'te', noise: { falseNegativeRate: 0, randomRate: 0 } });
  const trainFile = path.join(dir, 'train.json');
  const testFile = path.join(dir, 'test.json');
  fs.writeFileSync(trainFile, JSON.stringify(train.records));
  fs.writeFileSync(testFile, JSON.stringify(test.records));
  const file = path.join(dir, 'c.winnow');
  const db = openDatabase(file, { create: true });
  await importSplit(db, { filePath: trainFile, split: 'train' });
  await importSplit(db, { filePath: testFile, split: 'test' });
  const runId = insertFlagRun(db, 9);
  return { db, file, runId, trainFile, testFile };
}

/** A run over the train split with seeded IS flags (negatives, suggested their true label) and CL flags. */
export function insertFlagRun(db: Db, seed: number): number {
  const labels = new LabelTable(db);
  const random = mulberry32(seed);
  const runId = Number(
    db
      .prepare(
        `INSERT INTO run_rows (created_at, model_kind, model_name, model_hash, provider, providers_skipped, params, timings, label_order, summary)
         VALUES ('2024-05-01T10:00:00.000Z', 'predictions', 'hand.jsonl', ?, 'cpu', '[]', '{"strategies": ["is", "cl"]}', '{}', '[]', '{}')`,
      )
      .run('cd'.repeat(32)).lastInsertRowid,
  );
  const rows = db
    .prepare("SELECT e.id, e.label_id AS labelId, l.name AS label FROM examples e JOIN splits s ON s.id = e.split_id JOIN labels l ON l.id = e.label_id WHERE s.name = 'train' ORDER BY e.position")
    .all() as { id: number; labelId: number; label: string }[];
  const positives = [...new Set(rows.map((r) => r.label).filter((l) => l !== 'no_relation'))].sort();
  const predict = db.prepare("INSERT INTO predictions (run_id, example_id, predicted_label_id, predicted_prob, given_prob, probs) VALUES (?, ?, ?, 0.5, 0.5, x'00000000')");
  const flag = db.prepare("INSERT INTO flags (run_id, example_id, strategy, score, suggested_label_id, evidence) VALUES (?, ?, ?, ?, ?, '{}')");
  for (const row of rows) {
    predict.run(runId, row.id, row.labelId);
    if (row.label === 'no_relation' && random() < 0.12) flag.run(runId, row.id, 'is', random(), labels.idFor(positives[Math.floor(random() * positives.length)]!));
    if (random() < 0.08) flag.run(runId, row.id, 'cl', random(), labels.idFor(row.label === 'no_relation' ? positives[0]! : 'no_relation'));
  }
  return runId;
}

/** TACRED's score.py, written out again here (not the module under test): micro P/R/F1 over positives. */
export function officialScore(gold: readonly string[], guess: readonly string[], negative = 'no_relation'): { p: number; r: number; f1: number } {
  let correct = 0;
  let guessed = 0;
  let golds = 0;
  gold.forEach((g, i) => {
    const p = guess[i]!;
    if (g === negative && p === negative) return;
    if (g === negative) guessed++;
    else if (p === negative) golds++;
    else {
      guessed++;
      golds++;
      if (g === p) correct++;
    }
  });
  const p = guessed > 0 ? correct / guessed : 1;
  const r = golds > 0 ? correct / golds : 0;
  return { p, r, f1: p + r > 0 ? (2 * p * r) / (p + r) : 0 };
}
