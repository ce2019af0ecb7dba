import { describe, expect, it } from 'vitest';
import { runIntrinsic } from '../../../src/main/core/noise/intrinsic';
import type { EvidenceItem, Flag, StrategyInput } from '../../../src/main/core/noise/strategy-types';
import { NEG, nearestByCosine, neighbourInput, referenceNoiseScore } from '../../helpers/neighbours';
import { mulberry32, nearPrototype, tieHeavyShape, type TieHeavyCase } from '../../helpers/seeded';

const A = 1;
const B = 2;
const C = 3;

/** Probabilities that put `confidence` on the prediction and share the rest evenly. */
function probsFor(predictions: readonly number[], numLabels: number, confidence = 0.7): Float32Array {
  const out = new Float32Array(predictions.length * numLabels).fill((1 - confidence) / (numLabels - 1));
  predictions.forEach((p, i) => (out[i * numLabels + p] = confidence));
  return out;
}

function input(
  vectors: number[][],
  labels: number[],
  predictions: number[],
  k: number,
  numLabels = 4,
  probs: Float32Array = probsFor(predictions, numLabels),
): StrategyInput {
  return { ...neighbourInput(vectors, labels, k, numLabels), predictions: Int32Array.from(predictions), probs };
}

function simplify(flags: Flag[]): unknown[] {
  return flags.map((f) => ({
    index: f.index,
    strategy: f.strategy,
    score: round(f.score),
    suggested: f.suggested,
    anchors: f.evidence.anchors?.map((a) => ({ ...a, similarity: round(a.similarity) })),
    neighbours: f.evidence.neighbours,
  }));
}

// "+ 0" turns -0 (a cosine that rounds to a tiny negative) into 0 for toEqual.
const round = (x: number): number => Math.round(x * 1e6) / 1e6 + 0;

