/**
 * Float64 summation in numpy's order (np.add.reduce on one axis: pairwise summation with an
 * 8-way unrolled block of up to 128 elements).
 *
 * cleanlab's thresholds are means and its calibration rounds sums; summing in the same order
 * as numpy keeps our floats bit-identical to the reference, so no boundary case can flip.
 */

const PW_BLOCKSIZE = 128;

/** Sum `count` values of `a` starting at `offset`, `stride` apart, in numpy's pairwise order. */
export function pairwiseSum(a: ArrayLike<number>, offset: number, count: number, stride = 1): number {
  if (count < 8) {
    let res = 0;
    for (let i = 0; i < count; i++) res += a[offset + i * stride]!;
    return res;
  }
  if (count <= PW_BLOCKSIZE) {
    let r0 = a[offset]!;
    let r1 = a[offset + stride]!;
    let r2 = a[offset + 2 * stride]!;
    let r3 = a[offset + 3 * stride]!;
    let r4 = a[offset + 4 * stride]!;
    let r5 = a[offset + 5 * stride]!;
    let r6 = a[offset + 6 * stride]!;
    let r7 = a[offset + 7 * stride]!;
    const end = count - (count % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const p = offset + i * stride;
      r0 += a[p]!;
      r1 += a[p + stride]!;
      r2 += a[p + 2 * stride]!;
      r3 += a[p + 3 * stride]!;
      r4 += a[p + 4 * stride]!;
      r5 += a[p + 5 * stride]!;
      r6 += a[p + 6 * stride]!;
      r7 += a[p + 7 * stride]!;
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < count; i++) res += a[offset + i * stride]!;
    return res;
  }
  // Split near the middle on a multiple of the unroll factor, as numpy does.
  let n2 = Math.floor(count / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, offset, n2, stride) + pairwiseSum(a, offset + n2 * stride, count - n2, stride);
}
