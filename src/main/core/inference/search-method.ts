/**
 * The one neighbour-search interface that IS, ES, ESP and KNN go through. Two methods sit
 * behind it: the exact cosine top-k (knn.ts: every query against every row) and the
 * approximate inverted-file index (ivf-index.ts). `auto` keeps the exact search while its
 * estimated cost is small and switches to the index past a threshold; `exact` and `approx`
 * force one.
 *
 * Every search leaves a report: which method ran, its parameters and, for the index, its
 * recall@k against the exact search measured on a seeded sample of queries, so that a run
 * says how good its neighbours were.
 */
import { exactCosineTopK, type ExactCosineTopKOptions } from './knn';
import { defaultIvfParams, IvfIndex, type IvfParams } from './ivf-index';
import { TopKSession } from './topk-session';
import { providerPreference } from './execution-providers';
import { Rng } from '../random/seeded-rng';

import type { NeighbourMode, NeighbourSearchReport } from '../../../shared/ranking';

export type { NeighbourMode };
export type NeighbourMethod = NeighbourSearchReport['method'];
export type SearchReport = NeighbourSearchReport;

/** The query side of every search: the exact search's own options, without its ONNX tuning knobs. */
export type NeighbourQuery = Pick<ExactCosineTopKOptions, 'queries' | 'numQueries' | 'base' | 'numBase' | 'dim' | 'k' | 'excludeSelf' | 'signal' | 'onProgress'>;

export interface NeighbourResult {
  /** numQueries x k base indices, most similar first, ties by lower index. */
  indices: Int32Array;
  similarities: Float32Array;
  /** Neighbours per query (the row stride): min(k, rows available). */
  k: number;
  provider: string;
}

/** Recall the automatic choice of nprobe aims at on its tuning sample. */
export const IVF_TUNING_TARGET_RECALL = 0.97;
const IVF_TUNING_SAMPLE = 500;
const IVF_TUNING_START = 8;

export interface NeighbourSearch {
  search(query: NeighbourQuery): Promise<NeighbourResult>;
}

export interface NeighbourSearchOptions {
  mode?: NeighbourMode;
  /** Execution providers, best first (default: providerPreference()). */
  providers?: string[];
  /** IVF parameters; unset ones follow defaultIvfParams for the base size. */
  ivf?: Partial<IvfParams>;
  /** Queries the approximate search checks against the exact one (default 500). */
  recallSample?: number;
  /** Called with each search's report. */
  onReport?: (report: SearchReport) => void;
}

/**
 * The auto rule: keep the exact search while its estimated time is small, and use the index
 * past a minute of estimated work: 2 x queries x rows x dim floating-point operations at the
 * ~150 GFLOP/s BENCHMARKS.md measured for the exact search on a 2-core CPU. With 128
 * dimensions that is the KNN of about 190k examples (every example against every other), or
 * 900k queries against a 100k clean set. Bases under 20k rows stay exact: too few cells for an
 * index to skip much. A GPU makes the exact search far faster than the estimate; force it
 * there with `exact` if its time is better spent on certainty.
 */
export const AUTO_EXACT_FLOPS_PER_SECOND = 150e9;
export const AUTO_APPROX_AFTER_SECONDS = 60;
export const AUTO_APPROX_MIN_BASE = 20_000;

export function estimatedExactSeconds(numQueries: number, numBase: number, dim: number): number {
  return (2 * numQueries * numBase * dim) / AUTO_EXACT_FLOPS_PER_SECOND;
}

export function chooseMethod(mode: NeighbourMode, numQueries: number, numBase: number, dim: number): { method: NeighbourMethod; reason: string } {
  if (mode === 'exact') return { method: 'exact', reason: 'forced (--neighbours exact)' };
  if (mode === 'approx') return { method: 'approx', reason: 'forced (--neighbours approx)' };
  const seconds = estimatedExactSeconds(numQueries, numBase, dim);
  const estimate = `${numQueries} x ${numBase} x ${dim}, about ${seconds.toFixed(0)} s exact`;
  if (numBase >= AUTO_APPROX_MIN_BASE && seconds >= AUTO_APPROX_AFTER_SECONDS) {
    return { method: 'approx', reason: `auto: ${estimate} (index past ${AUTO_APPROX_AFTER_SECONDS} s)` };
  }
  return { method: 'exact', reason: `auto: ${estimate} (index past ${AUTO_APPROX_AFTER_SECONDS} s and ${AUTO_APPROX_MIN_BASE} rows)` };
}