describe('runIntrinsic, hand-checked', () => {
  it('flags the negatives nearest to positives predicted negative', async () => {
    // 0: anchor A at (1,0); 1: anchor B at (0,1); 2: A predicted A (not an anchor), at (1,0);
    // 3..6: negatives at (.8,.6), (.6,.8), (-1,0), (0,-1). k = 2.
    // anchor 0 -> sims 3: .8, 4: .6, 5: -1, 6: 0    -> neighbours 3 (.8), 4 (.6)
    // anchor 1 -> sims 3: .6, 4: .8, 5: 0, 6: -1    -> neighbours 4 (.8), 3 (.6)
    // 3: votes A .8, B .6 -> A;  4: votes B .8, A .6 -> B. Example 2 is never an anchor.
    // Score p(s) x R[NEG][s] x votes (flag-scores.ts). 3 is predicted NEG (p .7, p(A) .1), 4 is
    // predicted B (p .7), so M[A][A] = 1 (example 2), M[NEG][A] = 0, M[B][B] = 0, M[NEG][B] = 1:
    // R[NEG][A] = 2/3, R[NEG][B] = 1/3; both votes are (.8 / 1.4 + 1) / 2 = .785714.
    // 4: .7 x 1/3 x .785714 = .183333; 3: .1 x 2/3 x .785714 = .052381.
    const flags = await runIntrinsic(
      input(
        [[1, 0], [0, 1], [1, 0], [0.8, 0.6], [0.6, 0.8], [-1, 0], [0, -1]],
        [A, B, A, NEG, NEG, NEG, NEG],
        [NEG, NEG, A, NEG, B, NEG, NEG],
        2,
      ),
    );
    expect(simplify(flags)).toEqual([
      {
        index: 4,
        strategy: 'is',
        score: 0.183333,
        suggested: B,
        anchors: [
          { index: 1, similarity: 0.8, label: B },
          { index: 0, similarity: 0.6, label: A },
        ],
        neighbours: [],
      },
      {
        index: 3,
        strategy: 'is',
        score: 0.052381,
        suggested: A,
        anchors: [
          { index: 0, similarity: 0.8, label: A },
          { index: 1, similarity: 0.6, label: B },
        ],
        neighbours: [],
      },
    ]);
  });

  it('suggests by summed weight and scores by the probability of the suggestion, its reliability and the votes', async () => {
    // n = (1,0), far negative m = (-1,0), k = 1.
    // anchor A at (.9, sqrt(.19)): sim(n) = .9, sim(m) = -.9 -> votes n with A .9
    // two anchors B at (.6,-.8):   sim(n) = .6, sim(m) = -.6 -> each votes n with B .6
    // n: A = .9, B = .6 + .6 = 1.2 -> suggested B. Score p(B) x R[NEG][B] x votes: n is predicted
    // A, the rest NEG, so nothing is predicted B and R[NEG][B] = 1/2; votes (1.2 / 2.1 + 1) / 2
    // -> .15 x .5 x .785714 = .058929.
    const probs = probsFor([NEG, NEG, NEG, NEG, NEG], 4);
    probs.set([0.25, 0.5, 0.15, 0.1], 0);
    const flags = await runIntrinsic(
      input(
        [[1, 0], [-1, 0], [0.9, Math.sqrt(0.19)], [0.6, -0.8], [0.6, -0.8]],
        [NEG, NEG, A, B, B],
        [NEG, NEG, NEG, NEG, NEG],
        1,
        4,
        probs,
      ),
    );
    expect(flags).toHaveLength(1);
    expect(flags[0]!.index).toBe(0);
    expect(flags[0]!.suggested).toBe(B);
    expect(flags[0]!.score).toBeCloseTo(0.058929, 6);
    expect(flags[0]!.evidence.anchors!.map((a) => a.index)).toEqual([2, 3, 4]);
  });

  it("flags a neighbour only when the model's margin of the suggestion over the negative reaches minMargin", async () => {
    // The layout of the first test: 4 (p(B) .7, p(NEG) .1, margin .6) and 3 (p(A) .1, p(NEG) .7,
    // margin -.6) are both neighbours of anchors.
    const data = input(
      [[1, 0], [0, 1], [1, 0], [0.8, 0.6], [0.6, 0.8], [-1, 0], [0, -1]],
      [A, B, A, NEG, NEG, NEG, NEG],
      [NEG, NEG, A, NEG, B, NEG, NEG],
      2,
    );
    const paper = await runIntrinsic(data);
    expect(paper.map((f) => f.index)).toEqual([4, 3]);
    expect(await runIntrinsic(data, { minMargin: -1 })).toEqual(paper);
    expect((await runIntrinsic(data, { minMargin: 0 })).map((f) => f.index)).toEqual([4]);
    expect((await runIntrinsic(data, { minMargin: 0.6 - 1e-6 })).map((f) => f.index)).toEqual([4]);
    expect(await runIntrinsic(data, { minMargin: 0.7 })).toEqual([]);
    // Only the flag set changes: the kept flag is the paper's, score and evidence included.
    expect((await runIntrinsic(data, { minMargin: 0 }))[0]).toEqual(paper[0]);
  });

  it('leaves out untrusted anchors: those whose own label the model all but rules out', async () => {
    // Negatives n0 = (1,0) and n1 = (0,1); anchor 2 (A, near n0) keeps p(A) = .3; anchor 3
    // (B, near n1) has p(B) = .02, likely a negative relabelled by noise. k = 1.
    const probs = Float32Array.from([0.9, 0.04, 0.03, 0.03, 0.9, 0.04, 0.03, 0.03, 0.6, 0.3, 0.05, 0.05, 0.95, 0.01, 0.02, 0.02]);
    const vectors = [[1, 0], [0, 1], [0.9, 0.1], [0.1, 0.9]];
    const base = input(vectors, [NEG, NEG, A, B], [NEG, NEG, NEG, NEG], 1, 4, probs);
    const all = await runIntrinsic(base);
    expect(all.map((f) => [f.index, f.suggested])).toEqual([[0, A], [1, B]]);
    expect(await runIntrinsic(base, { anchorMinSelfProb: 0 })).toEqual(all);
    const trusted = await runIntrinsic(base, { anchorMinSelfProb: 0.1 });
    expect(trusted.map((f) => [f.index, f.suggested])).toEqual([[0, A]]);
    expect(trusted[0]!.evidence.anchors!.map((a) => a.index)).toEqual([2]);
  });

  it('breaks a tie in summed weight towards the smaller label index', async () => {
    // Anchors C (index 1) and B (index 2) share one vector, so both vote .6 for the only negative.
    const flags = await runIntrinsic(
      input([[1, 0], [0.6, 0.8], [0.6, 0.8]], [NEG, C, B], [A, NEG, NEG], 3),
    );
    expect(flags).toHaveLength(1);
    expect(flags[0]!.suggested).toBe(B);
    // Equal similarities list the lower anchor index first.
    expect(flags[0]!.evidence.anchors!.map((a) => a.index)).toEqual([1, 2]);
  });

  it('returns nothing without anchors, without negatives, or with k = 0', async () => {
    const v = [[1, 0], [0, 1]];
    expect(await runIntrinsic(input(v, [A, NEG], [A, NEG], 3))).toEqual([]);
    expect(await runIntrinsic(input(v, [A, B], [NEG, NEG], 3))).toEqual([]);
    expect(await runIntrinsic(input(v, [A, NEG], [NEG, NEG], 0))).toEqual([]);
  });

  it('reports progress over the anchors and honours an aborted signal', async () => {
    const base = input([[1, 0], [0, 1], [0.6, 0.8]], [A, B, NEG], [NEG, NEG, NEG], 1);
    const seen: [number, number][] = [];
    await runIntrinsic({ ...base, onProgress: (d, t) => seen.push([d, t]) });
    expect(seen.at(-1)).toEqual([2, 2]);
    const ac = new AbortController();
    ac.abort();
    await expect(runIntrinsic({ ...base, signal: ac.signal })).rejects.toThrow();
  });

  it('rejects inconsistent input', async () => {
    const ok = input([[1, 0], [0, 1]], [A, NEG], [NEG, NEG], 1);
    await expect(runIntrinsic({ ...ok, predictions: Int32Array.from([0]) })).rejects.toThrow(RangeError);
    await expect(runIntrinsic({ ...ok, labels: Int32Array.from([9, 0]) })).rejects.toThrow(RangeError);
    await expect(runIntrinsic({ ...ok, negative: 4 })).rejects.toThrow(RangeError);
    await expect(runIntrinsic({ ...ok, dim: 3 })).rejects.toThrow(RangeError);
    await expect(runIntrinsic({ ...ok, probs: new Float32Array(3) })).rejects.toThrow(/probs has 3 values/);
  });
});

