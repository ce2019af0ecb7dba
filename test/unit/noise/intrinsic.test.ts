import { describe, expect, it } from 'vitest';
import { runIntrinsic } from '../../../src/main/core/noise/intrinsic';
import type { EvidenceItem, Flag, StrategyInput } from '../../../src/main/core/noise/strategy-types';

const NEG = 0;
const A = 1;
const B = 2;
const C = 3;

function input(
  vectors: number[][],
  labels: number[],
  predictions: number[],
  k: number,
  numLabels = 4,
): StrategyInput {
  const dim = vectors[0]!.length;
  return {
    labels: Int32Array.from(labels),
    predictions: Int32Array.from(predictions),
    negative: NEG,
    numLabels,
    embeddings: Float32Array.from(vectors.flat()),
    dim,
    k,
    providers: ['cpu'],
  };
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
    // 3: votes A .8, B .6 -> A, score .8;  4: votes B .8, A .6 -> B, score .8
    // Equal scores rank the lower example index first. Example 2 is never an anchor.
    const flags = await runIntrinsic(
      input(
        [[1, 0], [0, 1], [1, 0], [0.8, 0.6], [0.6, 0.8], [-1, 0], [0, -1]],
        [A, B, A, NEG, NEG, NEG, NEG],
        [NEG, NEG, A, NEG, A, NEG, NEG],
        2,
      ),
    );
    expect(simplify(flags)).toEqual([
      {
        index: 3,
        strategy: 'is',
        score: 0.8,
        suggested: A,
        anchors: [
          { index: 0, similarity: 0.8, label: A },
          { index: 1, similarity: 0.6, label: B },
        ],
        neighbours: [],
      },
      {
        index: 4,
        strategy: 'is',
        score: 0.8,
        suggested: B,
        anchors: [
          { index: 1, similarity: 0.8, label: B },
          { index: 0, similarity: 0.6, label: A },
        ],
        neighbours: [],
      },
    ]);
  });

  it('suggests by summed weight while scoring by the single best similarity', async () => {
    // n = (1,0), far negative m = (-1,0), k = 1.
    // anchor A at (.9, sqrt(.19)): sim(n) = .9, sim(m) = -.9 -> votes n with A .9
    // two anchors B at (.6,-.8):   sim(n) = .6, sim(m) = -.6 -> each votes n with B .6
    // n: A = .9, B = .6 + .6 = 1.2 -> suggested B, score .9 (A's single vote)
    const flags = await runIntrinsic(
      input(
        [[1, 0], [-1, 0], [0.9, Math.sqrt(0.19)], [0.6, -0.8], [0.6, -0.8]],
        [NEG, NEG, A, B, B],
        [NEG, NEG, NEG, NEG, NEG],
        1,
      ),
    );
    expect(flags).toHaveLength(1);
    expect(flags[0]!.index).toBe(0);
    expect(flags[0]!.suggested).toBe(B);
    expect(flags[0]!.score).toBeCloseTo(0.9, 6);
    expect(flags[0]!.evidence.anchors!.map((a) => a.index)).toEqual([2, 3, 4]);
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
  });
});

// ---------------------------------------------------------------------------------------------
// Randomized cross-check against a brute-force reference.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RandomData {
  /** Integer +-1 vectors: cosines are multiples of 1/dim, so ties are exact and frequent. */
  ints: number[][];
  labels: number[];
  predictions: number[];
  numLabels: number;
  dim: number;
  k: number;
}

function randomData(seed: number): RandomData {
  const rnd = mulberry32(seed);
  const dim = rnd() < 0.5 ? 4 : 16;
  const n = 20 + Math.floor(rnd() * 120);
  const numLabels = 2 + Math.floor(rnd() * 4);
  const k = 1 + Math.floor(rnd() * 6);
  const numProtos = 2 + Math.floor(rnd() * 5);
  const protos = Array.from({ length: numProtos }, () => Array.from({ length: dim }, () => (rnd() < 0.5 ? -1 : 1)));
  const protoLabel = protos.map(() => Math.floor(rnd() * numLabels));
  const ints: number[][] = [];
  const labels: number[] = [];
  const predictions: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = Math.floor(rnd() * numProtos);
    ints.push(protos[p]!.map((v) => (rnd() < 0.15 ? -v : v)));
    // Heavy negative class, as in TACRED.
    labels.push(rnd() < 0.5 ? 0 : rnd() < 0.6 ? protoLabel[p]! : Math.floor(rnd() * numLabels));
    predictions.push(rnd() < 0.4 ? 0 : Math.floor(rnd() * numLabels));
  }
  return { ints, labels, predictions, numLabels, dim, k };
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let j = 0; j < a.length; j++) {
    dot += a[j]! * b[j]!;
    na += a[j]! * a[j]!;
    nb += b[j]! * b[j]!;
  }
  return dot / (Math.sqrt(na) * Math.sqrt(nb));
}

function nearest(ints: number[][], q: number, pool: number[], k: number): { index: number; sim: number }[] {
  return pool
    .map((index) => ({ index, sim: cosine(ints[q]!, ints[index]!) }))
    .sort((x, y) => y.sim - x.sim || x.index - y.index)
    .slice(0, k);
}

function referenceIntrinsic(d: RandomData): Flag[] {
  const n = d.labels.length;
  const negatives = [...Array(n).keys()].filter((i) => d.labels[i] === NEG);
  const votes = new Map<number, EvidenceItem[]>();
  for (let a = 0; a < n; a++) {
    if (d.labels[a] === NEG || d.predictions[a] !== NEG) continue;
    for (const { index, sim } of nearest(d.ints, a, negatives, d.k)) {
      const list = votes.get(index) ?? [];
      list.push({ index: a, similarity: sim, label: d.labels[a]! });
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
    flags.push({
      index,
      strategy: 'is',
      score: Math.max(...list.map((v) => v.similarity)),
      suggested,
      evidence: { neighbours: [], anchors },
    });
  }
  return flags.sort((x, y) => y.score - x.score || x.index - y.index);
}

describe('runIntrinsic, randomized against brute force', () => {
  it('matches the reference exactly on tie-heavy integer data', async () => {
    for (let seed = 1; seed <= 60; seed++) {
      const d = randomData(seed);
      const scale = 1 / Math.sqrt(d.dim); // exact for dim 4 and 16, so the rows are unit length
      const flags = await runIntrinsic({
        labels: Int32Array.from(d.labels),
        predictions: Int32Array.from(d.predictions),
        negative: NEG,
        numLabels: d.numLabels,
        embeddings: Float32Array.from(d.ints.flat().map((v) => v * scale)),
        dim: d.dim,
        k: d.k,
        providers: ['cpu'],
      });
      expect(flags, `seed ${seed}`).toEqual(referenceIntrinsic(d));
    }
  });
});
