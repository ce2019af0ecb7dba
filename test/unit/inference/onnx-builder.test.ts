import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { attr, buildModel, decodeModel, DEFAULT_OPSET, elemTypeCode } from '../../../src/main/core/inference/onnx-builder';

describe('buildModel', () => {
  it('builds a Gemm + Relu + ArgMax graph that ORT runs with the expected output', async () => {
    // A tiny MLP-style head: relu(x W^T + b), then argmax, with a symbolic batch dim.
    const W = Float32Array.from([1, 0, -1, 0, 2, 0]); // 2 x 3
    const b = Float32Array.from([0.5, -1]);
    const bytes = buildModel({
      inputs: [{ name: 'x', type: 'float32', shape: ['batch', 3] }],
      outputs: [
        { name: 'h', type: 'float32', shape: ['batch', 2] },
        { name: 'cls', type: 'int64', shape: ['batch'] },
      ],
      initializers: [
        { name: 'W', type: 'float32', dims: [2, 3], data: W },
        { name: 'b', type: 'float32', dims: [2], data: b },
      ],
      nodes: [
        { op: 'Gemm', inputs: ['x', 'W', 'b'], outputs: ['z'], attributes: { transB: attr.int(1), alpha: attr.float(1) } },
        { op: 'Relu', inputs: ['z'], outputs: ['h'] },
        { op: 'ArgMax', inputs: ['h'], outputs: ['cls'], attributes: { axis: attr.int(1), keepdims: attr.int(0) } },
      ],
    });
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
    try {
      expect(session.inputNames).toEqual(['x']);
      expect(session.outputNames).toEqual(['h', 'cls']);
      const x = Float32Array.from([1, 2, 3, 4, 0, 1, 0, 0, 0]);
      const out = await session.run({ x: new ort.Tensor('float32', x, [3, 3]) });
      // row0: [1-3+.5, 4-1] = [-1.5, 3] -> relu [0, 3]; row1: [4-1+.5, -1] -> [3.5, 0]; row2: [.5, -1] -> [.5, 0]
      expect(Array.from(out['h']!.data as Float32Array)).toEqual([0, 3, 3.5, 0, 0.5, 0]);
      expect(Array.from(out['cls']!.data as BigInt64Array)).toEqual([1n, 0n, 0n]);
      expect(out['h']!.dims).toEqual([3, 2]);
    } finally {
      await session.release();
    }
  });

  it('runs MatMul + TopK with an int64 constant and keeps lower indices first on ties', async () => {
    const bytes = buildModel({
      inputs: [{ name: 'q', type: 'float32', shape: ['n', 2] }],
      outputs: [
        { name: 'v', type: 'float32', shape: ['n', 3] },
        { name: 'i', type: 'int32', shape: ['n', 3] },
      ],
      initializers: [
        { name: 'B', type: 'float32', dims: [2, 5], data: Float32Array.from([1, 0, 1, 2, 1, 0, 1, 0, 0, 0]) },
        { name: 'k', type: 'int64', dims: [1], data: [3] },
      ],
      nodes: [
        { op: 'MatMul', inputs: ['q', 'B'], outputs: ['s'] },
        { op: 'TopK', inputs: ['s', 'k'], outputs: ['v', 'i64'], attributes: { axis: attr.int(-1) } },
        { op: 'Cast', inputs: ['i64'], outputs: ['i'], attributes: { to: attr.int(elemTypeCode('int32')) } },
      ],
      opset: 13,
    });
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ q: new ort.Tensor('float32', Float32Array.from([1, 0, 1, 1]), [2, 2]) });
    // scores row0 = [1,0,1,2,1]; row1 = [1,1,1,2,1]
    expect(Array.from(out['v']!.data as Float32Array)).toEqual([2, 1, 1, 2, 1, 1]);
    expect(Array.from(out['i']!.data as Int32Array)).toEqual([3, 0, 2, 3, 0, 1]);
    await session.release();
  });

  it('writes symbolic/unknown dims, opset imports and attribute kinds into the proto', () => {
    const bytes = buildModel({
      inputs: [{ name: 'a', type: 'float32', shape: ['n', null, 4] }],
      outputs: [{ name: 'b', type: 'float32', shape: ['n', null, 4] }],
      nodes: [
        {
          op: 'LeakyRelu',
          inputs: ['a'],
          outputs: ['b'],
          name: 'act',
          attributes: { alpha: attr.float(0.25) },
        },
      ],
      graphName: 'g',
    });
    const model = decodeModel(bytes);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', DEFAULT_OPSET]]);
    const dims = model.graph?.input?.[0]?.type?.tensorType?.shape?.dim ?? [];
    expect(dims).toHaveLength(3);
    expect(dims[0]?.dimParam).toBe('n');
    // An unknown dim sets neither member of the dim_value/dim_param oneof.
    expect(dims[1]?.dimParam ?? '').toBe('');
    expect(Number(dims[1]?.dimValue ?? 0)).toBe(0);
    expect(Number(dims[2]?.dimValue)).toBe(4);
    const node = model.graph?.node?.[0];
    expect(node?.name).toBe('act');
    expect(node?.attribute?.[0]?.f).toBeCloseTo(0.25);
    expect(model.graph!.name).toBe('g');
  });

  it('rejects initializers whose data does not match dims or type', () => {
    const base = {
      inputs: [{ name: 'x', type: 'float32' as const, shape: [2] }],
      outputs: [{ name: 'y', type: 'float32' as const, shape: [2] }],
      nodes: [{ op: 'Add', inputs: ['x', 'c'], outputs: ['y'] }],
    };
    expect(() =>
      buildModel({ ...base, initializers: [{ name: 'c', type: 'float32', dims: [3], data: new Float32Array(2) }] }),
    ).toThrow(/expected 3/);
    expect(() =>
      buildModel({ ...base, initializers: [{ name: 'c', type: 'float32', dims: [2], data: new Int32Array(2) }] }),
    ).toThrow(/must be a Float32Array, got Int32Array/);
    expect(() =>
      buildModel({ ...base, initializers: [{ name: 'x', type: 'float32', dims: [2], data: new Float32Array(2) }] }),
    ).toThrow(/duplicate/);
    // Node Buffers are Uint8Arrays underneath and are fine as uint8 payloads.
    const u8 = {
      inputs: [{ name: 'x', type: 'uint8' as const, shape: [2] }],
      outputs: [{ name: 'y', type: 'uint8' as const, shape: [2] }],
      nodes: [{ op: 'Add', inputs: ['x', 'c'], outputs: ['y'] }],
    };
    expect(buildModel({ ...u8, initializers: [{ name: 'c', type: 'uint8', dims: [2], data: Buffer.from([1, 2]) }] })).toBeInstanceOf(
      Uint8Array,
    );
  });
});