// ---------------------------------------------------------------------------------------------
// Randomized cross-check against a brute-force reference.

interface RandomData extends TieHeavyCase {
  predictions: number[];
  /** n x numLabels; rows need not sum to 1 here (only p(negative) and p(own label) are read). */
  probs: number[];
}

function randomData(seed: number): RandomData {
  const rnd = mulberry32(seed);
  const { dim, n, numLabels, k, protos, protoLabel } = tieHeavyShape(rnd, (r) => 20 + Math.floor(r() * 120), 6);
  const ints: number[][] = [];
  const labels: number[] = [];
  const predictions: number[] = [];
  for (let i = 0; i < n; i++) {
    const { proto, vector } = nearPrototype(rnd, protos, 0.15);
    ints.push(vector);
    // Heavy negative class, as in TACRED.
    labels.push(rnd() < 0.5 ? 0 : rnd() < 0.6 ? protoLabel[proto]! : Math.floor(rnd() * numLabels));
    predictions.push(rnd() < 0.4 ? 0 : Math.floor(rnd() * numLabels));
  }
  // Quarters, so that equal scores (ties by index) and the trust cut both occur.
  const probs = Array.from({ length: n * numLabels }, () => Math.floor(rnd() * 5) / 20);
  return { ints, labels, predictions, probs, numLabels, dim, k };
}

function referenceIntrinsic(d: RandomData, minSelf: number, minMargin = -1): Flag[] {
  const n = d.labels.length;
  const negatives = [...Array(n).keys()].filter((i) => d.labels[i] === NEG);
  const votes = new Map<number, EvidenceItem[]>();
  for (let a = 0; a < n; a++) {
    if (d.labels[a] === NEG || d.predictions[a] !== NEG) continue;
    if (minSelf > 0 && Math.fround(d.probs[a * d.numLabels + d.labels[a]!]!) < minSelf) continue;
    for (const { index, similarity } of nearestByCosine(d.ints, a, negatives, d.k)) {
      const list = votes.get(index) ?? [];
      list.push({ index: a, similarity, label: d.labels[a]! });
      votes.set(index, list);
    }
  }
  const flags: Flag[] = [];
  for (const [index, list] of votes) {
    const sums = new Array<number>(d.numLabels).fill(0);
    for (const v of list) sums[v.label]! += v.similarity;
    let suggested = -1;
    for (const v of list) {
      if (suggested === -1 || sums[v.label]! > sums[suggested]! || (sums[v.label] === sums[suggested] && v.label < suggested)) {
        suggested = v.label;
      }
    }
    const anchors = [...list].sort((x, y) => y.similarity - x.similarity || x.index - y.index);
    const p = (label: number) => Math.fround(d.probs[index * d.numLabels + label]!);
    if (p(suggested) - p(NEG) < minMargin) continue;
    flags.push({
      index,
      strategy: 'is',
      score: referenceNoiseScore(d.labels, d.probs, d.numLabels, index, suggested, anchors),
      suggested,
      evidence: { neighbours: [], anchors },
    });
  }
  return flags.sort((x, y) => y.score - x.score || x.index - y.index);
}

describe('runIntrinsic, randomized against brute force', () => {
  it('matches the reference exactly on tie-heavy integer data', async () => {
    let flagged = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const d = randomData(seed);
      const minSelf = seed % 2 ? 0 : 0.1;
      // Margins of quarter-step probabilities: 0 and .05 both meet exact ties.
      const minMargin = [-1, 0, 0.05][seed % 3]!;
      const flags = await runIntrinsic(
        { ...neighbourInput(d.ints, d.labels, d.k, d.numLabels, 1 / Math.sqrt(d.dim)), predictions: Int32Array.from(d.predictions), probs: Float32Array.from(d.probs) },
        { anchorMinSelfProb: minSelf, minMargin },
      );
      expect(flags, `seed ${seed}`).toEqual(referenceIntrinsic(d, minSelf, minMargin));
      flagged += flags.length;
    }
    // The data must give the comparison something to compare.
    expect(flagged).toBeGreaterThan(500);
  });
});
