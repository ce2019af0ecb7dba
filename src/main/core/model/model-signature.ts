import type * as ort from 'onnxruntime-node';
import { WinnowError } from '../../../shared/errors';
import type { ModelManifest } from './manifest';

/** What the loader needs to know about model.onnx's inputs and outputs after the checks. */
export interface ModelSignature {
  /** Element type of every model input, as the model declares it. */
  inputTypes: Map<string, string>;
  /** Static sequence length of the token/feature input, or null when the axis is dynamic. */
  fixedLength: number | null;
  /** Static batch size (a model exported without a dynamic batch axis), or null. */
  fixedBatch: number | null;
  /** Logits width when the metadata gives it statically. */
  logitsWidth: number | null;
  /** Embedding width when the metadata gives it statically. */
  embeddingWidth: number | null;
}

type ValueMetadata = ort.InferenceSession.ValueMetadata;

/**
 * onnxruntime-node reports an unknown, unnamed dimension as '' and a symbolic one by its
 * name; only numbers are sizes.
 */
function staticDim(dim: number | string | undefined): number | null {
  return typeof dim === 'number' && dim >= 0 ? dim : null;
}

/** An empty shape means "not declared" as often as "scalar", so it is not checked. */
function declaredShape(meta: ValueMetadata | undefined): ReadonlyArray<number | string> | null {
  if (!meta || !meta.isTensor || meta.shape.length === 0) return null;
  return meta.shape;
}

function showShape(shape: ReadonlyArray<number | string>): string {
  return `[${shape.map((d) => (d === '' ? '?' : String(d))).join(', ')}]`;
}

const INTEGER_INPUTS = new Set(['int64', 'int32']);
const FLOAT_OUTPUTS = new Set(['float32', 'float64']);

interface DeclaredInput {
  field: string;
  name: string;
  /** Carries the sequence axis that padding and truncation must respect. */
  sequence: boolean;
}

function declaredInputs(manifest: ModelManifest): DeclaredInput[] {
  const input = manifest.input;
  switch (input.kind) {
    case 'transformer': {
      const names = input.inputNames;
      const list: DeclaredInput[] = [{ field: 'input.inputNames.inputIds', name: names.inputIds, sequence: true }];
      if (names.attentionMask !== null) list.push({ field: 'input.inputNames.attentionMask', name: names.attentionMask, sequence: true });
      if (names.tokenTypeIds !== null) list.push({ field: 'input.inputNames.tokenTypeIds', name: names.tokenTypeIds, sequence: true });
      return list;
    }
    case 'segment-features':
      return [{ field: 'input.inputName', name: input.inputName, sequence: true }];
    default: {
      const unknownInput: never = input;
      throw new Error(`unknown input kind ${JSON.stringify(unknownInput)}`);
    }
  }
}

function unfedHint(manifest: ModelManifest, name: string): string {
  if (manifest.input.kind === 'segment-features') return 'input.inputName';
  if (/mask/i.test(name)) return `input.inputNames.attentionMask ("${name}")`;
  if (/type/i.test(name)) return `input.inputNames.tokenTypeIds ("${name}")`;
  return 'input.inputNames';
}

/**
 * Compares the manifest with what model.onnx really takes and gives, before any example
 * is run, so that a wrong package fails at load with both sides named.
 */