function sampleQueries(numQueries: number, size: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: numQueries }, (_, i) => i);
  const m = Math.min(size, numQueries);
  new Rng(seed).sampleInPlace(order, m);
  return order.slice(0, m).sort();
}

/** Exact neighbours of some queries, self excluded, as the rows the recall counts against. */
async function exactTruth(query: NeighbourQuery, picked: Int32Array, k: number, providers: string[]): Promise<{ sets: Set<number>[]; kth: number[] }> {
  const { queries, base, numBase, dim } = query;
  const m = picked.length;
  const sample = new Float32Array(m * dim);
  picked.forEach((q, r) => sample.set(queries.subarray(q * dim, (q + 1) * dim), r * dim));
  const kAsk = Math.min(numBase, query.excludeSelf ? k + 1 : k);
  const exact = await exactCosineTopK({ queries: sample, numQueries: m, base, numBase, dim, k: kAsk, providers, signal: query.signal });
  const sets: Set<number>[] = [];
  const kth: number[] = [];
  for (let r = 0; r < m; r++) {
    const truth: number[] = [];
    let last = -Infinity;
    for (let j = 0; j < exact.k && truth.length < k; j++) {
      const idx = exact.indices[r * exact.k + j]!;
      if (query.excludeSelf && idx === picked[r]) continue;
      truth.push(idx);
      last = exact.similarities[r * exact.k + j]!;
    }
    sets.push(new Set(truth));
    kth.push(last);
  }
  return { sets, kth };
}

function recallAgainst(truth: { sets: Set<number>[]; kth: number[] }, found: { indices: Int32Array; similarities: Float32Array; k: number }, rowOf: (r: number) => number): number {
  const { k } = found;
  let hits = 0;
  for (let r = 0; r < truth.sets.length; r++) {
    const q = rowOf(r);
    for (let j = 0; j < k; j++) {
      if (truth.sets[r]!.has(found.indices[q * k + j]!) || found.similarities[q * k + j]! >= truth.kth[r]! - 1e-5) hits++;
    }
  }
  return truth.sets.length ? hits / (truth.sets.length * k) : 1;
}

/**
 * recall@k of `found` against the exact neighbours of a seeded sample of queries. A returned
 * row counts when it is among the exact k or ties the exact k-th similarity (within float32
 * rounding of two differently shaped matrix products), so ties are not counted as misses.
 */
export async function measureRecall(
  query: NeighbourQuery,
  found: { indices: Int32Array; similarities: Float32Array; k: number },
  sampleSize: number,
  providers: string[],
  seed = 29,
): Promise<{ recall: number; sample: number }> {
  const k = found.k;
  const picked = sampleQueries(query.numQueries, sampleSize, seed);
  if (k === 0 || picked.length === 0) return { recall: 1, sample: 0 };
  const truth = await exactTruth(query, picked, k, providers);
  return { recall: recallAgainst(truth, found, (r) => picked[r]!), sample: picked.length };
}

/**
 * The smallest nprobe (8, 16, 32, … up to every cell) whose recall on a tuning sample of
 * queries reaches the target: the index then costs what the data needs, since how many cells
 * hold a query's neighbours depends on how clustered the embedding is. The sample is drawn with
 * another seed than the one the reported recall is measured on.
 */
