/**
 * Approximate cosine nearest neighbours with an inverted-file index (IVF-Flat, as in FAISS'
 * IndexIVFFlat): spherical k-means splits the base rows into `nlist` cells; a query scores the
 * centroids, scans only its `nprobe` best cells, and keeps the best k rows found there.
 *
 * Every dot product runs as a Gemm + TopK graph on onnxruntime (topk-session.ts), on the same
 * execution provider as the exact search, so a GPU serves the index too. The scan is batched
 * per cell: the queries of a block that probe one cell are gathered and scored against that
 * cell's rows in one run, which keeps the work in matrix products instead of per-pair loops.
 *
 * Cost, with a fixed target cell size L (nlist = n / L): training O(sample x nlist), probing
 * O(q x nlist), scanning O(q x nprobe x L). The scan, the largest part up to a few million
 * rows, grows linearly; the probe grows with q x n / L, i.e. quadratically but divided by L.
 *
 * Deterministic for a given seed: the training sample, the initial centroids and the reseeding
 * of empty cells all come from one seeded generator, and ties order by lower row index.
 */
import { Rng } from '../random/seeded-rng';
import type { TopKSession } from './topk-session';

export interface IvfParams {
  /** Cells (k-means centroids). */
  nlist: number;
  /** Cells scanned per query. */
  nprobe: number;
  /** k-means iterations (Lloyd steps) on the training sample. */
  iterations: number;
  /** Rows k-means trains on (a seeded uniform sample when the base is larger). */
  trainSample: number;
  seed: number;
  /** Split cells over twice the mean size (default true); nlist then grows a little. */
  balance?: boolean;
}

/** Rows per cell the default nlist aims at. */
export const IVF_TARGET_LIST_SIZE = 512;
export const IVF_DEFAULT_NPROBE = 24;

export function defaultIvfParams(numBase: number, overrides: Partial<IvfParams> = {}): IvfParams {
  const nlist = overrides.nlist ?? Math.max(1, Math.min(65536, Math.round(numBase / IVF_TARGET_LIST_SIZE)));
  return {
    nlist,
    // Capped at the index's real cell count when searching (balancing may add cells).
    nprobe: overrides.nprobe ?? IVF_DEFAULT_NPROBE,
    iterations: overrides.iterations ?? 8,
    // FAISS warns below 39 training points per centroid; 64 per cell, capped so that training
    // stays a small share of the search.
    trainSample: overrides.trainSample ?? Math.min(numBase, Math.max(64 * nlist, 20_000), 262_144),
    seed: overrides.seed ?? 13,
  };
}

export interface IvfSearchOptions {
  k: number;
  /** Query i is base row i (or base row selfRows[i]): never return it. */
  excludeSelf?: boolean;
  /** With excludeSelf, the base row of each query when the queries are not the base's prefix. */
  selfRows?: Int32Array;
  /** Cells scanned per query; the index's own nprobe when absent. */
  nprobe?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface IvfSearchResult {
  indices: Int32Array;
  similarities: Float32Array;
  k: number;
  /** Queries whose probed cells held fewer than k rows and were searched exhaustively. */
  exhaustive: number;
}

/** Queries per block: bounds the candidate buffers to block x nprobe x (k + 1) entries. */
const QUERY_BLOCK = 32_768;
/** Score values per ORT run (rows x columns), about 16 MB of float32. */
const SCORES_PER_RUN = 4 << 20;

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError(signal);
}

/** Row indices of the `rows` x `dim` block `source`, gathered into `out` contiguously. */
function gather(source: Float32Array, dim: number, rows: ArrayLike<number>, from: number, to: number, out: Float32Array): Float32Array {
  for (let r = from; r < to; r++) {
    const src = rows[r]! * dim;
    out.set(source.subarray(src, src + dim), (r - from) * dim);
  }
  return out.subarray(0, (to - from) * dim);
}

function normaliseInPlace(v: Float32Array, sums: Float64Array, c: number, dim: number): boolean {
  let sq = 0;
  for (let j = 0; j < dim; j++) sq += sums[c * dim + j]! * sums[c * dim + j]!;
  if (!(sq > 0)) return false;
  const inv = 1 / Math.sqrt(sq);
  for (let j = 0; j < dim; j++) v[c * dim + j] = sums[c * dim + j]! * inv;
  return true;
}

