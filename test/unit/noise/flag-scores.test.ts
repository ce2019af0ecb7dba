import { describe, expect, it } from 'vitest';
import { noiseScore, suggestionReliability, voteMargin } from '../../../src/main/core/noise/flag-scores';
import { confidentLearningFlags } from '../../../src/main/core/ranking/run-strategies';
import { findLabelIssues, labelQualityScores } from '../../../src/main/core/noise/confident-learning';
import { mulberry32 } from '../../helpers/seeded';

describe('flag scores', () => {
  it('weighs votes by similarity, counts only the suggestion and the given label, and falls back to equal weights', () => {
    const at = (items: [number, number][]) => (j: number) => ({ similarity: items[j]![0], label: items[j]![1] });
    // suggestion 1, given 0: w1 = .9 + .3, w0 = .6, w2 = .2 (neither) of 2.0 -> ((1.2 - .6) / 2 + 1) / 2
    const items: [number, number][] = [[0.9, 1], [0.6, 0], [0.3, 1], [0.2, 2]];
    expect(voteMargin(4, at(items), 1, 0)).toBeCloseTo(0.65, 12);
    // Negative similarities weigh nothing.
    expect(voteMargin(2, at([[0.5, 1], [-0.4, 0]]), 1, 0)).toBeCloseTo(1, 12);
    // All weights zero: every neighbour counts 1 -> (1 - 1) / 2 -> even.
    expect(voteMargin(2, at([[0, 1], [-1, 0]]), 1, 0)).toBeCloseTo(0.5, 12);
    expect(voteMargin(0, at([]), 1, 0)).toBe(0.5);
  });
});

describe('noise score of the neighbour strategies', () => {
  // Labels 0 (negative), 1, 2. Predictions (argmax): 1 is called right 3 times and on 1
  // negative; 2 is called right once and on 3 negatives; the last row ties 0 and 1 -> 0.
  const labels = Int32Array.from([1, 1, 1, 0, 2, 0, 0, 0, 0]);
  const rows = [[0.1, 0.8, 0.1], [0.2, 0.7, 0.1], [0.3, 0.6, 0.1], [0.3, 0.6, 0.1], [0.1, 0.1, 0.8], [0.2, 0.1, 0.7], [0.2, 0.1, 0.7], [0.3, 0.1, 0.6], [0.4, 0.4, 0.2]];
  const probs = Float32Array.from(rows.flat());

  it("rates the model's calls of a label against the given one by the confusion matrix, add-one smoothed", () => {
    const r = suggestionReliability(labels, probs, 3);
    expect(r[0 * 3 + 1]).toBeCloseTo((3 + 1) / (3 + 1 + 2), 12); // negative -> 1: mostly right
    expect(r[0 * 3 + 2]).toBeCloseTo((1 + 1) / (1 + 3 + 2), 12); // negative -> 2: mostly a confusion
    expect(r[1 * 3 + 2]).toBeCloseTo((1 + 1) / (1 + 0 + 2), 12); // nothing labelled 1 is called 2
    expect(r[1 * 3 + 1]).toBeCloseTo((3 + 1) / (3 + 2), 12); // the diagonal counts its agreement once
  });

  it('multiplies the probability of the suggestion, its reliability and the vote margin, so a less reliable label ranks lower', () => {
    const r = suggestionReliability(labels, probs, 3);
    // Negatives 3 (p(1) .6) and 7 (p(2) .6): same probability and votes, different labels.
    expect(noiseScore(probs, r, 3, 3, 1, 0, 0.75)).toBeCloseTo(0.6 * (4 / 6) * 0.75, 6);
    expect(noiseScore(probs, r, 3, 7, 2, 0, 0.75)).toBeCloseTo(0.6 * (2 / 6) * 0.75, 6);
    expect(noiseScore(probs, r, 3, 3, 1, 0, 0.75)).toBeGreaterThan(noiseScore(probs, r, 3, 7, 2, 0, 0.75));
    expect(noiseScore(probs, r, 3, 3, 1, 0, 1)).toBeGreaterThan(noiseScore(probs, r, 3, 3, 1, 0, 0.75));
  });
});

