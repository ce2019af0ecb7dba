import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exactCosineTopK, l2Normalize } from '../../../src/main/core/inference/knn';
import {
  CUDA_NOT_INSTALLED,
  createSessionWithFallback,
  cudaBinariesInstalled,
  providerPreference,
} from '../../../src/main/core/inference/execution-providers';
import { buildModel } from '../../../src/main/core/inference/onnx-builder';
import { mulberry32 } from '../../helpers/seeded';

function randomMatrix(n: number, dim: number, seed: number): Float32Array {
  const rnd = mulberry32(seed);
  const m = new Float32Array(n * dim);
  for (let i = 0; i < m.length; i++) m[i] = rnd() * 2 - 1;
  return m;
}

/** Small integers: every dot product is an exact float32 integer, so ties are exact. */
function integerMatrix(n: number, dim: number, seed: number, range = 2): Float32Array {
  const rnd = mulberry32(seed);
  const m = new Float32Array(n * dim);
  for (let i = 0; i < m.length; i++) m[i] = Math.floor(rnd() * (2 * range + 1)) - range;
  return m;
}

function dot(a: Float32Array, ai: number, b: Float32Array, bi: number, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) s += a[ai * dim + j]! * b[bi * dim + j]!;
  return s;
}

interface Ref {
  k: number;
  indices: number[][];
  sims: number[][];
}

/** Brute force: every pair in float64, ordered by similarity desc then index asc. */
function bruteForce(
  queries: Float32Array,
  nq: number,
  base: Float32Array,
  nb: number,
  dim: number,
  k: number,
  excludeSelf = false,
): Ref {
  const kk = Math.min(k, excludeSelf ? nb - 1 : nb);
  const indices: number[][] = [];
  const sims: number[][] = [];
  for (let q = 0; q < nq; q++) {
    const cand: { i: number; s: number }[] = [];
    for (let b = 0; b < nb; b++) {
      if (excludeSelf && b === q) continue;
      cand.push({ i: b, s: dot(queries, q, base, b, dim) });
    }
    cand.sort((x, y) => y.s - x.s || x.i - y.i);
    indices.push(cand.slice(0, kk).map((c) => c.i));
    sims.push(cand.slice(0, kk).map((c) => c.s));
  }
  return { k: kk, indices, sims };
}

function row(arr: Int32Array | Float32Array, q: number, k: number): number[] {
  return Array.from(arr.subarray(q * k, (q + 1) * k));
}

/**
 * Float data: ORT's float32 sums differ from float64 in the last bits, so near-ties
 * may swap. Check the answer is a valid top-k rather than identical order.
 */
function expectValidTopK(
  res: { indices: Int32Array; similarities: Float32Array; k: number },
  queries: Float32Array,
  base: Float32Array,
  nb: number,
  dim: number,
  ref: Ref,
  excludeSelf = false,
): void {
  const tol = 1e-5;
  expect(res.k).toBe(ref.k);
  const nq = ref.indices.length;
  expect(res.indices.length).toBe(nq * ref.k);
  for (let q = 0; q < nq; q++) {
    const idx = row(res.indices, q, res.k);
    const sims = row(res.similarities, q, res.k);
    expect(new Set(idx).size).toBe(idx.length);
    const refSims = ref.sims[q]!;
    for (let j = 0; j < idx.length; j++) {
      const bi = idx[j]!;
      expect(bi).toBeGreaterThanOrEqual(0);
      expect(bi).toBeLessThan(nb);
      if (excludeSelf) expect(bi).not.toBe(q);
      const exact = dot(queries, q, base, bi, dim);
      expect(Math.abs(sims[j]! - exact)).toBeLessThan(tol);
      // The j-th returned similarity equals the true j-th best up to rounding.
      expect(Math.abs(sims[j]! - refSims[j]!)).toBeLessThan(tol);
      if (j > 0) {
        expect(sims[j]!).toBeLessThanOrEqual(sims[j - 1]!);
        if (sims[j] === sims[j - 1]) expect(bi).toBeGreaterThan(idx[j - 1]!);
      }
    }
  }
}

function expectExact(res: { indices: Int32Array; similarities: Float32Array; k: number }, ref: Ref): void {
  expect(res.k).toBe(ref.k);
  for (let q = 0; q < ref.indices.length; q++) {
    expect(row(res.indices, q, res.k)).toEqual(ref.indices[q]);
    expect(row(res.similarities, q, res.k)).toEqual(ref.sims[q]);
  }
}

