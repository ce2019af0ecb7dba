/**
 * Order statistics without a full sort. The per-class cuts only need the value at one rank,
 * and on large classes a selection is several times cheaper than sorting every (class, class)
 * margin vector.
 */

/**
 * Return the k-th smallest (0-based) of `buf[0 .. len)`, reordering `buf` in place.
 * Values must not be NaN. Hoare partitioning keeps runs of equal values from going quadratic.
 */
export function selectKth(buf: Float64Array, len: number, k: number): number {
  if (k < 0 || k >= len) throw new RangeError(`selectKth: rank ${k} outside 0..${len - 1}`);
  let lo = 0;
  let hi = len - 1;
  // Median-of-3 can be driven quadratic by crafted inputs; past this many rounds we just sort.
  let budget = 4 * (32 - Math.clz32(len)) + 8;
  while (hi > lo) {
    if (budget-- <= 0) {
      buf.subarray(lo, hi + 1).sort();
      return buf[k]!;
    }
    const mid = (lo + hi) >>> 1;
    // Order lo, mid, hi in place (swaps, not writes: mid may equal lo in a 2-element range).
    let t: number;
    if (buf[mid]! < buf[lo]!) {
      t = buf[mid]!;
      buf[mid] = buf[lo]!;
      buf[lo] = t;
    }
    if (buf[hi]! < buf[mid]!) {
      t = buf[hi]!;
      buf[hi] = buf[mid]!;
      buf[mid] = t;
      if (buf[mid]! < buf[lo]!) {
        t = buf[mid]!;
        buf[mid] = buf[lo]!;
        buf[lo] = t;
      }
    }
    const pivot = buf[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (buf[i]! < pivot) i++;
      while (buf[j]! > pivot) j--;
      if (i <= j) {
        t = buf[i]!;
        buf[i] = buf[j]!;
        buf[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return buf[k]!;
  }
  return buf[k]!;
}
