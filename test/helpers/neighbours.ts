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