describe('l2Normalize', () => {
  it('gives unit rows and leaves zero rows at zero', () => {
    const rows = Float32Array.from([3, 4, 0, 0, 0, 0, 1, 1, 1, -2, 0, 2]);
    const out = l2Normalize(rows, 4, 3);
    expect(Array.from(out.subarray(0, 3))).toEqual([Math.fround(0.6), Math.fround(0.8), 0]);
    expect(Array.from(out.subarray(3, 6))).toEqual([0, 0, 0]);
    for (const r of [0, 2, 3]) expect(Math.hypot(...out.subarray(r * 3, r * 3 + 3))).toBeCloseTo(1, 6);
    expect(Array.from(rows.subarray(0, 3))).toEqual([3, 4, 0]); // input untouched
  });

  it('zeroes rows that cannot be normalised instead of producing NaN', () => {
    const out = l2Normalize(Float32Array.from([NaN, 1, Infinity, 1]), 2, 2);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });

  it('rejects a shape that does not match the data', () => {
    expect(() => l2Normalize(new Float32Array(5), 2, 3)).toThrow(RangeError);
  });
});

describe('exactCosineTopK against brute force', () => {
  const cases = [
    { nq: 37, nb: 37, dim: 8, k: 5, chunk: 10, self: false },
    { nq: 64, nb: 200, dim: 16, k: 10, chunk: 64, self: false },
    { nq: 150, nb: 150, dim: 32, k: 7, chunk: 17, self: true },
    { nq: 33, nb: 500, dim: 3, k: 1, chunk: 1000, self: false },
    { nq: 120, nb: 120, dim: 64, k: 12, chunk: 1024, self: true },
    { nq: 9, nb: 300, dim: 128, k: 20, chunk: 4, self: false },
    { nq: 700, nb: 1500, dim: 32, k: 10, chunk: 256, self: false },
  ];
  for (const c of cases) {
    it(`random floats nq=${c.nq} nb=${c.nb} dim=${c.dim} k=${c.k} chunk=${c.chunk} excludeSelf=${c.self}`, async () => {
      const base = l2Normalize(randomMatrix(c.nb, c.dim, c.nb * 31 + c.dim), c.nb, c.dim);
      const queries = c.self ? base : l2Normalize(randomMatrix(c.nq, c.dim, c.nq * 7 + 1), c.nq, c.dim);
      const res = await exactCosineTopK({
        queries,
        numQueries: c.nq,
        base,
        numBase: c.nb,
        dim: c.dim,
        k: c.k,
        excludeSelf: c.self,
        chunkSize: c.chunk,
        providers: ['cpu'],
      });
      expect(res.provider).toBe('cpu');
      expectValidTopK(res, queries, base, c.nb, c.dim, bruteForce(queries, c.nq, base, c.nb, c.dim, c.k, c.self), c.self);
    });
  }

  it('matches exactly on integer vectors with heavy ties (chunk sizes dividing n or not)', async () => {
    const nb = 90;
    const dim = 4;
    const base = integerMatrix(nb, dim, 5, 1);
    const ref = bruteForce(base, nb, base, nb, dim, 15);
    for (const chunkSize of [1, 7, 30, 90, 500]) {
      const res = await exactCosineTopK({ queries: base, numQueries: nb, base, numBase: nb, dim, k: 15, chunkSize });
      expectExact(res, ref);
    }
  });

  it('selects the lowest tied indices at the k boundary of wide rows', async () => {
    // Only a handful of distinct scores over 6000 columns: which tied columns make the
    // cut is decided inside ORT's TopK (JS only sees k of them), so check it exactly.
    const nb = 6000;
    const dim = 2;
    const base = integerMatrix(nb, dim, 21, 1);
    const queries = integerMatrix(40, dim, 22, 1);
    for (const k of [1, 10, 700]) {
      const res = await exactCosineTopK({ queries, numQueries: 40, base, numBase: nb, dim, k, chunkSize: 16 });
      expectExact(res, bruteForce(queries, 40, base, nb, dim, k));
    }
  });

  it('orders duplicated rows by lower index and drops only the query itself', async () => {
    // Each of 8 distinct rows appears 6 times, interleaved, so every query ties with
    // five twins, some with lower and some with higher indices than itself.
    const distinct = integerMatrix(8, 6, 11, 3);
    const nb = 48;
    const dim = 6;
    const base = new Float32Array(nb * dim);
    for (let i = 0; i < nb; i++) base.set(distinct.subarray((i % 8) * dim, (i % 8 + 1) * dim), i * dim);
    for (const k of [3, 5, 6, 11]) {
      const res = await exactCosineTopK({
        queries: base,
        numQueries: nb,
        base,
        numBase: nb,
        dim,
        k,
        excludeSelf: true,
        chunkSize: 13,
      });
      expectExact(res, bruteForce(base, nb, base, nb, dim, k, true));
      for (let q = 0; q < nb; q++) expect(row(res.indices, q, res.k)).not.toContain(q);
    }
  });

  it('keeps tie order on duplicated float rows (exact equality inside ORT)', async () => {
    const dim = 24;
    const uniq = l2Normalize(randomMatrix(20, dim, 99), 20, dim);
    const nb = 100;
    const base = new Float32Array(nb * dim);
    for (let i = 0; i < nb; i++) base.set(uniq.subarray(((i * 7) % 20) * dim, (((i * 7) % 20) + 1) * dim), i * dim);
    const res = await exactCosineTopK({ queries: base, numQueries: nb, base, numBase: nb, dim, k: 9, excludeSelf: true, chunkSize: 32 });
    expect(res.k).toBe(9);
    const group = (i: number): number => (i * 7) % 20;
    for (let q = 0; q < nb; q++) {
      const idx = row(res.indices, q, res.k);
      expect(idx).not.toContain(q);
      // Five twins exist per row (four besides itself): they must come first, lowest index first.
      const twins = Array.from({ length: nb }, (_, i) => i).filter((i) => i !== q && group(i) === group(q));
      expect(idx.slice(0, twins.length)).toEqual(twins);
    }
  });

  it('property: exact agreement with brute force on small integer data', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1_000_000 }),
        async (nb, dim, k, chunkSize, excludeSelf, seed) => {
          const base = integerMatrix(nb, dim, seed, 2);
          const nq = excludeSelf ? nb : Math.max(1, nb - 3);
          const queries = excludeSelf ? base : integerMatrix(nq, dim, seed + 1, 2);
          const res = await exactCosineTopK({ queries, numQueries: nq, base, numBase: nb, dim, k, chunkSize, excludeSelf });
          expectExact(res, bruteForce(queries, nq, base, nb, dim, k, excludeSelf));
        },
      ),
      { numRuns: 60, seed: 20240611 },
    );
  });
});