export function checkModelSignature(
  session: Pick<ort.InferenceSession, 'inputNames' | 'outputNames'> &
    Partial<Pick<ort.InferenceSession, 'inputMetadata' | 'outputMetadata'>>,
  manifest: ModelManifest,
  manifestFile: string,
  modelName = 'model.onnx',
): ModelSignature {
  const inputs = session.inputNames;
  const outputs = session.outputNames;
  const inputMeta = new Map((session.inputMetadata ?? []).map((m) => [m.name, m]));
  const outputMeta = new Map((session.outputMetadata ?? []).map((m) => [m.name, m]));
  const fail = (message: string): never => {
    throw new WinnowError('INVALID_FILE', `${manifestFile}: ${message}`);
  };

  const declared = declaredInputs(manifest);
  const seen = new Map<string, string>();
  for (const { field, name } of declared) {
    const other = seen.get(name);
    if (other !== undefined) fail(`${field} "${name}" is also given as ${other}; each model input is fed once`);
    seen.set(name, field);
    if (!inputs.includes(name)) fail(`${field} "${name}" is not an input of ${modelName} (inputs: ${inputs.join(', ') || 'none'})`);
  }
  for (const name of inputs) {
    if (!seen.has(name)) {
      fail(`${modelName} requires input "${name}" but the manifest does not feed it (fed: ${[...seen.keys()].join(', ')}); name it in ${unfedHint(manifest, name)}`);
    }
  }

  const inputTypes = new Map<string, string>();
  let fixedLength: number | null = null;
  let fixedBatch: number | null = null;
  for (const { field, name, sequence } of declared) {
    const meta = inputMeta.get(name);
    if (!meta) continue;
    if (!meta.isTensor) fail(`${field} "${name}" is not a tensor input of ${modelName}`);
    if (meta.isTensor) {
      if (!INTEGER_INPUTS.has(meta.type)) fail(`${field} "${name}" is ${meta.type} in ${modelName}, but Winnow feeds integer ids (int64 or int32)`);
      inputTypes.set(name, meta.type);
    }
    const shape = declaredShape(meta);
    if (!shape) continue;
    if (shape.length !== 2) fail(`${field} "${name}" has shape ${showShape(shape)} in ${modelName}; Winnow feeds [batch, sequence]`);
    const batch = staticDim(shape[0]);
    if (batch !== null) {
      if (fixedBatch !== null && fixedBatch !== batch) fail(`${modelName}'s inputs disagree on the batch size (${fixedBatch} and ${batch})`);
      fixedBatch = batch;
    }
    const length = sequence ? staticDim(shape[1]) : null;
    if (length !== null) {
      if (fixedLength !== null && fixedLength !== length) fail(`${modelName}'s inputs disagree on the sequence length (${fixedLength} and ${length})`);
      fixedLength = length;
    }
  }
  if (fixedLength !== null) {
    const input = manifest.input;
    if (input.kind === 'transformer' && input.maxLength > fixedLength) {
      fail(`input.maxLength is ${input.maxLength} but ${modelName}'s inputs have a fixed length of ${fixedLength}`);
    }
    if (input.kind === 'segment-features' && input.maxFeatures !== fixedLength) {
      fail(`input.maxFeatures is ${input.maxFeatures} but ${modelName}'s input "${input.inputName}" has a fixed width of ${fixedLength}`);
    }
  }

  const checkOutput = (field: string, name: string): ReadonlyArray<number | string> | null => {
    if (!outputs.includes(name)) fail(`${field} "${name}" is not an output of ${modelName} (outputs: ${outputs.join(', ') || 'none'})`);
    const meta = outputMeta.get(name);
    if (meta && !meta.isTensor) fail(`${field} "${name}" is not a tensor output of ${modelName}`);
    if (meta?.isTensor && !FLOAT_OUTPUTS.has(meta.type)) {
      fail(`${field} "${name}" is ${meta.type} in ${modelName}; Winnow reads float32 (or float64) outputs`);
    }
    const shape = declaredShape(meta);
    if (shape && shape.length !== 2) fail(`${field} "${name}" has shape ${showShape(shape)} in ${modelName}; Winnow needs [batch, width]`);
    return shape;
  };
  const labels = manifest.labels.length;
  const logitsShape = checkOutput('outputs.logits', manifest.outputs.logits);
  const logitsWidth = staticDim(logitsShape?.[1]);
  if (logitsWidth !== null && logitsWidth !== labels) {
    fail(`labels has ${labels} entries but ${modelName}'s logits output "${manifest.outputs.logits}" has width ${logitsWidth}`);
  }
  let embeddingWidth: number | null = null;
  if (manifest.outputs.embedding !== null) {
    if (manifest.outputs.embedding === manifest.outputs.logits) fail(`outputs.embedding "${manifest.outputs.embedding}" is the logits output; use null when the model has no embedding`);
    embeddingWidth = staticDim(checkOutput('outputs.embedding', manifest.outputs.embedding)?.[1]);
  }
  return { inputTypes, fixedLength, fixedBatch, logitsWidth, embeddingWidth };
}
