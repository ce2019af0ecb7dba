import { describe, expect, it } from 'vitest';
import { runKnnDisagreement } from '../../../src/main/core/noise/knn-disagreement';
import type { Flag, NeighbourInput } from '../../../src/main/core/noise/strategy-types';
import { NEG, nearestByCosine, neighbourInput, referenceNoiseScore } from '../../helpers/neighbours';
import { mulberry32, nearPrototype, tieHeavyShape, type TieHeavyCase } from '../../helpers/seeded';

const A = 1;
const B = 2;
const C = 3;

function input(vectors: number[][], labels: number[], k: number, numLabels = 4): NeighbourInput {
  return neighbourInput(vectors, labels, k, numLabels);
}

// Five places: float32 inputs are good to ~1e-7. "+ 0" turns -0 (a cosine that rounds to a
// tiny negative) into 0 for toEqual.
const round = (x: number): number => Math.round(x * 1e5) / 1e5 + 0;

function summary(flags: Flag[]): [number, number, number][] {
  return flags.map((f) => [f.index, f.suggested, round(f.score)]);
}

describe('runKnnDisagreement, hand-checked', () => {
  it('flags examples whose weighted neighbours mostly disagree, and not an exact half', async () => {
    // Scores are the vote margin of the suggestion over the own label, ((w(s) - w(y)) / sum + 1) / 2.
    // 0 (1,0) A   1 (.8,.6) B   2 (.6,.8) B   3 (0,1) A   4 (-1,0) A, k = 2.
    // cosines: 01 .8, 02 .6, 03 0, 04 -1, 12 .96, 13 .6, 14 -.8, 23 .8, 24 -.6, 34 0
    // 0: 1 B .8, 2 B .6        -> 1.4 / 1.4 = 1        -> flag, suggest B
    // 1: 2 B .96, 0 A .8       -> .8 / 1.76 = .4545    -> no
    // 2: 1 B .96, 3 A .8       -> .8 / 1.76            -> no
    // 3: 2 B .8, 1 B .6        -> 1.4 / 1.4 = 1        -> flag, suggest B
    // 4: 3 A 0, 2 B -.6        -> weights 0, 0: unweighted 1 / 2 = .5, not above .5 -> no
    const flags = await runKnnDisagreement(
      input([[1, 0], [0.8, 0.6], [0.6, 0.8], [0, 1], [-1, 0]], [A, B, B, A, A], 2),
    );
    expect(summary(flags)).toEqual([
      [0, B, 1],
      [3, B, 1],
    ]);
    expect(flags[0]!.strategy).toBe('knn');
    expect(flags[0]!.evidence.neighbours.map((n) => [n.index, round(n.similarity), n.label])).toEqual([
      [1, 0.8, B],
      [2, 0.6, B],
    ]);
  });

  it("with the model's probabilities, flags only the disagreements the model shares by minMargin, scored by the noise score", async () => {
    // The layout of the first test: 0 and 3 are disagreements suggesting B (vote margin 1).
    // The model gives 0 p(B) .7 over p(A) .1 (margin .6), and 3 p(B) .3 under p(A) .6.
    const probs = Float32Array.from([
      [0.1, 0.1, 0.7, 0.1], [0.1, 0.1, 0.7, 0.1], [0.1, 0.1, 0.7, 0.1], [0.05, 0.6, 0.3, 0.05], [0.1, 0.7, 0.1, 0.1],
    ].flat());
    const data = input([[1, 0], [0.8, 0.6], [0.6, 0.8], [0, 1], [-1, 0]], [A, B, B, A, A], 2);
    const at = async (minMargin: number) => summary(await runKnnDisagreement(data, { threshold: 0.5, model: { probs, minMargin } }));
    // Score p(B) x R[A][B] x 1: predictions B, B, B, A, A -> M[B][B] = 2, M[A][B] = 1 -> R = 3/5.
    expect(await at(-1)).toEqual([[0, B, round(0.7 * 0.6)], [3, B, round(0.3 * 0.6)]]);
    expect(await at(0)).toEqual([[0, B, round(0.7 * 0.6)]]);
    expect(await at(0.6 - 1e-6)).toEqual([[0, B, round(0.7 * 0.6)]]);
    expect(await at(0.7)).toEqual([]);
    // Without the model: the neighbours alone, scored by their vote margin.
    expect(summary(await runKnnDisagreement(data, { threshold: 0.5 }))).toEqual([[0, B, 1], [3, B, 1]]);
  });

  it('falls back to the unweighted share when every weight is zero', async () => {
    // 0 (1,0) A, 1 (-1,0) B, 2 (0,-1) B, k = 2.
    // 0: 2 B 0, 1 B -1 -> weights 0, 0 -> unweighted 2/2 = 1 -> flag B
    // 1: 2 B 0, 0 A -1 -> unweighted 1/2 -> no
    // 2: 0 A 0, 1 B 0 (tie, lower index first) -> unweighted 1/2 -> no
    const flags = await runKnnDisagreement(input([[1, 0], [-1, 0], [0, -1]], [A, B, B], 2));
    expect(summary(flags)).toEqual([[0, B, 1]]);
  });

  it('suggests the heaviest other label when the own label is still the heaviest single one', async () => {
    // x = (1,0,0) A, a = (.9, sqrt(.19), 0) A, b = (.8, 0, .6) B, c = (.7, -sqrt(.51), 0) C; k = 3.
    // cosines: xa .9, xb .8, xc .7, ab .72, bc .56, ac .63 - sqrt(.19 * .51) = .318712
    // x: A .9, B .8, C .7          -> 1.5 / 2.4 = .625, flag; heaviest other label B (.8 > .7)
    //    (the plain plurality would be A, x's own label: no use as a relabelling)
    //    score ((.8 - .9) / 2.4 + 1) / 2 = .479167: flagged, but its suggestion is weak
    // a: A .9, B .72, C .318712    -> 1.038712 / 1.938712 = .535774, flag B, score .453578
    // b: A .8, A .72, C .56        -> all disagree, flag A (1.52 > .56), score (1.52 / 2.08 + 1) / 2
    // c: A .7, B .56, A .318712    -> all disagree, flag A (1.018712 > .56), score .822640
    const flags = await runKnnDisagreement(
      input(
        [[1, 0, 0], [0.9, Math.sqrt(0.19), 0], [0.8, 0, 0.6], [0.7, -Math.sqrt(0.51), 0]],
        [A, A, B, C],
        3,
      ),
    );
    expect(summary(flags).sort((p, q) => p[0] - q[0])).toEqual([
      [0, B, 0.47917],
      [1, B, 0.45358],
      [2, A, 0.86538],
      [3, A, 0.82264],
    ]);
    // Ranked by score, then index.
    expect(flags.map((f) => f.index)).toEqual([2, 3, 0, 1]);
  });

  it('flags only above the threshold of disagreeing weight', async () => {
    // The same four examples: disagreement x .625, a .535774, b 1, c 1.
    const vectors = [[1, 0, 0], [0.9, Math.sqrt(0.19), 0], [0.8, 0, 0.6], [0.7, -Math.sqrt(0.51), 0]];
    const at = async (threshold: number) => (await runKnnDisagreement(input(vectors, [A, A, B, C], 3), { threshold })).map((f) => f.index).sort();
    expect(await at(0.5)).toEqual([0, 1, 2, 3]);
    expect(await at(0.6)).toEqual([0, 2, 3]);
    expect(await at(0.9)).toEqual([2, 3]);
    expect(await at(0.63)).toEqual([2, 3]);
    await expect(runKnnDisagreement(input(vectors, [A, A, B, C], 3), { threshold: 1 })).rejects.toThrow(RangeError);
  });

  it('breaks a tie between suggested labels towards the smaller index', async () => {
    // 0 = (1,0) NEG; 1 and 2 both (.6,.8), labelled C and B; k = 2.
    // 0: 1 C .6, 2 B .6 -> all disagree, C and B tie at .6 -> B
    const flags = await runKnnDisagreement(input([[1, 0], [0.6, 0.8], [0.6, 0.8]], [NEG, C, B], 2));
    expect(flags.find((f) => f.index === 0)?.suggested).toBe(B);
  });

  it('handles k = 0 and a single example, and rejects bad input', async () => {
    expect(await runKnnDisagreement(input([[1, 0], [0, 1]], [A, B], 0))).toEqual([]);
    expect(await runKnnDisagreement(input([[1, 0]], [A], 3))).toEqual([]);
    await expect(runKnnDisagreement({ ...input([[1, 0]], [A], 1), k: 1.5 })).rejects.toThrow(RangeError);
    await expect(runKnnDisagreement({ ...input([[1, 0]], [A], 1), numLabels: 1 })).rejects.toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Randomized cross-check against a brute-force reference.

function randomData(seed: number): TieHeavyCase {
  const rnd = mulberry32(seed);
  // A few tiny sets, where every neighbour can be orthogonal or opposed (the zero-weight rule).
  const drawN = (r: () => number): number => (r() < 0.25 ? 2 + Math.floor(r() * 5) : 10 + Math.floor(r() * 120));
  const { dim, n, numLabels, k, protos, protoLabel } = tieHeavyShape(rnd, drawN, 8);
  // Some seeds scatter the points (flip half the signs) instead of clustering them.
  const flip = rnd() < 0.3 ? 0.5 : 0.15;
  const ints: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const { proto, vector } = nearPrototype(rnd, protos, flip);
    ints.push(vector);
    labels.push(rnd() < 0.6 ? protoLabel[proto]! : Math.floor(rnd() * numLabels));
  }
  return { ints, labels, numLabels, dim, k };
}

function referenceKnn(d: TieHeavyCase, threshold: number, model?: { probs: number[]; minMargin: number }): Flag[] {
  const n = d.labels.length;
  const flags: Flag[] = [];
  for (let x = 0; x < n; x++) {
    const others = [...Array(n).keys()].filter((i) => i !== x);
    const neighbours = nearestByCosine(d.ints, x, others, d.k).map((nb) => ({ ...nb, label: d.labels[nb.index]! }));
    if (neighbours.length === 0) continue;
    let weights = neighbours.map((nb) => Math.max(nb.similarity, 0));
    if (weights.every((w) => w === 0)) weights = weights.map(() => 1);
    const total = weights.reduce((s, w) => s + w, 0);
    const byLabel = new Array<number>(d.numLabels).fill(0);
    neighbours.forEach((nb, j) => (byLabel[nb.label]! += weights[j]!));
    const own = d.labels[x]!;
    const disagreeing = total - byLabel[own]!;
    if (!(disagreeing > threshold * total)) continue;
    let suggested = -1;
    for (let label = 0; label < d.numLabels; label++) {
      if (label === own || !neighbours.some((nb) => nb.label === label)) continue;
      if (suggested === -1 || byLabel[label]! > byLabel[suggested]!) suggested = label;
    }
    let score = ((byLabel[suggested]! - byLabel[own]!) / total + 1) / 2;
    if (model) {
      const p = (label: number) => Math.fround(model.probs[x * d.numLabels + label]!);
      if (p(suggested) - p(own) < model.minMargin) continue;
      score = referenceNoiseScore(d.labels, model.probs, d.numLabels, x, suggested, neighbours);
    }
    flags.push({ index: x, strategy: 'knn', score, suggested, evidence: { neighbours } });
  }
  return flags.sort((p, q) => q.score - p.score || p.index - q.index);
}

describe('runKnnDisagreement, randomized against brute force', () => {
  it('matches the reference exactly on tie-heavy integer data', async () => {
    let flagged = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const d = randomData(seed);
      const threshold = seed % 3 === 0 ? 0.7 : 0.5;
      // Every other seed reads the model too: quarter-step probabilities, margins -1, 0 and .25.
      const rnd = mulberry32(seed + 1000);
      const model = seed % 2 ? undefined : { probs: Array.from({ length: d.labels.length * d.numLabels }, () => Math.floor(rnd() * 5) / 4), minMargin: [-1, 0, 0.25][seed % 3]! };
      const flags = await runKnnDisagreement(neighbourInput(d.ints, d.labels, d.k, d.numLabels, 1 / Math.sqrt(d.dim)), { threshold, model: model && { probs: Float32Array.from(model.probs), minMargin: model.minMargin } });
      expect(flags, `seed ${seed}`).toEqual(referenceKnn(d, threshold, model));
      flagged += flags.length;
    }
    expect(flagged).toBeGreaterThan(200);
  });
});
