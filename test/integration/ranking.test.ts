import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticTacred } from '../../tools/demo-generator/synthetic-tacred';
import { importSplit } from '../../src/main/core/store/import-split';
import { findLabelIssues } from '../../src/main/core/noise/confident-learning';
import { evaluateRun } from '../../src/main/core/ranking/evaluate';
import { rankProject } from '../../src/main/core/ranking/rank-project';
import { planIndex } from '../../src/main/core/jobs/job-eta';
import { phasePlan } from '../../src/main/core/jobs/job-phases';
import { RANK_DEFAULTS, type RankSummary } from '../../src/shared/ranking';
import { iterateFlags } from '../../src/main/core/ranking/run-queries';
import { openDatabase, type Db } from '../../src/main/core/store/database';
import { importReferenceSet } from '../../src/main/core/store/reference-sets';
import { tempDir } from '../helpers/temp-dir';

const N_TRAIN = 1500;
const N_DEV = 300;
let dir: string;
let db: Db;
let truth: Map<string, string>;
let noisy: Set<string>;
let builtin: RankSummary;
const builtinPhases = new Set<string>();

function freshProject(): Db {
  const copy = path.join(tempDir(), 'copy.winnow');
  db.pragma('wal_checkpoint(TRUNCATE)');
  fs.copyFileSync(path.join(dir, 'p.winnow'), copy);
  return openDatabase(copy);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'winnow-rank-'));
  const train = generateSyntheticTacred({ n: N_TRAIN, seed: 101, idPrefix: 'tr' });
  const dev = generateSyntheticTacred({ n: N_DEV, seed: 202, idPrefix: 'dv', noise: { falseNegativeRate: 0, randomRate: 0 } });
  fs.writeFileSync(path.join(dir, 'train.json'), JSON.stringify(train.records));
  fs.writeFileSync(path.join(dir, 'dev.json'), JSON.stringify(dev.records));
  truth = new Map([...train.trueLabels, ...dev.trueLabels]);
  noisy = new Set(train.noisyIds);
  db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
  await importSplit(db, { filePath: path.join(dir, 'train.json'), split: 'train' });
  await importSplit(db, { filePath: path.join(dir, 'dev.json'), split: 'dev' });
  builtin = await rankProject(db, { strategies: ['is', 'es', 'esp', 'cl', 'knn'], clean: { kind: 'split', name: 'dev' }, seed: 5 }, { onProgress: (phase) => void builtinPhases.add(phase) });
}, 240_000);

