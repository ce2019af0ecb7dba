// The parts of a run a researcher steers (issue 12): the paper's clean set, which splits are
// ranked, the project's negative label, predictions from Python, a forced execution provider,
// and every parameter shown back.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSyntheticTacred } from '../../tools/demo-generator/synthetic-tacred';
import { buildProgram } from '../../src/main/cli/program';
import { errorLine } from '../../src/main/cli/errors';
import { rankOptionsFromFlags } from '../../src/main/cli/commands/ranking';
import { exportDataset } from '../../src/main/core/export/export-modes';
import { evaluateRun } from '../../src/main/core/ranking/evaluate';
import { rankProject } from '../../src/main/core/ranking/rank-project';
import { iterateFlags, listRuns } from '../../src/main/core/ranking/run-queries';
import { openDatabase, type Db } from '../../src/main/core/store/database';
import { importSplit } from '../../src/main/core/store/import-split';
import { setNegativeLabel } from '../../src/main/core/store/negative-label';
import { projectSummary } from '../../src/main/core/store/project-summary';
import { importReferenceSet } from '../../src/main/core/store/reference-sets';
import { OptionError, WinnowError } from '../../src/shared/errors';
import { RANK_PARAMETER_INFO, RankParameters } from '../../src/shared/ranking';
import { tempDir } from '../helpers/temp-dir';

const FIXTURES = path.resolve(__dirname, '../fixtures/numpy');
const fixture = (name: string) => path.join(FIXTURES, name);

function copyOf(db: Db, file: string): Db {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const copy = path.join(tempDir(), 'copy.winnow');
  fs.copyFileSync(file, copy);
  return openDatabase(copy);
}