export class IvfIndex {
  private constructor(
    readonly params: IvfParams,
    readonly dim: number,
    readonly numBase: number,
    /** nlist x dim, unit length. */
    readonly centroids: Float32Array,
    /** Cell c holds listRows[listStart[c] .. listStart[c + 1]). */
    readonly listStart: Int32Array,
    /** Base row index of each entry, grouped by cell, ascending within a cell. */
    readonly listRows: Int32Array,
    /** The base rows in listRows order, so that a cell is one contiguous block. */
    private readonly listVectors: Float32Array,
    private readonly base: Float32Array,
    private readonly session: TopKSession,
  ) {}

  /** Trains the centroids and files every base row under its nearest one. */
  static async build(
    session: TopKSession,
    base: Float32Array,
    numBase: number,
    dim: number,
    params: IvfParams,
    signal?: AbortSignal,
  ): Promise<IvfIndex> {
    if (base.length !== numBase * dim) throw new RangeError(`base has ${base.length} values, expected ${numBase} x ${dim}`);
    if (session.dim !== dim) throw new RangeError(`session scores ${session.dim}-dimensional rows, base has ${dim}`);
    const rng = new Rng(params.seed);
    const wanted = Math.max(1, Math.min(params.nlist, numBase));
    let centroids = await sphericalKMeans(session, base, null, numBase, dim, wanted, params.trainSample, params.iterations, rng, signal);
    let nlist = wanted;
    let cellOf = new Int32Array(numBase);
    await assignNearest(session, base, numBase, centroids, nlist, dim, cellOf, signal);

    // Balance: k-means on clustered text leaves a few cells many times the mean, and those are
    // the cells most queries probe, so they set the scan's cost. Each cell over twice the mean
    // is split by k-means on its own rows into cells of about the mean, then every row is filed
    // again under its nearest centroid.
    if (params.balance !== false && nlist > 1) {
      const mean = numBase / nlist;
      const sizes = new Int32Array(nlist);
      for (let i = 0; i < numBase; i++) sizes[cellOf[i]!]!++;
      const kept: Float32Array[] = [];
      let split = false;
      for (let c = 0; c < nlist; c++) {
        const size = sizes[c]!;
        if (size <= 2 * mean) {
          kept.push(centroids.subarray(c * dim, (c + 1) * dim));
          continue;
        }
        split = true;
        const members = new Int32Array(size);
        let w = 0;
        for (let i = 0; i < numBase; i++) if (cellOf[i] === c) members[w++] = i;
        const parts = Math.ceil(size / mean);
        const sub = await sphericalKMeans(session, base, members, size, dim, parts, Math.max(64 * parts, 2048), params.iterations, rng, signal);
        for (let p = 0; p < parts; p++) kept.push(sub.subarray(p * dim, (p + 1) * dim));
      }
      if (split) {
        nlist = kept.length;
        centroids = new Float32Array(nlist * dim);
        kept.forEach((centroid, c) => centroids.set(centroid, c * dim));
        cellOf = new Int32Array(numBase);
        await assignNearest(session, base, numBase, centroids, nlist, dim, cellOf, signal);
      }
    }

    const listStart = new Int32Array(nlist + 1);
    for (let i = 0; i < numBase; i++) listStart[cellOf[i]! + 1]!++;
    for (let c = 0; c < nlist; c++) listStart[c + 1]! += listStart[c]!;
    const fill = listStart.slice(0, nlist);
    const listRows = new Int32Array(numBase);
    for (let i = 0; i < numBase; i++) listRows[fill[cellOf[i]!]!++] = i;
    const listVectors = gather(base, dim, listRows, 0, numBase, new Float32Array(numBase * dim));
    return new IvfIndex({ ...params, nlist }, dim, numBase, centroids, listStart, listRows, listVectors, base, session);
  }

  listSize(cell: number): number {
    return this.listStart[cell + 1]! - this.listStart[cell]!;
  }

