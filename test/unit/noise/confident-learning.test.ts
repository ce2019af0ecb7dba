import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ArgsortKind, argsort } from '../../../src/main/core/noise/numpy-argsort';
import { roundHalfEven, roundPreservingSum } from '../../../src/main/core/noise/round-preserving-sum';
import { selectKth } from '../../../src/main/core/noise/select-kth';
import {
  FILTER_BY_VALUES,
  type FilterBy,
  type QualityMethod,
  computeConfidentJoint,
  confidentThresholds,
  estimateLatent,
  findLabelIssues,
  labelQualityScores,
  numLabelIssues,
  orderLabelIssues,
  rankedBySelfConfidence,
} from '../../../src/main/core/noise/confident-learning';

interface Fixture {
  case: { name: string; n: number; K: number };
  labels: number[];
  pred_probs: number[][];
  issues: Record<FilterBy, number[]>;
  num_issues: Record<FilterBy, number>;
  ranked_issues_self_confidence: number[];
  quality_scores: Record<QualityMethod, number[]>;
  confident_thresholds: number[];
  confident_joint: number[][];
  confident_joint_uncalibrated: number[][];
  num_label_issues: number;
  estimate_latent: { py: number[]; noise_matrix: number[][]; inverse_noise_matrix: number[][] };
  stable_sort_variant?: {
    confident_joint: number[][];
    issues: Partial<Record<FilterBy, number[]>>;
    ranked_issues_self_confidence: number[];
  };
  tie_info: { stable_sort_same_confident_joint: boolean; stable_sort_same_ranking: boolean };
}

const FIXTURE_FILES = [
  'case-k2-n200.json',
  'case-k2-n5000.json',
  'case-k5-n200.json',
  'case-k5-n1000.json',
  'case-k42-n1000.json',
  'case-k42-n5000.json',
];

function loadFixture(file: string): Fixture {
  const path = fileURLToPath(new URL(`../../fixtures/cleanlab-parity/${file}`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as Fixture;
}

interface Inputs {
  labels: Int32Array;
  probs: Float64Array;
  K: number;
}

function inputsOf(fx: Fixture): Inputs {
  const K = fx.case.K;
  const labels = Int32Array.from(fx.labels);
  const probs = new Float64Array(labels.length * K);
  fx.pred_probs.forEach((row, i) => probs.set(row, i * K));
  return { labels, probs, K };
}

function nested(flat: ArrayLike<number>, K: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < K; i++) out.push(Array.from({ length: K }, (_, j) => flat[i * K + j]!));
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    if (!(d <= worst)) {
      worst = d;
      worstAt = i;
    }
  }
  expect(worst, `largest difference at ${worstAt}`).toBeLessThanOrEqual(tol);
}

