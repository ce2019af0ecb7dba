import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import { WinnowError } from '../../../src/shared/errors';
import { buildModel, type Dim, type ElemType, type NodeSpec, type ValueSpec } from '../../../src/main/core/inference/onnx-builder';
import type { RelationExample } from '../../../src/main/core/model/encoded-batch';
import { markEntities } from '../../../src/main/core/model/entity-markers';
import { loadModelPackage, type SegmentFeatureEncoder } from '../../../src/main/core/model/package-loader';
import { runModel } from '../../../src/main/core/model/run-model';
import { chooseTruncationWindow } from '../../../src/main/core/model/truncation-window';
import { encodeTransformerBatch } from '../../../src/main/core/model/transformer-encoder';
import { tempDir } from '../../helpers/temp-dir';

// ---------------------------------------------------------------- fixtures

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
const MARKERS = ['[E1]', '[/E1]', '[E2]', '[/E2]', '[S:PERSON]', '[/S:PERSON]', '[O:CITY]', '[/O:CITY]', '[O:PERSON]', '[/O:PERSON]'];
const WORDS = ['ada', 'lovelace', 'was', 'born', 'in', 'london', 'paris', 'charles', 'babbage', 'worked', 'with', 'a', 'the', 'and', '.', 'very', 'long', 'sentence'];
const VOCAB = [...SPECIALS, ...MARKERS, ...WORDS];
const ID = new Map(VOCAB.map((t, i) => [t, i]));
const LABELS = ['no_relation', 'per:city_of_birth', 'per:colleague'];
const DIM = 4;

/** A BERT-like WordLevel tokenizer.json: lowercases, splits on whitespace, adds [CLS] ... [SEP]. */
function tokenizerJson(): Record<string, unknown> {
  // Marker tokens are added tokens, as `tokenizer.add_tokens([...])` leaves them: never split or lowercased.
  const added = (content: string) => ({ id: ID.get(content)!, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: SPECIALS.includes(content) });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [...SPECIALS, ...MARKERS].map(added),
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [ID.get('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [ID.get('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: null,
    model: { type: 'WordLevel', vocab: Object.fromEntries(ID), unk_token: '[UNK]' },
  };
}

function tokenizer(): Tokenizer {
  return new Tokenizer(tokenizerJson(), { unk_token: '[UNK]' });
}

/** Deterministic pseudo-random weights so that every token and label matters. */
function weights(count: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  });
}
const EMBEDDINGS = weights(VOCAB.length * DIM, 7);
const W = weights(DIM * LABELS.length, 11);
const B = weights(LABELS.length, 13);

interface GraphOptions {
  labels?: number;
  logitsWidth?: Dim;
  sequence?: Dim;
  batch?: Dim;
  idsName?: string;
  idsType?: ElemType;
  withMask?: boolean;
  logitsName?: string;
  embeddingName?: string;
}

