import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../src/main/cli/program';
import { ModelQuality } from '../../src/shared/quality';
import { RunSummary } from '../../src/shared/ranking';
import { rankProject } from '../../src/main/core/ranking/rank-project';
import { importSplit } from '../../src/main/core/store/import-split';
import { openDatabase } from '../../src/main/core/store/database';
import { generateSyntheticTacred } from '../../tools/demo-generator/synthetic-tacred';
import { officialScore } from '../helpers/compare-project';
import { mulberry32 } from '../helpers/seeded';

let dir: string;
let project: string;
let builtinRun: number;
let importedRun: number;

/** Runs one CLI command in-process and returns what it printed on stdout. */
async function cli(...args: string[]): Promise<string> {
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => void printed.push(`${values.join(' ')}\n`));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0);
  try {
    await buildProgram('0.0.0-test', new URL('../../src/main/cli.ts', import.meta.url).href).parseAsync(['node', 'winnow', ...args]);
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  return printed.join('');
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-quality-'));
  const { records } = generateSyntheticTacred({ n: 400, seed: 31, idPrefix: 'q' });
  fs.writeFileSync(path.join(dir, 'train.json'), JSON.stringify(records));
  project = path.join(dir, 'q.winnow');
  const db = openDatabase(project, { create: true });
  await importSplit(db, { filePath: path.join(dir, 'train.json'), split: 'train' });
  builtinRun = (await rankProject(db, { strategies: ['cl'], folds: 2, seed: 3 })).runId;
  // Predictions computed elsewhere: noisy but informative, with confidences all over the range.
  const labels = [...new Set(records.map((r) => r.relation))].sort();
  const random = mulberry32(5);
  const lines = [JSON.stringify({ labels })];
  for (const r of records) {
    const probs = labels.map(() => random());
    if (random() < 0.6) probs[labels.indexOf(r.relation)]! += 2 * random();
    const sum = probs.reduce((a, b) => a + b, 0);
    lines.push(JSON.stringify({ id: r.id, probs: probs.map((p) => p / sum) }));
  }
  fs.writeFileSync(path.join(dir, 'predictions.jsonl'), `${lines.join('\n')}\n`);
  importedRun = (await rankProject(db, { strategies: ['cl'], model: { kind: 'predictions', file: path.join(dir, 'predictions.jsonl') } })).runId;
  db.close();
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The readout recomputed from `winnow predictions` lines, independently of the core's modules. */
function rescore(lines: { given: string; predicted: string; confidence: number }[]) {
  const micro = officialScore(lines.map((l) => l.given), lines.map((l) => l.predicted));
  const positives = [...new Set(lines.flatMap((l) => [l.given, l.predicted]))].filter((l) => l !== 'no_relation').sort();
  const perLabel = positives.map((label) => {
    const correct = lines.filter((l) => l.given === label && l.predicted === label).length;
    const guessed = lines.filter((l) => l.predicted === label).length;
    const gold = lines.filter((l) => l.given === label).length;
    const precision = guessed ? correct / guessed : 1;
    const recall = gold ? correct / gold : 0;
    return { label, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, gold, guessed, correct };
  });
  let ece = 0;
  for (let b = 0; b < 10; b++) {
    const inBin = lines.filter((l) => Math.min(9, Math.max(0, Math.ceil(l.confidence * 10) - 1)) === b);
    if (!inBin.length) continue;
    const accuracy = inBin.filter((l) => l.given === l.predicted).length / inBin.length;
    const confidence = inBin.reduce((a, l) => a + l.confidence, 0) / inBin.length;
    ece += (inBin.length / lines.length) * Math.abs(accuracy - confidence);
  }
  return { microF1: micro.f1, macroF1: perLabel.reduce((a, l) => a + l.f1, 0) / perLabel.length, ece, perLabel };
}

describe('model quality of every run', () => {
  it('`winnow runs --json` quality rescores exactly from `winnow predictions`', async () => {
    const runs = (JSON.parse(await cli('runs', project, '--json')) as unknown[]).map((r) => RunSummary.parse(r));
    expect(runs.map((r) => r.id)).toEqual([importedRun, builtinRun]);
    for (const run of runs) {
      const lines = (await cli('predictions', project, '--run', String(run.id)))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string; split: string; given: string; predicted: string; confidence: number });
      expect(lines).toHaveLength(400);
      expect(Object.keys(lines[0]!)).toEqual(['id', 'split', 'given', 'predicted', 'confidence']);
      const quality = ModelQuality.parse(run.quality);
      const again = rescore(lines);
      expect(quality.microF1, `run ${run.id}`).toBe(again.microF1);
      expect(quality.perLabel, `run ${run.id}`).toEqual(again.perLabel);
      expect(quality.macroF1).toBeCloseTo(again.macroF1, 12);
      expect(quality.ece).toBeCloseTo(again.ece, 12);
      // Informative predictions: far from chance, and not trivially perfect.
      expect(quality.microF1).toBeGreaterThan(0.2);
      expect(quality.ece).toBeGreaterThan(0);
    }
  });

  it('gives runs saved before the readout existed the same figures, from their predictions', async () => {
    const before = (JSON.parse(await cli('runs', project, '--json')) as RunSummary[]).find((r) => r.id === importedRun)!.quality;
    const db = openDatabase(project);
    db.prepare('UPDATE run_rows SET quality = NULL').run();
    db.close();
    const after = (JSON.parse(await cli('runs', project, '--json')) as RunSummary[]).find((r) => r.id === importedRun)!.quality;
    expect(after).toEqual(before);
  });

  it('prints CSV too, one line per ranked example', async () => {
    const csv = (await cli('predictions', project, '--format', 'csv')).trim().split('\n');
    expect(csv[0]).toBe('id,split,given,predicted,confidence');
    expect(csv).toHaveLength(401);
    expect(csv[1]).toMatch(/^q\d+,train,[^,]+,[^,]+,0?\.?\d/);
  });
});

