import fs from 'node:fs';
import path from 'node:path';
import { WinnowError } from '../../../shared/errors';
import { RANK_DEFAULTS } from '../../../shared/ranking';
import { readModelPredictions } from '../io/model-predictions';
import { findLabelIssues } from '../noise/confident-learning';
import { encodeForBuiltin, trainBuiltin, type SparseRows } from '../model/builtin';
import { loadModelPackage, type SegmentFeatureEncoder } from '../model/package-loader';
import { runModel } from '../model/run-model';
import { writeBuiltinPackage } from '../model/builtin';
import { l2Normalize } from '../inference/knn';
import { providersLeftOut } from '../inference/execution-providers';
import type { RankingDataset } from './dataset';
import { randomProjectionEmbedding, segmentWeights } from './label-free-embedding';
import type { RankOptions } from './rank-options';
import { makeBuiltinWorkDir, sweepStaleBuiltinFolders } from './builtin-temp';

export interface ModelOutputs {
  modelKind: 'builtin' | 'package' | 'predictions';
  modelName: string;
  modelHash: string;
  provider: string;
  skipped: { provider: string; reason: string }[];
  /** Model's label order: the columns of probs. */
  labels: string[];
  negativeLabel: string;
  /** n x labels.length, out-of-sample for the built-in model. */
  probs: Float32Array;
  /**
   * The built-in model's second cross-fit (probabilityFit 'cleaned'): out-of-sample
   * probabilities of fold models trained without the negatives CL flags on `probs`; CL, KNN,
   * ES and ESP read these when present. Null otherwise.
   */
  cleanedProbs: Float32Array | null;
  /** What cleanedProbs are, in words (stored in the strategies' notes); null without them. */
  cleanedProbsSource: string | null;
  /** Task embedding for IS/ES/ESP, L2-normalised; null when the model has none. */
  embedding: Float32Array | null;
  embeddingDim: number;
  /** Label-free representation for KNN, L2-normalised; null when none is available. */
  knnEmbedding: Float32Array | null;
  knnEmbeddingDim: number;
  embeddingSources: { task: string | null; knn: string | null };
  /** Predictions from elsewhere: 1 where the file has a row for the example (all covered when absent). */
  covered?: Uint8Array;
  timings: Record<string, number>;
}

export type Progress = (phase: string, done: number, total: number) => void;

/** Whether the built-in model fits the second, cleaned cross-fit (probabilityFit) for `n` examples. */
export function refitsFolds(options: Pick<RankOptions, 'probabilityFit'>, n: number): boolean {
  return options.probabilityFit === 'cleaned' || (options.probabilityFit === 'auto' && n <= RANK_DEFAULTS.probabilityFitAutoMax);
}

/** "5-fold cross-fit", or "5-fold cross-fit repeated 3 times". */
function crossFitWords(folds: number, repeats: number): string {
  return `${folds}-fold cross-fit${repeats > 1 ? ` repeated ${repeats} times` : ''}`;
}

/** The built-in model's encoder, handed to the generic package loader. */
export const builtinEncoder: SegmentFeatureEncoder = (examples, { input, tokenizer }) => ({
  size: examples.length,
  feeds: { [input.inputName]: { type: 'int64', data: encodeForBuiltin(tokenizer, examples, input.maxFeatures, input.featureSet), dims: [examples.length, input.maxFeatures] } },
});

async function timed<T>(timings: Record<string, number>, phase: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    timings[phase] = Math.round(performance.now() - start);
  }
}

/**
 * Built-in model: trained here with k-fold cross-fitting, every fold written out as a model
 * package and run through ONNX Runtime on the examples it did not see; the model fitted on
 * all data gives the task embedding.
 */
