/**
 * Examples grouped by given label, each group in ascending example order. Every per-class step
 * of confident learning (thresholds, cuts) walks one class's members, and the ascending order
 * matches numpy's boolean-mask selection `x[labels == k]`, which fixes summation order.
 */

export interface ClassIndex {
  /** Example indices, grouped by label; class k occupies `order[start[k] .. start[k+1])`. */
  readonly order: Int32Array;
  /** K + 1 offsets into `order`. */
  readonly start: Int32Array;
  /** Examples per given label (numpy's value_counts with missing classes filled by 0). */
  readonly counts: Int32Array;
}

/** Counting sort of example indices by label. Labels must already be validated to 0..K-1. */
export function indexByClass(labels: Int32Array, numClasses: number): ClassIndex {
  const n = labels.length;
  const counts = new Int32Array(numClasses);
  for (let i = 0; i < n; i++) counts[labels[i]!]!++;
  const start = new Int32Array(numClasses + 1);
  for (let k = 0; k < numClasses; k++) start[k + 1] = start[k]! + counts[k]!;
  const fill = start.slice(0, numClasses);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = labels[i]!;
    order[fill[k]!++] = i;
  }
  return { order, start, counts };
}
