/**
 * Argsort for float64 values with numpy 1.24's tie behaviour.
 *
 * cleanlab breaks ties wherever numpy's default `np.argsort` (kind='quicksort') happens to put
 * equal values, and that sort is an unstable introsort. To reproduce cleanlab's outputs on tied
 * data we re-implement the same algorithm step by step: median-of-3 quicksort with the pivot
 * parked at `pr - 1`, insertion sort for partitions of at most 16 elements, and a switch to
 * heapsort once a partition's depth budget (2 * floor(log2 n)) is spent. Any deviation in those
 * steps changes which of two equal values comes first, so the structure mirrors numpy closely.
 *
 * This is our own implementation written from the algorithm's description (numpy is BSD-3).
 */

/** 'numpy' reproduces numpy 1.24's default argsort; 'stable' keeps equal values in index order. */
export type ArgsortKind = 'numpy' | 'stable';

/** numpy's SMALL_QUICKSORT: partitions with pr - pl <= 15 (at most 16 elements) are insertion-sorted. */
const SMALL_QUICKSORT = 15;
/** numpy sizes its explicit stacks as 2 * bits of npy_intp; the pushed-larger-side rule keeps depth <= log2 n. */
const STACK_SIZE = 128;

/**
 * numpy's ordering for doubles: NaN sorts after everything, and NaNs compare equal to each other.
 * Written inline in the hot loops below for speed; kept here as the single source of truth.
 */
export function npLess(a: number, b: number): boolean {
  return a < b || (b !== b && a === a);
}

function toFloat64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/** floor(log2(num)), numpy's npy_get_msb; 0 for num <= 1. */
function msb(num: number): number {
  let depth = 0;
  let u = num;
  // A loop instead of Math.clz32 so sizes beyond 2^31 would still be right.
  while (u > 1) {
    u = Math.floor(u / 2);
    depth++;
  }
  return depth;
}

/**
 * numpy's sift-down: carries the index `tmp` down from heap slot `i` of the 1-based heap
 * `tosort[base + 1 .. base + n]`, moving the larger child up while it is larger than `tmp`.
 */
function siftDown(v: Float64Array, tosort: Int32Array, base: number, i: number, n: number, tmp: number): void {
  const vt = v[tmp]!;
  let j = i << 1;
  while (j <= n) {
    if (j < n && npLess(v[tosort[base + j]!]!, v[tosort[base + j + 1]!]!)) j += 1;
    const aj = tosort[base + j]!;
    if (npLess(vt, v[aj]!)) {
      tosort[base + i] = aj;
      i = j;
      j += j;
    } else {
      break;
    }
  }
  tosort[base + i] = tmp;
}

/**
 * Heapsort `tosort[start .. start+n)` by `v[tosort[.]]`, numpy's aheapsort_ step for step
 * (1-based heap over the slice): build the heap bottom-up, then move the root to the end.
 */
function heapsortIndices(v: Float64Array, tosort: Int32Array, start: number, count: number): void {
  // a[l] of the 1-based heap is tosort[base + l].
  const base = start - 1;
  for (let l = count >> 1; l > 0; --l) siftDown(v, tosort, base, l, count, tosort[base + l]!);
  for (let n = count; n > 1; ) {
    const tmp = tosort[base + n]!;
    tosort[base + n] = tosort[base + 1]!;
    n -= 1;
    siftDown(v, tosort, base, 1, n, tmp);
  }
}

/**
 * Sort the index slice `tosort[start .. start+num)` by `v[index]` exactly as numpy 1.24's
 * aquicksort_ does for doubles. The slice must already hold the indices in their initial order
 * (numpy's argsort starts from 0..n-1); the initial order matters for where ties land.
 */
