import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { NEGATIVE_LABEL } from '../../../tools/demo-generator/relations';
import { createSessionWithFallback } from '../../../src/main/core/inference/execution-providers';
import { decodeModel } from '../../../src/main/core/inference/onnx-builder';
import { MODEL_FILES, ModelManifest } from '../../../src/main/core/model/manifest';
import {
  BUILTIN_EMBEDDING,
  BUILTIN_INPUT,
  BUILTIN_LOGITS,
  builtinOnnxModel,
  encodeForBuiltin,
  forward,
  builtinManifest,
  loadTokenizer,
  SEGMENT_FEATURE_SET,
  SEGMENT_FEATURE_SETS,
  segmentFeatures,
  type SegmentFeatureSet,
  trainBuiltin,
  writeBuiltinPackage,
  type BuiltinTrainingResult,
  type TrainedMlp,
} from '../../../src/main/core/model/builtin/index';
import { builtinEncoder } from '../../../src/main/core/ranking/model-outputs';
import { syntheticTrainingSet } from '../../helpers/seeded';

const N = 1500;
const CHECKED = 300;

const { examples, labelNames, labels } = syntheticTrainingSet({ n: N, seed: 17, withStanford: false });

let dir: string;
let trained: BuiltinTrainingResult;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'winnow-builtin-onnx-'));
  trained = await trainBuiltin({ examples, labels, labelNames, negativeLabel: NEGATIVE_LABEL, seed: 8, epochs: 3 });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What writeBuiltinPackage needs for `model`, trained on this file's data. */
