import path from 'node:path';
import type * as ort from 'onnxruntime-node';
import { WinnowError } from '../../../shared/errors';
import type { EncodedBatch } from './encoded-batch';
import type { ModelManifest } from './manifest';
import type { ModelSignature } from './model-signature';
import { splitForFixedBatch, toOrtTensor } from './ort-feeds';
import { softmaxRows } from './softmax-rows';

export interface BatchOutputs {
  size: number;
  /** size x labels, row-major, in the manifest's label order. */
  probs: Float32Array;
  /** size x embeddingDim, or null when the manifest names no embedding output. */
  embedding: Float32Array | null;
  /** 0 when there is no embedding. */
  embeddingDim: number;
}

interface RawResult {
  outputs: ort.InferenceSession.ReturnType;
  /** Examples of the caller's batch in this piece. */
  real: number;
  /** Rows the model saw (more than `real` when a fixed batch size was filled up). */
  rows: number;
}

/** Feeds encoded batches to the session and turns its outputs into probabilities. */
export class PackageRunner {
  private readonly labelCount: number;
  private embeddingDim: number | null;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly manifest: ModelManifest,
    private readonly signature: ModelSignature,
    private readonly modelFile: string,
  ) {
    this.labelCount = manifest.labels.length;
    this.embeddingDim = signature.embeddingWidth;
  }

  /** Runs the check example and compares the output widths the metadata could not give. */
  async probe(batch: EncodedBatch, manifestFile: string): Promise<BatchOutputs> {
    let results: RawResult[];
    try {
      results = await this.runPieces(batch);
    } catch (error) {
      if (error instanceof WinnowError) throw error;
      throw new WinnowError('INVALID_FILE', `${this.modelFile}: running one example failed: ${(error as Error).message}`);
    }
    const first = results[0]!;
    const rows = first.rows;
    const { logits, embedding } = this.manifest.outputs;
    const logitsDims = first.outputs[logits]!.dims;
    const modelName = path.basename(this.modelFile);
    if (logitsDims.length !== 2 || logitsDims[0] !== rows) {
      throw new WinnowError(
        'INVALID_FILE',
        `${manifestFile}: outputs.logits "${logits}" came back with shape [${logitsDims.join(', ')}] for ${rows} example(s); Winnow needs [batch, labels]`,
      );
    }
    if (logitsDims[1] !== this.labelCount) {
      throw new WinnowError(
        'INVALID_FILE',
        `${manifestFile}: labels has ${this.labelCount} entries but ${modelName}'s logits output "${logits}" has width ${logitsDims[1]}`,
      );
    }
    if (embedding !== null) {
      const dims = first.outputs[embedding]!.dims;
      if (dims.length !== 2 || dims[0] !== rows) {
        throw new WinnowError(
          'INVALID_FILE',
          `${manifestFile}: outputs.embedding "${embedding}" came back with shape [${dims.join(', ')}] for ${rows} example(s); Winnow needs [batch, width] (pool a [batch, sequence, width] output inside the graph)`,
        );
      }
      this.embeddingDim = dims[1]!;
    } else {
      this.embeddingDim = 0;
    }
    return this.collect(results, batch.size);
  }

  async run(batch: EncodedBatch): Promise<BatchOutputs> {
    return this.collect(await this.runPieces(batch), batch.size);
  }

  private async runPieces(batch: EncodedBatch): Promise<RawResult[]> {
    if (batch.size === 0) return [];
    const fixed = this.signature.fixedBatch;
    const pieces = fixed !== null && fixed !== batch.size ? splitForFixedBatch(batch, fixed) : [{ batch, real: batch.size }];
    const results: RawResult[] = [];
    for (const piece of pieces) results.push({ outputs: await this.runRaw(piece.batch), real: piece.real, rows: piece.batch.size });
    return results;
  }

  private async runRaw(batch: EncodedBatch): Promise<ort.InferenceSession.ReturnType> {
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of this.session.inputNames) {
      const encoded = batch.feeds[name];
      if (!encoded) throw new WinnowError('INVALID_INPUT', `the encoder produced no feed for ${path.basename(this.modelFile)}'s input "${name}"`);
      feeds[name] = toOrtTensor(name, encoded, this.signature.inputTypes.get(name));
    }
    const { logits, embedding } = this.manifest.outputs;
    return this.session.run(feeds, embedding === null ? [logits] : [logits, embedding]);
  }

  private collect(results: RawResult[], size: number): BatchOutputs {
    const k = this.labelCount;
    const { logits: logitsName, embedding: embeddingName } = this.manifest.outputs;
    const dim = embeddingName === null ? 0 : (this.embeddingDim ?? 0);
    const scores = new Float64Array(size * k);
    const embedding = embeddingName === null ? null : new Float32Array(size * dim);
    let row = 0;
    for (const { outputs, real, rows } of results) {
      const logits = this.outputValues(outputs, logitsName, rows, k);
      for (let i = 0; i < real * k; i++) {
        const value = logits[i]!;
        if (!Number.isFinite(value)) {
          throw new WinnowError('INVALID_FILE', `${this.modelFile}: output "${logitsName}" holds ${value} for example ${row + Math.floor(i / k)} of the batch`);
        }
        scores[row * k + i] = value;
      }
      if (embedding !== null && embeddingName !== null) {
        const values = this.outputValues(outputs, embeddingName, rows, dim);
        embedding.set(values instanceof Float32Array ? values.subarray(0, real * dim) : Float32Array.from(values.subarray(0, real * dim)), row * dim);
      }
      row += real;
    }
    const probs = this.manifest.outputsAreProbabilities ? Float32Array.from(scores) : softmaxRows(scores, size, k);
    return { size, probs, embedding, embeddingDim: dim };
  }

  /** The output's values after checking that it is the [rows, width] float tensor it was at load. */
  private outputValues(outputs: ort.InferenceSession.ReturnType, name: string, rows: number, width: number): Float32Array | Float64Array {
    const tensor = outputs[name] as ort.Tensor | undefined;
    const dims = tensor?.dims ?? [];
    if (dims.length !== 2 || dims[0] !== rows || dims[1] !== width) {
      throw new WinnowError('INVALID_FILE', `${this.modelFile}: output "${name}" came back with shape [${dims.join(', ')}], expected [${rows}, ${width}]`);
    }
    const data = tensor?.data;
    if (data instanceof Float32Array || data instanceof Float64Array) return data;
    throw new WinnowError('INVALID_FILE', `${this.modelFile}: output "${name}" did not come back as float32 or float64`);
  }
}
