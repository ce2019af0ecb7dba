/**
 * Minimal helpers to assemble ONNX models in memory with onnx-proto's protobufjs
 * classes, so that small pure-math graphs (kNN, later an MLP head) can be handed
 * straight to onnxruntime without shipping .onnx files or a Python toolchain.
 */
// onnx-proto is a CommonJS protobufjs bundle whose `onnx` namespace is attached at
// runtime, so Node's ESM loader cannot see it as a named export: take the default.
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

const { onnx } = onnxProto;

export type ElemType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool';

const ELEM_TYPE_CODES: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int8: onnx.TensorProto.DataType.INT8,
  uint16: onnx.TensorProto.DataType.UINT16,
  int16: onnx.TensorProto.DataType.INT16,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
  float16: onnx.TensorProto.DataType.FLOAT16,
  float64: onnx.TensorProto.DataType.DOUBLE,
  uint32: onnx.TensorProto.DataType.UINT32,
  uint64: onnx.TensorProto.DataType.UINT64,
};

/**
 * Typed array that must carry each element type. Checked by constructor, not just
 * element width, so an Int32Array handed in as float32 fails loudly instead of being
 * reinterpreted bit for bit.
 */
const TYPED_ARRAY_FOR: Record<ElemType, string> = {
  float32: 'Float32Array',
  float64: 'Float64Array',
  float16: 'Uint16Array',
  int8: 'Int8Array',
  uint8: 'Uint8Array',
  int16: 'Int16Array',
  uint16: 'Uint16Array',
  int32: 'Int32Array',
  uint32: 'Uint32Array',
  int64: 'BigInt64Array',
  uint64: 'BigUint64Array',
  bool: 'Uint8Array',
};

export function elemTypeCode(type: ElemType): number {
  return ELEM_TYPE_CODES[type];
}

/**
 * One dimension of a graph input/output: a fixed size, a symbolic name (shared names
 * mean "same size" to ORT's shape inference) or null for "unknown, unnamed".
 */
export type Dim = number | string | null;

export interface ValueSpec {
  name: string;
  type: ElemType;
  shape: Dim[];
}

/**
 * Attributes are tagged explicitly because a JS number cannot tell an INT attribute
 * (TopK's `axis`) from a FLOAT one (Gemm's `alpha`), and ORT rejects the wrong kind.
 */
export type AttributeValue =
  | { int: number }
  | { float: number }
  | { string: string }
  | { ints: number[] }
  | { floats: number[] }
  | { strings: string[] }
  | { tensor: InitializerSpec };

export const attr = {
  int: (value: number): AttributeValue => ({ int: value }),
  float: (value: number): AttributeValue => ({ float: value }),
  string: (value: string): AttributeValue => ({ string: value }),
  ints: (values: number[]): AttributeValue => ({ ints: values }),
  floats: (values: number[]): AttributeValue => ({ floats: values }),
  strings: (values: string[]): AttributeValue => ({ strings: values }),
  tensor: (value: InitializerSpec): AttributeValue => ({ tensor: value }),
};

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  /** Operator domain; '' (default) is the standard ai.onnx domain. */
  domain?: string;
  attributes?: Record<string, AttributeValue>;
}

export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

export interface InitializerSpec {
  name: string;
  type: ElemType;
  dims: number[];
  /**
   * Element data in row-major order. For int64 a plain number[] is accepted as a
   * convenience for small constants (shapes, k); float16/bool take their raw bit
   * patterns in a Uint16Array/Uint8Array.
   */
  data: TensorData | number[];
}

export interface OpsetImport {
  domain: string;
  version: number;
}

export interface ModelSpec {
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  nodes: NodeSpec[];
  initializers?: InitializerSpec[];
  /** Default-domain opset version, or a full list of imports. Defaults to 17. */
  opset?: number | OpsetImport[];
  graphName?: string;
  docString?: string;
  /**
   * IR version 8 is the newest the bundled onnx-proto schema (ONNX 1.10) describes;
   * onnxruntime accepts it together with newer opsets.
   */
  irVersion?: number;
}

export const DEFAULT_OPSET = 17;
const PRODUCER_NAME = 'winnow';

function makeDim(dim: Dim): OnnxTypes.TensorShapeProto.IDimension {
  if (dim === null) return {};
  if (typeof dim === 'string') return { dimParam: dim };
  if (!Number.isInteger(dim) || dim < 0) throw new Error(`invalid fixed dimension ${dim}`);
  return { dimValue: dim };
}

function makeValueInfo(spec: ValueSpec): OnnxTypes.IValueInfoProto {
  return {
    name: spec.name,
    type: {
      tensorType: {
        elemType: elemTypeCode(spec.type),
        shape: { dim: spec.shape.map(makeDim) },
      },
    },
  };
}

function elementCount(dims: number[]): number {
  let n = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`invalid initializer dimension ${d}`);
    n *= d;
  }
  return n;
}