/** input_ids -> Gather -> mean over unmasked positions (the embedding) -> MatMul + Add (the logits). */
function transformerLikeModel(options: GraphOptions = {}): Uint8Array {
  const k = options.labels ?? LABELS.length;
  const batch = options.batch ?? 'batch';
  const seq = options.sequence ?? 'seq';
  const ids = options.idsName ?? 'input_ids';
  const idsType = options.idsType ?? 'int64';
  const withMask = options.withMask ?? true;
  const logits = options.logitsName ?? 'logits';
  const embedding = options.embeddingName ?? 'pooled';
  const inputs: ValueSpec[] = [{ name: ids, type: idsType, shape: [batch, seq] }];
  if (withMask) inputs.push({ name: 'attention_mask', type: 'int64', shape: [batch, seq] });
  const nodes: NodeSpec[] = [
    { op: 'Gather', inputs: ['E', ids], outputs: ['emb'] },
    ...(withMask
      ? [
          { op: 'Cast', inputs: ['attention_mask'], outputs: ['maskf'], attributes: { to: { int: 1 } } },
          { op: 'Unsqueeze', inputs: ['maskf', 'axis2'], outputs: ['mask3'] },
          { op: 'Mul', inputs: ['emb', 'mask3'], outputs: ['masked'] },
          { op: 'ReduceSum', inputs: ['masked', 'axis1'], outputs: ['total'], attributes: { keepdims: { int: 0 } } },
          { op: 'ReduceSum', inputs: ['maskf', 'axis1'], outputs: ['count'], attributes: { keepdims: { int: 1 } } },
          { op: 'Div', inputs: ['total', 'count'], outputs: [embedding] },
        ]
      : [{ op: 'ReduceMean', inputs: ['emb'], outputs: [embedding], attributes: { axes: { ints: [1] }, keepdims: { int: 0 } } }]),
    { op: 'MatMul', inputs: [embedding, 'W'], outputs: ['xw'] },
    { op: 'Add', inputs: ['xw', 'B'], outputs: [logits] },
  ];
  return buildModel({
    inputs,
    outputs: [
      { name: logits, type: 'float32', shape: [batch, options.logitsWidth === undefined ? k : options.logitsWidth] },
      { name: embedding, type: 'float32', shape: [batch, DIM] },
    ],
    initializers: [
      { name: 'E', type: 'float32', dims: [VOCAB.length, DIM], data: EMBEDDINGS },
      { name: 'W', type: 'float32', dims: [DIM, k], data: k === LABELS.length ? W : weights(DIM * k, 11) },
      { name: 'B', type: 'float32', dims: [k], data: k === LABELS.length ? B : weights(k, 13) },
      ...(withMask
        ? [
            { name: 'axis1', type: 'int64' as const, dims: [1], data: [1] },
            { name: 'axis2', type: 'int64' as const, dims: [1], data: [2] },
          ]
        : []),
    ],
    nodes,
    // ReduceMean still takes `axes` as an attribute at opset 17; ReduceSum/Unsqueeze take inputs.
    opset: 17,
  });
}

function manifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'winnow-model/1',
    name: 'test transformer',
    labels: LABELS,
    negativeLabel: 'no_relation',
    input: {
      kind: 'transformer',
      maxLength: 32,
      entityMarkers: { style: 'plain' },
      inputNames: { inputIds: 'input_ids', attentionMask: 'attention_mask', tokenTypeIds: null },
    },
    outputs: { logits: 'logits', embedding: 'pooled' },
    ...overrides,
  };
}

function writePackage(options: { manifest?: unknown; manifestText?: string; model?: Uint8Array; skip?: string[] } = {}): string {
  const dir = path.join(tempDir(), 'my-model');
  fs.mkdirSync(dir);
  const skip = new Set(options.skip ?? []);
  if (!skip.has('winnow-model.json')) {
    fs.writeFileSync(path.join(dir, 'winnow-model.json'), options.manifestText ?? JSON.stringify(options.manifest ?? manifest(), null, 2));
  }
  if (!skip.has('tokenizer.json')) fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson()));
  if (!skip.has('model.onnx')) fs.writeFileSync(path.join(dir, 'model.onnx'), options.model ?? transformerLikeModel());
  return dir;
}

function example(tokens: string[], subj: [number, number], obj: [number, number], subjType = 'PERSON', objType = 'CITY'): RelationExample {
  return { tokens, subjStart: subj[0], subjEnd: subj[1], objStart: obj[0], objEnd: obj[1], subjType, objType };
}

const EXAMPLES: RelationExample[] = [
  example(['Ada', 'Lovelace', 'was', 'born', 'in', 'London', '.'], [0, 1], [5, 5]),
  example(['Charles', 'Babbage', 'worked', 'with', 'Ada', 'Lovelace'], [0, 1], [4, 5], 'PERSON', 'PERSON'),
  example(['Babbage', 'was', 'born', 'in', 'Paris'], [0, 0], [4, 4]),
  example(['London'], [0, 0], [0, 0]),
  example(['the', 'very', 'long', 'sentence', 'with', 'Ada', 'and', 'a', 'Zebra', 'in', 'Paris', '.'], [5, 5], [10, 10]),
];

