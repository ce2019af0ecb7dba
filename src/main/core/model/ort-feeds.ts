import * as ort from 'onnxruntime-node';
import { WinnowError } from '../../../shared/errors';
import type { EncodedBatch, EncodedTensor } from './encoded-batch';

/**
 * Encoders produce int64 ids because that is what exported transformers take, but some
 * exports declare int32; converting here keeps the encoders unaware of the model file.
 */
export function toOrtTensor(name: string, encoded: EncodedTensor, modelType: string | undefined): ort.Tensor {
  const target = modelType ?? encoded.type;
  if (target === encoded.type) return new ort.Tensor(encoded.type, encoded.data, encoded.dims);
  if (target === 'int32' && encoded.type === 'int64') {
    const out = new Int32Array(encoded.data.length);
    for (let i = 0; i < out.length; i++) {
      const v = encoded.data[i]!;
      if (v > 2147483647n || v < -2147483648n) throw new WinnowError('INVALID_INPUT', `input "${name}": id ${v} does not fit the model's int32 input`);
      out[i] = Number(v);
    }
    return new ort.Tensor('int32', out, encoded.dims);
  }
  if (target === 'int64' && encoded.type === 'int32') {
    return new ort.Tensor('int64', BigInt64Array.from(encoded.data, (v) => BigInt(v)), encoded.dims);
  }
  throw new WinnowError('INVALID_INPUT', `input "${name}": the encoder produced ${encoded.type} but the model takes ${target}`);
}

function rowsOf(tensor: EncodedTensor, from: number, count: number, padTo: number): EncodedTensor {
  const rowWidth = tensor.dims.slice(1).reduce((a, b) => a * b, 1);
  const dims = [padTo, ...tensor.dims.slice(1)];
  const take = <T extends BigInt64Array | Int32Array | Float32Array>(data: T, make: (n: number) => T): T => {
    const out = make(padTo * rowWidth);
    out.set(data.subarray(from * rowWidth, (from + count) * rowWidth) as never);
    // Filler rows repeat the last real row: valid input whose outputs are dropped.
    for (let r = count; r < padTo; r++) out.set(data.subarray((from + count - 1) * rowWidth, (from + count) * rowWidth) as never, r * rowWidth);
    return out;
  };
  switch (tensor.type) {
    case 'int64':
      return { type: 'int64', data: take(tensor.data, (n) => new BigInt64Array(n)), dims };
    case 'int32':
      return { type: 'int32', data: take(tensor.data, (n) => new Int32Array(n)), dims };
    case 'float32':
      return { type: 'float32', data: take(tensor.data, (n) => new Float32Array(n)), dims };
    default: {
      const unknownTensor: never = tensor;
      throw new Error(`unknown tensor ${JSON.stringify(unknownTensor)}`);
    }
  }
}

/**
 * Splits a batch into pieces of exactly `fixedBatch` rows, for models exported without a
 * dynamic batch axis (torch.onnx.export's default); the last piece is filled up.
 */
export function splitForFixedBatch(batch: EncodedBatch, fixedBatch: number): { batch: EncodedBatch; real: number }[] {
  const pieces: { batch: EncodedBatch; real: number }[] = [];
  for (let from = 0; from < batch.size; from += fixedBatch) {
    const real = Math.min(fixedBatch, batch.size - from);
    const feeds: EncodedBatch['feeds'] = {};
    for (const [name, tensor] of Object.entries(batch.feeds)) feeds[name] = rowsOf(tensor, from, real, fixedBatch);
    pieces.push({ batch: { size: fixedBatch, feeds }, real });
  }
  return pieces;
}
