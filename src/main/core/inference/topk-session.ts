/**
 * One onnxruntime session that scores a block of queries against a block of rows and keeps the
 * best k of each query (Gemm with transB, then TopK), with k fed as an input so that a single
 * session serves every block shape an index needs: k-means assignment (k = 1), probing the
 * centroids (k = nprobe) and scanning an inverted list (k = neighbours). The exact kNN
 * (knn.ts) bakes k into its graph because it runs one shape many times; here the shapes change
 * from list to list.
 */
import * as ort from 'onnxruntime-node';
import { attr, buildModel, elemTypeCode } from './onnx-builder';
import { createSessionWithFallback, providerPreference, type SessionOptions, type SkippedProvider } from './execution-providers';

function buildTopKGraph(dim: number): Uint8Array {
  return buildModel({
    graphName: 'block_cosine_topk',
    inputs: [
      { name: 'queries', type: 'float32', shape: ['q', dim] },
      { name: 'rows', type: 'float32', shape: ['r', dim] },
      { name: 'k', type: 'int64', shape: [1] },
    ],
    outputs: [
      { name: 'similarities', type: 'float32', shape: ['q', 'k'] },
      { name: 'indices', type: 'int32', shape: ['q', 'k'] },
    ],
    nodes: [
      { op: 'Gemm', inputs: ['queries', 'rows'], outputs: ['scores'], attributes: { transB: attr.int(1) } },
      {
        op: 'TopK',
        inputs: ['scores', 'k'],
        outputs: ['similarities', 'indices64'],
        attributes: { axis: attr.int(-1), largest: attr.int(1), sorted: attr.int(1) },
      },
      { op: 'Cast', inputs: ['indices64'], outputs: ['indices'], attributes: { to: attr.int(elemTypeCode('int32')) } },
    ],
  });
}

export interface BlockTopK {
  /** numQueries x k, best first. */
  similarities: Float32Array;
  /** numQueries x k row indices into the scored block. */
  indices: Int32Array;
}

export class TopKSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly dim: number,
    readonly provider: string,
    readonly skipped: SkippedProvider[],
  ) {}

  static async create(dim: number, providers: string[] = providerPreference(), options?: SessionOptions): Promise<TopKSession> {
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
    const { session, provider, skipped } = await createSessionWithFallback(buildTopKGraph(dim), providers, options);
    return new TopKSession(session, dim, provider, skipped);
  }

  /** The best `k` rows (k <= numRows) for each query; both blocks are row-major views. */
  async run(queries: Float32Array, numQueries: number, rows: Float32Array, numRows: number, k: number): Promise<BlockTopK> {
    const { dim } = this;
    if (queries.length !== numQueries * dim || rows.length !== numRows * dim) {
      throw new RangeError(`block shapes do not match: ${queries.length} query values for ${numQueries} x ${dim}, ${rows.length} row values for ${numRows} x ${dim}`);
    }
    if (!Number.isInteger(k) || k < 1 || k > numRows) throw new RangeError(`k must be in 1..${numRows}, got ${k}`);
    const out = await this.session.run({
      queries: new ort.Tensor('float32', queries, [numQueries, dim]),
      rows: new ort.Tensor('float32', rows, [numRows, dim]),
      k: new ort.Tensor('int64', BigInt64Array.of(BigInt(k)), [1]),
    });
    const similarities = out['similarities']?.data;
    const indices = out['indices']?.data;
    if (!(similarities instanceof Float32Array) || !(indices instanceof Int32Array)) {
      throw new Error('top-k graph returned unexpected output types');
    }
    return { similarities, indices };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