async function builtinOutputs(data: RankingDataset, labelNames: string[], negativeLabel: string, options: RankOptions, signal: AbortSignal | undefined, progress: Progress): Promise<ModelOutputs> {
  const timings: Record<string, number> = {};
  const labelIndex = new Map(labelNames.map((l, i) => [l, i]));
  const labels = Int32Array.from(data.trainingLabels ?? data.givenLabels, (l) => labelIndex.get(l)!);
  const trusted = data.trusted;
  const negative = labelIndex.get(negativeLabel)!;
  let leftOut = 0;
  // The cleaned fits leave out the negatives that confident learning flags (cleanlab's
  // defaults, on the first folds' out-of-fold probabilities). Trained on them, a model pulls
  // every false negative towards the negative label: the embedding's model would pull it away
  // from the positives IS and ES compare it with (embeddingFit; on SemEval-2010 with injected
  // noise IS 0.45 -> 0.60 precision, ES's recall 0.28 -> 0.58), and the fold models would give
  // it too little of its true label for CL and KNN to see (probabilityFit; CL-R 3-19% -> 51-59%
  // of the noisy-to-clean gap over three noise seeds, see BENCHMARKS.md).
  const cleanedFits = { full: options.embeddingFit === 'cleaned', folds: refitsFolds(options, data.examples.length) };
  const cleanedRows =
    cleanedFits.full || cleanedFits.folds
      ? (outOfFold: Float32Array) => {
          const issues = findLabelIssues(labels, Float64Array.from(outOfFold), labelNames.length);
          const drop = new Uint8Array(labels.length);
          for (const i of issues) if (labels[i] === negative && !trusted?.[i]) drop[i] = 1;
          const rows: number[] = [];
          for (let i = 0; i < labels.length; i++) if (!drop[i]) rows.push(i);
          leftOut = labels.length - rows.length;
          return Int32Array.from(rows);
        }
      : undefined;
  const trained = await timed(timings, 'train', () =>
    trainBuiltin({ examples: data.examples, labels, labelNames, negativeLabel, folds: options.folds, repeats: options.repeats, seed: options.seed, cleanedRows, cleanedFits, signal, onProgress: (phase, done, total) => progress(`training: ${phase}`, done, total) }),
  );
  await sweepStaleBuiltinFolders();
  const workDir = await makeBuiltinWorkDir();
  const n = data.examples.length;
  const K = labelNames.length;
  const probs = new Float32Array(n * K);
  const cleanedProbs = trained.refitFolds ? new Float32Array(n * K) : null;
  let provider = 'cpu';
  let skipped: ModelOutputs['skipped'] = [];
  let modelHash = '';
  let embedding: Float32Array | null = null;
  let embeddingDim = 0;
  try {
    await timed(timings, 'inference', async () => {
      const jobs = [
        ...trained.folds.map((fold, i) => ({ name: `fold-${i}`, model: fold.model, rows: fold.heldOut, into: probs })),
        ...(trained.refitFolds ?? []).map((fold, i) => ({ name: `cleaned-fold-${i}`, model: fold.model, rows: fold.heldOut, into: cleanedProbs! })),
        { name: 'full', model: trained.full, rows: null, into: null },
      ];
      // Each repeat holds every example out once: its rows are inferred once per repeat and fit.
      const total = n * (1 + trained.repeats * (trained.refitFolds ? 2 : 1));
      let done = 0;
      for (const job of jobs) {
        const dir = path.join(workDir, job.name);
        await writeBuiltinPackage(dir, { model: job.model, vocabulary: trained.vocabulary, labelNames, negativeLabel, maxFeatures: trained.maxFeatures });
        const loaded = await loadModelPackage(dir, { providers: options.providers, encodeSegmentFeatures: builtinEncoder });
        try {
          provider = loaded.provider;
          skipped = loaded.skipped.map((s) => ({ provider: s.provider, reason: s.reason }));
          const rows = job.rows ?? Int32Array.from({ length: n }, (_, i) => i);
          const subset = Array.from(rows, (i) => data.examples[i]!);
          const out = await runModel(loaded, subset, { batchSize: 512, signal, onProgress: (p) => progress('inference', done + p.done, total) });
          if (job.into) {
            // The mean over the repeats, each of which held the row out once.
            const into = job.into;
            const share = 1 / trained.repeats;
            rows.forEach((row, j) => {
              for (let c = 0; c < K; c++) into[row * K + c]! += out.probs[j * K + c]! * share;
            });
          } else {
            modelHash = loaded.hash;
            embedding = out.embedding;
            embeddingDim = out.embeddingDim;
          }
          done += rows.length;
        } finally {
          await loaded.close();
        }
      }
    });
  } finally {
    await fs.promises.rm(workDir, { recursive: true, force: true });
  }
  const knnEmbeddingDim = 128;
  const knnEmbedding = randomProjectionEmbedding(trained.encoded as SparseRows, knnEmbeddingDim, options.seed, segmentWeights(trained.vocabulary.tokens));
  return {
    modelKind: 'builtin',
    modelName: `winnow-builtin (${options.folds}-fold${trained.repeats > 1 ? ` × ${trained.repeats}` : ''})`,
    modelHash,
    provider,
    skipped,
    labels: labelNames,
    negativeLabel,
    probs,
    cleanedProbs,
    cleanedProbsSource: cleanedProbs ? `a second ${crossFitWords(options.folds, trained.repeats)} without the ${leftOut} negatives CL flags` : null,
    embedding: embedding ? l2Normalize(embedding, n, embeddingDim) : null,
    embeddingDim,
    knnEmbedding,
    knnEmbeddingDim,
    embeddingSources: {
      task: options.embeddingFit === 'cleaned' ? `builtin model fitted on all data except the ${leftOut} negatives CL flags, hidden layer` : 'builtin full-data model, hidden layer',
      knn: 'random projection of the segment features (label-free)',
    },
    timings,
  };
}

