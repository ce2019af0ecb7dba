import { describe, expect, it } from 'vitest';
import { Rng, mixSeed, mulberry32 } from '../../../src/main/core/random/seeded-rng';

// The shipped demo data, the built-in model's weights and every generated test input are
// functions of these streams: a change here changes all of them, so the first numbers are pinned.
describe('seeded random numbers', () => {
  it('keeps the mulberry32 stream and the seed mixing of earlier releases', () => {
    const next = mulberry32(1729);
    expect([next(), next(), next()]).toEqual([0.0948562272824347, 0.060699442634359, 0.568301378050819]);
    expect(mixSeed(1729)).toBe(1967715526);
    expect(mixSeed(1729, 0, 0x54455854)).toBe(2884571750);
    // The high word of a seed above 2^32 counts too.
    expect(mixSeed(2 ** 40 + 3)).toBe(219995269);
    expect(mixSeed(2 ** 40 + 3)).not.toBe(mixSeed(3));
  });

  it('gives the same stream as a function and as an Rng', () => {
    const fn = mulberry32(99);
    const rng = new Rng(99);
    for (let i = 0; i < 1000; i++) expect(fn()).toBe(rng.next());
  });

  it('draws in range and samples without replacement', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 1000; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const k = rng.between(-2, 2);
      expect(k).toBeGreaterThanOrEqual(-2);
      expect(k).toBeLessThanOrEqual(2);
    }
    const items = Int32Array.from({ length: 50 }, (_, i) => i);
    rng.sampleInPlace(items, 10);
    expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(new Set(items.subarray(0, 10)).size).toBe(10);
    expect(() => rng.pick([])).toThrow(/empty/);
  });
});