describe.each(FIXTURE_FILES)('cleanlab 2.9.0 parity: %s', (file) => {
  const fx = loadFixture(file);
  const { labels, probs, K } = inputsOf(fx);

  it('has the shape its README row describes', () => {
    expect(labels.length).toBe(fx.case.n);
    expect(fx.pred_probs.every((row) => row.length === K)).toBe(true);
  });

  it('confident thresholds within 1e-9', () => {
    expectClose(confidentThresholds(labels, probs, K), fx.confident_thresholds, 1e-9);
  });

  it('uncalibrated confident joint exactly', () => {
    expect(nested(computeConfidentJoint(labels, probs, K, { calibrate: false }), K)).toEqual(
      fx.confident_joint_uncalibrated,
    );
  });

  it('calibrated confident joint exactly (numpy tie order)', () => {
    expect(nested(computeConfidentJoint(labels, probs, K), K)).toEqual(fx.confident_joint);
  });

  it.each(FILTER_BY_VALUES)('issues for filter_by=%s exactly', (filterBy) => {
    const issues = Array.from(findLabelIssues(labels, probs, K, { filterBy }));
    expect(issues.length).toBe(fx.num_issues[filterBy]);
    expect(issues).toEqual(fx.issues[filterBy]);
  });

  it('num_label_issues exactly', () => {
    expect(numLabelIssues(labels, probs, K)).toBe(fx.num_label_issues);
  });

  it('ranked_issues_self_confidence as an exact sequence', () => {
    const ranked = Array.from(rankedBySelfConfidence(labels, probs, K));
    expect(ranked).toEqual(fx.ranked_issues_self_confidence);
    // The ranking is a reordering of the prune_by_noise_rate set.
    expect([...ranked].sort((a, b) => a - b)).toEqual(fx.issues.prune_by_noise_rate);
  });

  it.each(['self_confidence', 'normalized_margin', 'confidence_weighted_entropy'] as const)(
    'quality scores (%s) within 1e-6',
    (method) => {
      expectClose(labelQualityScores(labels, probs, K, method), fx.quality_scores[method], 1e-6);
    },
  );

  it('estimate_latent within 1e-6', () => {
    const cj = computeConfidentJoint(labels, probs, K);
    const latent = estimateLatent(cj, labels, K);
    expectClose(latent.py, fx.estimate_latent.py, 1e-6);
    expectClose(latent.noiseMatrix, fx.estimate_latent.noise_matrix.flat(), 1e-6);
    expectClose(latent.inverseNoiseMatrix, fx.estimate_latent.inverse_noise_matrix.flat(), 1e-6);
  });

  const variant = fx.stable_sort_variant;
  if (variant) {
    describe('stable-sort port vs stable_sort_variant', () => {
      it('calibrated confident joint', () => {
        expect(nested(computeConfidentJoint(labels, probs, K, { sort: 'stable' }), K)).toEqual(
          variant.confident_joint,
        );
      });

      it.each(Object.keys(variant.issues) as FilterBy[])('issues for filter_by=%s', (filterBy) => {
        expect(Array.from(findLabelIssues(labels, probs, K, { filterBy, sort: 'stable' }))).toEqual(
          variant.issues[filterBy],
        );
      });

      it('ranking', () => {
        expect(Array.from(rankedBySelfConfidence(labels, probs, K, { sort: 'stable' }))).toEqual(
          variant.ranked_issues_self_confidence,
        );
      });

      it('differs from the numpy-order outputs where the README says it does', () => {
        expect(fx.tie_info.stable_sort_same_confident_joint).toBe(false);
        expect(nested(computeConfidentJoint(labels, probs, K, { sort: 'stable' }), K)).not.toEqual(
          fx.confident_joint,
        );
      });
    });
  } else {
    it('stable sort gives the same joint and ranking (no decisive ties in this file)', () => {
      expect(nested(computeConfidentJoint(labels, probs, K, { sort: 'stable' }), K)).toEqual(fx.confident_joint);
      expect(Array.from(rankedBySelfConfidence(labels, probs, K, { sort: 'stable' }))).toEqual(
        fx.ranked_issues_self_confidence,
      );
    });
  }
});

describe('confident learning: small hand cases', () => {
  // Three classes, six examples; row-major probabilities.
  const labels = Int32Array.from([0, 0, 1, 1, 2, 2]);
  const probs = Float64Array.from([
    0.9, 0.05, 0.05, //
    0.1, 0.8, 0.1, // labelled 0, confidently 1
    0.1, 0.8, 0.1, //
    0.2, 0.7, 0.1, //
    0.05, 0.05, 0.9, //
    0.1, 0.1, 0.8, //
  ]);

  it('thresholds are per-class means of the given class column', () => {
    const t = confidentThresholds(labels, probs, 3);
    expect(t[0]).toBeCloseTo(0.5, 12);
    expect(t[1]).toBeCloseTo(0.75, 12);
    expect(t[2]).toBeCloseTo(0.85, 12);
  });

  it('an absent class gets threshold 2 and a diagonal of 1', () => {
    const t = confidentThresholds(labels, new Float64Array(probs.length).fill(0), 3);
    expect(Array.from(t)).toEqual([2e-6, 2e-6, 2e-6]);
    const four = Int32Array.from([0, 0, 1, 1, 2, 2]);
    const p4 = new Float64Array(6 * 4);
    for (let i = 0; i < 6; i++) for (let k = 0; k < 3; k++) p4[i * 4 + k] = probs[i * 3 + k]!;
    expect(confidentThresholds(four, p4, 4)[3]).toBe(2);
    const cj = computeConfidentJoint(four, p4, 4, { calibrate: false });
    expect(cj[3 * 4 + 3]).toBe(1);
  });

  it('flags the example whose label disagrees with a confident prediction', () => {
    for (const filterBy of FILTER_BY_VALUES) {
      expect(Array.from(findLabelIssues(labels, probs, 3, { filterBy }))).toEqual([1]);
    }
    expect(numLabelIssues(labels, probs, 3)).toBe(1);
  });

  it('orders issues by ascending self-confidence', () => {
    expect(Array.from(orderLabelIssues(Int32Array.from([5, 1, 3]), labels, probs, 3))).toEqual([1, 3, 5]);
  });

  it('rejects malformed input', () => {
    expect(() => findLabelIssues(Int32Array.from([0, 3]), new Float64Array(6), 3)).toThrow(RangeError);
    expect(() => findLabelIssues(Int32Array.from([0]), new Float64Array(2), 3)).toThrow(RangeError);
    expect(() => findLabelIssues(Int32Array.from([0]), Float64Array.from([NaN, 0, 1]), 3)).toThrow(RangeError);
  });
});