async function packageOutputs(data: RankingDataset, dir: string, negativeLabel: string, options: RankOptions, signal: AbortSignal | undefined, progress: Progress): Promise<ModelOutputs> {
  const timings: Record<string, number> = {};
  const loaded = await loadModelPackage(dir, { providers: options.providers, encodeSegmentFeatures: builtinEncoder });
  try {
    if (!loaded.manifest.labels.includes(negativeLabel)) {
      throw new WinnowError('INVALID_INPUT', `${loaded.manifest.name}: its labels do not include the project's negative label "${negativeLabel}" (winnow-model.json names "${loaded.manifest.negativeLabel}"); set the project's negative label or use a model trained with it`);
    }
    const out = await timed(timings, 'inference', () =>
      runModel(loaded, data.examples, { batchSize: 64, signal, onProgress: (p) => progress('inference', p.done, p.total) }),
    );
    const n = data.examples.length;
    const embedding = out.embedding ? l2Normalize(out.embedding, n, out.embeddingDim) : null;
    return {
      modelKind: 'package',
      modelName: loaded.manifest.name,
      modelHash: loaded.hash,
      provider: loaded.provider,
      skipped: loaded.skipped.map((s) => ({ provider: s.provider, reason: s.reason })),
      labels: [...loaded.manifest.labels],
      negativeLabel,
      probs: out.probs,
      cleanedProbs: null,
      cleanedProbsSource: null,
      embedding,
      embeddingDim: out.embeddingDim,
      // A user's encoder was trained elsewhere, so its embedding serves KNN too.
      knnEmbedding: embedding,
      knnEmbeddingDim: out.embeddingDim,
      embeddingSources: { task: `${loaded.manifest.name}: ${loaded.manifest.outputs.embedding}`, knn: embedding ? `${loaded.manifest.name}: ${loaded.manifest.outputs.embedding}` : null },
      timings,
    };
  } finally {
    await loaded.close();
  }
}

