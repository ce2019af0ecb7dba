import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactCosineTopK, l2Normalize } from '../../../src/main/core/inference/knn';
import { defaultIvfParams, IvfIndex } from '../../../src/main/core/inference/ivf-index';
import { TopKSession } from '../../../src/main/core/inference/topk-session';
import { chooseMethod, createNeighbourSearch, measureRecall, type SearchReport } from '../../../src/main/core/inference/search-method';
import { Rng } from '../../../src/main/core/random/seeded-rng';

/** Rows scattered around `clusters` random centres: the shape real embeddings have. */
function clustered(n: number, dim: number, clusters: number, spread: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const centres = Float32Array.from({ length: clusters * dim }, gauss);
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = rng.int(clusters);
    for (let j = 0; j < dim; j++) out[i * dim + j] = centres[c * dim + j]! + spread * gauss();
  }
  return l2Normalize(out, n, dim);
}

/** recall@k of approximate rows against exact rows, by index sets. */
function overlap(a: Int32Array, b: Int32Array, n: number, k: number): number {
  let hits = 0;
  for (let q = 0; q < n; q++) {
    const truth = new Set(b.subarray(q * k, (q + 1) * k));
    for (let j = 0; j < k; j++) if (truth.has(a[q * k + j]!)) hits++;
  }
  return hits / (n * k);
}