function packageOf(model: TrainedMlp, overrides: { labelNames?: string[]; name?: string } = {}) {
  return { model, vocabulary: trained.vocabulary, labelNames, negativeLabel: NEGATIVE_LABEL, maxFeatures: trained.maxFeatures, ...overrides };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

/** Runs the package's model.onnx on the CPU and checks it against the trainer's own forward pass. */
async function expectOnnxMatchesForward(packageDir: string, model: TrainedMlp, rows: number[]): Promise<void> {
  const manifest = ModelManifest.parse(JSON.parse(await readFile(path.join(packageDir, MODEL_FILES.manifest), 'utf8')));
  expect(manifest.input.kind).toBe('segment-features');
  if (manifest.input.kind !== 'segment-features') return;
  const width = manifest.input.maxFeatures;
  const tokenizer = loadTokenizer(JSON.parse(await readFile(path.join(packageDir, MODEL_FILES.tokenizer), 'utf8')));
  const ids = encodeForBuiltin(tokenizer, rows.map((r) => examples[r]!), width, manifest.input.featureSet);

  // The tokenizer path gives exactly the ids the trainer used.
  rows.forEach((r, i) => {
    const trainedIds = Array.from(trained.encoded.ids.subarray(trained.encoded.offsets[r], trained.encoded.offsets[r + 1]));
    const row = Array.from(ids.subarray(i * width, (i + 1) * width), Number);
    expect(row).toEqual([...trainedIds, ...new Array<number>(width - trainedIds.length).fill(0)]);
  });

  const { session, provider } = await createSessionWithFallback(path.join(packageDir, MODEL_FILES.model), ['cpu']);
  expect(provider).toBe('cpu');
  try {
    expect(session.inputNames).toEqual([manifest.input.inputName]);
    expect([...session.outputNames].sort()).toEqual([manifest.outputs.logits, manifest.outputs.embedding].sort());
    const out = await session.run({ [BUILTIN_INPUT]: new ort.Tensor('int64', ids, [rows.length, width]) });
    const logits = out[manifest.outputs.logits]!;
    const embedding = out[manifest.outputs.embedding!]!;
    expect(logits.dims).toEqual([rows.length, labelNames.length]);
    expect(embedding.dims).toEqual([rows.length, model.hidden]);
    const K = labelNames.length;
    const H = model.hidden;
    let worstLogit = 0;
    let worstHidden = 0;
    rows.forEach((r, i) => {
      const js = forward(model, Array.from(ids.subarray(i * width, (i + 1) * width), Number));
      worstLogit = Math.max(worstLogit, maxAbsDiff((logits.data as Float32Array).subarray(i * K, (i + 1) * K), js.logits));
      worstHidden = Math.max(worstHidden, maxAbsDiff((embedding.data as Float32Array).subarray(i * H, (i + 1) * H), js.hidden));
    });
    expect(worstLogit).toBeLessThan(1e-4);
    expect(worstHidden).toBeLessThan(1e-4);
  } finally {
    await session.release();
  }
}

describe('built-in model package', () => {
  it('runs in ONNX Runtime with the same logits and embeddings as the JS forward pass', async () => {
    const fold = trained.folds[0]!;
    const foldDir = path.join(dir, 'fold-1');
    await writeBuiltinPackage(foldDir, packageOf(fold.model));
    await expectOnnxMatchesForward(foldDir, fold.model, Array.from(fold.heldOut.subarray(0, CHECKED)));

    const fullDir = path.join(dir, 'full');
    await writeBuiltinPackage(fullDir, packageOf(trained.full));
    await expectOnnxMatchesForward(fullDir, trained.full, Array.from({ length: CHECKED }, (_, i) => i * 5));
  });

  it('writes exactly the three package files with a valid manifest', async () => {
    const target = path.join(dir, 'manifest-check');
    const manifest = await writeBuiltinPackage(target, packageOf(trained.full, { name: 'builtin (test)' }));
    expect((await readdir(target)).sort()).toEqual(Object.values(MODEL_FILES).sort());
    expect(manifest).toEqual(ModelManifest.parse(JSON.parse(await readFile(path.join(target, MODEL_FILES.manifest), 'utf8'))));
    expect(manifest).toMatchObject({
      format: 'winnow-model/1',
      name: 'builtin (test)',
      labels: labelNames,
      negativeLabel: NEGATIVE_LABEL,
      input: { kind: 'segment-features', featureSet: 'winnow-segment-bow/2', maxFeatures: trained.maxFeatures, inputName: BUILTIN_INPUT },
      outputs: { logits: BUILTIN_LOGITS, embedding: BUILTIN_EMBEDDING },
      outputsAreProbabilities: false,
    });
    await expect(
      writeBuiltinPackage(path.join(dir, 'bad'), packageOf(trained.full, { labelNames: labelNames.slice(1) })),
    ).rejects.toThrow(/outputs for/);
  });

  it('builds an opset-17 graph whose ReduceSum takes its axes as an input', () => {
    const proto = decodeModel(builtinOnnxModel(trained.full, 32));
    expect(proto.opsetImport.map((o) => Number(o.version))).toEqual([17]);
    const graph = proto.graph!;
    const reduce = (graph.node ?? []).find((n) => n.opType === 'ReduceSum')!;
    expect(reduce.input).toHaveLength(2);
    const input = (graph.input ?? [])[0]!;
    expect(input.name).toBe(BUILTIN_INPUT);
    expect(input.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 32]);
  });

  it('truncates long inputs to maxFeatures and pads short ones with 0', async () => {
    const tokenizer = loadTokenizer(JSON.parse(await readFile(path.join(dir, 'full', MODEL_FILES.tokenizer), 'utf8')));
    const ids = encodeForBuiltin(tokenizer, examples.slice(0, 20), 4, SEGMENT_FEATURE_SET);
    expect(ids).toHaveLength(80);
    for (let i = 0; i < 20; i++) {
      const expected = Array.from(trained.encoded.ids.subarray(trained.encoded.offsets[i], trained.encoded.offsets[i + 1])).slice(0, 4);
      expect(Array.from(ids.subarray(i * 4, i * 4 + 4), Number)).toEqual([...expected, ...new Array<number>(4 - expected.length).fill(0)]);
    }
  });

  it('encodes a package with the feature set its manifest names, so an earlier set keeps its meaning', async () => {
    const packageDir = path.join(dir, 'full');
    const tokenizerJson = JSON.parse(await readFile(path.join(packageDir, MODEL_FILES.tokenizer), 'utf8')) as Record<string, unknown>;
    const tokenizer = loadTokenizer(tokenizerJson);
    const manifest = ModelManifest.parse(JSON.parse(await readFile(path.join(packageDir, MODEL_FILES.manifest), 'utf8')));
    const packageInput = manifest.input;
    if (packageInput.kind !== 'segment-features') throw new Error('expected a segment-features package');
    const width = 256;
    const sample = examples.slice(0, 40);
    const known = (features: string[]) => features.map((f) => trained.vocabulary.ids.get(f)).filter((id): id is number => id !== undefined && id > 1);
    const rowIds = (ids: BigInt64Array, i: number) => Array.from(ids.subarray(i * width, (i + 1) * width), Number).filter((id) => id !== 0);
    const encodeAs = (featureSet: SegmentFeatureSet) => {
      const input = { ...packageInput, featureSet, maxFeatures: width };
      return builtinEncoder(sample, { manifest: { ...manifest, input }, input, tokenizer, tokenizerJson, padId: 0 }).feeds[input.inputName]!;
    };
    for (const featureSet of SEGMENT_FEATURE_SETS) {
      const feed = encodeAs(featureSet);
      expect(feed.dims).toEqual([sample.length, width]);
      sample.forEach((example, i) => expect(rowIds(feed.data as BigInt64Array, i)).toEqual(known(segmentFeatures(example, featureSet))));
    }
    // The sets differ on these examples (the synthetic sentences have words between their arguments).
    expect(Array.from(encodeAs('winnow-segment-bow/1').data as BigInt64Array)).not.toEqual(Array.from(encodeAs('winnow-segment-bow/2').data as BigInt64Array));
  });

  it('reads both feature sets from a manifest and refuses one it does not know', () => {
    const base = builtinManifest({ labelNames, negativeLabel: NEGATIVE_LABEL, maxFeatures: 32 });
    expect(base.input).toMatchObject({ featureSet: SEGMENT_FEATURE_SET });
    for (const featureSet of SEGMENT_FEATURE_SETS) expect(ModelManifest.parse({ ...base, input: { ...base.input, featureSet } }).input).toMatchObject({ featureSet });
    expect(ModelManifest.safeParse({ ...base, input: { ...base.input, featureSet: 'winnow-segment-bow/9' } }).success).toBe(false);
  });
});
