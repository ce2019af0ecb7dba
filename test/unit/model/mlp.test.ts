import { describe, expect, it } from 'vitest';
import { Rng } from '../../helpers/seeded';
import { defaultEpochs, forward, predictProbabilities, trainMlp, type SparseRows } from '../../../src/main/core/model/builtin/mlp';

const CLASSES = 4;
const PER_CLASS = 5;
const NOISE_FEATURES = 20;
/** Ids 0 and 1 are [PAD] and [UNK]; class indicators, then shared noise features, then one never used. */
const INPUT_SIZE = 2 + CLASSES * PER_CLASS + NOISE_FEATURES + 1;
const UNUSED_ID = INPUT_SIZE - 1;

/** Each example: two indicator features of its class and four features shared by all classes. */
function toyProblem(n: number, seed: number): { data: SparseRows; labels: Int32Array } {
  const rng = new Rng(seed);
  const offsets = new Int32Array(n + 1);
  const ids: number[] = [];
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = rng.int(CLASSES);
    labels[i] = y;
    const chosen = new Set<number>();
    while (chosen.size < 2) chosen.add(2 + y * PER_CLASS + rng.int(PER_CLASS));
    while (chosen.size < 6) chosen.add(2 + CLASSES * PER_CLASS + rng.int(NOISE_FEATURES));
    ids.push(...chosen);
    offsets[i + 1] = ids.length;
  }
  return { data: { offsets, ids: Int32Array.from(ids) }, labels };
}

const range = (from: number, to: number): Int32Array => Int32Array.from({ length: to - from }, (_, i) => from + i);

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if ((values[k] as number) > (values[best] as number)) best = k;
  return best;
}

describe('trainMlp', () => {
  const { data, labels } = toyProblem(2000, 11);
  const shape = { inputSize: INPUT_SIZE, classes: CLASSES };

  it('learns a separable problem (held-out accuracy > 0.95)', async () => {
    const model = await trainMlp(data, labels, range(0, 1600), shape, { hidden: 32, epochs: 5, seed: 3 });
    let right = 0;
    for (let i = 1600; i < 2000; i++) {
      const ids = data.ids.subarray(data.offsets[i], data.offsets[i + 1]);
      if (argmax(forward(model, ids).logits) === labels[i]) right++;
    }
    expect(right / 400).toBeGreaterThan(0.95);
  });

  it('is deterministic under the seed and depends on it', async () => {
    const options = { hidden: 16, epochs: 2, seed: 42 };
    const a = await trainMlp(data, labels, range(0, 1000), shape, options);
    const b = await trainMlp(data, labels, range(0, 1000), shape, options);
    for (const key of ['w1', 'b1', 'w2', 'b2'] as const) {
      expect(Buffer.from(a[key].buffer).equals(Buffer.from(b[key].buffer))).toBe(true);
    }
    const c = await trainMlp(data, labels, range(0, 1000), shape, { ...options, seed: 43 });
    expect(Buffer.from(a.w2.buffer).equals(Buffer.from(c.w2.buffer))).toBe(false);
  });

  it('keeps [PAD], [UNK] and features it never trained on at zero', async () => {
    const model = await trainMlp(data, labels, range(0, 500), shape, { hidden: 8, epochs: 1, seed: 1 });
    for (const id of [0, 1, UNUSED_ID]) {
      expect(Array.from(model.w1.subarray(id * 8, id * 8 + 8))).toEqual(new Array(8).fill(0));
    }
    // A used row moved away from zero.
    expect(model.w1.subarray(2 * 8, 3 * 8).some((w) => w !== 0)).toBe(true);
  });

  it('skips padding in the forward pass and agrees with predictProbabilities', async () => {
    const model = await trainMlp(data, labels, range(0, 500), shape, { hidden: 8, epochs: 1, seed: 1 });
    const ids = Array.from(data.ids.subarray(data.offsets[7], data.offsets[8]));
    const plain = forward(model, ids);
    const padded = forward(model, [...ids, 0, 0, 0]);
    expect(Array.from(padded.logits)).toEqual(Array.from(plain.logits));
    expect(plain.hidden.every((v) => v >= 0)).toBe(true);
    const probs = predictProbabilities(model, data, Int32Array.of(7));
    const z = Array.from(plain.logits);
    const max = Math.max(...z);
    const sum = z.reduce((s, v) => s + Math.exp(v - max), 0);
    z.forEach((v, k) => expect(probs[k]).toBeCloseTo(Math.exp(v - max) / sum, 6));
  });

  it('reports progress and stops when aborted', async () => {
    const seen: number[] = [];
    await trainMlp(data, labels, range(0, 2000), shape, { hidden: 8, epochs: 2, onProgress: (done, total) => seen.push(done / total) });
    expect(seen.at(-1)).toBe(1);
    const controller = new AbortController();
    const training = trainMlp(data, labels, range(0, 2000), shape, {
      hidden: 8,
      epochs: 50,
      signal: controller.signal,
      onProgress: () => controller.abort(new Error('user cancelled')),
    });
    await expect(training).rejects.toThrow('user cancelled');
  });

  it('rejects bad input', async () => {
    await expect(trainMlp(data, labels, range(0, 10), { inputSize: 5, classes: CLASSES })).rejects.toThrow(/feature id/);
    await expect(trainMlp(data, labels, range(0, 10), { inputSize: INPUT_SIZE, classes: 2 })).rejects.toThrow(/label/);
    await expect(trainMlp(data, labels, new Int32Array(0), shape)).rejects.toThrow(/no training rows/);
    await expect(trainMlp(data, labels, range(0, 10), shape, { dropout: 1 })).rejects.toThrow(/dropout/);
  });

  it('takes more passes over small data than over large', () => {
    expect(defaultEpochs(6_400)).toBe(15);
    expect(defaultEpochs(16_000)).toBe(8);
    expect(defaultEpochs(80_000)).toBe(3);
    expect(defaultEpochs(1_000_000)).toBe(3);
  });
});
