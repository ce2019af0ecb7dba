import { describe, expect, it } from 'vitest';
import { comparisonRows, signedDelta, type VariantResult } from '../../../src/shared/compare';

/** A variant scored on test with the given labels, one F1 per seed (P and R equal to it). */
function variant(name: VariantResult['name'], f1s: number[]): VariantResult {
  const mean = f1s.reduce((a, b) => a + b, 0) / f1s.length;
  return {
    name,
    trainSize: 10,
    removed: 0,
    relabelled: 0,
    scores: [{ eval: 'test', labels: 'given', seeds: f1s.map((f1, i) => ({ seed: i + 1, p: f1, r: f1, f1 })), f1: { mean, min: Math.min(...f1s), max: Math.max(...f1s) } }],
  };
}
const view = { eval: 'test', labels: 'given' } as const;

describe('the impact table rows', () => {
  it('marks a difference as clear only when the seeds\' F1 ranges do not overlap', () => {
    const rows = comparisonRows({ variants: [variant('original', [0.70, 0.74]), variant('E', [0.75, 0.78]), variant('R', [0.73, 0.80]), variant('CL-E', [0.60, 0.69])] }, view);
    expect(rows.map((r) => [r.name, r.clear])).toEqual([['original', false], ['E', true], ['R', false], ['CL-E', true]]);
    expect(rows[1]!.delta).toBeCloseTo(0.045, 12);
    expect(rows[3]!.delta).toBeCloseTo(-0.075, 12);
  });

  it('never calls a one-seed difference clear: one seed has no spread to compare with', () => {
    const rows = comparisonRows({ variants: [variant('original', [0.5]), variant('E', [0.9])] }, view);
    expect(rows[1]).toMatchObject({ clear: false });
    expect(rows[1]!.delta).toBeCloseTo(0.4, 12);
  });

  it('writes differences signed, and one that rounds to zero without a minus sign', () => {
    expect([0.0123, -0.0123, 0.0004, -0.0004, 0, null].map(signedDelta)).toEqual(['+0.012', '-0.012', '±0.000', '±0.000', '±0.000', '']);
  });
});