function toLittleEndianBytes(spec: InitializerSpec): Uint8Array {
  const { data, type } = spec;
  let view: TensorData;
  if (Array.isArray(data)) {
    // Plain arrays are only sensible for small constants; map them to the typed
    // array that matches the declared element type.
    switch (type) {
      case 'int64':
        view = BigInt64Array.from(data, (v) => BigInt(Math.trunc(v)));
        break;
      case 'uint64':
        view = BigUint64Array.from(data, (v) => BigInt(Math.trunc(v)));
        break;
      case 'int32':
        view = Int32Array.from(data);
        break;
      case 'uint32':
        view = Uint32Array.from(data);
        break;
      case 'int16':
        view = Int16Array.from(data);
        break;
      case 'uint16':
      case 'float16':
        view = Uint16Array.from(data);
        break;
      case 'int8':
        view = Int8Array.from(data);
        break;
      case 'uint8':
      case 'bool':
        view = Uint8Array.from(data);
        break;
      case 'float64':
        view = Float64Array.from(data);
        break;
      case 'float32':
        view = Float32Array.from(data);
        break;
    }
  } else {
    view = data;
  }
  // The toStringTag names the underlying typed array kind even for subclasses such
  // as Node's Buffer, and survives values coming from another realm.
  const kind = view[Symbol.toStringTag];
  if (kind !== TYPED_ARRAY_FOR[type]) {
    throw new Error(`initializer ${spec.name}: ${type} data must be a ${TYPED_ARRAY_FOR[type]}, got ${kind}`);
  }
  const expected = elementCount(spec.dims);
  if (view.length !== expected) {
    throw new Error(
      `initializer ${spec.name}: ${view.length} elements for dims [${spec.dims.join(', ')}] (expected ${expected})`,
    );
  }
  // ONNX raw_data is little-endian; typed arrays use host order, which is
  // little-endian on every platform Electron/onnxruntime ship for.
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function makeTensor(spec: InitializerSpec): OnnxTypes.ITensorProto {
  return {
    name: spec.name,
    dataType: elemTypeCode(spec.type),
    dims: spec.dims,
    rawData: toLittleEndianBytes(spec),
  };
}

function makeAttribute(name: string, value: AttributeValue): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  const enc = new TextEncoder();
  if ('int' in value) return { name, type: T.INT, i: value.int };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  if ('string' in value) return { name, type: T.STRING, s: enc.encode(value.string) };
  if ('ints' in value) return { name, type: T.INTS, ints: value.ints };
  if ('floats' in value) return { name, type: T.FLOATS, floats: value.floats };
  if ('strings' in value) {
    return { name, type: T.STRINGS, strings: value.strings.map((s) => enc.encode(s)) };
  }
  return { name, type: T.TENSOR, t: makeTensor(value.tensor) };
}

function makeNode(spec: NodeSpec, index: number): OnnxTypes.INodeProto {
  return {
    name: spec.name ?? `${spec.op}_${index}`,
    opType: spec.op,
    domain: spec.domain ?? '',
    input: spec.inputs,
    output: spec.outputs,
    attribute: Object.entries(spec.attributes ?? {}).map(([k, v]) => makeAttribute(k, v)),
  };
}

function opsetImports(opset: ModelSpec['opset']): OpsetImport[] {
  if (opset === undefined) return [{ domain: '', version: DEFAULT_OPSET }];
  if (typeof opset === 'number') return [{ domain: '', version: opset }];
  return opset;
}

/** Assemble the ModelProto message without encoding it (useful for inspection). */
export function buildModelProto(spec: ModelSpec): OnnxTypes.ModelProto {
  const names = new Set<string>();
  for (const v of [...spec.inputs, ...(spec.initializers ?? [])]) {
    if (names.has(v.name)) throw new Error(`duplicate graph value name ${v.name}`);
    names.add(v.name);
  }
  const graph: OnnxTypes.IGraphProto = {
    name: spec.graphName ?? 'graph',
    docString: spec.docString ?? '',
    input: spec.inputs.map(makeValueInfo),
    output: spec.outputs.map(makeValueInfo),
    node: spec.nodes.map(makeNode),
    initializer: (spec.initializers ?? []).map(makeTensor),
  };
  return onnx.ModelProto.create({
    irVersion: spec.irVersion ?? 8,
    producerName: PRODUCER_NAME,
    opsetImport: opsetImports(spec.opset),
    graph,
  });
}

/** Serialised ONNX model, ready for `InferenceSession.create(bytes)`. */
export function buildModel(spec: ModelSpec): Uint8Array {
  return onnx.ModelProto.encode(buildModelProto(spec)).finish();
}

/** Decode model bytes again; mainly for tests and debugging. */
export function decodeModel(bytes: Uint8Array): OnnxTypes.ModelProto {
  return onnx.ModelProto.decode(bytes);
}