/*
 * The pruning code finds each cut with a selection and only falls back to a full argsort on a
 * tie at the cut. These references do what the behaviour description says literally (a full
 * argsort per (given, other) class pair; np.partition for prune_by_class) on tie-heavy random
 * data, where the fast paths and the tie detection are actually exercised.
 */
describe('pruning fast paths vs literal references on tie-heavy data', () => {
  function argmaxAfterBonus(probs: Float64Array, K: number, i: number, label: number): number {
    let best = -Infinity;
    let arg = -1;
    for (let j = 0; j < K; j++) {
      const p = probs[i * K + j]! + (j === label ? 1e-6 : 0);
      if (p > best) {
        best = p;
        arg = j;
      }
    }
    return arg;
  }

  function finish(mask: boolean[], labels: Int32Array, probs: Float64Array, K: number): number[] {
    const out: number[] = [];
    mask.forEach((flag, i) => {
      if (flag && argmaxAfterBonus(probs, K, i, labels[i]!) !== labels[i]) out.push(i);
    });
    return out;
  }

  function referenceByNoiseRate(labels: Int32Array, probs: Float64Array, K: number, kind: ArgsortKind): number[] {
    const n = labels.length;
    const cj = computeConfidentJoint(labels, probs, K, { sort: kind });
    const counts = new Array<number>(K).fill(0);
    labels.forEach((l) => counts[l]!++);
    const mask = new Array<boolean>(n).fill(false);
    for (let k = 0; k < K; k++) {
      if (counts[k]! <= 1) continue;
      for (let j = 0; j < K; j++) {
        const m = cj[k * K + j]!;
        if (j === k || m <= 0) continue;
        const margin = Array.from({ length: n }, (_, i) =>
          labels[i] === k ? probs[i * K + j]! - probs[i * K + k]! : -1,
        );
        const order = argsort(margin, kind);
        for (let t = n - m; t < n; t++) mask[order[t]!] = true;
      }
    }
    return finish(mask, labels, probs, K);
  }

  function referenceByClass(labels: Int32Array, probs: Float64Array, K: number): number[] {
    const n = labels.length;
    const cj = computeConfidentJoint(labels, probs, K);
    const mask = new Array<boolean>(n).fill(false);
    for (let k = 0; k < K; k++) {
      const members = Array.from(labels.keys()).filter((i) => labels[i] === k);
      if (members.length <= 1) continue;
      const values = members.map((i) => probs[i * K + k]!);
      const rank = [...values].sort((a, b) => a - b)[members.length - cj[k * K + k]!]!;
      members.forEach((i, u) => {
        if (values[u]! < rank) mask[i] = true;
      });
    }
    return finish(mask, labels, probs, K);
  }

  // Probabilities on a coarse grid so equal margins, equal cut values and equal remainders abound.
  const tieHeavyCase = fc.integer({ min: 2, max: 5 }).chain((K) =>
    fc.record({
      K: fc.constant(K),
      labels: fc.array(fc.integer({ min: 0, max: K - 1 }), { minLength: 20, maxLength: 120 }),
      grid: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 120 * K, maxLength: 120 * K }),
    }),
  );

  function inputsFrom(c: { K: number; labels: number[]; grid: number[] }): Inputs {
    const labels = Int32Array.from(c.labels);
    const probs = new Float64Array(labels.length * c.K);
    for (let i = 0; i < labels.length; i++) {
      let sum = 0;
      for (let k = 0; k < c.K; k++) sum += c.grid[i * c.K + k]! + 1;
      for (let k = 0; k < c.K; k++) probs[i * c.K + k] = (c.grid[i * c.K + k]! + 1) / sum;
    }
    return { labels, probs, K: c.K };
  }

  function diagonalPositive(labels: Int32Array, probs: Float64Array, K: number, kind: ArgsortKind): boolean {
    const cj = computeConfidentJoint(labels, probs, K, { sort: kind });
    for (let k = 0; k < K; k++) if (cj[k * K + k]! < 1) return false;
    return true;
  }

  for (const kind of ['numpy', 'stable'] as const) {
    it(`prune_by_noise_rate equals the literal full-argsort reference (${kind} ties)`, () => {
      fc.assert(
        fc.property(tieHeavyCase, (c) => {
          const { labels, probs, K } = inputsFrom(c);
          // With a zero diagonal cleanlab first moves counts around; that rule is not referenced here.
          fc.pre(diagonalPositive(labels, probs, K, kind));
          const got = Array.from(findLabelIssues(labels, probs, K, { filterBy: 'prune_by_noise_rate', sort: kind }));
          expect(got).toEqual(referenceByNoiseRate(labels, probs, K, kind));
        }),
        { numRuns: 250 },
      );
    });
  }

  it('prune_by_class equals the np.partition reference', () => {
    fc.assert(
      fc.property(tieHeavyCase, (c) => {
        const { labels, probs, K } = inputsFrom(c);
        fc.pre(diagonalPositive(labels, probs, K, 'numpy'));
        const got = Array.from(findLabelIssues(labels, probs, K, { filterBy: 'prune_by_class' }));
        expect(got).toEqual(referenceByClass(labels, probs, K));
      }),
      { numRuns: 250 },
    );
  });

  it('calibrated joint rows sum to the label counts', () => {
    fc.assert(
      fc.property(tieHeavyCase, (c) => {
        const { labels, probs, K } = inputsFrom(c);
        const cj = computeConfidentJoint(labels, probs, K);
        for (let k = 0; k < K; k++) {
          let row = 0;
          for (let j = 0; j < K; j++) row += cj[k * K + j]!;
          expect(row).toBe(labels.filter((l) => l === k).length);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('helpers', () => {
  it('selectKth returns the k-th smallest value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 300 }),
        fc.nat(),
        (values, r) => {
          const k = r % values.length;
          const sorted = Float64Array.from(values).sort();
          // === rather than toBe: -0 and 0 are the same order statistic.
          expect(selectKth(Float64Array.from(values), values.length, k) === sorted[k]).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('roundHalfEven matches np.round at halves', () => {
    expect([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 2.4999999999999996].map(roundHalfEven)).toEqual([
      -2, -2, -0, 0, 2, 2, 4, 2,
    ]);
  });

  it('roundPreservingSum moves the highest-index tie up and the lowest-index tie down', () => {
    // rint gives [0, 0, 0, 0] (sum 0) but the total rounds to 2: the last two go up.
    expect(Array.from(roundPreservingSum(Float64Array.from([0.5, 0.5, 0.5, 0.5]), 'stable'))).toEqual([0, 0, 1, 1]);
    // rint gives [2, 2, 2] (sum 6) but the total 4.5 rounds to 4: the first two go down.
    expect(Array.from(roundPreservingSum(Float64Array.from([1.5, 1.5, 1.5]), 'numpy'))).toEqual([1, 1, 2]);
  });

  it('roundPreservingSum keeps the rounded total and moves entries by at most one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 60 }), (quarters) => {
        const floats = Float64Array.from(quarters, (q) => q / 4);
        for (const kind of ['numpy', 'stable'] as const) {
          const ints = roundPreservingSum(floats, kind);
          const total = ints.reduce((a, b) => a + b, 0);
          expect(total).toBe(roundHalfEven(floats.reduce((a, b) => a + b, 0)));
          ints.forEach((v, j) => expect(Math.abs(v - floats[j]!)).toBeLessThanOrEqual(1));
        }
      }),
      { numRuns: 300 },
    );
  });
});
