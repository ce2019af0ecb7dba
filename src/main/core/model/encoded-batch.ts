/**
 * What a model package's encoder hands to onnxruntime: one tensor per named model input,
 * kept free of onnxruntime types so that encoders (the transformer one here, the built-in
 * model's segment-feature one elsewhere) can be written and tested without a session.
 */

/** The parts of an example that any relation classifier's encoder reads. */
export interface RelationExample {
  tokens: readonly string[];
  /** 0-based, inclusive, as in TACRED. */
  subjStart: number;
  subjEnd: number;
  objStart: number;
  objEnd: number;
  subjType: string;
  objType: string;
}

export type EncodedTensor =
  | { type: 'int64'; data: BigInt64Array; dims: number[] }
  | { type: 'int32'; data: Int32Array; dims: number[] }
  | { type: 'float32'; data: Float32Array; dims: number[] };

export interface EncodedBatch {
  /** Number of examples in the batch (the first dimension of every feed). */
  size: number;
  /** Keyed by the model's input names. */
  feeds: Record<string, EncodedTensor>;
}