  /**
   * The k nearest rows found in each query's nprobe best cells, most similar first, equal
   * similarities by lower row index (the exact search's order). Rows are L2-normalised.
   */
  async search(queries: Float32Array, numQueries: number, options: IvfSearchOptions): Promise<IvfSearchResult> {
    const { dim, numBase, session } = this;
    const { signal } = options;
    const excludeSelf = options.excludeSelf ?? false;
    if (queries.length !== numQueries * dim) throw new RangeError(`queries has ${queries.length} values, expected ${numQueries} x ${dim}`);
    const selfRows = options.selfRows;
    if (selfRows && selfRows.length !== numQueries) throw new RangeError(`selfRows has ${selfRows.length} entries for ${numQueries} queries`);
    if (excludeSelf && !selfRows && numQueries > numBase) throw new RangeError('excludeSelf needs query i to be base row i, but there are more queries than base rows');
    const selfOf = (q: number) => (excludeSelf ? (selfRows ? selfRows[q]! : q) : -1);
    const k = Math.min(options.k, excludeSelf ? Math.max(0, numBase - 1) : numBase);
    const indices = new Int32Array(numQueries * k);
    const similarities = new Float32Array(numQueries * k);
    if (k === 0 || numQueries === 0) return { indices, similarities, k, exhaustive: 0 };
    const nlist = this.params.nlist;
    const nprobe = Math.max(1, Math.min(options.nprobe ?? this.params.nprobe, nlist));
    const kAsk = excludeSelf ? k + 1 : k;
    const block = Math.min(QUERY_BLOCK, numQueries);

    const probe = new Int32Array(block * nprobe);
    const candSim = new Float32Array(block * nprobe * kAsk);
    const candIdx = new Int32Array(block * nprobe * kAsk);
    const perCell = new Int32Array(nlist + 1);
    const entries = new Int32Array(block * nprobe);
    const queryRows = new Float32Array(Math.max(1, Math.floor(SCORES_PER_RUN / 64)) * dim);
    const bestSim = new Float32Array(k);
    const bestIdx = new Int32Array(k);
    const deficient: number[] = [];

    for (let b0 = 0; b0 < numQueries; b0 += block) {
      checkAbort(signal);
      const b = Math.min(block, numQueries - b0);
      const blockQueries = queries.subarray(b0 * dim, (b0 + b) * dim);
      // 1. Probe: the nprobe best centroids of each query.
      for (let s = 0; s < b; s += 8192) {
        const n = Math.min(8192, b - s);
        const out = await session.run(blockQueries.subarray(s * dim, (s + n) * dim), n, this.centroids, nlist, nprobe);
        probe.set(out.indices, s * nprobe);
      }
      // 2. Invert (query, slot) pairs by cell with a counting sort; entry = local query * nprobe + slot.
      perCell.fill(0);
      for (let e = 0; e < b * nprobe; e++) perCell[probe[e]! + 1]!++;
      for (let c = 0; c < nlist; c++) perCell[c + 1]! += perCell[c]!;
      const cursor = perCell.slice(0, nlist);
      for (let e = 0; e < b * nprobe; e++) entries[cursor[probe[e]!]!++] = e;
      candIdx.fill(-1, 0, b * nprobe * kAsk);
      // 3. Scan each probed cell once for all the block's queries that chose it.
      for (let c = 0; c < nlist; c++) {
        const from = perCell[c]!;
        const to = perCell[c + 1]!;
        const size = this.listSize(c);
        if (from === to || size === 0) continue;
        checkAbort(signal);
        const rowsStart = this.listStart[c]!;
        const rows = this.listVectors.subarray(rowsStart * dim, (rowsStart + size) * dim);
        const kc = Math.min(kAsk, size);
        const step = Math.max(1, Math.min(queryRows.length / dim, Math.floor(SCORES_PER_RUN / size)));
        for (let s = from; s < to; s += step) {
          const t = Math.min(to, s + step);
          for (let r = s; r < t; r++) {
            const q = Math.floor(entries[r]! / nprobe);
            queryRows.set(blockQueries.subarray(q * dim, (q + 1) * dim), (r - s) * dim);
          }
          const out = await session.run(queryRows.subarray(0, (t - s) * dim), t - s, rows, size, kc);
          for (let r = s; r < t; r++) {
            const dst = entries[r]! * kAsk;
            const src = (r - s) * kc;
            for (let j = 0; j < kc; j++) {
              candSim[dst + j] = out.similarities[src + j]!;
              candIdx[dst + j] = this.listRows[rowsStart + out.indices[src + j]!]!;
            }
          }
        }
      }
      // 4. Merge each query's candidates (cells are disjoint, so no duplicates).
      for (let q = 0; q < b; q++) {
        const global = b0 + q;
        const self = selfOf(global);
        let filled = 0;
        const first = q * nprobe * kAsk;
        for (let e = first; e < first + nprobe * kAsk; e++) {
          const idx = candIdx[e]!;
          if (idx < 0 || idx === self) continue;
          const sim = candSim[e]!;
          if (filled === k && !(sim > bestSim[k - 1]! || (sim === bestSim[k - 1] && idx < bestIdx[k - 1]!))) continue;
          let p = filled < k ? filled++ : k - 1;
          while (p > 0 && (bestSim[p - 1]! < sim || (bestSim[p - 1] === sim && bestIdx[p - 1]! > idx))) {
            bestSim[p] = bestSim[p - 1]!;
            bestIdx[p] = bestIdx[p - 1]!;
            p--;
          }
          bestSim[p] = sim;
          bestIdx[p] = idx;
        }
        if (filled < k) deficient.push(global);
        indices.set(bestIdx.subarray(0, k), global * k);
        similarities.set(bestSim.subarray(0, k), global * k);
      }
      options.onProgress?.(b0 + b, numQueries);
    }

    // A query whose probed cells hold fewer than k rows (tiny or lopsided bases) is searched
    // over every row, so that each returned entry is a real neighbour, as with the exact search.
    for (const q of deficient) {
      checkAbort(signal);
      const out = await session.run(queries.subarray(q * dim, (q + 1) * dim), 1, this.base, numBase, Math.min(kAsk, numBase));
      let w = 0;
      const order = Array.from({ length: out.indices.length }, (_, j) => j).sort(
        (x, y) => out.similarities[y]! - out.similarities[x]! || out.indices[x]! - out.indices[y]!,
      );
      for (const j of order) {
        if (w === k) break;
        const idx = out.indices[j]!;
        if (idx === selfOf(q)) continue;
        indices[q * k + w] = idx;
        similarities[q * k + w] = out.similarities[j]!;
        w++;
      }
    }
    checkAbort(signal);
    return { indices, similarities, k, exhaustive: deficient.length };
  }
}

