import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompareResult, type CompareVariant } from '../../src/shared/compare';
import { compareVariants } from '../../src/main/core/compare/compare-variants';
import { listComparisons } from '../../src/main/core/compare/comparison-store';
import { buildVariantSet } from '../../src/main/core/compare/variant-set';
import { exportDataset } from '../../src/main/core/export/export-modes';
import type { Db } from '../../src/main/core/store/database';
import { applyDecisions } from '../../src/main/core/store/decisions';
import { importReferenceSet } from '../../src/main/core/store/reference-sets';
import { compareProject, officialScore } from '../helpers/compare-project';

let dir: string;
let db: Db;
let runId: number;
let testRecords: { id: string; relation: string }[];
let result: CompareResult;
const predictionsDir = () => path.join(dir, 'predictions');

beforeAll(async () => {
  // One project for the whole file (tempDir() is per test).
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-compare-'));
  const project = await compareProject(dir);
  db = project.db;
  runId = project.runId;
  testRecords = JSON.parse(fs.readFileSync(project.testFile, 'utf8')) as { id: string; relation: string }[];
  // A reference that corrects ten test labels (TACRev style).
  const patch = testRecords.slice(0, 10).map((r) => ({ id: r.id, relation: r.relation === 'no_relation' ? 'per:title' : 'no_relation' }));
  fs.writeFileSync(path.join(dir, 'patch.json'), JSON.stringify(patch));
  await importReferenceSet(db, path.join(dir, 'patch.json'), 'fixed');
  const decided = db.prepare("SELECT e.id FROM examples e JOIN splits s ON s.id = e.split_id WHERE s.name = 'train' ORDER BY e.position LIMIT 6").pluck().all() as number[];
  applyDecisions(db, { examples: decided.slice(0, 3), action: 'eliminate', annotator: 'ann' });
  applyDecisions(db, { examples: decided.slice(3), action: 'reannotate', label: 'org:founded_by', annotator: 'ann' });
  result = await compareVariants(db, { train: 'train', evals: ['test'], variants: ['original', 'E', 'R', 'CL-E', 'CL-R', 'reviewed', 'EN'], reference: 'fixed', seeds: 2, predictionsDir: predictionsDir() });
}, 120_000);

afterAll(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A new run with the given params and the same predictions and flags as `from`. */
function copyRun(from: number, params: string): number {
  const id = Number(
    db
      .prepare(
        `INSERT INTO run_rows (created_at, model_kind, model_name, model_hash, provider, providers_skipped, params, timings, label_order, summary)
         SELECT created_at, model_kind, model_name, model_hash, provider, providers_skipped, ?, timings, label_order, summary FROM run_rows WHERE id = ?`,
      )
      .run(params, from).lastInsertRowid,
  );
  db.prepare('INSERT INTO predictions (run_id, example_id, predicted_label_id, predicted_prob, given_prob, probs) SELECT ?, example_id, predicted_label_id, predicted_prob, given_prob, probs FROM predictions WHERE run_id = ?').run(id, from);
  db.prepare('INSERT INTO flags (run_id, example_id, strategy, score, suggested_label_id, evidence) SELECT ?, example_id, strategy, score, suggested_label_id, evidence FROM flags WHERE run_id = ?').run(id, from);
  return id;
}

/** id -> relation of an exported file, in file order. */
function exportedPairs(file: string): [string, string][] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { id: string; relation: string }[]).map((r) => [r.id, r.relation]);
}

