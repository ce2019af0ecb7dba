/**
 * The built-in model as a model package (model.onnx, tokenizer.json, winnow-model.json), so
 * that it runs through the same ONNX Runtime path, on the same execution provider, as a
 * user's own model.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Tokenizer } from '@huggingface/tokenizers';
import { buildModel } from '../../inference/onnx-builder';
import { MODEL_FILES, ModelManifest } from '../manifest';
import type { TrainedMlp } from './mlp';
import { SEGMENT_FEATURE_SET, segmentFeatures, type FeatureInput, type SegmentFeatureSet } from './segment-features';
import { PAD_ID, UNK_ID, isKnownFeatureId, vocabularyToTokenizerJson, type Vocabulary } from './vocabulary';

export const BUILTIN_INPUT = 'feature_ids';
export const BUILTIN_LOGITS = 'logits';
export const BUILTIN_EMBEDDING = 'embedding';
/** Opset 13 moved ReduceSum's axes from an attribute to an input; 17 has that form. */
export const BUILTIN_OPSET = 17;

/**
 * feature_ids [batch, maxFeatures] (int64, padded with 0)
 *   -> Gather(W1) [batch, maxFeatures, H] -> ReduceSum(axis 1) -> + b1 -> Relu = embedding
 *   -> MatMul(W2) -> + b2 = logits.
 * Padding works because W1's row 0 is zero; a sum over gathered rows is the sparse product
 * of a multi-hot input with W1, without a [batch, vocabulary] tensor.
 */
export function builtinOnnxModel(model: TrainedMlp, maxFeatures: number): Uint8Array {
  const { inputSize: V, hidden: H, classes: K } = model;
  const w1 = model.w1.slice();
  // The trainer never touches these rows; keep them zero even for a hand-made model, since
  // the graph relies on it for padding.
  w1.fill(0, PAD_ID * H, PAD_ID * H + H);
  w1.fill(0, UNK_ID * H, UNK_ID * H + H);
  return buildModel({
    opset: BUILTIN_OPSET,
    graphName: 'winnow_builtin',
    docString: `Winnow built-in relation classifier (${SEGMENT_FEATURE_SET}, ${H} hidden units, ${K} classes)`,
    inputs: [{ name: BUILTIN_INPUT, type: 'int64', shape: ['batch', maxFeatures] }],
    outputs: [
      { name: BUILTIN_LOGITS, type: 'float32', shape: ['batch', K] },
      { name: BUILTIN_EMBEDDING, type: 'float32', shape: ['batch', H] },
    ],
    initializers: [
      { name: 'W1', type: 'float32', dims: [V, H], data: w1 },
      { name: 'b1', type: 'float32', dims: [H], data: model.b1 },
      { name: 'W2', type: 'float32', dims: [H, K], data: model.w2 },
      { name: 'b2', type: 'float32', dims: [K], data: model.b2 },
      { name: 'sum_axes', type: 'int64', dims: [1], data: [1] },
    ],
    nodes: [
      { op: 'Gather', inputs: ['W1', BUILTIN_INPUT], outputs: ['gathered'], attributes: { axis: { int: 0 } } },
      { op: 'ReduceSum', inputs: ['gathered', 'sum_axes'], outputs: ['summed'], attributes: { keepdims: { int: 0 } } },
      { op: 'Add', inputs: ['summed', 'b1'], outputs: ['pre_activation'] },
      { op: 'Relu', inputs: ['pre_activation'], outputs: [BUILTIN_EMBEDDING] },
      { op: 'MatMul', inputs: [BUILTIN_EMBEDDING, 'W2'], outputs: ['scores'] },
      { op: 'Add', inputs: ['scores', 'b2'], outputs: [BUILTIN_LOGITS] },
    ],
  });
}

export interface BuiltinPackageInput {
  model: TrainedMlp;
  vocabulary: Vocabulary;
  labelNames: readonly string[];
  negativeLabel: string;
  maxFeatures: number;
  /** Shown in the UI and stored with the run (default 'winnow-builtin'). */
  name?: string;
}

export function builtinManifest(input: Omit<BuiltinPackageInput, 'model' | 'vocabulary'>): ModelManifest {
  return ModelManifest.parse({
    format: 'winnow-model/1',
    name: input.name ?? 'winnow-builtin',
    labels: [...input.labelNames],
    negativeLabel: input.negativeLabel,
    input: { kind: 'segment-features', featureSet: SEGMENT_FEATURE_SET, maxFeatures: input.maxFeatures, inputName: BUILTIN_INPUT },
    outputs: { logits: BUILTIN_LOGITS, embedding: BUILTIN_EMBEDDING },
    outputsAreProbabilities: false,
  });
}

/** Temporary name then rename, so a package file is either absent or complete. */
async function writeFileAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/**
 * Writes the package into `dir` (created if missing). The manifest goes last: a folder with a
 * manifest holds a whole package.
 */
export async function writeBuiltinPackage(dir: string, input: BuiltinPackageInput): Promise<ModelManifest> {
  const { model, vocabulary, labelNames } = input;
  if (model.classes !== labelNames.length) {
    throw new Error(`builtin package: the model has ${model.classes} outputs for ${labelNames.length} labels`);
  }
  if (model.inputSize !== vocabulary.tokens.length) {
    throw new Error(`builtin package: the model has ${model.inputSize} feature rows for a vocabulary of ${vocabulary.tokens.length}`);
  }
  const manifest = builtinManifest(input);
  await fs.mkdir(dir, { recursive: true });
  await writeFileAtomically(path.join(dir, MODEL_FILES.model), builtinOnnxModel(model, input.maxFeatures));
  await writeFileAtomically(path.join(dir, MODEL_FILES.tokenizer), JSON.stringify(vocabularyToTokenizerJson(vocabulary)));
  await writeFileAtomically(path.join(dir, MODEL_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The `feature_ids` input for `examples`: features looked up through the package's tokenizer,
 * unknown ones dropped (the trainer never saw [UNK]), truncated to maxFeatures, padded with 0.
 * `featureSet` is the package's own (its manifest's), not necessarily the one Winnow trains with now.
 */
export function encodeForBuiltin(tokenizer: Tokenizer, examples: readonly FeatureInput[], maxFeatures: number, featureSet: SegmentFeatureSet): BigInt64Array {
  const out = new BigInt64Array(examples.length * maxFeatures);
  examples.forEach((example, i) => {
    const features = segmentFeatures(example, featureSet);
    // One tokenizer call per example: features contain no whitespace, so the WhitespaceSplit
    // pre-tokenizer hands each one to the vocabulary lookup whole.
    const { ids } = tokenizer.encode(features.join(' '), { add_special_tokens: false });
    if (ids.length !== features.length) {
      throw new Error(`builtin encoding: the tokenizer split ${features.length} features into ${ids.length} tokens`);
    }
    let count = 0;
    for (const id of ids) {
      if (count >= maxFeatures) break;
      if (!isKnownFeatureId(id)) continue;
      out[i * maxFeatures + count] = BigInt(id);
      count++;
    }
  });
  return out;
}