/**
 * Spherical k-means (Lloyd steps on unit vectors, centroids renormalised) over `count` rows of
 * `base`: all of them (`members` null) or the listed ones, trained on a seeded sample of at
 * most `sampleLimit` rows. Returns k x dim unit centroids.
 */
async function sphericalKMeans(
  session: TopKSession,
  base: Float32Array,
  members: Int32Array | null,
  count: number,
  dim: number,
  k: number,
  sampleLimit: number,
  iterations: number,
  rng: Rng,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const order = members ? members.slice() : Int32Array.from({ length: count }, (_, i) => i);
  const sampleSize = Math.max(k, Math.min(sampleLimit, count));
  rng.sampleInPlace(order, sampleSize);
  // Ascending sample order keeps the sums' order, and so the centroids, independent of how the
  // shuffle happened to place rows.
  const sampleRows = order.slice(0, sampleSize).sort();
  const sample = gather(base, dim, sampleRows, 0, sampleSize, new Float32Array(sampleSize * dim));

  // Initial centroids: k distinct sample rows, chosen by the same generator.
  const pick = Int32Array.from({ length: sampleSize }, (_, i) => i);
  rng.sampleInPlace(pick, k);
  const centroids = new Float32Array(k * dim);
  for (let c = 0; c < k; c++) centroids.set(sample.subarray(pick[c]! * dim, (pick[c]! + 1) * dim), c * dim);

  const assign = new Int32Array(sampleSize);
  const sums = new Float64Array(k * dim);
  const counts = new Int32Array(k);
  for (let iteration = 0; iteration < iterations; iteration++) {
    await assignNearest(session, sample, sampleSize, centroids, k, dim, assign, signal);
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < sampleSize; i++) {
      const c = assign[i]!;
      counts[c]!++;
      const off = i * dim;
      const dst = c * dim;
      for (let j = 0; j < dim; j++) sums[dst + j]! += sample[off + j]!;
    }
    for (let c = 0; c < k; c++) {
      // An empty (or degenerate) cell restarts at a random sample row, so that no centroid is
      // wasted; the generator keeps this reproducible.
      if (counts[c] === 0 || !normaliseInPlace(centroids, sums, c, dim)) {
        const r = rng.int(sampleSize);
        centroids.set(sample.subarray(r * dim, (r + 1) * dim), c * dim);
      }
    }
  }
  return centroids;
}

/** For each row, the index of its most similar centroid (ties: lower centroid index). */
async function assignNearest(
  session: TopKSession,
  rows: Float32Array,
  numRows: number,
  centroids: Float32Array,
  nlist: number,
  dim: number,
  out: Int32Array,
  signal?: AbortSignal,
): Promise<void> {
  const step = Math.max(1, Math.min(8192, Math.floor(SCORES_PER_RUN / nlist)));
  for (let s = 0; s < numRows; s += step) {
    checkAbort(signal);
    const n = Math.min(step, numRows - s);
    const res = await session.run(rows.subarray(s * dim, (s + n) * dim), n, centroids, nlist, 1);
    out.set(res.indices, s);
  }
}