describe('the paper\'s clean set: splits with a reference\'s labels applied', () => {
  let dir: string;
  let file: string;
  let db: Db;
  let patch: Map<string, string>;
  let devIds: Set<string>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'winnow-steer-'));
    file = path.join(dir, 'p.winnow');
    const train = generateSyntheticTacred({ n: 700, seed: 31, idPrefix: 'tr' });
    const dev = generateSyntheticTacred({ n: 150, seed: 32, idPrefix: 'dv' });
    const test = generateSyntheticTacred({ n: 150, seed: 33, idPrefix: 'te' });
    for (const [name, set] of [['train', train], ['dev', dev], ['test', test]] as const) fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(set.records));
    devIds = new Set(dev.records.map((r) => r.id));
    // A TACRev-style patch: the true labels of the dev and test examples the generator made noisy.
    patch = new Map([...dev.noisyIds, ...test.noisyIds].map((id) => [id, (dev.trueLabels.get(id) ?? test.trueLabels.get(id))!]));
    fs.writeFileSync(path.join(dir, 'tacrev.json'), JSON.stringify([...patch].map(([id, relation]) => ({ id, relation }))));
    db = openDatabase(file, { create: true });
    for (const name of ['train', 'dev', 'test']) await importSplit(db, { filePath: path.join(dir, `${name}.json`), split: name });
    await importReferenceSet(db, path.join(dir, 'tacrev.json'), 'tacrev');
  }, 60_000);

  it('uses dev and test with the patch applied, reports it, and ranks only the rest', async () => {
    expect(patch.size).toBeGreaterThan(5);
    const options = rankOptionsFromFlags({ model: 'builtin', clean: ['split:dev', 'split:test'], cleanReference: 'tacrev', folds: '3', seed: '2' });
    expect(options.clean).toEqual([{ kind: 'split', name: 'dev' }, { kind: 'split', name: 'test' }]);
    expect(options.strategies).toEqual(['is', 'es', 'esp', 'cl', 'knn']);
    const summary = await rankProject(db, options);
    expect(summary.cleanSet).toMatchObject({ description: 'split:dev + split:test, labels from reference tacrev', examples: 300, relabelledByReference: patch.size });
    expect(Object.values(summary.cleanSet!.perLabel).reduce((a, b) => a + b, 0)).toBe(300);
    expect(summary.examples).toBe(700);
    const ranked = db.prepare('SELECT DISTINCT s.name FROM predictions p JOIN examples e ON e.id = p.example_id JOIN splits s ON s.id = e.split_id WHERE p.run_id = ?').pluck().all(summary.runId);
    expect(ranked).toEqual(['train']);
    for (const strategy of ['is', 'es', 'esp', 'cl', 'knn']) {
      for (const flag of iterateFlags(db, summary.runId, strategy)) expect(flag.split, strategy).toBe('train');
    }
    // ES reads the clean neighbours with the patch's labels where it has them.
    const evidence = db.prepare("SELECT evidence FROM flags WHERE run_id = ? AND strategy = 'es'").pluck().all(summary.runId) as string[];
    const given = new Map((db.prepare('SELECT e.ext_id, l.name FROM examples e JOIN labels l ON l.id = e.label_id').raw().all() as [string, string][]));
    for (const text of evidence) {
      for (const n of (JSON.parse(text) as { neighbours: { id: string; label: string }[] }).neighbours) expect(n.label).toBe(patch.get(n.id) ?? given.get(n.id));
    }
    expect(evidence.length).toBeGreaterThan(0);
    // runs --json shows every stored parameter and the clean set.
    const run = listRuns(db).find((r) => r.id === summary.runId)!;
    expect(run.parameters).toMatchObject({ clean: options.clean, cleanReference: 'tacrev', folds: 3, repeats: 1, seed: 2, isAnchors: 'trusted', embeddingFit: 'cleaned', probabilityFit: 'auto', clFilterBy: 'prune_by_noise_rate', clScore: 'normalized_margin', clPositives: 'other-relations', knnK: 10, knnThreshold: 0.7, knnMinMargin: 0.6, isMinMargin: 0 });
    for (const name of Object.keys(RankParameters.shape)) if (!['splits', 'providers', 'cleanReference', 'ivfLists', 'ivfProbes'].includes(name)) expect(run.parameters, name).toHaveProperty(name);
    expect(run.cleanSet).toEqual(summary.cleanSet);
    expect(run.negativeLabel).toBe('no_relation');
    expect(run.invalidated).toBeNull();
  }, 180_000);

  it('ranks the splits named, the clean one too, but never judges a clean example with ES/ESP', async () => {
    const copy = copyOf(db, file);
    const summary = await rankProject(copy, { strategies: ['es', 'esp', 'cl'], clean: [{ kind: 'split', name: 'dev' }], splits: ['train', 'dev'], folds: 3 });
    expect(summary.examples).toBe(850);
    const ranked = copy.prepare('SELECT DISTINCT s.name FROM predictions p JOIN examples e ON e.id = p.example_id JOIN splits s ON s.id = e.split_id WHERE p.run_id = ? ORDER BY s.name').pluck().all(summary.runId);
    expect(ranked).toEqual(['dev', 'train']);
    for (const strategy of ['es', 'esp']) for (const flag of iterateFlags(copy, summary.runId, strategy)) expect(devIds.has(flag.id)).toBe(false);
    copy.close();
  }, 180_000);

  it('refuses a clean set that cannot give k neighbours, before training anything', async () => {
    const tiny = path.join(dir, 'tiny.json');
    fs.writeFileSync(tiny, JSON.stringify([...patch].slice(0, 2).map(([id, relation]) => ({ id, relation }))));
    const copy = copyOf(db, file);
    await importReferenceSet(copy, tiny, 'tiny');
    const progress = vi.fn();
    await expect(rankProject(copy, { strategies: ['es'], clean: [{ kind: 'reference', name: 'tiny' }], k: 3 }, { onProgress: progress })).rejects.toThrow(
      /clean set \(reference:tiny\) has 2 usable examples; ES and ESP need at least k = 3/,
    );
    expect(progress.mock.calls.some(([phase]) => String(phase).startsWith('training'))).toBe(false);
    copy.close();
  });

  it('warns when most positive labels have fewer than k clean examples', async () => {
    const few = path.join(dir, 'few.json');
    fs.writeFileSync(few, JSON.stringify(generateSyntheticTacred({ n: 150, seed: 32, idPrefix: 'dv' }).records.slice(0, 12).map((r) => ({ id: r.id, relation: r.relation }))));
    const copy = copyOf(db, file);
    await importReferenceSet(copy, few, 'few');
    const summary = await rankProject(copy, { strategies: ['es'], clean: [{ kind: 'reference', name: 'few' }], folds: 2 });
    expect(summary.warnings.join('\n')).toMatch(/has fewer than k = 3 examples for \d+ of \d+ positive labels/);
    copy.close();
  }, 120_000);

  it('names the flag of a bad rank option on the command line', () => {
    const line = (flags: Parameters<typeof rankOptionsFromFlags>[0]) => {
      try {
        rankOptionsFromFlags(flags);
      } catch (error) {
        return errorLine(error, ['node', 'winnow', 'rank']);
      }
      return 'no error';
    };
    expect(line({ model: 'builtin', knnThreshold: '0.3' })).toMatch(/^--knn-threshold: at least 0.5/);
    expect(line({ model: 'builtin', clMinMargin: '2' })).toMatch(/^--cl-min-margin: /);
    expect(line({ model: 'builtin', isMinMargin: '-1.5' })).toMatch(/^--is-min-margin: /);
    expect(rankOptionsFromFlags({ model: 'builtin', isMinMargin: '-1' }).isMinMargin).toBe(-1);
    expect(rankOptionsFromFlags({ model: 'builtin' }).isMinMargin).toBe(0);
    expect(line({ model: 'builtin', repeats: '0' })).toMatch(/^--repeats: /);
    expect(line({ model: 'builtin', repeats: '11' })).toMatch(/^--repeats: /);
    expect(line({ model: 'builtin', repeats: '2.5' })).toMatch(/^--repeats: /);
    expect([rankOptionsFromFlags({ model: 'builtin', repeats: '3' }).repeats, rankOptionsFromFlags({ model: 'builtin' }).repeats]).toEqual([3, 1]);
    expect(line({ model: 'builtin', labels: 'labels.json' })).toBe('--labels: goes with --predictions (a .npy array of probabilities)');
    expect(line({ model: 'builtin', clean: ['nonsense'] })).toMatch(/^--clean: takes/);
    const forced = rankOptionsFromFlags({ model: 'builtin', provider: 'cuda', clFilter: 'both', clScore: 'self_confidence', clPositives: 'all', isAnchors: 'all', embeddingFit: 'all', probabilityFit: 'all' });
    expect(forced).toMatchObject({ providers: ['cuda'], clFilterBy: 'both', clScore: 'self_confidence', clPositives: 'all', isAnchors: 'all', embeddingFit: 'all', probabilityFit: 'all' });
    // Every rank parameter has a flag in the one description the dialog reads too.
    for (const name of Object.keys(RankParameters.shape)) expect(RANK_PARAMETER_INFO[name as keyof typeof RANK_PARAMETER_INFO].flag).toMatch(/^--[a-z-]+/);
  });
});