describe('IVF index', () => {
  const dim = 16;
  const n = 4000;
  const base = clustered(n, dim, 40, 0.35, 1);
  const queries = clustered(300, dim, 40, 0.35, 2);
  let session: TopKSession;
  beforeAll(async () => {
    session = await TopKSession.create(dim, ['cpu']);
  });
  afterAll(async () => {
    await session.release();
  });

  it('finds almost all exact neighbours when probing a few cells, and all of them when probing every cell', async () => {
    const exact = await exactCosineTopK({ queries, numQueries: 300, base, numBase: n, dim, k: 5, providers: ['cpu'] });
    const few = await IvfIndex.build(session, base, n, dim, { nlist: 32, nprobe: 6, iterations: 8, trainSample: 4000, seed: 3 });
    const approx = await few.search(queries, 300, { k: 5 });
    expect(approx.k).toBe(5);
    expect(overlap(approx.indices, exact.indices, 300, 5)).toBeGreaterThan(0.9);

    const everything = await IvfIndex.build(session, base, n, dim, { nlist: 32, nprobe: 10_000, iterations: 4, trainSample: 4000, seed: 3 });
    const full = await everything.search(queries, 300, { k: 5 });
    expect(Array.from(full.indices)).toEqual(Array.from(exact.indices));
    for (let i = 0; i < full.similarities.length; i++) expect(full.similarities[i]).toBeCloseTo(exact.similarities[i]!, 5);
  });

  it('with one cell probed, returns only rows filed under the probed cell', async () => {
    const index = await IvfIndex.build(session, base, n, dim, { nlist: 20, nprobe: 1, iterations: 5, trainSample: 4000, seed: 5 });
    const res = await index.search(queries.subarray(0, 50 * dim), 50, { k: 3 });
    // Recompute each query's best centroid and the cell of each returned row.
    const cellOf = new Int32Array(n);
    for (let c = 0; c < index.params.nlist; c++) for (let p = index.listStart[c]!; p < index.listStart[c + 1]!; p++) cellOf[index.listRows[p]!] = c;
    const probe = await session.run(queries.subarray(0, 50 * dim), 50, index.centroids, index.params.nlist, 1);
    for (let q = 0; q < 50; q++) {
      if (index.listSize(probe.indices[q]!) < 3) continue;
      for (let j = 0; j < 3; j++) expect(cellOf[res.indices[q * 3 + j]!]).toBe(probe.indices[q]);
    }
  });

  it('files every base row exactly once, ascending within each cell', async () => {
    const index = await IvfIndex.build(session, base, n, dim, { nlist: 25, nprobe: 2, iterations: 3, trainSample: 1000, seed: 9 });
    const cells = index.params.nlist;
    expect(cells).toBeGreaterThanOrEqual(25);
    expect(index.listStart[cells]).toBe(n);
    expect([...index.listRows].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    for (let c = 0; c < cells; c++) {
      for (let p = index.listStart[c]! + 1; p < index.listStart[c + 1]!; p++) expect(index.listRows[p]!).toBeGreaterThan(index.listRows[p - 1]!);
    }
  });

  it('splits cells over twice the mean size, keeping every row filed once', async () => {
    // One dense cluster of 3000 rows and 1000 scattered ones: plain k-means leaves a giant cell.
    const dense = clustered(3000, dim, 1, 0.05, 21);
    const rows = new Float32Array(n * dim);
    rows.set(dense);
    rows.set(clustered(1000, dim, 1000, 0.01, 22), 3000 * dim);
    const plain = await IvfIndex.build(session, rows, n, dim, { nlist: 20, nprobe: 2, iterations: 6, trainSample: 4000, seed: 4, balance: false });
    const balanced = await IvfIndex.build(session, rows, n, dim, { nlist: 20, nprobe: 2, iterations: 6, trainSample: 4000, seed: 4 });
    const largest = (index: IvfIndex) => Math.max(...Array.from({ length: index.params.nlist }, (_, c) => index.listSize(c)));
    expect(largest(plain)).toBeGreaterThan(2 * (n / 20));
    expect(balanced.params.nlist).toBeGreaterThan(20);
    expect(largest(balanced)).toBeLessThan(largest(plain) / 2);
    expect([...balanced.listRows].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('is deterministic for a seed and changes with the seed', async () => {
    const params = { nlist: 30, nprobe: 3, iterations: 6, trainSample: 2000, seed: 11 };
    const a = await IvfIndex.build(session, base, n, dim, params);
    const b = await IvfIndex.build(session, base, n, dim, params);
    const c = await IvfIndex.build(session, base, n, dim, { ...params, seed: 12 });
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
    expect(Array.from(a.listRows)).toEqual(Array.from(b.listRows));
    expect(Array.from(a.centroids)).not.toEqual(Array.from(c.centroids));
    const ra = await a.search(queries, 300, { k: 4 });
    const rb = await b.search(queries, 300, { k: 4 });
    expect(Array.from(ra.indices)).toEqual(Array.from(rb.indices));
    expect(Array.from(ra.similarities)).toEqual(Array.from(rb.similarities));
  });

  it('excludes the query itself and orders neighbours by similarity, then index', async () => {
    const index = await IvfIndex.build(session, base, n, dim, { nlist: 16, nprobe: 10_000, iterations: 3, trainSample: 4000, seed: 1 });
    const res = await index.search(base, n, { k: 4, excludeSelf: true });
    const exact = await exactCosineTopK({ queries: base, numQueries: n, base, numBase: n, dim, k: 4, excludeSelf: true, providers: ['cpu'] });
    expect(Array.from(res.indices)).toEqual(Array.from(exact.indices));
    for (let q = 0; q < n; q++) {
      for (let j = 0; j < 4; j++) expect(res.indices[q * 4 + j]).not.toBe(q);
      for (let j = 1; j < 4; j++) {
        const prev = res.similarities[q * 4 + j - 1]!;
        const cur = res.similarities[q * 4 + j]!;
        expect(prev > cur || (prev === cur && res.indices[q * 4 + j - 1]! < res.indices[q * 4 + j]!)).toBe(true);
      }
    }
  });

  it('searches every row for a query whose probed cells hold fewer than k rows', async () => {
    // Two far-apart groups: a singleton and the rest. A query at the singleton probing one
    // cell finds one row there and must still get k real neighbours.
    const tiny = new Float32Array(6 * 2);
    tiny.set([1, 0, 0.99, 0.141, 0.98, 0.199, 0.97, 0.243, -1, 0, 0, 1]);
    const rows = l2Normalize(tiny, 6, 2);
    const s2 = await TopKSession.create(2, ['cpu']);
    try {
      const index = await IvfIndex.build(s2, rows, 6, 2, { nlist: 3, nprobe: 1, iterations: 5, trainSample: 6, seed: 2 });
      const res = await index.search(rows.subarray(8, 10), 1, { k: 3 });
      const exact = await exactCosineTopK({ queries: rows.subarray(8, 10), numQueries: 1, base: rows, numBase: 6, dim: 2, k: 3, providers: ['cpu'] });
      expect(res.k).toBe(3);
      expect(Array.from(res.indices)).toEqual(Array.from(exact.indices));
    } finally {
      await s2.release();
    }
  });

  it('defaults aim at 512 rows a cell', () => {
    expect(defaultIvfParams(1_000_000).nlist).toBe(1953);
    expect(defaultIvfParams(1_000_000).nprobe).toBe(24);
    expect(defaultIvfParams(300).nlist).toBe(1);
    expect(defaultIvfParams(300).nprobe).toBe(24);
    expect(defaultIvfParams(100_000, { nprobe: 8, nlist: 100 })).toMatchObject({ nlist: 100, nprobe: 8 });
  });
});

describe('neighbour search', () => {
  it('auto stays exact below the threshold and turns to the index past it', () => {
    expect(chooseMethod('auto', 100_000, 100_000, 128).method).toBe('exact');
    expect(chooseMethod('auto', 300_000, 300_000, 128).method).toBe('approx');
    expect(chooseMethod('auto', 900_000, 100_000, 128).method).toBe('approx');
    expect(chooseMethod('auto', 50, 1_000_000, 128).method).toBe('exact');
    // Many queries against a small base: the exact search is cheap enough, and an index would skip little.
    expect(chooseMethod('auto', 10_000_000, 10_000, 128).method).toBe('exact');
    expect(chooseMethod('exact', 1e6, 1e6, 128).method).toBe('exact');
    expect(chooseMethod('approx', 10, 10, 128).method).toBe('approx');
  });

  it('reports the method, the index parameters and a recall measured against exact search', async () => {
    const dim = 12;
    const n = 3000;
    const rows = clustered(n, dim, 30, 0.3, 4);
    const reports: SearchReport[] = [];
    const search = createNeighbourSearch({ mode: 'approx', providers: ['cpu'], ivf: { nlist: 30, nprobe: 10_000, seed: 1 }, recallSample: 200, onReport: (r) => reports.push(r) });
    const res = await search.search({ queries: rows, numQueries: n, base: rows, numBase: n, dim, k: 3, excludeSelf: true });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ method: 'approx', queries: n, base: n, k: 3, recall: 1, recallSample: 200, index: { nprobeFrom: 'given' } });
    expect(reports[0]!.index!.nlist).toBeGreaterThanOrEqual(30);
    expect(reports[0]!.index!.nprobe).toBe(reports[0]!.index!.nlist);
    // Probing one cell of thirty must cost recall, and the report must show it.
    const low: SearchReport[] = [];
    const lowSearch = createNeighbourSearch({ mode: 'approx', providers: ['cpu'], ivf: { nlist: 30, nprobe: 1, seed: 1 }, recallSample: 3000, onReport: (r) => low.push(r) });
    const lowRes = await lowSearch.search({ queries: rows, numQueries: n, base: rows, numBase: n, dim, k: 3, excludeSelf: true });
    const exact = await exactCosineTopK({ queries: rows, numQueries: n, base: rows, numBase: n, dim, k: 3, excludeSelf: true, providers: ['cpu'] });
    const truth = overlap(lowRes.indices, exact.indices, n, 3);
    expect(truth).toBeLessThan(1);
    expect(low[0]!.recall).toBeCloseTo(truth, 2);
    expect(res.k).toBe(3);

    const exactReports: SearchReport[] = [];
    await createNeighbourSearch({ mode: 'exact', providers: ['cpu'], onReport: (r) => exactReports.push(r) }).search({ queries: rows.subarray(0, 10 * dim), numQueries: 10, base: rows, numBase: n, dim, k: 3 });
    expect(exactReports[0]).toMatchObject({ method: 'exact', recall: 1, recallSample: 0 });
  });

  it('tunes nprobe up from 8 until the sample recall reaches the target, unless nprobe is given', async () => {
    const dim = 16;
    const n = 4000;
    // No clusters at all: a query's neighbours spread over many cells.
    const rows = clustered(n, dim, 1, 1, 8);
    const reports: SearchReport[] = [];
    const search = createNeighbourSearch({ mode: 'approx', providers: ['cpu'], ivf: { nlist: 64, seed: 2 }, onReport: (r) => reports.push(r) });
    await search.search({ queries: rows, numQueries: n, base: rows, numBase: n, dim, k: 3, excludeSelf: true });
    const index = reports[0]!.index!;
    expect(index.nprobeFrom).not.toBe('given');
    const tuned = (index.nprobeFrom as { tuned: { nprobe: number; recall: number }[]; target: number }).tuned;
    const cells = index.nlist;
    expect(tuned.map((t) => t.nprobe)).toEqual(tuned.map((_, i) => Math.min(cells, 8 * 2 ** i)));
    expect(tuned.length).toBeGreaterThan(1);
    expect(tuned.slice(0, -1).every((t) => t.recall < 0.97)).toBe(true);
    expect(tuned.at(-1)!.recall >= 0.97 || tuned.at(-1)!.nprobe === cells).toBe(true);
    expect(index.nprobe).toBe(tuned.at(-1)!.nprobe);
    // The reported recall is measured on another sample after the full search.
    expect(reports[0]!.recall).toBeGreaterThan(0.93);

    const given: SearchReport[] = [];
    await createNeighbourSearch({ mode: 'approx', providers: ['cpu'], ivf: { nlist: 64, nprobe: 5, seed: 2 }, onReport: (r) => given.push(r) }).search({ queries: rows, numQueries: n, base: rows, numBase: n, dim, k: 3, excludeSelf: true });
    expect(given[0]!.index).toMatchObject({ nprobe: 5, nprobeFrom: 'given' });
  });

  it('recall counts a tie with the exact k-th neighbour as found', async () => {
    // Three identical rows tie for the nearest; any of them is a correct answer.
    const rows = l2Normalize(Float32Array.from([1, 0, 1, 0, 1, 0, 0, 1]), 4, 2);
    const query = { queries: rows.subarray(6, 8), numQueries: 1, base: rows, numBase: 4, dim: 2, k: 1 };
    const query0 = { ...query, queries: Float32Array.from([1, 0]) };
    const found = { indices: Int32Array.of(2), similarities: Float32Array.of(1), k: 1 };
    expect((await measureRecall(query0, found, 10, ['cpu'])).recall).toBe(1);
    const wrong = { indices: Int32Array.of(3), similarities: Float32Array.of(0), k: 1 };
    expect((await measureRecall(query0, wrong, 10, ['cpu'])).recall).toBe(0);
  });
});