describe('ranking with the built-in model', () => {
  it('reports only phases the whole-job time estimate has a weight for', () => {
    const plan = phasePlan({ kind: 'rank', params: { strategies: ['is', 'es', 'esp', 'cl', 'knn'] } });
    expect(builtinPhases.size).toBeGreaterThan(5);
    for (const phase of builtinPhases) expect(planIndex(plan, phase), phase).toBeGreaterThanOrEqual(0);
  });

  it('stores a complete run: parameters, provider, model hash, timings, every prediction', () => {
    const run = db.prepare('SELECT * FROM runs WHERE id = ?').get(builtin.runId) as Record<string, string>;
    expect(run.model_kind).toBe('builtin');
    expect(run.provider).toBe('cpu');
    expect(run.model_hash).toMatch(/^[0-9a-f]{64}$/);
    const params = JSON.parse(run.params!) as Record<string, unknown>;
    expect(params).toMatchObject({ k: 3, folds: 5, seed: 5, clean: [{ kind: 'split', name: 'dev' }], strategies: ['is', 'es', 'esp', 'cl', 'knn'] });
    expect(params.embeddings).toMatchObject({ task: expect.stringMatching(/hidden layer/), knn: expect.stringMatching(/label-free/) });
    expect(Object.keys(JSON.parse(run.timings!) as object)).toEqual(expect.arrayContaining(['train', 'inference', 'strategy:cl', 'total']));
    // The clean split is read (trained on, searched) but not ranked.
    expect(db.prepare('SELECT count(*) FROM predictions WHERE run_id = ?').pluck().get(builtin.runId)).toBe(N_TRAIN);
    expect(builtin.examples).toBe(N_TRAIN);
    expect(builtin.cleanSet).toMatchObject({ description: 'split:dev', examples: N_DEV, relabelledByReference: 0 });
    const probs = db.prepare('SELECT probs FROM predictions WHERE run_id = ? LIMIT 1').pluck().get(builtin.runId) as Buffer;
    const row = new Float32Array(probs.buffer.slice(probs.byteOffset, probs.byteOffset + probs.byteLength));
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it('flags the planted noise far above its base rate, with every strategy', () => {
    const base = noisy.size / N_TRAIN;
    for (const strategy of ['is', 'cl', 'knn', 'esp']) {
      const ids = [...iterateFlags(db, builtin.runId, strategy)].map((f) => f.id).filter((id) => id.startsWith('tr'));
      const precision = ids.filter((id) => noisy.has(id)).length / ids.length;
      expect(ids.length, strategy).toBeGreaterThan(5);
      expect(precision, `${strategy} precision ${precision.toFixed(3)} vs base ${base.toFixed(3)}`).toBeGreaterThan(2 * base);
    }
  });

  it('never flags a clean example under ES/ESP and keeps evidence with ids and similarities', () => {
    const esp = [...iterateFlags(db, builtin.runId, 'esp')];
    expect(esp.every((f) => f.split === 'train')).toBe(true);
    const evidence = JSON.parse(db.prepare("SELECT evidence FROM flags WHERE run_id = ? AND strategy = 'esp' LIMIT 1").pluck().get(builtin.runId) as string) as { neighbours: { id: string; label: string; similarity: number }[] };
    expect(evidence.neighbours).toHaveLength(3);
    for (const n of evidence.neighbours) expect(n.id).toMatch(/^dv/);
    const is = JSON.parse(db.prepare("SELECT evidence FROM flags WHERE run_id = ? AND strategy = 'is' LIMIT 1").pluck().get(builtin.runId) as string) as { anchors: unknown[] };
    expect(is.anchors.length).toBeGreaterThan(0);
  });

  it("orders the queue by agreement, then noiseScore, then the rows CL alone scored by CL's score", () => {
    const rows = db.prepare('SELECT agreement, top_score, strategies FROM queue WHERE run_id = ? ORDER BY rank').all(builtin.runId) as { agreement: number; top_score: number; strategies: string }[];
    expect(rows.length).toBe(builtin.queue);
    const clOnly = (r: { strategies: string }) => Object.keys(JSON.parse(r.strategies) as object).every((s) => s === 'cl');
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      const sameGroup = a.agreement === b.agreement && clOnly(a) === clOnly(b);
      expect(a.agreement > b.agreement || (a.agreement === b.agreement && !clOnly(a) && clOnly(b)) || (sameGroup && a.top_score >= b.top_score), `rank ${i}`).toBe(true);
    }
    // Both kinds of row occur, or the check above would not test the rule.
    expect(rows.some(clOnly) && rows.some((r) => !clOnly(r))).toBe(true);
  });

  it('fits the second, cleaned cross-fit at this size; past the auto limit it reads one fit and says so', async () => {
    const notesOf = (d: Db, run: number) => (JSON.parse(d.prepare('SELECT params FROM runs WHERE id = ?').pluck().get(run) as string) as { strategyNotes: Record<string, string> }).strategyNotes;
    expect(notesOf(db, builtin.runId).cl).toContain('probabilities: a second 5-fold cross-fit without the');
    expect(builtin.warnings.some((w) => w.includes('read the one cross-fit'))).toBe(false);
    // The limit lowered below this project's 1,800 examples (restored after), instead of ranking 500,001.
    const defaults = RANK_DEFAULTS as { probabilityFitAutoMax: number };
    const limit = defaults.probabilityFitAutoMax;
    defaults.probabilityFitAutoMax = 1000;
    const copy = freshProject();
    try {
      const auto = await rankProject(copy, { strategies: ['cl'], seed: 5 });
      expect(auto.warnings).toContainEqual(expect.stringMatching(/^1,800 examples: CL, KNN, ES and ESP read the one cross-fit \(probability fit auto fits the second, cleaned one up to 1,000;/));
      expect(notesOf(copy, auto.runId).cl).not.toContain('probabilities:');
      const one = await rankProject(copy, { strategies: ['cl'], seed: 5, probabilityFit: 'all' });
      expect(one.warnings.some((w) => w.includes('read the one cross-fit'))).toBe(false);
      const flags = (run: number) => [...iterateFlags(copy, run, 'cl')].map((f) => [f.id, f.suggested, f.strategies.cl]);
      expect(flags(auto.runId).length).toBeGreaterThan(0);
      expect(flags(auto.runId)).toEqual(flags(one.runId));
    } finally {
      defaults.probabilityFitAutoMax = limit;
      copy.close();
    }
  }, 120_000);

  it('repeats the cross-fit when asked: each example\'s probabilities are the mean over the repeats', async () => {
    const copy = freshProject();
    try {
      const phases = new Set<string>();
      const twice = await rankProject(copy, { strategies: ['cl'], seed: 5, repeats: 2, probabilityFit: 'all' }, { onProgress: (phase) => void phases.add(phase) });
      const once = await rankProject(copy, { strategies: ['cl'], seed: 5, probabilityFit: 'all' });
      const run = (id: number) => copy.prepare('SELECT model_name, params FROM runs WHERE id = ?').get(id) as { model_name: string; params: string };
      expect(run(twice.runId).model_name).toBe('winnow-builtin (5-fold × 2)');
      expect(run(once.runId).model_name).toBe('winnow-builtin (5-fold)');
      expect(JSON.parse(run(twice.runId).params)).toMatchObject({ repeats: 2 });
      expect(JSON.parse(run(once.runId).params)).toMatchObject({ repeats: 1 });
      expect(phases).toContain('training: fold 5 of 5 (repeat 2 of 2)');
      const plan = phasePlan({ kind: 'rank', params: { strategies: ['cl'], repeats: 2, probabilityFit: 'all' } });
      for (const phase of phases) expect(planIndex(plan, phase), phase).toBeGreaterThanOrEqual(0);
      const probs = (id: number) =>
        (copy.prepare('SELECT probs FROM predictions WHERE run_id = ? ORDER BY example_id').pluck().all(id) as Buffer[]).map((b) => Array.from(new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))));
      const [a, b] = [probs(twice.runId), probs(once.runId)];
      // No clean set: both splits are ranked.
      expect(a).toHaveLength(N_TRAIN + N_DEV);
      // A distribution per example (the repeats' shares add up), and not the single cross-fit's.
      for (const row of a) expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 4);
      expect(a.filter((row, i) => Math.abs(row[0]! - b[i]![0]!) > 1e-3).length).toBeGreaterThan(a.length / 2);
    } finally {
      copy.close();
    }
  }, 120_000);

  it('is deterministic under its seed', async () => {
    const copy = freshProject();
    const again = await rankProject(copy, { strategies: ['cl', 'knn'], clean: [{ kind: 'split', name: 'dev' }], seed: 5 });
    const first = [...iterateFlags(db, builtin.runId, 'cl')].map((f) => f.id).sort();
    const second = [...iterateFlags(copy, again.runId, 'cl')].map((f) => f.id).sort();
    expect(second).toEqual(first);
    copy.close();
  }, 120_000);

  it('scores strategies against a reference patch', async () => {
    const patch = path.join(dir, 'patch.json');
    fs.writeFileSync(patch, JSON.stringify([...truth].map(([id, relation]) => ({ id, relation }))));
    await importReferenceSet(db, patch, 'truth');
    const result = evaluateRun(db, builtin.runId, 'truth');
    expect(result.covered).toBe(N_TRAIN);
    expect(result.changed).toBe(noisy.size);
    const cl = result.strategies.find((s) => s.strategy === 'cl')!;
    const clIds = [...iterateFlags(db, builtin.runId, 'cl')].map((f) => f.id);
    expect(cl.flagged).toBe(clIds.length);
    expect(cl.precision).toBeCloseTo(clIds.filter((id) => noisy.has(id)).length / clIds.length, 3);
    expect(cl.recall).toBeCloseTo(clIds.filter((id) => noisy.has(id)).length / noisy.size, 3);
    expect(result.strategies.map((s) => s.strategy)).toContain('any');
  });
});