describe('model quality of a run with a clean set', () => {
  let cleanDir: string;
  let cleanProject: string;
  beforeAll(async () => {
    cleanDir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-quality-clean-'));
    const { records } = generateSyntheticTacred({ n: 500, seed: 37, idPrefix: 'c' });
    fs.writeFileSync(path.join(cleanDir, 'train.json'), JSON.stringify(records.slice(0, 400)));
    fs.writeFileSync(path.join(cleanDir, 'dev.json'), JSON.stringify(records.slice(400)));
    cleanProject = path.join(cleanDir, 'c.winnow');
    const db = openDatabase(cleanProject, { create: true });
    await importSplit(db, { filePath: path.join(cleanDir, 'train.json'), split: 'train' });
    await importSplit(db, { filePath: path.join(cleanDir, 'dev.json'), split: 'dev' });
    await rankProject(db, { strategies: ['es'], folds: 2, seed: 3, clean: [{ kind: 'split', name: 'dev' }] });
    db.close();
  }, 120_000);
  afterAll(() => fs.rmSync(cleanDir, { recursive: true, force: true }));

  // The clean set is trained on, not ranked: counting it would score the model on its own
  // training data, and the figures could not be recomputed from `winnow predictions`.
  it('covers the ranked examples only, so it still rescores from `winnow predictions`', async () => {
    const [run] = JSON.parse(await cli('runs', cleanProject, '--json')) as RunSummary[];
    const lines = (await cli('predictions', cleanProject)).trim().split('\n').map((l) => JSON.parse(l) as { split: string; given: string; predicted: string; confidence: number });
    expect(lines).toHaveLength(400);
    expect(new Set(lines.map((l) => l.split))).toEqual(new Set(['train']));
    const quality = ModelQuality.parse(run!.quality);
    expect(quality.examples).toBe(400);
    const again = rescore(lines);
    expect(quality.microF1).toBe(again.microF1);
    expect(quality.perLabel).toEqual(again.perLabel);
    expect(quality.ece).toBeCloseTo(again.ece, 12);
  });

  it('recomputes a stored readout that does not cover exactly the stored predictions', async () => {
    const [before] = JSON.parse(await cli('runs', cleanProject, '--json')) as RunSummary[];
    const db = openDatabase(cleanProject);
    // What a run saved by the earlier code held: the readout over ranked and clean examples.
    db.prepare('UPDATE run_rows SET quality = ?').run(JSON.stringify({ ...before!.quality, examples: 500, microF1: 0.99 }));
    db.close();
    const [after] = JSON.parse(await cli('runs', cleanProject, '--json')) as RunSummary[];
    expect(after!.quality).toEqual(before!.quality);
  });
});
