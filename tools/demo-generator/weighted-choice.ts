// Weighted sampling for the synthetic dataset; the seeded generator itself is the core's
// (src/main/core/random/seeded-rng.ts), shared with the built-in model and the tests.

import type { Rng } from '../../src/main/core/random/seeded-rng';

/** Sampling proportional to fixed weights by binary search over the cumulative sums. */
export class WeightedChoice {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      if (!(w >= 0)) throw new Error(`WeightedChoice: weight ${i} is ${w}`);
      sum += w;
      this.cumulative[i] = sum;
    });
    if (sum <= 0) throw new Error('WeightedChoice: weights sum to zero');
    this.total = sum;
  }

  sample(rng: Rng): number {
    const target = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