describe('exactCosineTopK edge cases', () => {
  it('returns min(k, numBase) neighbours and reports the shortened stride', async () => {
    const base = l2Normalize(randomMatrix(5, 4, 3), 5, 4);
    const queries = l2Normalize(randomMatrix(3, 4, 4), 3, 4);
    const res = await exactCosineTopK({ queries, numQueries: 3, base, numBase: 5, dim: 4, k: 10 });
    expect(res.k).toBe(5);
    expect(res.indices.length).toBe(15);
    for (let q = 0; q < 3; q++) expect([...row(res.indices, q, 5)].sort()).toEqual([0, 1, 2, 3, 4]);

    const self = await exactCosineTopK({ queries: base, numQueries: 5, base, numBase: 5, dim: 4, k: 10, excludeSelf: true });
    expect(self.k).toBe(4);
    for (let q = 0; q < 5; q++) expect([...row(self.indices, q, 4), q].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('handles a single base row with excludeSelf, k = 0 and no queries', async () => {
    const one = Float32Array.from([1, 0]);
    const r1 = await exactCosineTopK({ queries: one, numQueries: 1, base: one, numBase: 1, dim: 2, k: 3, excludeSelf: true });
    expect(r1.k).toBe(0);
    expect(r1.indices.length).toBe(0);
    const r2 = await exactCosineTopK({ queries: one, numQueries: 1, base: one, numBase: 1, dim: 2, k: 0 });
    expect(r2.indices.length).toBe(0);
    const r3 = await exactCosineTopK({ queries: new Float32Array(0), numQueries: 0, base: one, numBase: 1, dim: 2, k: 1 });
    expect(r3.indices.length).toBe(0);
  });

  it('treats zero vectors as similarity 0 to everything', async () => {
    const raw = Float32Array.from([0, 0, 0, 1, 0, 0, 0, 0, 0, -1, 0, 0, 0, 1, 0]);
    const base = l2Normalize(raw, 5, 3);
    const res = await exactCosineTopK({ queries: base, numQueries: 5, base, numBase: 5, dim: 3, k: 4, excludeSelf: true });
    // Zero query: all similarities 0, so neighbours come back in index order.
    expect(row(res.indices, 0, 4)).toEqual([1, 2, 3, 4]);
    expect(row(res.similarities, 0, 4)).toEqual([0, 0, 0, 0]);
    expect(row(res.indices, 2, 4)).toEqual([0, 1, 3, 4]);
    expect(row(res.indices, 3, 4)).toEqual([0, 2, 4, 1]);
    expect(row(res.similarities, 1, 4)).toEqual([0, 0, 0, -1]);
    expect(row(res.indices, 1, 4)).toEqual([0, 2, 4, 3]);
    expect(Array.from(res.similarities).every(Number.isFinite)).toBe(true);
  });

  it('reports progress per chunk and can be cancelled', async () => {
    const n = 200;
    const base = l2Normalize(randomMatrix(n, 8, 1), n, 8);
    const seen: [number, number][] = [];
    await exactCosineTopK({ queries: base, numQueries: n, base, numBase: n, dim: 8, k: 3, chunkSize: 64, onProgress: (d, t) => seen.push([d, t]) });
    expect(seen).toEqual([[64, 200], [128, 200], [192, 200], [200, 200]]);

    const ctrl = new AbortController();
    const calls: number[] = [];
    const run = exactCosineTopK({
      queries: base,
      numQueries: n,
      base,
      numBase: n,
      dim: 8,
      k: 3,
      chunkSize: 10,
      signal: ctrl.signal,
      onProgress: (d) => {
        calls.push(d);
        if (d === 30) ctrl.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toEqual([10, 20, 30]);

    const pre = new AbortController();
    pre.abort(new Error('user cancelled'));
    await expect(
      exactCosineTopK({ queries: base, numQueries: n, base, numBase: n, dim: 8, k: 3, signal: pre.signal }),
    ).rejects.toThrow('user cancelled');
  });

  it('validates shapes and options', async () => {
    const m = new Float32Array(12);
    await expect(exactCosineTopK({ queries: m, numQueries: 3, base: m, numBase: 4, dim: 3, k: 1 })).rejects.toThrow(RangeError);
    await expect(exactCosineTopK({ queries: m, numQueries: 4, base: m, numBase: 4, dim: 3, k: -1 })).rejects.toThrow(RangeError);
    await expect(exactCosineTopK({ queries: m, numQueries: 4, base: m, numBase: 4, dim: 3, k: 1, chunkSize: 0 })).rejects.toThrow(RangeError);
    await expect(
      exactCosineTopK({ queries: m, numQueries: 4, base: m.subarray(0, 9), numBase: 3, dim: 3, k: 1, excludeSelf: true }),
    ).rejects.toThrow(/excludeSelf/);
  });
});

describe('execution providers', () => {
  it('orders providers by platform, cuda first only when installed, webgpu opt-in', () => {
    expect(providerPreference('linux', { cudaInstalled: false })).toEqual(['cpu']);
    expect(providerPreference('linux', { cudaInstalled: true })).toEqual(['cuda', 'cpu']);
    expect(providerPreference('win32', { cudaInstalled: true })).toEqual(['cuda', 'dml', 'cpu']);
    expect(providerPreference('win32', { cudaInstalled: false, includeWebgpu: true })).toEqual(['dml', 'webgpu', 'cpu']);
    expect(providerPreference('darwin', { cudaInstalled: true })).toEqual(['coreml', 'cpu']);
    expect(providerPreference().at(-1)).toBe('cpu');
  });

  it('falls back to cpu and explains each skipped provider', async () => {
    const base = l2Normalize(randomMatrix(20, 4, 8), 20, 4);
    const res = await exactCosineTopK({
      queries: base,
      numQueries: 20,
      base,
      numBase: 20,
      dim: 4,
      k: 2,
      providers: ['cuda', 'made-up', 'cpu'],
    });
    if (cudaBinariesInstalled()) return; // a GPU box may legitimately pick cuda
    expect(res.provider).toBe('cpu');
    expect(res.skipped[0]).toEqual({ provider: 'cuda', reason: CUDA_NOT_INSTALLED });
    expect(res.skipped[1]?.provider).toBe('made-up');
    expect(res.skipped[1]?.reason).toMatch(/not part of this onnxruntime-node build/);
  });

  it('records why webgpu was skipped when it has no adapter (headless boxes)', async () => {
    const model = buildModel({
      inputs: [{ name: 'x', type: 'float32', shape: [2] }],
      outputs: [{ name: 'y', type: 'float32', shape: [2] }],
      nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
    });
    const { session, provider, skipped } = await createSessionWithFallback(model, ['webgpu', 'cpu']);
    await session.release();
    expect(['webgpu', 'cpu']).toContain(provider);
    if (provider === 'cpu') {
      expect(skipped).toHaveLength(1);
      expect(skipped[0]?.provider).toBe('webgpu');
      expect(skipped[0]?.reason).toMatch(/^WebGPU unavailable: |not part of this onnxruntime-node build/);
    }
  });

  it('throws with every reason when no provider works', async () => {
    const model = buildModel({
      inputs: [{ name: 'x', type: 'float32', shape: [1] }],
      outputs: [{ name: 'y', type: 'float32', shape: [1] }],
      nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
    });
    await expect(createSessionWithFallback(model, ['nope'])).rejects.toThrow(/nope: nope provider is not part/);
  });
});
