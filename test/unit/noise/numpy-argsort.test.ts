import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  argsort,
  npLess,
  numpyArgsort,
  numpyArgsortSlice,
  numpyHeapArgsort,
  stableArgsort,
} from '../../../src/main/core/noise/numpy-argsort';

function isPermutation(idx: Int32Array, n: number): boolean {
  if (idx.length !== n) return false;
  const seen = new Uint8Array(n);
  for (const i of idx) {
    if (i < 0 || i >= n || seen[i]) return false;
    seen[i] = 1;
  }
  return true;
}

/** Non-decreasing in numpy's order (NaN last, -0 == 0). */
function isSortedBy(values: ArrayLike<number>, idx: Int32Array): boolean {
  for (let t = 1; t < idx.length; t++) {
    if (npLess(values[idx[t]!]!, values[idx[t - 1]!]!)) return false;
  }
  return true;
}

function tiesInIndexOrder(values: ArrayLike<number>, idx: Int32Array): boolean {
  for (let t = 1; t < idx.length; t++) {
    const a = values[idx[t - 1]!]!;
    const b = values[idx[t]!]!;
    const equal = !npLess(a, b) && !npLess(b, a);
    if (equal && idx[t - 1]! > idx[t]!) return false;
  }
  return true;
}

const anyDoubles = fc.array(fc.double(), { maxLength: 400 });
const finiteDoubles = fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 400 });
// Few distinct values, so most comparisons are ties: the case where the sorts disagree.
const tieHeavy = fc.array(fc.constantFrom(0, 0.25, 0.5, 1, -0, NaN), { maxLength: 600 });
const smallInts = fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 17, maxLength: 2000 });

describe('numpyArgsort properties', () => {
  for (const [name, arb] of [
    ['random doubles (NaN, +-Infinity, -0 included)', anyDoubles],
    ['finite doubles', finiteDoubles],
    ['tie-heavy values', tieHeavy],
    ['small integers, long arrays', smallInts],
  ] as const) {
    it(`returns a permutation that sorts the values: ${name}`, () => {
      fc.assert(
        fc.property(arb, (values) => {
          const idx = numpyArgsort(values);
          return isPermutation(idx, values.length) && isSortedBy(values, idx);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('heapsort variant returns a sorting permutation', () => {
    fc.assert(
      fc.property(fc.oneof(anyDoubles, tieHeavy), (values) => {
        const idx = numpyHeapArgsort(values);
        return isPermutation(idx, values.length) && isSortedBy(values, idx);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the stable sort when all values are distinct', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.double({ noNaN: true }), { maxLength: 400, comparator: (a, b) => a === b }), (values) => {
        expect(Array.from(numpyArgsort(values))).toEqual(Array.from(stableArgsort(values)));
      }),
      { numRuns: 200 },
    );
  });

  it('is an insertion sort, hence stable, for up to 16 elements', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 1, 2, NaN), { maxLength: 16 }), (values) => {
        expect(Array.from(numpyArgsort(values))).toEqual(Array.from(stableArgsort(values)));
      }),
      { numRuns: 300 },
    );
  });

  it('sorts a slice in place without touching the rest', () => {
    const v = Float64Array.from([5, 4, 3, 2, 1, 0]);
    const idx = Int32Array.from([0, 1, 2, 3, 4, 5]);
    numpyArgsortSlice(v, idx, 1, 3);
    expect(Array.from(idx)).toEqual([0, 3, 2, 1, 4, 5]);
  });

  it('handles empty and single-element input', () => {
    expect(Array.from(numpyArgsort([]))).toEqual([]);
    expect(Array.from(numpyArgsort([7]))).toEqual([0]);
    expect(Array.from(numpyHeapArgsort([]))).toEqual([]);
  });
});

describe('stableArgsort properties', () => {
  it('returns a sorting permutation with ties in index order', () => {
    fc.assert(
      fc.property(fc.oneof(anyDoubles, tieHeavy), (values) => {
        const idx = stableArgsort(values);
        return isPermutation(idx, values.length) && isSortedBy(values, idx) && tiesInIndexOrder(values, idx);
      }),
      { numRuns: 300 },
    );
  });

  it('dispatches by kind', () => {
    const zeros = new Float64Array(17);
    expect(argsort(zeros, 'numpy')).toEqual(numpyArgsort(zeros));
    expect(argsort(zeros, 'stable')).toEqual(stableArgsort(zeros));
  });
});

/*
 * Hand-traced numpy 1.24 results. For n = 17 equal values: pm = 8 is parked at position 15, the
 * two scans stop on every element (equal to the pivot) and swap 1<->14, ..., 7<->8, the pivot
 * returns to position 8; both halves (<= 16 elements) are then insertion-sorted, which keeps
 * them as they are. This is the well-known np.argsort(np.zeros(17)) output of numpy < 1.25.
 */
describe('numpy tie order, hand-checked', () => {
  it('np.argsort(np.zeros(16)) is the identity (insertion sort only)', () => {
    expect(Array.from(numpyArgsort(new Float64Array(16)))).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it('np.argsort(np.zeros(17)) differs from a stable sort', () => {
    const expected = [0, 14, 13, 12, 11, 10, 9, 15, 8, 6, 5, 4, 3, 2, 1, 7, 16];
    expect(Array.from(numpyArgsort(new Float64Array(17)))).toEqual(expected);
    expect(Array.from(stableArgsort(new Float64Array(17)))).not.toEqual(expected);
  });

  it('np.argsort(np.zeros(18)): equal halves split 8 / 9, larger side pushed', () => {
    expect(Array.from(numpyArgsort(new Float64Array(18)))).toEqual([
      0, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 16, 17,
    ]);
  });

  it('ties among distinct values: the min and max stay put, the tied run is permuted', () => {
    // n = 19, pivot = median of (0, 1, 2) = 1 at position 9, parked at 17; the scans stop on
    // every tied 1 and swap 1<->16 ... 8<->9, the pivot lands at 9 and both 9-element sides are
    // already in order for the insertion sort.
    const values = [0, ...Array<number>(17).fill(1), 2];
    expect(Array.from(numpyArgsort(values))).toEqual([
      0, 16, 15, 14, 13, 12, 11, 10, 17, 9, 7, 6, 5, 4, 3, 2, 1, 8, 18,
    ]);
  });

  it("np.argsort(np.zeros(3), kind='heapsort') is [1, 2, 0]", () => {
    // Heap build leaves [0, 1, 2]; each extraction moves the root to the end: [2, 1, 0] -> [1, 2, 0].
    expect(Array.from(numpyHeapArgsort(new Float64Array(3)))).toEqual([1, 2, 0]);
  });

  it('NaN sorts last, -0 and 0 tie', () => {
    const idx = Array.from(numpyArgsort([NaN, 1, -0, 0, NaN, -1]));
    expect(idx.slice(0, 4)).toEqual([5, 2, 3, 1]);
    expect(idx.slice(4).sort()).toEqual([0, 4]);
  });
});
