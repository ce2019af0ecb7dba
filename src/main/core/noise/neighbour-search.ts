/**
 * The kNN searches of the neighbour strategies, with the strategy input's k, providers, signal
 * and progress passed through, so that IS, ES/ESP and KNN differ only in who queries whom.
 */
import { exactCosineTopK, type ExactCosineTopKResult } from '../inference/knn';
import { type NeighbourInput, gatherRows } from './strategy-types';

function searchSettings(input: NeighbourInput) {
  return { dim: input.dim, k: input.k, providers: input.providers, signal: input.signal, onProgress: input.onProgress };
}

/**
 * For each example in `queries`, its nearest examples in `base` (both ascending example
 * indices); result indices are positions in `base`.
 */
export function searchBetween(input: NeighbourInput, queries: Int32Array, base: Int32Array): Promise<ExactCosineTopKResult> {
  const { embeddings, dim } = input;
  return exactCosineTopK({
    ...searchSettings(input),
    queries: gatherRows(embeddings, dim, queries),
    numQueries: queries.length,
    base: gatherRows(embeddings, dim, base),
    numBase: base.length,
  });
}

/** For every example, its nearest other examples in the whole dataset. */
export function searchWithin(input: NeighbourInput): Promise<ExactCosineTopKResult> {
  const n = input.labels.length;
  return exactCosineTopK({ ...searchSettings(input), queries: input.embeddings, numQueries: n, base: input.embeddings, numBase: n, excludeSelf: true });
}
