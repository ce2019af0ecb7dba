// Seeded randomness for everything that must be reproducible from a seed, on every platform and
// Node version: the built-in model's initialisation and shuffles, the synthetic demo data, and
// the tests' and benchmarks' generated inputs. Math.random is never used for these.

const UINT32 = 0x1_0000_0000;

/** murmur3's finaliser: spreads every input bit over the whole word, so nearby seeds diverge. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Folds numbers (a user seed, a record index, a stream tag) into one 32-bit seed. Deriving a
 * separate stream per record keeps record i identical whatever n is, and lets a writer produce
 * records lazily in order without replaying a shared stream.
 */
export function mixSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Seeds may exceed 32 bits (Date.now() is a common choice); keep the high word too.
    const whole = Number.isFinite(part) ? Math.trunc(part) : 0;
    const low = whole >>> 0;
    const high = Math.floor(whole / UINT32) >>> 0;
    h = fmix32(h ^ fmix32(low + 0x632be5ab));
    h = fmix32(h ^ fmix32(high + 0x7f4a7c15));
  }
  return h;
}

/** mulberry32: tiny, fast and statistically good enough for sampling and shuffling, not for crypto. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / UINT32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[this.int(items.length)] as T;
  }

  /** Fisher-Yates over the first `count` slots only: a uniform sample without replacement. */
  sampleInPlace<A extends { length: number; [i: number]: number }>(items: A, count: number): void {
    const limit = Math.min(count, items.length);
    for (let i = 0; i < limit; i++) {
      const j = i + this.int(items.length - i);
      const tmp = items[i] as number;
      items[i] = items[j] as number;
      items[j] = tmp;
    }
  }
}

/** The same mulberry32 stream as `new Rng(seed)`, as a plain `() => number` in [0, 1). */
export function mulberry32(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}
