import { describe, expect, it } from 'vitest';
import { runExtrinsic } from '../../../src/main/core/noise/extrinsic';
import type { ExtrinsicInput, Flag } from '../../../src/main/core/noise/strategy-types';
import { NEG, nearestByCosine, neighbourInput, referenceNoiseScore } from '../../helpers/neighbours';
import { mulberry32, nearPrototype, tieHeavyShape, type TieHeavyCase } from '../../helpers/seeded';

const A = 1;
const B = 2;

/*
 * Hand-checked layout (2-D unit vectors; cosines in brackets are the products worked out below).
 *
 * Clean set C, with trusted labels (example 0's given label is NEG, the patch says A):
 *   0 (1,0) A     1 (.8,.6) A     2 (.6,.8) B     3 (0,1) NEG     4 (-.6,.8) NEG
 * Judged examples (outside C), given label:
 *   5 (.8,-.6) NEG : 0 .8, 1 .64-.36=.28, 2 .48-.48=0, 3 -.6, 4 -.96
 *                    k=3 -> A .8, A .28, B 0: A holds 2 > 3/2 -> ES flag A
 *   6 (0,1)   NEG  : 3 1, 2 .8, 4 .8 (tie: lower index 2 first), 1 .6, 0 0
 *                    k=3 -> NEG, B, NEG: majority NEG = given -> no flag
 *   7 (1,0)   NEG  : 0 1, 1 .8, 2 .6 -> A, A, B -> ES flag A
 *   8 (1,0)   B    : same neighbours -> majority A != B -> ESP flag A
 *   9 (-.6,.8) A   : 4 1, 3 .8, 2 -.36+.64=.28 -> NEG, NEG, B -> ESP flag NEG
 *  10 (.8,.6) A    : 1 1, 2 .96, 0 .8 -> A, B, A -> majority A = given -> no flag
 *  11 (.6,.8) NEG  : 2 1, 1 .96, 3 .8 -> B, A, NEG -> no strict majority -> no flag
 *
 * Scores: p(s) x R[y][s] x votes (flag-scores.ts). R[y][s] = (M[s][s] + 1) / (M[s][s] + M[y][s]
 * + 2) on the confusion matrix M of given against predicted labels; votes = ((w(s) - w(y)) /
 * sum(w) + 1) / 2. Probabilities are uniform (predicted NEG, the smallest label, p = 1/3)
 * except for example 7, p = (.1, .8, .1), predicted A. So M[A][A] = 0, M[NEG][A] = 1 (example 7),
 * M[NEG][NEG] = 6, M[A][NEG] = 3: R[NEG][A] = 1/3, R[B][A] = 1/2, R[A][NEG] = 7/11.
 *   5: w A 1.08, NEG 0 of 1.08 -> votes 1     -> 1/3 x 1/3 x 1 = .111111
 *   7: w A 1.8, NEG 0 of 2.4   -> votes .875  -> .8 x 1/3 x .875 = .233333
 *   8: w A 1.8, B .6 of 2.4    -> votes .75   -> 1/3 x 1/2 x .75 = .125
 *   9: w NEG 1.8, A 0 of 2.08  -> votes (1.8 / 2.08 + 1) / 2 = .932692 -> 1/3 x 7/11 x .932692 = .197844
 */
const VECTORS = [
  [1, 0], [0.8, 0.6], [0.6, 0.8], [0, 1], [-0.6, 0.8],
  [0.8, -0.6], [0, 1], [1, 0], [1, 0], [-0.6, 0.8], [0.8, 0.6], [0.6, 0.8],
];
const GIVEN = [NEG, A, B, NEG, NEG, NEG, NEG, NEG, B, A, A, NEG];
const CLEAN_INDICES = [0, 1, 2, 3, 4];
const CLEAN_LABELS = [A, A, B, NEG, NEG];

const PROBS = Float32Array.from(VECTORS.flatMap((_, i) => (i === 7 ? [0.1, 0.8, 0.1] : [1 / 3, 1 / 3, 1 / 3])));

function input(k: number, overrides: Partial<ExtrinsicInput> = {}): ExtrinsicInput {
  return {
    probs: PROBS,
    labels: Int32Array.from(GIVEN),
    negative: NEG,
    numLabels: 3,
    embeddings: Float32Array.from(VECTORS.flat()),
    dim: 2,
    k,
    providers: ['cpu'],
    clean: { indices: Int32Array.from(CLEAN_INDICES), labels: Int32Array.from(CLEAN_LABELS) },
    ...overrides,
  };
}

// "+ 0" turns -0 (a cosine that rounds to a tiny negative) into 0 for toEqual.
const round = (x: number): number => Math.round(x * 1e6) / 1e6 + 0;