describe('a project whose negative label is Other (SemEval-like), with predictions from numpy', () => {
  let dir: string;
  let file: string;
  let db: Db;
  const records = JSON.parse(fs.readFileSync(fixture('records.json'), 'utf8')) as { id: string; relation: string }[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'winnow-other-'));
    file = path.join(dir, 'semeval-like.winnow');
    db = openDatabase(file, { create: true });
    // No --negative-label: the file has no no_relation but has Other.
    const result = await importSplit(db, { filePath: fixture('records.json'), split: 'train' });
    expect(result.negativeLabel).toBe('Other');
  });

  it('takes Other at the first import and shows it in info --json', async () => {
    expect(projectSummary(db, file).negativeLabel).toBe('Other');
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((text: string) => void out.push(text));
    try {
      await buildProgram('0.0.0', import.meta.url).parseAsync(['node', 'winnow', 'info', file, '--json']);
    } finally {
      log.mockRestore();
    }
    expect(JSON.parse(out.join('\n'))).toMatchObject({ negativeLabel: 'Other' });
  });

  it('gives CL the same flags from a .npy (C or Fortran order) as from the same probabilities in JSON Lines', async () => {
    const run = async (model: Parameters<typeof rankProject>[1]['model']) => {
      const copy = copyOf(db, file);
      const summary = await rankProject(copy, { model, strategies: ['cl'], clMinMargin: 0 });
      const flags = [...iterateFlags(copy, summary.runId, 'cl')].map((f) => [f.id, f.suggested, f.strategies.cl]);
      copy.close();
      return flags;
    };
    const fromJsonl = await run({ kind: 'predictions', file: fixture('probs.jsonl') });
    expect(fromJsonl.length).toBeGreaterThan(3);
    expect(await run({ kind: 'predictions', file: fixture('probs.f4.npy'), labels: fixture('labels.json'), ids: fixture('ids.txt') })).toEqual(fromJsonl);
    expect(await run({ kind: 'predictions', file: fixture('probs.f8-fortran.npy'), labels: fixture('labels.txt'), ids: fixture('ids.txt') })).toEqual(fromJsonl);
    expect(await run({ kind: 'predictions', file: fixture('probs.csv') })).toEqual(fromJsonl);
  });

  it('IS and ES treat Other as the negative label; eval and the report use it', async () => {
    const copy = copyOf(db, file);
    const summary = await rankProject(copy, {
      model: { kind: 'predictions', file: fixture('probs.f4.npy'), labels: fixture('labels.json'), ids: fixture('ids.txt'), embeddings: fixture('embeddings.npy') },
      strategies: ['is', 'cl', 'knn'],
      isAnchors: 'all',
      knnThreshold: 0.5,
    });
    expect(summary.negativeLabel).toBe('Other');
    const is = [...iterateFlags(copy, summary.runId, 'is')];
    expect(is.length).toBeGreaterThan(0);
    for (const flag of is) {
      expect(flag.given).toBe('Other');
      expect(flag.suggested).not.toBe('Other');
    }
    const patch = path.join(dir, 'truth.json');
    fs.writeFileSync(patch, JSON.stringify(records.map((r) => ({ id: r.id, relation: r.relation }))));
    await importReferenceSet(copy, patch, 'same');
    const evaluation = evaluateRun(copy, summary.runId, 'same');
    expect(evaluation.strategies.find((s) => s.strategy === 'is')!.negativesToPositive).toBe(0);
    copy.close();
  });

  it('ranks the examples a partial .npy covers and says how many it did not', async () => {
    const copy = copyOf(db, file);
    const summary = await rankProject(copy, { model: { kind: 'predictions', file: fixture('partial.npy'), labels: fixture('labels.json'), ids: fixture('partial-ids.txt') }, strategies: ['cl'] });
    expect(summary.examples).toBe(60);
    expect(summary.notCovered).toBe(20);
    expect(summary.warnings).toContain('20 of 80 examples have no prediction and were not ranked');
    expect(copy.prepare('SELECT count(*) FROM predictions WHERE run_id = ?').pluck().get(summary.runId)).toBe(60);
    copy.close();
  });

  it('invalidates runs when the negative label changes, and refuses them for automatic exports', async () => {
    const copy = copyOf(db, path.join(dir, 'semeval-like.winnow'));
    const { runId } = await rankProject(copy, { model: { kind: 'predictions', file: fixture('probs.jsonl') }, strategies: ['cl'] });
    expect(() => setNegativeLabel(copy, 'no_relation')).toThrow(/negative label "no_relation" is not a label of this project's examples/);
    const change = setNegativeLabel(copy, 'Member-Collection');
    expect(change).toMatchObject({ previous: 'Other', negativeLabel: 'Member-Collection' });
    expect(change.invalidatedRuns).toContain(runId);
    const run = listRuns(copy).find((r) => r.id === runId)!;
    expect(run.negativeLabel).toBe('Other');
    expect(run.invalidated).toMatch(/ranked with negative label "Other"; the project's is now "Member-Collection"/);
    await expect(
      exportDataset(copy, { split: 'train', mode: 'auto', run: runId, strategy: 'cl', apply: 'eliminate', outPath: path.join(tempDir(), 'out.json'), appVersion: 't' }),
    ).rejects.toThrow(/Run \d+ cannot be used for an automatic export/);
    // The run keeps its label: its evaluation still reads Other as negative.
    setNegativeLabel(copy, 'Other');
    expect(listRuns(copy).find((r) => r.id === runId)!.invalidated).toBeNull();
    copy.close();
  });

  it('chooses the negative label only at the first import', async () => {
    const other = openDatabase(path.join(tempDir(), 'x.winnow'), { create: true });
    await expect(importSplit(other, { filePath: fixture('records.json'), split: 'train', negativeLabel: 'NA' })).rejects.toThrow(/negative label "NA" is not a label of/);
    expect(projectSummary(other, 'x').splits).toHaveLength(0);
    await importSplit(other, { filePath: fixture('records.json'), split: 'train', negativeLabel: 'Cause-Effect' });
    expect(projectSummary(other, 'x').negativeLabel).toBe('Cause-Effect');
    const second = path.join(tempDir(), 'more.json');
    fs.writeFileSync(second, JSON.stringify(records.slice(0, 3).map((r) => ({ ...JSON.parse(JSON.stringify(r)), id: `${r.id}-b` }))));
    await expect(importSplit(other, { filePath: second, split: 'more', negativeLabel: 'Other' })).rejects.toThrow(WinnowError);
    other.close();
  });
});

describe('a forced execution provider', () => {
  it('says clearly when the provider cannot start on this machine', async () => {
    const db = openDatabase(path.join(tempDir(), 'p.winnow'), { create: true });
    await importSplit(db, { filePath: fixture('records.json'), split: 'train' });
    // A provider this platform's onnxruntime-node build never has.
    const absent = process.platform === 'darwin' ? 'dml' : 'coreml';
    const error = await rankProject(db, {
      model: { kind: 'predictions', file: fixture('probs.f4.npy'), labels: fixture('labels.json'), ids: fixture('ids.txt'), embeddings: fixture('embeddings.npy') },
      strategies: ['knn'],
      providers: [absent],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptionError);
    expect(errorLine(error, ['node', 'winnow', 'rank'])).toMatch(new RegExp(`^--provider: ${absent} cannot start on this machine \\(${absent}: ${absent} provider is not part of this onnxruntime-node build`));
    expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0);
    db.close();
  });
});