describe('winnow compare', () => {
  it('builds every variant exactly as the export writes it', async () => {
    const cases: [CompareVariant, Parameters<typeof exportDataset>[1]][] = [
      ['original', { split: 'train', mode: 'original', outPath: '', appVersion: 't' }],
      ['E', { split: 'train', mode: 'auto', run: runId, strategy: 'is', apply: 'eliminate', outPath: '', appVersion: 't' }],
      ['R', { split: 'train', mode: 'auto', run: runId, strategy: 'is', apply: 'reannotate', outPath: '', appVersion: 't' }],
      ['CL-E', { split: 'train', mode: 'auto', run: runId, strategy: 'cl', apply: 'eliminate', outPath: '', appVersion: 't' }],
      ['CL-R', { split: 'train', mode: 'auto', run: runId, strategy: 'cl', apply: 'reannotate', outPath: '', appVersion: 't' }],
      ['reviewed', { split: 'train', mode: 'reviewed', apply: 'both', outPath: '', appVersion: 't' }],
    ];
    const splitId = db.prepare("SELECT id FROM splits WHERE name = 'train'").pluck().get() as number;
    for (const [variant, options] of cases) {
      const written = await exportDataset(db, { ...options, outPath: path.join(dir, `export.${variant}.json`) });
      const set = buildVariantSet(db, { split: 'train', splitId, variant, runId, withTexts: true });
      const ids = db.prepare('SELECT id, ext_id FROM examples').all() as { id: number; ext_id: string }[];
      const extId = new Map(ids.map((r) => [r.id, r.ext_id]));
      expect(set.exampleIds.map((id, i) => [extId.get(id), set.labels[i]]), variant).toEqual(exportedPairs(written.path));
      // What a trainer reads is the exported records themselves, field for field.
      expect(JSON.parse(`[${set.texts!.join(',')}]`), variant).toEqual(JSON.parse(fs.readFileSync(written.path, 'utf8')));
      expect({ removed: set.removed, relabelled: set.relabelled }, variant).toEqual({ removed: written.eliminated, relabelled: written.relabelled });
      const reported = result.variants.find((v) => v.name === variant)!;
      expect({ trainSize: reported.trainSize, removed: reported.removed, relabelled: reported.relabelled }, variant).toEqual({ trainSize: written.count, removed: written.eliminated, relabelled: written.relabelled });
    }
    // Something changed in each automatic variant, or the comparison would test nothing.
    for (const name of ['E', 'R', 'CL-E', 'CL-R', 'reviewed'] as const) expect(result.variants.find((v) => v.name === name)!.removed + result.variants.find((v) => v.name === name)!.relabelled).toBeGreaterThan(0);
  });

  it('answers the documented shape, with a note for the variant the run lacks', () => {
    expect(CompareResult.parse(result)).toEqual(result);
    expect(result.variants.map((v) => v.name)).toEqual(['original', 'E', 'R', 'CL-E', 'CL-R', 'reviewed']);
    expect(result.skipped).toEqual([{ name: 'EN', reason: `run ${runId} did not run ES (it ran IS, CL)` }]);
    expect(result).toMatchObject({ runId, train: 'train', evals: ['test'], reference: 'fixed', seeds: [1, 2], model: 'builtin', negativeLabel: 'no_relation' });
    for (const v of result.variants) {
      expect(v.scores.map((s) => [s.eval, s.labels])).toEqual([
        ['test', 'given'],
        ['test', 'reference'],
      ]);
      for (const s of v.scores) {
        expect(s.seeds.map((x) => x.seed)).toEqual([1, 2]);
        const f1s = s.seeds.map((x) => x.f1);
        expect(s.f1).toEqual({ mean: (f1s[0]! + f1s[1]!) / 2, min: Math.min(...f1s), max: Math.max(...f1s) });
      }
    }
  });

  it("writes predictions that TACRED's scorer turns into exactly the reported figures", () => {
    const files = fs.readdirSync(predictionsDir()).sort();
    expect(files).toEqual(result.variants.flatMap((v) => [`${v.name}.test.seed1.jsonl`, `${v.name}.test.seed2.jsonl`]).sort());
    const reference = new Map((JSON.parse(fs.readFileSync(path.join(dir, 'patch.json'), 'utf8')) as { id: string; relation: string }[]).map((r) => [r.id, r.relation]));
    for (const v of result.variants) {
      for (const s of v.scores) {
        for (const seed of s.seeds) {
          const lines = fs.readFileSync(path.join(predictionsDir(), `${v.name}.test.seed${seed.seed}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; relation: string });
          expect(lines.map((l) => l.id)).toEqual(testRecords.map((r) => r.id));
          const gold = testRecords.map((r) => (s.labels === 'reference' ? (reference.get(r.id) ?? r.relation) : r.relation));
          expect({ p: seed.p, r: seed.r, f1: seed.f1 }, `${v.name} ${s.labels} seed ${seed.seed}`).toEqual(officialScore(gold, lines.map((l) => l.relation)));
        }
      }
    }
    // The reference changed ten gold labels, so its scores differ from the given labels' somewhere.
    expect(result.variants.some((v) => v.scores[0]!.f1.mean !== v.scores[1]!.f1.mean)).toBe(true);
  });

  it('learns something: the model beats predicting the negative label everywhere', () => {
    const original = result.variants.find((v) => v.name === 'original')!.scores[0]!;
    expect(original.f1.min).toBeGreaterThan(0.3);
  });

  it('stores the comparison with the run and gives the same figures for the same seeds', async () => {
    expect(listComparisons(db, runId)[0]).toEqual(result);
    const again = await compareVariants(db, { train: 'train', evals: ['test'], variants: ['E'], seeds: 1 });
    expect(again.variants[0]!.scores[0]!.seeds[0]).toEqual(result.variants.find((v) => v.name === 'E')!.scores[0]!.seeds[0]);
    expect(listComparisons(db, runId).map((c) => c.id)).toEqual([again.id, result.id]);
  });

  it('stops on cancel and saves nothing', async () => {
    const before = db.prepare('SELECT count(*) FROM comparisons').pluck().get();
    const controller = new AbortController();
    const phases: string[] = [];
    const run = compareVariants(db, { train: 'train', evals: ['test'], variants: ['original', 'E'], seeds: 2 }, {
      signal: controller.signal,
      onProgress: (phase) => {
        phases.push(phase);
        // Mid-way through the second training: a deterministic point, not a timer.
        if (phase.startsWith('training original, seed 2')) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(phases.some((p) => p.startsWith('training E'))).toBe(false);
    expect(db.prepare('SELECT count(*) FROM comparisons').pluck().get()).toBe(before);
  });

  it('refuses options that make no comparison, naming the option', async () => {
    const go = (o: Record<string, unknown>) => compareVariants(db, { train: 'train', evals: ['test'], ...o } as Parameters<typeof compareVariants>[1]);
    await expect(go({ evals: ['train'] })).rejects.toThrow('compare option "evals": "train" is the training split');
    await expect(go({ evals: ['dev'] })).rejects.toThrow('compare option "evals": no split named "dev" in this project (splits: train, test)');
    await expect(go({ train: 'dev' })).rejects.toThrow('compare option "train": no split named "dev"');
    await expect(go({ variants: ['TACRED-E'] })).rejects.toThrow(/compare option "variants.0"/);
    await expect(go({ reference: 'nope' })).rejects.toThrow('No reference set named "nope" (known: fixed)');
    await expect(go({ run: 99 })).rejects.toThrow('compare option "run": no run 99');
    await expect(go({ variants: ['EN', 'RNP'] })).rejects.toThrow(`None of the variants can be built: EN: run ${runId} did not run ES (it ran IS, CL); RNP: run ${runId} did not run ESP (it ran IS, CL)`);
    await expect(go({ seeds: 0 })).rejects.toThrow(/compare option "seeds"/);
  });

  // Last: it adds runs, and the tests above compare with the latest one.
  it('says so when the eval split fed the flags: ranked in the same run, or in its clean set', async () => {
    // The run above ranked train alone and trusted nothing: no warning.
    expect(result.warnings).toEqual([]);
    const splitOf = (name: string) => db.prepare('SELECT id FROM splits WHERE name = ?').pluck().get(name) as number;
    const testCount = db.prepare('SELECT count(*) FROM examples WHERE split_id = ?').pluck().get(splitOf('test')) as number;
    // A copy of the run that also ranked test (predictions for its examples, as a default ranking of every split writes).
    const ranked = copyRun(runId, '{"strategies": ["is", "cl"]}');
    db.prepare("INSERT INTO predictions (run_id, example_id, predicted_label_id, predicted_prob, given_prob, probs) SELECT ?, e.id, e.label_id, 0.5, 0.5, x'00000000' FROM examples e WHERE e.split_id = ?").run(ranked, splitOf('test'));
    const leaky = await compareVariants(db, { train: 'train', evals: ['test'], run: ranked, variants: ['original', 'E'], seeds: 1 });
    expect(leaky.warnings).toEqual([
      `run ${ranked} also ranked ${testCount} examples of "test", so their labels went into the flags behind the automatic variants: those variants' scores on "test" are optimistic. For an independent measure, rank with --splits train (the Rank dialog's Ranked splits) and evaluate on a split outside the ranking.`,
    ]);
    // Stored with the comparison, as the report and the impact screen read it.
    expect(listComparisons(db, ranked)[0]!.warnings).toEqual(leaky.warnings);
    // The human decisions alone do not come from the run: nothing to warn about.
    expect((await compareVariants(db, { train: 'train', evals: ['test'], run: ranked, variants: ['original', 'reviewed'], seeds: 1 })).warnings).toEqual([]);
    // A run whose clean set was the test split.
    const trusted = copyRun(runId, '{"strategies": ["is", "cl"], "clean": [{"kind": "split", "name": "test"}]}');
    const fromClean = await compareVariants(db, { train: 'train', evals: ['test'], run: trusted, variants: ['E'], seeds: 1 });
    expect(fromClean.warnings).toEqual([
      `${testCount} examples of "test" are in run ${trusted}'s clean set, so their labels went into the flags behind the automatic variants: those variants' scores on "test" are optimistic. For an independent measure, evaluate on a split outside the clean set.`,
    ]);
  });
});
