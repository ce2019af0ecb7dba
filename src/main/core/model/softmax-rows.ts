/**
 * Row-wise softmax of an n x k matrix. Shifts by the row maximum and sums in float64 so
 * that large logits (fp16-trained models reach the hundreds) neither overflow nor lose
 * the small probabilities that label-noise scores depend on.
 */
export function softmaxRows(logits: ArrayLike<number>, rows: number, width: number): Float32Array {
  const out = new Float32Array(rows * width);
  const exps = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    let max = -Infinity;
    for (let j = 0; j < width; j++) max = Math.max(max, logits[base + j]!);
    let sum = 0;
    for (let j = 0; j < width; j++) {
      const e = Math.exp(logits[base + j]! - max);
      exps[j] = e;
      sum += e;
    }
    for (let j = 0; j < width; j++) out[base + j] = exps[j]! / sum;
  }
  return out;
}