async function predictionsOutputs(data: RankingDataset, spec: Extract<RankOptions['model'], { kind: 'predictions' }>, negativeLabel: string, signal: AbortSignal | undefined, progress: Progress): Promise<ModelOutputs> {
  const timings: Record<string, number> = {};
  const file = spec.file;
  const knownIds = new Map(data.extIds.map((id, i) => [id, i]));
  const read = await timed(timings, 'read predictions', () =>
    readModelPredictions(spec, { knownIds, signal, onProgress: (p) => progress('reading predictions', p.done, p.total) }),
  );
  if (!read.labels.includes(negativeLabel)) {
    throw new WinnowError('INVALID_FILE', `${file}: its labels (${read.labels.slice(0, 6).join(', ')}${read.labels.length > 6 ? ', …' : ''}) do not include the project's negative label "${negativeLabel}"`);
  }
  const crypto = await import('node:crypto');
  const hash = crypto.createHash('sha256');
  for (const part of [spec.file, spec.labels, spec.ids, spec.embeddings]) if (part) hash.update(await fs.promises.readFile(part));
  const n = data.extIds.length;
  const embedding = read.embedding ? l2Normalize(read.embedding, n, read.embeddingDim) : null;
  const name = [spec.file, spec.embeddings].filter(Boolean).map((f) => path.basename(f!)).join(' + ');
  return {
    modelKind: 'predictions',
    modelName: name,
    modelHash: hash.digest('hex'),
    provider: 'none (imported predictions)',
    skipped: [],
    labels: read.labels,
    negativeLabel,
    probs: read.probs,
    cleanedProbs: null,
    cleanedProbsSource: null,
    embedding,
    embeddingDim: read.embeddingDim,
    knnEmbedding: embedding,
    knnEmbeddingDim: read.embeddingDim,
    embeddingSources: { task: embedding ? `${path.basename(spec.embeddings ?? file)}: embedding` : null, knn: embedding ? `${path.basename(spec.embeddings ?? file)}: embedding` : null },
    covered: read.covered,
    timings,
  };
}

export async function computeModelOutputs(
  data: RankingDataset,
  projectLabels: string[],
  negativeLabel: string,
  options: RankOptions,
  signal: AbortSignal | undefined,
  progress: Progress,
): Promise<ModelOutputs> {
  const outputs = await computeFor(data, projectLabels, negativeLabel, options, signal, progress);
  if (!options.providers && outputs.modelKind !== 'predictions') {
    const known = new Set(outputs.skipped.map((s) => s.provider));
    outputs.skipped = [...providersLeftOut().filter((s) => !known.has(s.provider)), ...outputs.skipped];
  }
  return outputs;
}

function computeFor(data: RankingDataset, projectLabels: string[], negativeLabel: string, options: RankOptions, signal: AbortSignal | undefined, progress: Progress): Promise<ModelOutputs> {
  switch (options.model.kind) {
    case 'builtin':
      return builtinOutputs(data, projectLabels, negativeLabel, options, signal, progress);
    case 'package':
      return packageOutputs(data, options.model.dir, negativeLabel, options, signal, progress);
    case 'predictions':
      return predictionsOutputs(data, options.model, negativeLabel, signal, progress);
    default: {
      const never: never = options.model;
      throw new WinnowError('INVALID_INPUT', `Unknown model ${JSON.stringify(never)}`);
    }
  }
}

/** The outputs of the examples at `positions` (ascending), e.g. those a predictions file covers. */
export function subsetOutputs(outputs: ModelOutputs, positions: readonly number[]): ModelOutputs {
  const rows = (values: Float32Array | null, width: number) => {
    if (!values) return null;
    const out = new Float32Array(positions.length * width);
    positions.forEach((p, i) => out.set(values.subarray(p * width, (p + 1) * width), i * width));
    return out;
  };
  const K = outputs.labels.length;
  const embedding = rows(outputs.embedding, outputs.embeddingDim);
  return {
    ...outputs,
    probs: rows(outputs.probs, K)!,
    cleanedProbs: rows(outputs.cleanedProbs, K),
    embedding,
    knnEmbedding: outputs.knnEmbedding === outputs.embedding ? embedding : rows(outputs.knnEmbedding, outputs.knnEmbeddingDim),
    covered: undefined,
  };
}