describe('ranking with imported predictions', () => {
  function writePredictions(file: string, options: { embedding: boolean; labels?: string[] }) {
    const rows = db.prepare('SELECT e.ext_id AS id, l.name AS label FROM examples e JOIN labels l ON l.id = e.label_id ORDER BY e.id').all() as { id: string; label: string }[];
    const labels = options.labels ?? [...new Set(rows.map((r) => r.label))].sort();
    const lines = [JSON.stringify({ labels })];
    for (const [i, row] of rows.entries()) {
      // A model that believes the true label, with a little doubt spread over the rest.
      const believed = labels.includes(truth.get(row.id)!) ? truth.get(row.id) : labels[0];
      const probs = labels.map((l) => (l === believed ? 0.9 : 0.1 / (labels.length - 1)));
      const line: Record<string, unknown> = { id: row.id, probs };
      if (options.embedding) line.embedding = [Math.cos(i), Math.sin(i), 1];
      lines.push(JSON.stringify(line));
    }
    fs.writeFileSync(file, lines.join('\n') + '\n');
    return labels;
  }

  it('runs CL on the given probabilities exactly as the reference semantics say', async () => {
    const file = path.join(tempDir(), 'preds.jsonl');
    const labels = writePredictions(file, { embedding: false });
    const copy = freshProject();
    const phases = new Set<string>();
    // cleanlab's issues as they are: positives flagged towards the negative label too.
    const summary = await rankProject(copy, { model: { kind: 'predictions', file }, strategies: ['cl'], clPositives: 'all' }, { onProgress: (phase) => void phases.add(phase) });
    const plan = phasePlan({ kind: 'rank', params: { model: { kind: 'predictions', file }, strategies: ['cl'], clPositives: 'all' } });
    for (const phase of phases) expect(planIndex(plan, phase), phase).toBeGreaterThanOrEqual(0);
    const rows = copy.prepare('SELECT e.ext_id AS id, l.name AS label FROM examples e JOIN labels l ON l.id = e.label_id ORDER BY e.id').all() as { id: string; label: string }[];
    const given = Int32Array.from(rows, (r) => labels.indexOf(r.label));
    const probs = new Float64Array(rows.length * labels.length);
    rows.forEach((r, i) => labels.forEach((l, k) => (probs[i * labels.length + k] = Math.fround(l === truth.get(r.id) ? 0.9 : 0.1 / (labels.length - 1)))));
    const expected = [...findLabelIssues(given, probs, labels.length, { filterBy: 'prune_by_noise_rate' })].map((i) => rows[i]!.id).sort();
    const flagged = [...iterateFlags(copy, summary.runId, 'cl')].map((f) => f.id).sort();
    expect(flagged).toEqual(expected);
    expect(new Set(flagged)).toEqual(noisy);
    // By default a positive is never flagged towards the project's negative label.
    const byDefault = await rankProject(copy, { model: { kind: 'predictions', file }, strategies: ['cl'] });
    const negative = byDefault.negativeLabel;
    const labelOf = new Map(rows.map((r) => [r.id, r.label]));
    const towardsNegative = expected.filter((id) => labelOf.get(id) !== negative && truth.get(id) === negative);
    expect(towardsNegative.length).toBeGreaterThan(0);
    const flaggedByDefault = [...iterateFlags(copy, byDefault.runId, 'cl')];
    expect(flaggedByDefault.map((f) => f.id).sort()).toEqual(expected.filter((id) => !towardsNegative.includes(id)));
    expect(flaggedByDefault.some((f) => labelOf.get(f.id) !== negative && f.suggested !== negative)).toBe(true);
    copy.close();
  });

  it('refuses strategies that need an embedding when the file has none, naming the strategy', async () => {
    const file = path.join(tempDir(), 'preds.jsonl');
    writePredictions(file, { embedding: false });
    const copy = freshProject();
    await expect(rankProject(copy, { model: { kind: 'predictions', file }, strategies: ['cl', 'is'] })).rejects.toThrow(/IS needs an embedding/);
    expect(copy.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(1);
    copy.close();
  });

  it('refuses a label the model does not know', async () => {
    const file = path.join(tempDir(), 'preds.jsonl');
    const all = [...new Set((db.prepare('SELECT name FROM labels').pluck().all() as string[]))].sort();
    writePredictions(file, { embedding: true, labels: all.filter((l) => l !== 'per:title') });
    const copy = freshProject();
    await expect(rankProject(copy, { model: { kind: 'predictions', file }, strategies: ['cl'] })).rejects.toThrow(/has label "per:title", which the model .* does not know/);
    copy.close();
  });
});

describe('ranking jobs', () => {
  it('leave no run behind when cancelled', async () => {
    const copy = freshProject();
    const controller = new AbortController();
    await expect(
      rankProject(copy, { strategies: ['cl'] }, { signal: controller.signal, onProgress: (phase) => phase.startsWith('training') && controller.abort() }),
    ).rejects.toThrow(/cancel/i);
    expect(copy.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(1);
    expect(copy.prepare('SELECT count(*) FROM flags WHERE run_id > 1').pluck().get()).toBe(0);
    copy.close();
  });

  it('leave no run behind when cancelled while saving, with nothing unpublished left either', async () => {
    const copy = freshProject();
    const controller = new AbortController();
    const phases = new Set<string>();
    await expect(
      rankProject(copy, { strategies: ['cl'] }, {
        signal: controller.signal,
        onProgress: (phase) => {
          phases.add(phase);
          if (phase === 'saving') controller.abort();
        },
      }),
    ).rejects.toThrow(/cancel/i);
    expect(phases.has('saving')).toBe(true);
    expect(copy.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(1);
    expect(copy.prepare("SELECT count(*) FROM run_rows WHERE state <> 'published'").pluck().get()).toBe(0);
    expect(copy.prepare('SELECT count(*) FROM predictions WHERE run_id NOT IN (SELECT id FROM runs)').pluck().get()).toBe(0);
    copy.close();
  });

  it('need a clean set for ES and say so', async () => {
    await expect(rankProject(db, { strategies: ['es'] })).rejects.toThrow(/ES and ESP need a clean set/);
  });
});