export function numpyArgsortSlice(v: Float64Array, tosort: Int32Array, start: number, num: number): void {
  if (num <= 1) return;
  let pl = start;
  let pr = start + num - 1;
  const stack = new Int32Array(STACK_SIZE);
  const depth = new Int32Array(STACK_SIZE);
  let sptr = 0;
  let psdepth = 0;
  let cdepth = msb(num) * 2;

  for (;;) {
    if (cdepth < 0) {
      heapsortIndices(v, tosort, pl, pr - pl + 1);
    } else {
      while (pr - pl > SMALL_QUICKSORT) {
        const pm = pl + ((pr - pl) >> 1);
        let t: number;
        // Median of three, leaving the median at pm.
        if (npLess(v[tosort[pm]!]!, v[tosort[pl]!]!)) {
          t = tosort[pm]!;
          tosort[pm] = tosort[pl]!;
          tosort[pl] = t;
        }
        if (npLess(v[tosort[pr]!]!, v[tosort[pm]!]!)) {
          t = tosort[pr]!;
          tosort[pr] = tosort[pm]!;
          tosort[pm] = t;
        }
        if (npLess(v[tosort[pm]!]!, v[tosort[pl]!]!)) {
          t = tosort[pm]!;
          tosort[pm] = tosort[pl]!;
          tosort[pl] = t;
        }
        const vp = v[tosort[pm]!]!;
        let pi = pl;
        let pj = pr - 1;
        t = tosort[pm]!;
        tosort[pm] = tosort[pj]!;
        tosort[pj] = t;
        for (;;) {
          do {
            ++pi;
          } while (npLess(v[tosort[pi]!]!, vp));
          do {
            --pj;
          } while (npLess(vp, v[tosort[pj]!]!));
          if (pi >= pj) break;
          t = tosort[pi]!;
          tosort[pi] = tosort[pj]!;
          tosort[pj] = t;
        }
        const pk = pr - 1;
        t = tosort[pi]!;
        tosort[pi] = tosort[pk]!;
        tosort[pk] = t;
        // Push the larger side, keep working on the smaller one (bounds the stack).
        if (pi - pl < pr - pi) {
          stack[sptr++] = pi + 1;
          stack[sptr++] = pr;
          pr = pi - 1;
        } else {
          stack[sptr++] = pl;
          stack[sptr++] = pi - 1;
          pl = pi + 1;
        }
        depth[psdepth++] = --cdepth;
      }

      // Insertion sort of the small remainder.
      for (let pi = pl + 1; pi <= pr; ++pi) {
        const vi = tosort[pi]!;
        const vp = v[vi]!;
        let pj = pi;
        let pk = pi - 1;
        while (pj > pl && npLess(vp, v[tosort[pk]!]!)) {
          tosort[pj--] = tosort[pk--]!;
        }
        tosort[pj] = vi;
      }
    }
    // numpy checks the depth budget only when it resumes a partition from the stack.
    if (sptr === 0) break;
    pr = stack[--sptr]!;
    pl = stack[--sptr]!;
    cdepth = depth[--psdepth]!;
  }
}

function identity(n: number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return idx;
}

/** Ascending argsort with numpy 1.24 `np.argsort(values)` semantics (default kind, float64). */
export function numpyArgsort(values: ArrayLike<number>): Int32Array {
  const v = toFloat64(values);
  const idx = identity(v.length);
  numpyArgsortSlice(v, idx, 0, v.length);
  return idx;
}

/** Ascending stable argsort (equal values keep index order), numpy's ordering of NaN included. */
export function stableArgsort(values: ArrayLike<number>): Int32Array {
  const v = toFloat64(values);
  const idx = identity(v.length);
  idx.sort((a, b) => {
    const va = v[a]!;
    const vb = v[b]!;
    if (npLess(va, vb)) return -1;
    if (npLess(vb, va)) return 1;
    return a - b;
  });
  return idx;
}

/**
 * Ascending argsort with numpy 1.24 `np.argsort(values, kind='heapsort')` semantics. It is also
 * the step the quicksort falls back to, so its (very unstable) tie order is exposed for tests.
 */
export function numpyHeapArgsort(values: ArrayLike<number>): Int32Array {
  const v = toFloat64(values);
  const idx = identity(v.length);
  heapsortIndices(v, idx, 0, v.length);
  return idx;
}

/** Dispatch on the sort kind. */
export function argsort(values: ArrayLike<number>, kind: ArgsortKind): Int32Array {
  return kind === 'numpy' ? numpyArgsort(values) : stableArgsort(values);
}