function byIndex(flags: Flag[]): { index: number; strategy: string; suggested: number; score: number }[] {
  return flags
    .map((f) => ({ index: f.index, strategy: f.strategy, suggested: f.suggested, score: round(f.score) }))
    .sort((x, y) => x.index - y.index);
}

function expectRanked(flags: Flag[]): void {
  for (let i = 1; i < flags.length; i++) {
    const a = flags[i - 1]!;
    const b = flags[i]!;
    expect(a.score > b.score || (a.score === b.score && a.index < b.index)).toBe(true);
  }
}

describe('runExtrinsic, hand-checked', () => {
  it('ES flags negatives whose clean neighbours hold a positive strict majority', async () => {
    const flags = await runExtrinsic(input(3), { positivesToo: false });
    expect(byIndex(flags)).toEqual([
      { index: 5, strategy: 'es', suggested: A, score: 0.111111 },
      { index: 7, strategy: 'es', suggested: A, score: 0.233333 },
    ]);
    expect(flags.map((f) => f.index)).toEqual([7, 5]); // ranked by score
    // Evidence: all k clean neighbours with their trusted labels (example 0 is A, not NEG).
    const e5 = flags[1]!.evidence.neighbours.map((n) => ({ ...n, similarity: round(n.similarity) }));
    expect(e5).toEqual([
      { index: 0, similarity: 0.8, label: A },
      { index: 1, similarity: 0.28, label: A },
      { index: 2, similarity: 0, label: B },
    ]);
  });

  it('ESP adds positives whose clean majority differs, including towards the negative label', async () => {
    const flags = await runExtrinsic(input(3), { positivesToo: true });
    expect(byIndex(flags)).toEqual([
      { index: 5, strategy: 'esp', suggested: A, score: 0.111111 },
      { index: 7, strategy: 'esp', suggested: A, score: 0.233333 },
      { index: 8, strategy: 'esp', suggested: A, score: 0.125 },
      { index: 9, strategy: 'esp', suggested: NEG, score: 0.197844 },
    ]);
    expectRanked(flags);
  });

  it('orders tied neighbours by lower example index whatever order C was given in', async () => {
    const shuffled = {
      indices: Int32Array.from([4, 2, 0, 3, 1]),
      labels: Int32Array.from([NEG, B, A, NEG, A]),
    };
    const a = await runExtrinsic(input(3), { positivesToo: true });
    const b = await runExtrinsic(input(3, { clean: shuffled }), { positivesToo: true });
    expect(b).toEqual(a);
    // C = {4: NEG, 3: B, 2: B}, listed with 4 first. Example 6 at (0,1), k = 2: 3 (B, 1), then
    // 2 (B, .8) and 4 (NEG, .8) tie; the lower example index 2 wins -> B, B -> flag B, votes 1,
    // score p(B) x R[NEG][B] x 1 = 1/3 x (0 + 1) / (0 + 0 + 2) = .166667 (nothing is predicted B).
    // Had 4 won the tie, B/NEG would be no majority and 6 would go unflagged.
    const tieC = { indices: Int32Array.from([4, 3, 2]), labels: Int32Array.from([NEG, B, B]) };
    const tied = await runExtrinsic(input(2, { clean: tieC }), { positivesToo: false });
    const six = tied.find((f) => f.index === 6);
    expect(six?.suggested).toBe(B);
    expect(round(six!.score)).toBe(0.166667);
    expect(six!.evidence.neighbours.map((nb) => nb.index)).toEqual([3, 2]);
  });

  it('needs more than half: an even split is no majority', async () => {
    // k = 4: example 5 sees A .8, A .28, B 0, NEG -.6 -> A holds 2 of 4, not a strict majority.
    // example 7 sees A, A, B, NEG as well -> no flag either.
    expect(await runExtrinsic(input(4), { positivesToo: false })).toEqual([]);
  });

  it('uses min(k, |C|) neighbours when C is small', async () => {
    // k = 10 against |C| = 5: example 5 sees A, A, B, NEG, NEG -> 2 of 5 -> no flag;
    // example 7 (1,0) sees 0 A 1, 1 A .8, 2 B .6, 3 NEG 0, 4 NEG -.6 -> 2 of 5 -> no flag.
    expect(await runExtrinsic(input(10), { positivesToo: false })).toEqual([]);
    // Only example 3 (trusted NEG) in C, k = 3 -> one neighbour; every positive outside C gets a
    // NEG majority (1 of 1) and is flagged by ESP; negatives agree with it.
    const flags = await runExtrinsic(
      input(3, { clean: { indices: Int32Array.from([3]), labels: Int32Array.from([NEG]) } }),
      { positivesToo: true },
    );
    expect(byIndex(flags).map((f) => [f.index, f.suggested])).toEqual([[1, NEG], [2, NEG], [8, NEG], [9, NEG], [10, NEG]]);
  });

  it('never flags or searches from clean examples, and handles an empty C', async () => {
    const flags = await runExtrinsic(input(3), { positivesToo: true });
    for (const f of flags) expect(CLEAN_INDICES).not.toContain(f.index);
    const empty = { indices: new Int32Array(0), labels: new Int32Array(0) };
    expect(await runExtrinsic(input(3, { clean: empty }), { positivesToo: true })).toEqual([]);
  });

  it('rejects a malformed clean set', async () => {
    const bad = (indices: number[], labels: number[]) =>
      runExtrinsic(input(3, { clean: { indices: Int32Array.from(indices), labels: Int32Array.from(labels) } }), {
        positivesToo: false,
      });
    await expect(bad([0, 0], [A, A])).rejects.toThrow(/twice/);
    await expect(bad([12], [A])).rejects.toThrow(RangeError);
    await expect(bad([0], [7])).rejects.toThrow(RangeError);
    await expect(bad([0, 1], [A])).rejects.toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Randomized cross-check against a brute-force reference.

interface RandomData extends TieHeavyCase {
  clean: Map<number, number>;
  probs: number[];
}

function randomData(seed: number): RandomData {
  const rnd = mulberry32(seed);
  const { dim, n, numLabels, k, protos, protoLabel } = tieHeavyShape(rnd, (r) => 20 + Math.floor(r() * 120), 6);
  const cleanShare = 0.05 + rnd() * 0.5;
  const ints: number[][] = [];
  const labels: number[] = [];
  const clean = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const { proto, vector } = nearPrototype(rnd, protos, 0.15);
    ints.push(vector);
    const truth = rnd() < 0.7 ? protoLabel[proto]! : Math.floor(rnd() * numLabels);
    labels.push(rnd() < 0.3 ? 0 : truth);
    if (rnd() < cleanShare) clean.set(i, truth);
  }
  const probs = Array.from({ length: n * numLabels }, () => Math.floor(rnd() * 5) / 8);
  return { ints, labels, clean, probs, numLabels, dim, k };
}

function referenceExtrinsic(d: RandomData, positivesToo: boolean): Flag[] {
  const n = d.labels.length;
  const pool = [...d.clean.keys()];
  const flags: Flag[] = [];
  for (let x = 0; x < n; x++) {
    if (d.clean.has(x)) continue;
    if (!positivesToo && d.labels[x] !== NEG) continue;
    const neighbours = nearestByCosine(d.ints, x, pool, d.k).map((nb) => ({ ...nb, label: d.clean.get(nb.index)! }));
    const counts = new Map<number, number>();
    for (const nb of neighbours) counts.set(nb.label, (counts.get(nb.label) ?? 0) + 1);
    const majority = [...counts].find(([, c]) => c * 2 > neighbours.length)?.[0];
    if (majority === undefined || majority === d.labels[x]) continue;
    flags.push({
      index: x,
      strategy: positivesToo ? 'esp' : 'es',
      score: referenceNoiseScore(d.labels, d.probs, d.numLabels, x, majority, neighbours),
      suggested: majority,
      evidence: { neighbours },
    });
  }
  return flags.sort((p, q) => q.score - p.score || p.index - q.index);
}

describe('runExtrinsic, randomized against brute force', () => {
  it('matches the reference exactly on tie-heavy integer data, ES and ESP', async () => {
    let flagged = 0;
    for (let seed = 1; seed <= 50; seed++) {
      const d = randomData(seed);
      // Hand C over in a scrambled order: the result must not depend on it.
      const entries = [...d.clean].sort((p, q) => ((p[0] * 7919) % 101) - ((q[0] * 7919) % 101));
      const base: ExtrinsicInput = {
        ...neighbourInput(d.ints, d.labels, d.k, d.numLabels, 1 / Math.sqrt(d.dim)),
        probs: Float32Array.from(d.probs),
        clean: { indices: Int32Array.from(entries.map((e) => e[0])), labels: Int32Array.from(entries.map((e) => e[1])) },
      };
      for (const positivesToo of [false, true]) {
        const flags = await runExtrinsic(base, { positivesToo });
        expect(flags, `seed ${seed} positivesToo ${positivesToo}`).toEqual(referenceExtrinsic(d, positivesToo));
        flagged += flags.length;
      }
    }
    expect(flagged).toBeGreaterThan(100);
  });
});
