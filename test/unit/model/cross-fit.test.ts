import { describe, expect, it } from 'vitest';
import { NEGATIVE_LABEL } from '../../../tools/demo-generator/relations';
import { assignFolds, crossFitEpochs, trainBuiltin } from '../../../src/main/core/model/builtin/cross-fit';
import { defaultEpochs, predictProbabilities } from '../../../src/main/core/model/builtin/mlp';
import { Rng, syntheticTrainingSet } from '../../helpers/seeded';

function skewedLabels(n: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  // Mostly label 0, a few mid-sized classes and some singletons, like TACRED's long tail.
  return Int32Array.from({ length: n }, () => (rng.chance(0.7) ? 0 : rng.chance(0.9) ? 1 + rng.int(5) : 6 + rng.int(30)));
}

describe('assignFolds', () => {
  it('partitions the data into near-equal folds, stratified by label', () => {
    for (const [n, k, seed] of [[1000, 5, 1], [997, 5, 2], [64, 3, 3], [5, 5, 4]] as const) {
      const labels = skewedLabels(n, seed);
      const fold = assignFolds(labels, k, seed);
      expect(fold).toHaveLength(n);
      const sizes = new Array<number>(k).fill(0);
      for (const f of fold) {
        expect(f).toBeGreaterThanOrEqual(0);
        expect(f).toBeLessThan(k);
        sizes[f]!++;
      }
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      for (const label of new Set(labels)) {
        const perFold = new Array<number>(k).fill(0);
        labels.forEach((y, i) => {
          if (y === label) perFold[fold[i]!]!++;
        });
        expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('is deterministic under the seed and shuffles with it', () => {
    const labels = skewedLabels(500, 9);
    expect(assignFolds(labels, 5, 7)).toEqual(assignFolds(labels, 5, 7));
    expect(assignFolds(labels, 5, 7)).not.toEqual(assignFolds(labels, 5, 8));
  });

  it('rejects impossible fold counts', () => {
    expect(() => assignFolds(new Int32Array(3), 5, 0)).toThrow(/cannot fill/);
    expect(() => assignFolds(new Int32Array(10), 1, 0)).toThrow(/>= 2/);
  });
});

describe('trainBuiltin', () => {
  const { examples, labelNames, labels } = syntheticTrainingSet({ n: 1200, seed: 5, withStanford: false });

  it('cross-fits: held-out sets partition the examples, each model fitted without its fold', async () => {
    const phases = new Set<string>();
    const result = await trainBuiltin({
      examples,
      labels,
      labelNames,
      negativeLabel: NEGATIVE_LABEL,
      seed: 3,
      hidden: 32,
      epochs: 4,
      onProgress: (phase) => phases.add(phase),
    });
    expect(result.folds).toHaveLength(5);
    const owner = new Int32Array(examples.length).fill(-1);
    result.folds.forEach(({ heldOut }, f) => {
      for (let i = 1; i < heldOut.length; i++) expect(heldOut[i]!).toBeGreaterThan(heldOut[i - 1]!);
      for (const i of heldOut) {
        expect(owner[i]).toBe(-1);
        owner[i] = f;
      }
    });
    expect(owner.every((f) => f >= 0)).toBe(true);
    expect(owner).toEqual(assignFolds(labels, 5, 3));
    expect([...phases]).toEqual(['features', 'vocabulary', 'fold 1 of 5', 'fold 2 of 5', 'fold 3 of 5', 'fold 4 of 5', 'fold 5 of 5', 'full model']);

    for (const model of [...result.folds.map((f) => f.model), result.full]) {
      expect(model.inputSize).toBe(result.vocabulary.tokens.length);
      expect(model.classes).toBe(labelNames.length);
      expect(model.hidden).toBe(32);
    }
    expect(result.maxFeatures % 16).toBe(0);
    for (let i = 0; i < examples.length; i++) {
      expect(result.encoded.offsets[i + 1]! - result.encoded.offsets[i]!).toBeLessThanOrEqual(result.maxFeatures);
    }

    // Out-of-fold predictions are sensible on this easy data (most labels are right).
    const K = labelNames.length;
    let right = 0;
    for (const { heldOut, model } of result.folds) {
      const p = predictProbabilities(model, result.encoded, heldOut);
      heldOut.forEach((r, i) => {
        let best = 0;
        for (let k = 1; k < K; k++) if (p[i * K + k]! > p[i * K + best]!) best = k;
        if (best === labels[r]) right++;
      });
    }
    expect(right / examples.length).toBeGreaterThan(0.75);
  });

  it('fits the cleaned models on the rows chosen from the first folds\' out-of-fold probabilities', async () => {
    const K = labelNames.length;
    // Leave out every example of one common positive label, so that a model trained on the
    // cleaned rows can be told from one that saw them.
    const counts = new Map<number, number>();
    for (const y of labels) counts.set(y, (counts.get(y) ?? 0) + 1);
    const negative = labelNames.indexOf(NEGATIVE_LABEL);
    const left = [...counts].filter(([y]) => y !== negative).sort((a, b) => b[1] - a[1])[0]![0];
    const seen: Float32Array[] = [];
    const cleanedRows = (outOfFold: Float32Array) => {
      seen.push(outOfFold);
      return Int32Array.from(Array.from(labels).flatMap((y, i) => (y === left ? [] : [i])));
    };
    const phases = new Set<string>();
    const base = { examples, labels, labelNames, negativeLabel: NEGATIVE_LABEL, seed: 3, hidden: 32, epochs: 4, cleanedRows };
    const both = await trainBuiltin({ ...base, cleanedFits: { full: true, folds: true }, onProgress: (phase) => phases.add(phase) });
    // The callback saw the first folds' out-of-fold probabilities, once.
    expect(seen).toHaveLength(1);
    expect(seen[0]!.length).toBe(examples.length * K);
    for (const { heldOut, model } of both.folds) {
      const p = predictProbabilities(model, both.encoded, heldOut);
      heldOut.forEach((row, j) => expect(Array.from(seen[0]!.subarray(row * K, (row + 1) * K))).toEqual(Array.from(p.subarray(j * K, (j + 1) * K))));
    }
    const kept = examples.length - counts.get(left)!;
    expect({ full: both.fullModelExamples, cleaned: both.cleanedExamples }).toEqual({ full: kept, cleaned: kept });
    expect([...phases]).toContain('cleaned fold 5 of 5');
    // Same held-out rows; the first folds predict the left-out label for its examples, the cleaned ones never learnt it.
    expect(both.refitFolds!.map((f) => Array.from(f.heldOut))).toEqual(both.folds.map((f) => Array.from(f.heldOut)));
    const calls = (models: typeof both.folds) => {
      let n = 0;
      for (const { heldOut, model } of models) {
        const p = predictProbabilities(model, both.encoded, heldOut);
        heldOut.forEach((row, j) => {
          let best = 0;
          for (let k = 1; k < K; k++) if (p[j * K + k]! > p[j * K + best]!) best = k;
          if (labels[row] === left && best === left) n++;
        });
      }
      return n;
    };
    expect(calls(both.folds)).toBeGreaterThan(counts.get(left)! / 2);
    expect(calls(both.refitFolds!)).toBe(0);

    // Cleaned folds only: the full model trains on everything; neither: no second fit, no callback.
    const foldsOnly = await trainBuiltin({ ...base, cleanedFits: { full: false, folds: true } });
    expect({ full: foldsOnly.fullModelExamples, cleaned: foldsOnly.cleanedExamples, refit: foldsOnly.refitFolds?.length }).toEqual({ full: examples.length, cleaned: kept, refit: 5 });
    const neither = await trainBuiltin({ ...base, cleanedFits: { full: false, folds: false } });
    expect({ full: neither.fullModelExamples, refit: neither.refitFolds, calls: seen.length }).toEqual({ full: examples.length, refit: null, calls: 2 });
  });

  it('repeats the cross-fit with folds dealt anew, and hands the cleaning the mean over the repeats', async () => {
    const K = labelNames.length;
    const phases: string[] = [];
    const seen: Float32Array[] = [];
    const result = await trainBuiltin({
      examples,
      labels,
      labelNames,
      negativeLabel: NEGATIVE_LABEL,
      seed: 3,
      hidden: 16,
      epochs: 2,
      repeats: 3,
      cleanedRows: (outOfFold) => {
        seen.push(outOfFold);
        return Int32Array.from({ length: examples.length }, (_, i) => i);
      },
      cleanedFits: { full: false, folds: true },
      onProgress: (phase) => {
        if (phases.at(-1) !== phase) phases.push(phase);
      },
    });
    expect(result.repeats).toBe(3);
    expect(result.folds).toHaveLength(15);
    // Each repeat's held-out sets partition the examples; the first is the single cross-fit's folds.
    const owners = [0, 1, 2].map((r) => {
      const owner = new Int32Array(examples.length).fill(-1);
      result.folds.slice(r * 5, r * 5 + 5).forEach(({ heldOut }, f) => {
        for (const i of heldOut) {
          expect(owner[i]).toBe(-1);
          owner[i] = f;
        }
      });
      expect(owner.every((f) => f >= 0)).toBe(true);
      return owner;
    });
    expect(owners[0]).toEqual(assignFolds(labels, 5, 3));
    expect(owners[1]).not.toEqual(owners[0]);
    expect(owners[2]).not.toEqual(owners[1]);
    expect(phases).toContain('fold 5 of 5 (repeat 3 of 3)');
    expect(phases).toContain('cleaned fold 1 of 5 (repeat 2 of 3)');
    expect(phases.filter((p) => p.startsWith('fold '))).toHaveLength(15);
    // The callback's probabilities are, row by row, the mean of the three models that held it out.
    expect(seen).toHaveLength(1);
    const sum = new Float64Array(examples.length * K);
    for (const { heldOut, model } of result.folds) {
      const p = predictProbabilities(model, result.encoded, heldOut);
      heldOut.forEach((row, j) => {
        for (let c = 0; c < K; c++) sum[row * K + c]! += p[j * K + c]!;
      });
    }
    for (let i = 0; i < sum.length; i++) expect(seen[0]![i]!).toBeCloseTo(sum[i]! / 3, 5);
    // One cleaned model per fold model, on the same held-out rows.
    expect(result.refitFolds!.map((f) => Array.from(f.heldOut))).toEqual(result.folds.map((f) => Array.from(f.heldOut)));
  });

  it('shares one cross-fit\'s passes out over the repeats', () => {
    // 8,000 examples in 5 folds: 6,400 training rows, 15 passes for one cross-fit.
    expect(defaultEpochs(6400)).toBe(15);
    expect([1, 2, 3, 5].map((r) => crossFitEpochs(8000, 5, r))).toEqual([15, 8, 5, 3]);
    // Large data keeps at least one pass.
    expect(crossFitEpochs(1_000_000, 5, 10)).toBe(1);
    expect(() => crossFitEpochs(8000, 5, 0)).toThrow(/repeats/);
    expect(() => crossFitEpochs(8000, 5, 1.5)).toThrow(/repeats/);
  });

  it('checks its input', async () => {
    const base = { examples, labels, labelNames, negativeLabel: NEGATIVE_LABEL, epochs: 1, hidden: 4 };
    await expect(trainBuiltin({ ...base, labels: labels.subarray(1) })).rejects.toThrow(/labels/);
    await expect(trainBuiltin({ ...base, negativeLabel: 'nope' })).rejects.toThrow(/negative label/);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(trainBuiltin({ ...base, signal: controller.signal })).rejects.toThrow('stop');
  });
});