async function loadError(dir: string): Promise<WinnowError> {
  try {
    const loaded = await loadModelPackage(dir, { providers: ['cpu'] });
    await loaded.close();
  } catch (error) {
    expect(error).toBeInstanceOf(WinnowError);
    return error as WinnowError;
  }
  throw new Error('expected the package to be refused');
}

function decode(ids: BigInt64Array, from: number, to: number): string[] {
  return Array.from(ids.subarray(from, to), (id) => VOCAB[Number(id)]!);
}

// ---------------------------------------------------------------- loading and running

describe('loadModelPackage + runModel: a valid package', () => {
  it('loads, reports provider and hash, and runs with probabilities that sum to 1', async () => {
    const dir = writePackage();
    const loaded = await loadModelPackage(dir, { providers: ['cpu'] });
    try {
      expect(loaded.provider).toBe('cpu');
      expect(loaded.skipped).toEqual([]);
      expect(loaded.hash).toBe(crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, 'model.onnx'))).digest('hex'));
      expect(loaded.embeddingDim).toBe(DIM);
      const progress: number[] = [];
      const out = await runModel(loaded, EXAMPLES, { batchSize: 2, onProgress: (p) => progress.push(p.done) });
      const k = LABELS.length;
      expect(out.probs).toHaveLength(EXAMPLES.length * k);
      expect(out.embedding).toHaveLength(EXAMPLES.length * DIM);
      expect(out.embeddingDim).toBe(DIM);
      expect(progress).toEqual([0, 2, 4, 5]);
      for (let r = 0; r < EXAMPLES.length; r++) {
        const row = Array.from(out.probs.subarray(r * k, r * k + k));
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        expect(out.predictions[r]).toBe(row.indexOf(Math.max(...row)));
      }
    } finally {
      await loaded.close();
    }
  });

  it('computes what the graph means: softmax of the masked mean embedding times W plus b', async () => {
    const loaded = await loadModelPackage(writePackage(), { providers: ['cpu'] });
    try {
      const ex = EXAMPLES[0]!;
      const out = await runModel(loaded, [ex]);
      // [CLS] [E1] ada lovelace [/E1] was born in [E2] london [/E2] . [SEP]
      const pieces = ['[CLS]', '[E1]', 'ada', 'lovelace', '[/E1]', 'was', 'born', 'in', '[E2]', 'london', '[/E2]', '.', '[SEP]'];
      const mean = new Float64Array(DIM);
      for (const piece of pieces) for (let d = 0; d < DIM; d++) mean[d]! += EMBEDDINGS[ID.get(piece)! * DIM + d]! / pieces.length;
      const logits = LABELS.map((_, j) => B[j]! + Array.from(mean).reduce((s, v, d) => s + v * W[d * LABELS.length + j]!, 0));
      const max = Math.max(...logits);
      const exps = logits.map((l) => Math.exp(l - max));
      const sum = exps.reduce((a, b) => a + b, 0);
      exps.forEach((e, j) => expect(out.probs[j]).toBeCloseTo(e / sum, 5));
      Array.from(mean).forEach((v, d) => expect(out.embedding![d]).toBeCloseTo(v, 5));
    } finally {
      await loaded.close();
    }
  });

  it('gives the same result batched as in one batch (padding is masked)', async () => {
    const loaded = await loadModelPackage(writePackage(), { providers: ['cpu'] });
    try {
      const whole = await runModel(loaded, EXAMPLES, { batchSize: 100 });
      for (const batchSize of [1, 2, 3]) {
        const batched = await runModel(loaded, EXAMPLES, { batchSize });
        Array.from(whole.probs).forEach((p, i) => expect(batched.probs[i]).toBeCloseTo(p, 6));
        Array.from(whole.embedding!).forEach((v, i) => expect(batched.embedding![i]).toBeCloseTo(v, 6));
        expect(Array.from(batched.predictions)).toEqual(Array.from(whole.predictions));
      }
    } finally {
      await loaded.close();
    }
  });

  it('runs models with a fixed batch size, a fixed sequence length and int32 ids', async () => {
    const reference = await loadModelPackage(writePackage(), { providers: ['cpu'] });
    const expected = await runModel(reference, EXAMPLES, { batchSize: 3 });
    await reference.close();
    const fixed = await loadModelPackage(writePackage({ model: transformerLikeModel({ batch: 2, sequence: 40 }) }), { providers: ['cpu'] });
    try {
      const out = await runModel(fixed, EXAMPLES, { batchSize: 3 });
      expect(fixed.encode(EXAMPLES.slice(0, 1)).feeds['input_ids']!.dims).toEqual([1, 40]);
      Array.from(expected.probs).forEach((p, i) => expect(out.probs[i]).toBeCloseTo(p, 6));
    } finally {
      await fixed.close();
    }
    const int32 = await loadModelPackage(writePackage({ model: transformerLikeModel({ idsType: 'int32' }) }), { providers: ['cpu'] });
    try {
      const out = await runModel(int32, EXAMPLES);
      Array.from(expected.probs).forEach((p, i) => expect(out.probs[i]).toBeCloseTo(p, 6));
    } finally {
      await int32.close();
    }
  });

  it('honours outputsAreProbabilities and a package without an embedding output', async () => {
    const dir = writePackage({ manifest: manifest({ outputs: { logits: 'logits', embedding: null }, outputsAreProbabilities: true }) });
    const loaded = await loadModelPackage(dir, { providers: ['cpu'] });
    try {
      const out = await runModel(loaded, EXAMPLES.slice(0, 2));
      expect(out.embedding).toBeNull();
      expect(out.embeddingDim).toBe(0);
      // Raw logits pass through untouched, so the rows do not sum to 1 here.
      expect(Math.abs(out.probs[0]! + out.probs[1]! + out.probs[2]! - 1)).toBeGreaterThan(1e-3);
    } finally {
      await loaded.close();
    }
  });

  it('stops between batches when cancelled', async () => {
    const loaded = await loadModelPackage(writePackage(), { providers: ['cpu'] });
    const controller = new AbortController();
    try {
      await expect(
        runModel(loaded, EXAMPLES, { batchSize: 1, signal: controller.signal, onProgress: (p) => p.done === 2 && controller.abort() }),
      ).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      await loaded.close();
    }
  });
});

