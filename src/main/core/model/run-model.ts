import { WinnowError } from '../../../shared/errors';
import type { RelationExample } from './encoded-batch';
import type { LoadedModel } from './package-loader';

export interface RunModelOptions {
  /** Examples per session run; defaults to 32. */
  batchSize?: number;
  onProgress?: (progress: { done: number; total: number }) => void;
  signal?: AbortSignal;
}

export interface ModelPredictions {
  /** n x labels, row-major, in the manifest's label order; each row sums to 1. */
  probs: Float32Array;
  /** Arg-max label index per example (the lowest index on ties). */
  predictions: Int32Array;
  /** n x embeddingDim, or null when the package has no embedding output. */
  embedding: Float32Array | null;
  embeddingDim: number;
}

/** Runs a loaded package over every example in batches, in input order. */
export async function runModel(
  loaded: LoadedModel,
  examples: readonly RelationExample[],
  options: RunModelOptions = {},
): Promise<ModelPredictions> {
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new WinnowError('INVALID_INPUT', `batchSize must be a positive integer, got ${batchSize}`);
  const n = examples.length;
  const k = loaded.manifest.labels.length;
  const dim = loaded.manifest.outputs.embedding === null ? 0 : loaded.embeddingDim;
  const probs = new Float32Array(n * k);
  const predictions = new Int32Array(n);
  const embedding = loaded.manifest.outputs.embedding === null ? null : new Float32Array(n * dim);
  options.onProgress?.({ done: 0, total: n });
  for (let start = 0; start < n; start += batchSize) {
    if (options.signal?.aborted) throw new WinnowError('CANCELLED', `model run cancelled after ${start} of ${n} examples`);
    const slice = examples.slice(start, start + batchSize);
    const out = await loaded.run(loaded.encode(slice));
    probs.set(out.probs, start * k);
    if (embedding !== null && out.embedding !== null) embedding.set(out.embedding, start * dim);
    for (let r = 0; r < slice.length; r++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (out.probs[r * k + j]! > out.probs[r * k + best]!) best = j;
      predictions[start + r] = best;
    }
    options.onProgress?.({ done: start + slice.length, total: n });
  }
  return { probs, predictions, embedding, embeddingDim: dim };
}
