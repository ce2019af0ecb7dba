import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Tokenizer } from '@huggingface/tokenizers';
import { WinnowError } from '../../../shared/errors';
import {
  createSessionWithFallback,
  ProviderUnavailableError,
  providerPreference,
  type SessionOptions,
  type SkippedProvider,
} from '../inference/execution-providers';
import type { EncodedBatch, RelationExample } from './encoded-batch';
import { MODEL_FILES, type ModelManifest } from './manifest';
import { readManifestFile } from './manifest-file';
import { checkModelSignature } from './model-signature';
import { PackageRunner, type BatchOutputs } from './package-runner';
import { loadTokenizerFile } from './tokenizer-file';
import { encodeTransformerBatch } from './transformer-encoder';

export type { BatchOutputs };

type SegmentFeaturesInput = Extract<ModelManifest['input'], { kind: 'segment-features' }>;

/** Everything a segment-feature encoder may need from the package. */
export interface SegmentFeatureContext {
  manifest: ModelManifest;
  input: SegmentFeaturesInput;
  tokenizer: Tokenizer;
  /** tokenizer.json as parsed (the built-in model keeps its feature vocabulary there). */
  tokenizerJson: Record<string, unknown>;
  padId: number;
}

/**
 * Encodes examples for a `segment-features` package (the built-in model). Its feature
 * extraction lives with the built-in model, so the caller passes it in; the feed must be
 * keyed by `input.inputName` and be `maxFeatures` wide.
 */
export type SegmentFeatureEncoder = (examples: readonly RelationExample[], context: SegmentFeatureContext) => EncodedBatch;

export interface LoadModelOptions {
  /** Execution providers to try, best first; defaults to `providerPreference()`. */
  providers?: string[];
  sessionOptions?: SessionOptions;
  /** Required for `input.kind === 'segment-features'` packages. */
  encodeSegmentFeatures?: SegmentFeatureEncoder;
}

export interface LoadedModel {
  readonly dir: string;
  readonly manifest: ModelManifest;
  /** The execution provider the session runs on (shown to the user and stored with a run). */
  readonly provider: string;
  /** Providers tried before `provider`, and why each was passed over. */
  readonly skipped: readonly SkippedProvider[];
  /** sha256 of model.onnx, hex. */
  readonly hash: string;
  /** Embedding width, learnt at load from a check run; 0 when there is none. */
  readonly embeddingDim: number;
  encode(examples: readonly RelationExample[]): EncodedBatch;
  run(batch: EncodedBatch): Promise<BatchOutputs>;
  close(): Promise<void>;
}

/** A throwaway example for the check run; its content is irrelevant, only the output shapes count. */
const PROBE_EXAMPLE: RelationExample = {
  tokens: ['Ada', 'Lovelace', 'worked', 'with', 'Charles', 'Babbage', '.'],
  subjStart: 0,
  subjEnd: 1,
  objStart: 4,
  objEnd: 5,
  subjType: 'PERSON',
  objType: 'PERSON',
};

async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function requireFile(dir: string, name: string): string {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) {
    throw new WinnowError(
      'NOT_FOUND',
      `${file}: file not found (a model package folder holds ${MODEL_FILES.model}, ${MODEL_FILES.tokenizer} and ${MODEL_FILES.manifest})`,
    );
  }
  return file;
}

/**
 * Opens a model package: validates winnow-model.json, loads tokenizer.json, starts an
 * onnxruntime session on the best provider that works, then checks the manifest against
 * the model's real inputs and outputs (names, types and static shapes from the session's
 * metadata, then one check run for the widths the metadata leaves open).
 */
export async function loadModelPackage(dir: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new WinnowError('NOT_FOUND', `${dir}: model package folder not found`);
  }
  const manifestFile = requireFile(dir, MODEL_FILES.manifest);
  const tokenizerFile = requireFile(dir, MODEL_FILES.tokenizer);
  const modelFile = requireFile(dir, MODEL_FILES.model);
  const manifest = await readManifestFile(manifestFile);
  const { tokenizer, padId, json: tokenizerJson } = await loadTokenizerFile(tokenizerFile);

  const input = manifest.input;
  const segmentEncoder = options.encodeSegmentFeatures;
  if (input.kind === 'segment-features' && !segmentEncoder) {
    throw new WinnowError(
      'UNSUPPORTED',
      `${manifestFile}: input.kind "segment-features" (the built-in model's encoder) needs the built-in feature encoder, which the caller did not supply`,
    );
  }

  const hash = await sha256File(modelFile);
  let opened: Awaited<ReturnType<typeof createSessionWithFallback>>;
  try {
    // The path, not the bytes: large exports keep weights in external data files beside it.
    opened = await createSessionWithFallback(modelFile, options.providers ?? providerPreference(), options.sessionOptions ?? {});
  } catch (error) {
    // No provider started: a machine's limit, not a broken file; the caller says which provider.
    if (error instanceof ProviderUnavailableError && error.failed.length === 0) throw error;
    throw new WinnowError('INVALID_FILE', `${modelFile}: onnxruntime could not load the model: ${(error as Error).message}`);
  }
  const { session, provider, skipped } = opened;

  try {
    const signature = checkModelSignature(session, manifest, manifestFile);
    const encode = (examples: readonly RelationExample[]): EncodedBatch => {
      if (input.kind === 'transformer') {
        return encodeTransformerBatch(tokenizer, manifest, examples, { padId, padTo: signature.fixedLength ?? undefined });
      }
      return segmentEncoder!(examples, { manifest, input, tokenizer, tokenizerJson, padId });
    };
    const runner = new PackageRunner(session, manifest, signature, modelFile);
    const probe = await runner.probe(encode([PROBE_EXAMPLE]), manifestFile);
    let closed = false;
    return {
      dir,
      manifest,
      provider,
      skipped,
      hash,
      embeddingDim: probe.embeddingDim,
      encode,
      run: (batch) => runner.run(batch),
      close: async () => {
        if (closed) return;
        closed = true;
        await session.release();
      },
    };
  } catch (error) {
    await session.release().catch(() => undefined);
    throw error;
  }
}
