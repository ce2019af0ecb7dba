/**
 * The kNN searches of the neighbour strategies, with the strategy input's k, signal and progress
 * passed through, so that IS, ES/ESP and KNN differ only in who queries whom. The search itself
 * is the input's (exact, or the IVF index past a cost threshold: inference/search-method.ts),
 * or an exact one on the input's providers.
 */
import { neighbourSearchFor, type NeighbourResult } from '../inference/search-method';
import { type NeighbourInput, gatherRows } from './strategy-types';

function searchSettings(input: NeighbourInput) {
  return { dim: input.dim, k: input.k, signal: input.signal, onProgress: input.onProgress };
}

/**
 * For each example in `queries`, its nearest examples in `base` (both ascending example
 * indices); result indices are positions in `base`.
 */
export function searchBetween(input: NeighbourInput, queries: Int32Array, base: Int32Array): Promise<NeighbourResult> {
  const { embeddings, dim } = input;
  return neighbourSearchFor(input).search({
    ...searchSettings(input),
    queries: gatherRows(embeddings, dim, queries),
    numQueries: queries.length,
    base: gatherRows(embeddings, dim, base),
    numBase: base.length,
  });
}

/** For every example, its nearest other examples in the whole dataset. */
export function searchWithin(input: NeighbourInput): Promise<NeighbourResult> {
  const n = input.labels.length;
  return neighbourSearchFor(input).search({ ...searchSettings(input), queries: input.embeddings, numQueries: n, base: input.embeddings, numBase: n, excludeSelf: true });
}
