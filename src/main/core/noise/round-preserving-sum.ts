/**
 * Rounding a row of non-negative floats to integers while keeping its (rounded) total, the way
 * cleanlab calibrates the confident joint.
 *
 * Which entries absorb the rounding error is decided by an argsort of the remainders, and equal
 * remainders are common (equal counts in a row calibrate to equal floats). The tie order of
 * that argsort therefore changes the joint, which is why the sort kind is a parameter.
 */

import { type ArgsortKind, argsort } from './numpy-argsort';
import { pairwiseSum } from './numpy-sum';

/** np.round / np.rint: nearest integer, exact halves to the even neighbour. */
export function roundHalfEven(x: number): number {
  let r = Math.round(x);
  // Math.round sends halves up; numpy sends them to the even integer.
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r;
}

/**
 * Round `floats` entrywise (half to even), then move entries by +-1 until the integer total equals
 * the rounded float total. Entries are taken from the front of argsort(float - rounded) when they
 * must go down (most over-rounded first) and from its back when they must go up.
 */
export function roundPreservingSum(floats: Float64Array, kind: ArgsortKind): Int32Array {
  const k = floats.length;
  const ints = new Float64Array(k);
  for (let j = 0; j < k; j++) ints[j] = roundHalfEven(floats[j]!);
  const origSum = roundHalfEven(pairwiseSum(floats, 0, k));
  let intSum = roundHalfEven(pairwiseSum(ints, 0, k));
  const remainder = new Float64Array(k);
  while (Math.abs(intSum - origSum) > 1e-6) {
    const diff = roundHalfEven(origSum - intSum);
    const increment = diff < 0 ? -1 : 1;
    const changes = Math.min(Math.abs(diff), k);
    for (let j = 0; j < k; j++) remainder[j] = floats[j]! - ints[j]!;
    const order = argsort(remainder, kind);
    for (let t = 0; t < changes; t++) {
      const idx = increment > 0 ? order[k - 1 - t]! : order[t]!;
      ints[idx] = ints[idx]! + increment;
    }
    intSum = roundHalfEven(pairwiseSum(ints, 0, k));
  }
  const out = new Int32Array(k);
  for (let j = 0; j < k; j++) out[j] = ints[j]!;
  return out;
}