describe('confident learning as a strategy', () => {
  function randomCase(seed: number, n = 400, K = 4) {
    const rnd = mulberry32(seed);
    const labels = new Int32Array(n);
    const probs = new Float32Array(n * K);
    for (let i = 0; i < n; i++) {
      const truth = Math.floor(rnd() * K);
      labels[i] = rnd() < 0.15 ? Math.floor(rnd() * K) : truth;
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const v = (k === truth ? 3 : 0.2) * rnd() + 0.01;
        probs[i * K + k] = v;
        sum += v;
      }
      for (let k = 0; k < K; k++) probs[i * K + k] = probs[i * K + k]! / sum;
    }
    const predictions = Int32Array.from({ length: n }, (_, i) => {
      let best = 0;
      for (let k = 1; k < K; k++) if (probs[i * K + k]! > probs[i * K + best]!) best = k;
      return best;
    });
    return { labels, probs, predictions, K };
  }

  it("keeps cleanlab's issues exactly at margin 0, scored 1 - the chosen quality, worst first", () => {
    const { labels, probs, predictions, K } = randomCase(3);
    const p64 = Float64Array.from(probs);
    for (const clScore of ['normalized_margin', 'self_confidence', 'confidence_weighted_entropy'] as const) {
      const flags = confidentLearningFlags(labels, probs, K, predictions, 0, { clFilterBy: 'prune_by_class', clScore, clMinMargin: 0, clPositives: 'all' });
      expect(flags.map((f) => f.index).sort((a, b) => a - b)).toEqual([...findLabelIssues(labels, p64, K, { filterBy: 'prune_by_class' })]);
      const quality = labelQualityScores(labels, p64, K, clScore);
      for (const f of flags) expect(f.score).toBe(1 - quality[f.index]!);
      for (let i = 1; i < flags.length; i++) expect(flags[i - 1]!.score).toBeGreaterThanOrEqual(flags[i]!.score);
    }
  });

  it('keeps only the issues the model calls by at least the minimum margin', () => {
    const { labels, probs, predictions, K } = randomCase(5);
    const all = confidentLearningFlags(labels, probs, K, predictions, 0, { clFilterBy: 'prune_by_noise_rate', clScore: 'normalized_margin', clMinMargin: 0, clPositives: 'all' });
    const strict = confidentLearningFlags(labels, probs, K, predictions, 0, { clFilterBy: 'prune_by_noise_rate', clScore: 'normalized_margin', clMinMargin: 0.5, clPositives: 'all' });
    const margin = (i: number) => Math.fround(probs[i * K + predictions[i]!]!) - Math.fround(probs[i * K + labels[i]!]!);
    expect(strict.length).toBeGreaterThan(0);
    expect(strict.length).toBeLessThan(all.length);
    expect(strict.map((f) => f.index).sort((a, b) => a - b)).toEqual(all.filter((f) => margin(f.index) >= 0.5).map((f) => f.index).sort((a, b) => a - b));
    for (const f of strict) expect(f.suggested).toBe(predictions[f.index]);
  });

  it('by default flags a positive example only towards another relation, never towards the negative label', () => {
    const { labels, probs, predictions, K } = randomCase(7);
    const options = { clFilterBy: 'prune_by_noise_rate', clScore: 'normalized_margin', clMinMargin: 0 } as const;
    const all = confidentLearningFlags(labels, probs, K, predictions, 0, { ...options, clPositives: 'all' });
    const others = confidentLearningFlags(labels, probs, K, predictions, 0, { ...options, clPositives: 'other-relations' });
    const towardsNegative = all.filter((f) => labels[f.index] !== 0 && f.suggested === 0);
    expect(towardsNegative.length).toBeGreaterThan(0);
    expect(others.map((f) => f.index)).toEqual(all.filter((f) => !towardsNegative.includes(f)).map((f) => f.index));
    // Negatives flagged towards a relation and positives towards another relation both stay.
    expect(others.some((f) => labels[f.index] === 0)).toBe(true);
    expect(others.some((f) => labels[f.index] !== 0 && f.suggested !== 0)).toBe(true);
    // Which label is the negative one is the caller's: with label 1 negative, 1 is spared instead.
    const negativeOne = confidentLearningFlags(labels, probs, K, predictions, 1, { ...options, clPositives: 'other-relations' });
    expect(negativeOne.map((f) => f.index)).toEqual(all.filter((f) => !(labels[f.index] !== 1 && f.suggested === 1)).map((f) => f.index));
  });
});