// ---------------------------------------------------------------- refusals

describe('loadModelPackage: a package that does not match its model is refused with file, field and both values', () => {
  it('a logits output name the model does not have', async () => {
    const error = await loadError(writePackage({ manifest: manifest({ outputs: { logits: 'scores', embedding: 'pooled' } }) }));
    expect(error.code).toBe('INVALID_FILE');
    expect(error.message).toMatch(/my-model\/winnow-model\.json: outputs\.logits "scores" is not an output of model\.onnx \(outputs: logits, pooled\)/);
  });

  it('an embedding output name the model does not have', async () => {
    const error = await loadError(writePackage({ manifest: manifest({ outputs: { logits: 'logits', embedding: 'cls' } }) }));
    expect(error.message).toMatch(/winnow-model\.json: outputs\.embedding "cls" is not an output of model\.onnx \(outputs: logits, pooled\)/);
  });

  it('a label count that differs from a static logits width', async () => {
    const error = await loadError(writePackage({ model: transformerLikeModel({ labels: 5 }) }));
    expect(error.message).toMatch(/my-model\/winnow-model\.json: labels has 3 entries but model\.onnx's logits output "logits" has width 5/);
  });

  it('a label count that differs from a dynamic logits width (found by a check run)', async () => {
    const error = await loadError(writePackage({ model: transformerLikeModel({ labels: 5, logitsWidth: 'labels' }) }));
    expect(error.message).toMatch(/winnow-model\.json: labels has 3 entries but model\.onnx's logits output "logits" has width 5/);
  });

  it('an input name the model does not have', async () => {
    const error = await loadError(writePackage({ model: transformerLikeModel({ idsName: 'ids' }) }));
    expect(error.message).toMatch(/winnow-model\.json: input\.inputNames\.inputIds "input_ids" is not an input of model\.onnx \(inputs: ids, attention_mask\)/);
  });

  it('a model input the manifest leaves unfed', async () => {
    const unfed = manifest();
    (unfed['input'] as { inputNames: Record<string, unknown> }).inputNames['attentionMask'] = null;
    const error = await loadError(writePackage({ manifest: unfed }));
    expect(error.message).toMatch(/winnow-model\.json: model\.onnx requires input "attention_mask" but the manifest does not feed it .*input\.inputNames\.attentionMask/);
  });

  it('a maxLength beyond the model\'s fixed sequence length', async () => {
    const error = await loadError(writePackage({ model: transformerLikeModel({ sequence: 16 }) }));
    expect(error.message).toMatch(/winnow-model\.json: input\.maxLength is 32 but model\.onnx's inputs have a fixed length of 16/);
  });

  it('malformed JSON', async () => {
    const error = await loadError(writePackage({ manifestText: '{"format": "winnow-model/1", "labels": [' }));
    expect(error.code).toBe('INVALID_FILE');
    expect(error.message).toMatch(/my-model\/winnow-model\.json: not valid JSON/);
  });

  it.each([
    ['labels', (m: Record<string, unknown>) => delete m['labels'], /winnow-model\.json: labels is missing/],
    ['input.maxLength', (m: Record<string, unknown>) => delete (m['input'] as Record<string, unknown>)['maxLength'], /winnow-model\.json: input\.maxLength is missing/],
    ['outputs.logits', (m: Record<string, unknown>) => delete (m['outputs'] as Record<string, unknown>)['logits'], /winnow-model\.json: outputs\.logits is missing/],
    ['input.kind', (m: Record<string, unknown>) => ((m['input'] as Record<string, unknown>)['kind'] = 'bert'), /winnow-model\.json: input\.kind is "bert": .*transformer/],
    ['labels[1]', (m: Record<string, unknown>) => ((m['labels'] as unknown[])[1] = 7), /winnow-model\.json: labels\[1\] is 7: .*expected string/],
    ['negativeLabel', (m: Record<string, unknown>) => (m['negativeLabel'] = 'other'), /winnow-model\.json: negativeLabel is "other": negativeLabel must be one of labels/],
  ])('a missing or wrong field: %s', async (_field, change, pattern) => {
    const broken = structuredClone(manifest());
    change(broken);
    const error = await loadError(writePackage({ manifest: broken }));
    expect(error.code).toBe('INVALID_FILE');
    expect(error.message).toMatch(pattern);
  });

  it.each(['winnow-model.json', 'tokenizer.json', 'model.onnx'])('a missing %s', async (file) => {
    const error = await loadError(writePackage({ skip: [file] }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain(`my-model/${file}: file not found`);
  });

  it('a model.onnx that is not a model', async () => {
    const error = await loadError(writePackage({ model: new TextEncoder().encode('not a protobuf at all') }));
    expect(error.code).toBe('INVALID_FILE');
    expect(error.message).toMatch(/my-model\/model\.onnx: onnxruntime could not load the model/);
  });
});

// ---------------------------------------------------------------- segment features

describe('loadModelPackage: segment-features packages', () => {
  const segmentManifest = () =>
    manifest({ input: { kind: 'segment-features', featureSet: 'winnow-segment-bow/1', maxFeatures: 6, inputName: 'feature_ids' }, outputs: { logits: 'logits', embedding: 'pooled' } });
  const segmentModel = () => transformerLikeModel({ idsName: 'feature_ids', withMask: false, sequence: 6 });

  it('are refused without the built-in encoder, with a clear reason', async () => {
    const error = await loadError(writePackage({ manifest: segmentManifest(), model: segmentModel() }));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toMatch(/winnow-model\.json: input\.kind "segment-features".*needs the built-in feature encoder/);
  });

  it('run through an injected encoder', async () => {
    const encoder: SegmentFeatureEncoder = (examples, context) => {
      const width = context.input.maxFeatures;
      const data = new BigInt64Array(examples.length * width).fill(BigInt(context.padId));
      examples.forEach((ex, row) => {
        ex.tokens.slice(0, width).forEach((token, k) => {
          data[row * width + k] = BigInt(context.tokenizer.token_to_id(token.toLowerCase()) ?? 1);
        });
      });
      return { size: examples.length, feeds: { [context.input.inputName]: { type: 'int64', data, dims: [examples.length, width] } } };
    };
    const loaded = await loadModelPackage(writePackage({ manifest: segmentManifest(), model: segmentModel() }), { providers: ['cpu'], encodeSegmentFeatures: encoder });
    try {
      const out = await runModel(loaded, EXAMPLES, { batchSize: 2 });
      expect(out.probs).toHaveLength(EXAMPLES.length * LABELS.length);
      expect(out.probs[0]! + out.probs[1]! + out.probs[2]!).toBeCloseTo(1, 5);
    } finally {
      await loaded.close();
    }
  });
});

// ---------------------------------------------------------------- encoding

describe('entity markers', () => {
  const ex = example(['Ada', 'Lovelace', 'was', 'born', 'in', 'London'], [0, 1], [5, 5]);
  const input = (entityMarkers: Record<string, unknown>) =>
    ({
      kind: 'transformer',
      maxLength: 64,
      entityMarkers,
      inputNames: { inputIds: 'input_ids', attentionMask: 'attention_mask', tokenTypeIds: null },
    }) as never;

  it('typed: the templates with {type} replaced by each entity type', () => {
    const markers = { style: 'typed', subjStart: '[S:{type}]', subjEnd: '[/S:{type}]', objStart: '[O:{type}]', objEnd: '[/O:{type}]' } as const;
    const marked = markEntities(ex, markers);
    expect(marked.words).toEqual(['[S:PERSON]', 'Ada', 'Lovelace', '[/S:PERSON]', 'was', 'born', 'in', '[O:CITY]', 'London', '[/O:CITY]']);
    expect(marked.subj).toEqual({ start: 0, end: 3 });
    expect(marked.obj).toEqual({ start: 7, end: 9 });
    const batch = encodeTransformerBatch(tokenizer(), { input: input(markers) }, [ex]);
    const ids = batch.feeds['input_ids']!.data as BigInt64Array;
    expect(decode(ids, 0, ids.length)).toEqual(['[CLS]', '[S:PERSON]', 'ada', 'lovelace', '[/S:PERSON]', 'was', 'born', 'in', '[O:CITY]', 'london', '[/O:CITY]', '[SEP]']);
  });

  it('plain: the fixed markers, object before subject when it comes first', () => {
    const markers = { style: 'plain', subjStart: '[E1]', subjEnd: '[/E1]', objStart: '[E2]', objEnd: '[/E2]' } as const;
    const reversed = example(['London', 'is', 'where', 'Ada', 'was', 'born'], [3, 3], [0, 0]);
    expect(markEntities(reversed, markers).words).toEqual(['[E2]', 'London', '[/E2]', 'is', 'where', '[E1]', 'Ada', '[/E1]', 'was', 'born']);
    const batch = encodeTransformerBatch(tokenizer(), { input: input(markers) }, [ex]);
    const ids = batch.feeds['input_ids']!.data as BigInt64Array;
    expect(decode(ids, 0, ids.length)).toEqual(['[CLS]', '[E1]', 'ada', 'lovelace', '[/E1]', 'was', 'born', 'in', '[E2]', 'london', '[/E2]', '[SEP]']);
  });

  it('none: the sentence as it is', () => {
    const markers = { style: 'none', subjStart: '[E1]', subjEnd: '[/E1]', objStart: '[E2]', objEnd: '[/E2]' } as const;
    const marked = markEntities(ex, markers);
    expect(marked.words).toEqual(ex.tokens);
    expect(marked.subj).toEqual({ start: 0, end: 1 });
    expect(marked.obj).toEqual({ start: 5, end: 5 });
  });

  it('pads to the longest sequence with an attention mask, and fills token_type_ids when named', () => {
    const markers = { style: 'none', subjStart: '', subjEnd: '', objStart: '', objEnd: '' };
    const manifestInput = input(markers) as { inputNames: Record<string, unknown> };
    manifestInput.inputNames['tokenTypeIds'] = 'token_type_ids';
    const batch = encodeTransformerBatch(tokenizer(), { input: manifestInput as never }, [ex, example(['London'], [0, 0], [0, 0])], { padId: 0 });
    expect(batch.size).toBe(2);
    expect(batch.feeds['input_ids']!.dims).toEqual([2, 8]);
    expect(Array.from(batch.feeds['attention_mask']!.data as BigInt64Array)).toEqual([1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n, 0n, 0n, 0n, 0n, 0n]);
    expect(decode(batch.feeds['input_ids']!.data as BigInt64Array, 8, 16)).toEqual(['[CLS]', 'london', '[SEP]', '[PAD]', '[PAD]', '[PAD]', '[PAD]', '[PAD]']);
    expect(Array.from(batch.feeds['token_type_ids']!.data as BigInt64Array).every((v) => v === 0n)).toBe(true);
  });

  it('maps unknown words to [UNK]', () => {
    const markers = { style: 'none', subjStart: '', subjEnd: '', objStart: '', objEnd: '' };
    const batch = encodeTransformerBatch(tokenizer(), { input: input(markers) }, [example(['Ada', 'met', 'Zebras'], [0, 0], [2, 2])]);
    expect(decode(batch.feeds['input_ids']!.data as BigInt64Array, 0, 5)).toEqual(['[CLS]', 'ada', '[UNK]', '[UNK]', '[SEP]']);
  });
});

describe('truncation keeps both entities', () => {
  const long = [...Array<string>(20).fill('very'), 'Ada', 'was', 'born', 'in', 'Paris', ...Array<string>(20).fill('long')];
  const ex = example(long, [20, 20], [24, 24]);
  const input = (maxLength: number) =>
    ({
      kind: 'transformer',
      maxLength,
      entityMarkers: { style: 'plain', subjStart: '[E1]', subjEnd: '[/E1]', objStart: '[E2]', objEnd: '[/E2]' },
      inputNames: { inputIds: 'input_ids', attentionMask: null, tokenTypeIds: null },
    }) as never;

  it('centres the window on the entities when they fit', () => {
    const batch = encodeTransformerBatch(tokenizer(), { input: input(15) }, [ex]);
    const ids = batch.feeds['input_ids']!.data as BigInt64Array;
    expect(batch.feeds['input_ids']!.dims).toEqual([1, 15]);
    // 13 pieces of budget: the 9-word marked block plus two words of context on each side.
    expect(decode(ids, 0, 15)).toEqual(['[CLS]', 'very', 'very', '[E1]', 'ada', '[/E1]', 'was', 'born', 'in', '[E2]', 'paris', '[/E2]', 'long', 'long', '[SEP]']);
  });

  it('drops words between the entities when even those do not fit', () => {
    const batch = encodeTransformerBatch(tokenizer(), { input: input(10) }, [ex]);
    expect(decode(batch.feeds['input_ids']!.data as BigInt64Array, 0, 10)).toEqual(['[CLS]', '[E1]', 'ada', '[/E1]', 'was', 'in', '[E2]', 'paris', '[/E2]', '[SEP]']);
  });

  it('chooseTruncationWindow: rules 1 to 3 on piece counts', () => {
    const costs = [1, 1, 2, 1, 1, 1, 1, 3, 1, 1];
    expect(chooseTruncationWindow(costs, { start: 3, end: 3 }, { start: 5, end: 5 }, 6)).toEqual([2, 3, 4, 5, 6]);
    expect(chooseTruncationWindow(costs, { start: 5, end: 5 }, { start: 0, end: 1 }, 4)).toEqual([0, 1, 4, 5]);
    expect(chooseTruncationWindow(costs, { start: 0, end: 1 }, { start: 8, end: 9 }, 6)).toEqual([0, 1, 2, 8, 9]);
    expect(chooseTruncationWindow(costs, { start: 0, end: 4 }, { start: 7, end: 9 }, 3)).toEqual([0, 1, 2, 3, 4, 7, 8, 9]);
  });
});
