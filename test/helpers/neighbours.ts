// Brute-force neighbour search and input building for the neighbour strategies' tests (IS,
// ES/ESP, KNN): the references they are checked against read the paper's definitions directly,
// in float64, with the same tie order the strategies promise (higher similarity, then lower index).
import type { NeighbourInput } from '../../src/main/core/noise/strategy-types';

/** The negative label index every strategy test uses. */
export const NEG = 0;

export function cosine(a: readonly number[], b: readonly number[]): number {
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

/** The k members of `pool` most similar to row `query`, most similar first, ties by lower index. */
export function nearestByCosine(
  rows: readonly (readonly number[])[],
  query: number,
  pool: readonly number[],
  k: number,
): { index: number; similarity: number }[] {
  return pool
    .map((index) => ({ index, similarity: cosine(rows[query]!, rows[index]!) }))
    .sort((x, y) => y.similarity - x.similarity || x.index - y.index)
    .slice(0, k);
}

/**
 * The input of a neighbour strategy over `vectors` (one row each), on the CPU provider.
 * `scale` multiplies every value: 1/sqrt(dim) turns +-1 rows into unit rows, exactly for dim 4
 * and 16.
 */
export function neighbourInput(vectors: readonly number[][], labels: readonly number[], k: number, numLabels: number, scale = 1): NeighbourInput {
  return {
    labels: Int32Array.from(labels),
    negative: NEG,
    numLabels,
    embeddings: Float32Array.from(vectors.flat(), (v) => v * scale),
    dim: vectors[0]!.length,
    k,
    providers: ['cpu'],
  };
}

/**
 * The neighbour strategies' score (flag-scores.ts), read from its definition: p(s) times the
 * add-one smoothed share (M[s][s] + 1) / (M[s][s] + M[g][s] + 2) of the confusion matrix M of
 * given against predicted labels (argmax of the float32 probabilities, ties to the smaller
 * label), times the vote margin ((w(s) - w(g)) / sum(w) + 1) / 2 with weights max(sim, 0), all
 * 1 when every weight is 0.
 */
export function referenceNoiseScore(
  labels: readonly number[],
  probs: readonly number[],
  numLabels: number,
  x: number,
  suggested: number,
  votes: readonly { similarity: number; label: number }[],
): number {
  const p = (i: number, k: number) => Math.fround(probs[i * numLabels + k]!);
  const predicted = (i: number) => {
    let best = 0;
    for (let k = 1; k < numLabels; k++) if (p(i, k) > p(i, best)) best = k;
    return best;
  };
  const given = labels[x]!;
  let agree = 0;
  let confused = 0;
  for (let i = 0; i < labels.length; i++) {
    if (predicted(i) !== suggested) continue;
    if (labels[i] === suggested) agree++;
    else if (labels[i] === given) confused++;
  }
  const positive = votes.some((v) => v.similarity > 0);
  const w = (sim: number) => (positive ? Math.max(sim, 0) : 1);
  const total = votes.reduce((s, v) => s + w(v.similarity), 0);
  const forS = votes.filter((v) => v.label === suggested).reduce((s, v) => s + w(v.similarity), 0);
  const forG = votes.filter((v) => v.label === given).reduce((s, v) => s + w(v.similarity), 0);
  const margin = total === 0 ? 0.5 : ((forS - forG) / total + 1) / 2;
  return p(x, suggested) * ((agree + 1) / (agree + confused + 2)) * margin;
}
