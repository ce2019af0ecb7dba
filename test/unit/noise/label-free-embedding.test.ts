import { describe, expect, it } from 'vitest';
import { randomProjectionEmbedding, segmentWeights } from '../../../src/main/core/ranking/label-free-embedding';

function rows(lists: number[][]) {
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((l, i) => (offsets[i + 1] = offsets[i]! + l.length));
  return { offsets, ids: Int32Array.from(lists.flat()) };
}
const dot = (e: Float32Array, a: number, b: number, dim: number) => {
  let s = 0;
  for (let d = 0; d < dim; d++) s += e[a * dim + d]! * e[b * dim + d]!;
  return s;
};

describe('label-free embedding for KNN', () => {
  it('is unit length, deterministic, and closer for examples sharing more features', () => {
    const data = rows([[1, 2, 3, 4], [1, 2, 3, 5], [6, 7, 8, 9], []]);
    const e = randomProjectionEmbedding(data, 256, 7);
    expect(randomProjectionEmbedding(data, 256, 7)).toEqual(e);
    for (const i of [0, 1, 2]) expect(dot(e, i, i, 256)).toBeCloseTo(1, 5);
    expect(dot(e, 3, 3, 256)).toBe(0);
    expect(dot(e, 0, 1, 256)).toBeGreaterThan(dot(e, 0, 2, 256) + 0.3);
  });

  it('weights the words between the entities above entity words and context', () => {
    const w = segmentWeights(['m:born', 'mm:born|in', 'md:S|born', 'st:person', 'e1:ada', 'b:the', '[PAD]']);
    expect(Array.from(w)).toEqual([1, 1, 1, 0.5, expect.closeTo(0.2, 6), expect.closeTo(0.2, 6), expect.closeTo(0.2, 6)]);
    // Two examples that share only between-words are closer than two sharing only entity words.
    const names = ['m:born', 'e1:ada', 'e1:bob', 'm:died', 'o:x', 'o:y'];
    const weights = segmentWeights(names);
    const e = randomProjectionEmbedding(rows([[0, 1, 4], [0, 2, 5], [3, 1, 4]]), 512, 3, weights);
    expect(dot(e, 0, 1, 512)).toBeGreaterThan(dot(e, 0, 2, 512));
  });
});
