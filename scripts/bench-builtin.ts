/**
 * Built-in model benchmark: trains the k cross-fitted models and the full model on a
 * synthetic TACRED, runs every model through ONNX Runtime as a model package, and prints the
 * time per phase with the out-of-fold accuracy, TACRED micro-F1 and macro-F1 (positive classes) against the
 * true labels and against the given (noisy) ones.
 *
 *   npx tsx scripts/bench-builtin.ts            # 20,000 examples
 *   npx tsx scripts/bench-builtin.ts 100000
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { NEGATIVE_LABEL } from '../tools/demo-generator/relations';
import { syntheticTrainingSet } from '../tools/demo-generator/training-set';
import { createSessionWithFallback } from '../src/main/core/inference/execution-providers';
import { MODEL_FILES } from '../src/main/core/model/manifest';
import {
  BUILTIN_EMBEDDING,
  BUILTIN_INPUT,
  BUILTIN_LOGITS,
  encodeForBuiltin,
  loadTokenizer,
  SEGMENT_FEATURE_SET,
  trainBuiltin,
  writeBuiltinPackage,
} from '../src/main/core/model/builtin/index';
import { tacredScore } from '../src/main/core/metrics/tacred-score';

const BATCH = 512;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** TACRED's micro-F1 and the macro-F1 over positive labels (core/metrics/tacred-score), on class indices. */
function tacredF1(gold: Int32Array, predicted: Int32Array, labelNames: readonly string[]): string {
  const score = tacredScore(Array.from(gold, (k) => labelNames[k]!), Array.from(predicted, (k) => labelNames[k]!), NEGATIVE_LABEL);
  return `micro-F1 (TACRED) ${score.f1.toFixed(4)}, macro-F1 (positives) ${score.macroF1.toFixed(4)}`;
}

function accuracy(gold: Int32Array, predicted: Int32Array): number {
  let right = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) right++;
  return right / gold.length;
}

async function runBench(n: number): Promise<void> {
  console.log(`\n== built-in model, n = ${n.toLocaleString('en-US')} ==`);
  let mark = performance.now();
  const lap = (): string => {
    const now = performance.now();
    const text = seconds(now - mark);
    mark = now;
    return text;
  };
  const { examples, labelNames, labels: given, trueLabels: truth, noisyIds } = syntheticTrainingSet({ n, seed: 42, withStanford: false });
  console.log(`generate: ${lap()} (${noisyIds.length} noisy labels, ${labelNames.length} classes)`);

  const trainStart = performance.now();
  let phaseEnd = trainStart;
  const result = await trainBuiltin({
    examples,
    labels: given,
    labelNames,
    negativeLabel: NEGATIVE_LABEL,
    seed: 1,
    onProgress: (phase, done, total) => {
      if (done !== total) return;
      const now = performance.now();
      console.log(`  ${phase}: ${seconds(now - phaseEnd)}`);
      phaseEnd = now;
    },
  });
  const epochsNote = `vocabulary ${result.vocabulary.tokens.length.toLocaleString('en-US')}, maxFeatures ${result.maxFeatures}`;
  console.log(`train (${result.folds.length} folds + full): ${seconds(performance.now() - trainStart)} (${epochsNote})`);
  mark = performance.now();

  const dir = await mkdtemp(path.join(os.tmpdir(), 'winnow-bench-builtin-'));
  try {
    const packages: string[] = [];
    const models = [...result.folds.map((f) => f.model), result.full];
    for (const [i, model] of models.entries()) {
      const packageDir = path.join(dir, i < result.folds.length ? `fold-${i + 1}` : 'full');
      await writeBuiltinPackage(packageDir, {
        model,
        vocabulary: result.vocabulary,
        labelNames,
        negativeLabel: NEGATIVE_LABEL,
        maxFeatures: result.maxFeatures,
      });
      packages.push(packageDir);
    }
    const bytes = (await stat(path.join(packages[0] as string, MODEL_FILES.model))).size;
    console.log(`write ${packages.length} packages: ${lap()} (model.onnx ${(bytes / 2 ** 20).toFixed(1)} MiB each)`);

    const tokenizer = loadTokenizer(JSON.parse(await readFile(path.join(packages[0] as string, MODEL_FILES.tokenizer), 'utf8')));
    const width = result.maxFeatures;
    const inputs = encodeForBuiltin(tokenizer, examples, width, SEGMENT_FEATURE_SET);
    console.log(`encode through tokenizer.json: ${lap()}`);

    const K = labelNames.length;
    const predicted = new Int32Array(n);
    let provider = '';
    const run = async (packageDir: string, rows: Int32Array | null, wantEmbedding: boolean): Promise<void> => {
      const { session, provider: used } = await createSessionWithFallback(path.join(packageDir, MODEL_FILES.model));
      provider = used;
      const count = rows?.length ?? n;
      const batchIds = new BigInt64Array(BATCH * width);
      for (let start = 0; start < count; start += BATCH) {
        const size = Math.min(BATCH, count - start);
        for (let b = 0; b < size; b++) {
          const r = rows ? (rows[start + b] as number) : start + b;
          batchIds.set(inputs.subarray(r * width, (r + 1) * width), b * width);
        }
        const feed = { [BUILTIN_INPUT]: new ort.Tensor('int64', batchIds.subarray(0, size * width), [size, width]) };
        const out = await session.run(feed, wantEmbedding ? [BUILTIN_LOGITS, BUILTIN_EMBEDDING] : [BUILTIN_LOGITS]);
        if (rows === null) continue;
        const logits = out[BUILTIN_LOGITS]?.data as Float32Array;
        for (let b = 0; b < size; b++) {
          let best = 0;
          for (let k = 1; k < K; k++) if ((logits[b * K + k] as number) > (logits[b * K + best] as number)) best = k;
          predicted[rows[start + b] as number] = best;
        }
      }
      await session.release();
    };
    for (const [f, fold] of result.folds.entries()) await run(packages[f] as string, fold.heldOut, false);
    console.log(`ONNX out-of-fold logits (${provider}): ${lap()}`);
    await run(packages[packages.length - 1] as string, null, true);
    console.log(`ONNX full-model embeddings: ${lap()}`);

    console.log(`out-of-fold vs true labels:  accuracy ${accuracy(truth, predicted).toFixed(4)}, ${tacredF1(truth, predicted, labelNames)}`);
    console.log(`out-of-fold vs given labels: accuracy ${accuracy(given, predicted).toFixed(4)}, ${tacredF1(given, predicted, labelNames)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const sizes = process.argv.slice(2).map(Number).filter((v) => Number.isInteger(v) && v > 0);
for (const n of sizes.length ? sizes : [20_000]) await runBench(n);
