import { describe, expect, it } from 'vitest';
import { modelQuality, reliabilityBin } from '../../../src/main/core/metrics/model-quality';

const N = 'no_relation';

describe('the model-quality readout', () => {
  it('bins confidences as (0, 0.1], (0.1, 0.2], ... with 0 in the first bin', () => {
    expect([0, 0.05, 0.1, 0.1000001, 0.5, 0.95, 1].map((c) => reliabilityBin(c))).toEqual([0, 0, 0, 1, 4, 9, 9]);
  });

  it('computes the expected calibration error over the bins, weighted by count', () => {
    const q = modelQuality(
      [
        // bin 9: confidences 0.95 and 0.92, one right -> |0.5 - 0.935| * 2/4
        { given: 'a', predicted: 'a', confidence: 0.95 },
        { given: 'a', predicted: 'b', confidence: 0.92 },
        // bin 5: confidence 0.6, right -> |1 - 0.6| * 1/4
        { given: N, predicted: N, confidence: 0.6 },
        // bin 2: confidence 0.3, wrong -> |0 - 0.3| * 1/4
        { given: 'b', predicted: N, confidence: 0.3 },
      ],
      N,
    );
    expect(q.ece).toBeCloseTo((2 / 4) * 0.435 + (1 / 4) * 0.4 + (1 / 4) * 0.3, 12);
    expect(q.accuracy).toBe(0.5);
    expect(q.reliability).toHaveLength(10);
    expect(q.reliability[9]).toMatchObject({ from: 0.9, to: 1, count: 2, accuracy: 0.5 });
    expect(q.reliability[9]!.confidence).toBeCloseTo(0.935, 12);
    expect(q.reliability[0]).toEqual({ from: 0, to: 0.1, count: 0, confidence: null, accuracy: null });
    // TACRED micro scores: guessed a, b (2); gold a, a, b (3); correct 1.
    expect(q).toMatchObject({ examples: 4, microPrecision: 0.5, microRecall: 1 / 3 });
    expect(q.microF1).toBeCloseTo(0.4, 12);
    expect(q.perLabel.map((l) => l.label)).toEqual(['a', 'b']);
  });

  it('lists the most frequent confusions first', () => {
    const lines = [
      ...Array.from({ length: 3 }, () => ({ given: 'a', predicted: N, confidence: 0.5 })),
      ...Array.from({ length: 5 }, () => ({ given: N, predicted: 'b', confidence: 0.5 })),
      { given: 'a', predicted: 'a', confidence: 0.5 },
      { given: 'b', predicted: 'a', confidence: 0.5 },
    ];
    expect(modelQuality(lines, N).confusions).toEqual([
      { given: N, predicted: 'b', count: 5 },
      { given: 'a', predicted: N, count: 3 },
      { given: 'b', predicted: 'a', count: 1 },
    ]);
  });

  it('is a perfectly calibrated zero for no examples', () => {
    expect(modelQuality([], N)).toMatchObject({ examples: 0, ece: 0, accuracy: 0, microF1: 0, confusions: [] });
  });
});