async function tuneNprobe(index: IvfIndex, query: NeighbourQuery, k: number, providers: string[]): Promise<{ nprobe: number; tried: { nprobe: number; recall: number }[] }> {
  const picked = sampleQueries(query.numQueries, IVF_TUNING_SAMPLE, 7);
  const nlist = index.params.nlist;
  const tried: { nprobe: number; recall: number }[] = [];
  if (!picked.length || k === 0) return { nprobe: Math.min(IVF_TUNING_START, nlist), tried };
  const truth = await exactTruth(query, picked, k, providers);
  const { dim } = query;
  const sample = new Float32Array(picked.length * dim);
  picked.forEach((q, r) => sample.set(query.queries.subarray(q * dim, (q + 1) * dim), r * dim));
  for (let nprobe = Math.min(IVF_TUNING_START, nlist); ; nprobe = Math.min(nlist, nprobe * 2)) {
    const res = await index.search(sample, picked.length, { k: query.k, excludeSelf: query.excludeSelf, selfRows: query.excludeSelf ? picked : undefined, nprobe, signal: query.signal });
    const recall = recallAgainst(truth, res, (r) => r);
    tried.push({ nprobe, recall: Math.round(recall * 1e4) / 1e4 });
    if (recall >= IVF_TUNING_TARGET_RECALL || nprobe >= nlist) return { nprobe, tried };
  }
}

/** A NeighbourSearch that chooses per call, as `options.mode` says, and reports each call. */
export function createNeighbourSearch(options: NeighbourSearchOptions = {}): NeighbourSearch {
  const mode = options.mode ?? 'auto';
  const providers = options.providers ?? providerPreference();
  const recallSample = options.recallSample ?? 500;
  return {
    async search(query) {
      const started = performance.now();
      const { method, reason } = chooseMethod(mode, query.numQueries, query.numBase, query.dim);
      if (method === 'exact') {
        const res = await exactCosineTopK({ ...query, providers });
        options.onReport?.({ method, reason, queries: query.numQueries, base: query.numBase, k: res.k, provider: res.provider, ms: Math.round(performance.now() - started), recall: 1, recallSample: 0 });
        return { indices: res.indices, similarities: res.similarities, k: res.k, provider: res.provider };
      }
      const params = defaultIvfParams(query.numBase, options.ivf);
      const available = query.excludeSelf ? Math.max(0, query.numBase - 1) : query.numBase;
      if (query.numQueries === 0 || Math.min(query.k, available) === 0) {
        const k = Math.min(query.k, available);
        query.onProgress?.(query.numQueries, query.numQueries);
        options.onReport?.({ method, reason, queries: query.numQueries, base: query.numBase, k, provider: 'none', ms: 0, recall: 1, recallSample: 0 });
        return { indices: new Int32Array(0), similarities: new Float32Array(0), k, provider: 'none' };
      }
      const session = await TopKSession.create(query.dim, providers);
      try {
        const buildStart = performance.now();
        const index = await IvfIndex.build(session, query.base, query.numBase, query.dim, params, query.signal);
        const buildMs = Math.round(performance.now() - buildStart);
        const tuned = options.ivf?.nprobe === undefined ? await tuneNprobe(index, query, Math.min(query.k, available), providers) : null;
        const nprobe = Math.min(tuned?.nprobe ?? params.nprobe, index.params.nlist);
        const res = await index.search(query.queries, query.numQueries, { k: query.k, excludeSelf: query.excludeSelf, nprobe, signal: query.signal, onProgress: query.onProgress });
        const ms = Math.round(performance.now() - started);
        const recall = await measureRecall(query, res, recallSample, providers);
        options.onReport?.({
          method,
          reason,
          queries: query.numQueries,
          base: query.numBase,
          k: res.k,
          provider: session.provider,
          ms,
          index: { ...index.params, nprobe, buildMs, exhaustiveQueries: res.exhaustive, nprobeFrom: tuned ? { tuned: tuned.tried, target: IVF_TUNING_TARGET_RECALL } : 'given' },
          recall: Math.round(recall.recall * 1e4) / 1e4,
          recallSample: recall.sample,
        });
        return { indices: res.indices, similarities: res.similarities, k: res.k, provider: session.provider };
      } finally {
        await session.release();
      }
    },
  };
}

/** The search a strategy input names, or an exact one on its providers (the default). */
export function neighbourSearchFor(input: { search?: NeighbourSearch; providers?: string[] }): NeighbourSearch {
  return input.search ?? createNeighbourSearch({ mode: 'exact', providers: input.providers });
}
