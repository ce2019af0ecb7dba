import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVariants } from '../../src/main/core/compare/compare-variants';
import { exportDataset } from '../../src/main/core/export/export-modes';
import type { Db } from '../../src/main/core/store/database';
import { compareProject, officialScore } from '../helpers/compare-project';

const TRAINER = fileURLToPath(new URL('../fixtures/trainers/type-pair-trainer.mjs', import.meta.url));
/** The command as a user types it; the fixture's path has no spaces, but it is quoted anyway. */
const command = (extra = '') => `"${process.execPath}" "${TRAINER}" --train {train} --eval {eval} --out {out} --seed {seed} ${extra}`;

let dir: string;
let db: Db;
let runId: number;
let test: { id: string; relation: string; subj_type: string; obj_type: string }[];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-trainer-'));
  const project = await compareProject(dir, { train: 300, test: 120 });
  db = project.db;
  runId = project.runId;
  test = JSON.parse(fs.readFileSync(project.testFile, 'utf8')) as typeof test;
}, 60_000);

afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The fixture's rule, applied here to the exported training file: the majority label of each type pair. */
function typePairPredictions(trainRecords: { relation: string; subj_type: string; obj_type: string }[]): string[] {
  const counts = new Map<string, Map<string, number>>();
  for (const r of trainRecords) {
    const byLabel = counts.get(`${r.subj_type}|${r.obj_type}`) ?? new Map<string, number>();
    byLabel.set(r.relation, (byLabel.get(r.relation) ?? 0) + 1);
    counts.set(`${r.subj_type}|${r.obj_type}`, byLabel);
  }
  const overall = new Map<string, number>();
  for (const r of trainRecords) overall.set(r.relation, (overall.get(r.relation) ?? 0) + 1);
  const best = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  return test.map((r) => best(counts.get(`${r.subj_type}|${r.obj_type}`) ?? overall));
}

describe('winnow compare --trainer', () => {
  for (const format of ['lines', 'jsonl'] as const) {
    it(`runs the command per variant and seed on the exported data and scores what it wrote (${format})`, async () => {
      const out = path.join(dir, `run-${format}`);
      const dump = path.join(dir, `dump-${format}`);
      fs.mkdirSync(dump);
      const result = await compareVariants(db, { train: 'train', evals: ['test'], variants: ['original', 'CL-R'], seeds: 2, predictionsDir: out, trainer: command(`--format ${format} --dump "${dump}"`) });
      expect(result.model).toBe(command(`--format ${format} --dump "${dump}"`));
      expect(result.hyperparameters).toBeNull();
      // The trainer saw exactly what `winnow export` writes for each variant.
      const exported = await exportDataset(db, { split: 'train', mode: 'auto', run: runId, strategy: 'cl', apply: 'reannotate', outPath: path.join(dir, `cl-r-${format}.json`), appVersion: 't' });
      const clR = JSON.parse(fs.readFileSync(exported.path, 'utf8')) as typeof test;
      expect(JSON.parse(fs.readFileSync(path.join(dump, 'train.seed1.train.CL-R.json'), 'utf8'))).toEqual(clR);
      expect(fs.readdirSync(dump).sort()).toEqual(['train.seed1.train.CL-R.json', 'train.seed1.train.original.json', 'train.seed2.train.CL-R.json', 'train.seed2.train.original.json']);
      // Scores are the official metric of the fixture's predictions.
      const score = result.variants.find((v) => v.name === 'CL-R')!.scores[0]!;
      const expected = officialScore(test.map((r) => r.relation), typePairPredictions(clR));
      expect(score.seeds).toEqual([{ seed: 1, ...expected }, { seed: 2, ...expected }]);
      const lines = fs.readFileSync(path.join(out, 'CL-R.test.seed2.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; relation: string });
      expect(lines).toEqual(test.map((r, i) => ({ id: r.id, relation: typePairPredictions(clR)[i] })));
      // stdout and stderr of every training went to the log beside the results.
      expect(result.log).toBe(path.join(out, 'trainer.log'));
      const log = fs.readFileSync(result.log!, 'utf8');
      expect(log).toContain(`training on ${clR.length} examples, seed 2`);
      expect(log).toContain('eval file holds 120 examples');
      expect(log.match(/# variant (original|CL-R), seed \d/g)).toEqual(['# variant original, seed 1', '# variant original, seed 2', '# variant CL-R, seed 1', '# variant CL-R, seed 2']);
    });
  }

  it('stops at a failing command with its exit code and the last lines of its log, saving nothing', async () => {
    const out = path.join(dir, 'failing');
    const before = db.prepare('SELECT count(*) FROM comparisons').pluck().get();
    const run = compareVariants(db, { train: 'train', evals: ['test'], variants: ['original', 'E'], seeds: 2, predictionsDir: out, trainer: command('--fail-on-seed 2') });
    const error = (await run.then(() => null, (e: Error) => e))!;
    expect(error.message.startsWith(`trainer command exited with code 3 (variant original, seed 2); log ${path.join(out, 'trainer.log')}, last lines: `)).toBe(true);
    expect(error.message.endsWith('--seed 2 --fail-on-seed 2    # variant original, seed 2 | training on 300 examples, seed 2 | eval file holds 120 examples | RuntimeError: CUDA out of memory (pretend)')).toBe(true);
    expect(db.prepare('SELECT count(*) FROM comparisons').pluck().get()).toBe(before);
    // Seed 1 of original had finished: its predictions are there, E never started.
    expect(fs.readdirSync(out).sort()).toEqual(['original.test.seed1.jsonl', 'trainer.log']);
  });

  it('says so when the command cannot start', async () => {
    await expect(compareVariants(db, { train: 'train', evals: ['test'], variants: ['original'], seeds: 1, trainer: 'no-such-trainer-xyz {train} {eval} {out}' })).rejects.toThrow(
      /trainer command "no-such-trainer-xyz" could not start \(variant original, seed 1\): spawn no-such-trainer-xyz ENOENT/,
    );
  });

  it('kills the trainer on cancel', async () => {
    const gate = path.join(dir, 'gate');
    const controller = new AbortController();
    const run = compareVariants(db, { train: 'train', evals: ['test'], variants: ['original'], seeds: 1, trainer: command(`--wait-for "${gate}"`) }, { signal: controller.signal });
    // The fixture announces that it is running, then waits for a file that never comes.
    while (!fs.existsSync(`${gate}.started`)) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
