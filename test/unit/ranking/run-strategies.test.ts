import { describe, expect, it } from 'vitest';
import { RankOptions } from '../../../src/main/core/ranking/rank-options';
import { refitsFolds, type ModelOutputs } from '../../../src/main/core/ranking/model-outputs';
import { RANK_DEFAULTS } from '../../../src/shared/ranking';
import { runStrategies } from '../../../src/main/core/ranking/run-strategies';
import type { Flag } from '../../../src/main/core/noise/strategy-types';
import { noiseScore, suggestionReliability, voteMargin } from '../../../src/main/core/noise/flag-scores';
import { Rng } from '../../helpers/seeded';

const LABELS = ['no_relation', 'per:title', 'org:founded_by'];
const K = LABELS.length;
const n = 120;
const dim = 8;

/** Random rows that sum to one, leaning towards `lean` per row so that the model often agrees with a label. */
function probabilities(rng: Rng, lean: Int32Array): Float32Array {
  const out = new Float32Array(n * K);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const v = rng.next() + (k === lean[i] ? 2.5 * rng.next() : 0);
      out[i * K + k] = v;
      sum += v;
    }
    for (let k = 0; k < K; k++) out[i * K + k]! /= sum;
  }
  return out;
}

function unitRows(rng: Rng, around: Int32Array): Float32Array {
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const v = (d === around[i] ? 2 : 0) + rng.next() - 0.5;
      out[i * dim + d] = v;
      norm += v * v;
    }
    for (let d = 0; d < dim; d++) out[i * dim + d]! /= Math.sqrt(norm);
  }
  return out;
}

describe('runStrategies: which probabilities each strategy reads', () => {
  const rng = new Rng(11);
  const truth = Int32Array.from({ length: n }, () => rng.int(K));
  // A third of the labels wrong, so that every strategy has something to flag.
  const given = Int32Array.from(truth, (y) => (rng.chance(0.33) ? rng.int(K) : y));
  const first = probabilities(rng, truth);
  const second = probabilities(rng, truth);
  const embedding = unitRows(rng, truth);
  const givenLabels = Array.from(given, (y) => LABELS[y]!);
  const extIds = givenLabels.map((_, i) => `x${i}`);
  const clean = new Map(Array.from({ length: 30 }, (_, i) => [n - 30 + i, LABELS[truth[n - 30 + i]!]!] as const));
  const options = RankOptions.parse({ clean: [{ kind: 'split', name: 'dev' }], clMinMargin: 0.2, knnMinMargin: 0, knnThreshold: 0.5, isMinMargin: -1, isAnchors: 'all' });
  const outputs = (probs: Float32Array, cleanedProbs: Float32Array | null): ModelOutputs => ({
    modelKind: 'builtin',
    modelName: 'test',
    modelHash: 'h',
    provider: 'cpu',
    skipped: [],
    labels: LABELS,
    negativeLabel: 'no_relation',
    probs,
    cleanedProbs,
    cleanedProbsSource: cleanedProbs ? 'a second fit' : null,
    embedding,
    embeddingDim: dim,
    knnEmbedding: embedding,
    knnEmbeddingDim: dim,
    embeddingSources: { task: 'task', knn: 'knn' },
    timings: {},
  });
  const run = (o: ModelOutputs) => runStrategies(givenLabels, extIds, o, clean, options, undefined, () => undefined);
  const of = (flags: Flag[], strategy: string) => flags.filter((f) => f.strategy === strategy);

  it('gives IS the first fit and CL, KNN, ES and ESP the cleaned second fit', async () => {
    const both = await run(outputs(first, second));
    const firstOnly = await run(outputs(first, null));
    const secondOnly = await run(outputs(second, null));
    expect(of(both.flags, 'is')).toEqual(of(firstOnly.flags, 'is'));
    for (const s of ['cl', 'es', 'esp']) expect(of(both.flags, s), s).toEqual(of(secondOnly.flags, s));
    // KNN checks with the second fit and scores with the first.
    const knn = of(both.flags, 'knn');
    expect(knn.length).toBeGreaterThan(0);
    const key = (f: Flag) => [f.index, f.suggested, f.evidence];
    expect(knn.map(key).sort()).toEqual(of(secondOnly.flags, 'knn').map(key).sort());
    const reliability = suggestionReliability(given, first, K);
    for (const f of knn) {
      const neighbours = f.evidence.neighbours.map((nb) => ({ similarity: nb.similarity, label: nb.label }));
      const votes = voteMargin(neighbours.length, (j) => neighbours[j]!, f.suggested, given[f.index]!);
      expect(f.score).toBeCloseTo(noiseScore(first, reliability, K, f.index, f.suggested, given[f.index]!, votes), 12);
    }
    // The two fits give different flags, or the test would not tell them apart.
    for (const s of ['is', 'cl', 'knn', 'es']) {
      expect(of(firstOnly.flags, s).length, s).toBeGreaterThan(0);
      expect(of(firstOnly.flags, s), s).not.toEqual(of(secondOnly.flags, s));
    }
    // The stored notes say where the probabilities came from.
    for (const s of ['cl', 'knn', 'es', 'esp'] as const) expect(both.notes[s], s).toContain('probabilities: a second fit');
    expect(both.notes.is).not.toContain('probabilities:');
    expect(firstOnly.notes.cl).not.toContain('probabilities:');
  });
});

describe('probabilityFit: when the built-in model fits the second, cleaned cross-fit', () => {
  it('always with cleaned, never with all, and with auto up to the limit', () => {
    const max = RANK_DEFAULTS.probabilityFitAutoMax;
    expect([refitsFolds({ probabilityFit: 'cleaned' }, 10 * max), refitsFolds({ probabilityFit: 'all' }, 10)]).toEqual([true, false]);
    expect([refitsFolds({ probabilityFit: 'auto' }, max), refitsFolds({ probabilityFit: 'auto' }, max + 1)]).toEqual([true, false]);
    expect(RankOptions.parse({}).probabilityFit).toBe('auto');
  });
});
