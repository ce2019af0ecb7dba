/**
 * Cross-fitting the built-in model: k models, each trained without one fold and used only on
 * it, so every example gets out-of-sample probabilities (what confident learning and the
 * paper's strategies assume), plus one model fitted on everything whose hidden layer is the
 * embedding for neighbour search.
 *
 * One vocabulary serves all k + 1 models. Features are computed from text alone, so counting
 * them over all examples leaks no label; a feature that a fold's training part never contains
 * ends training with a zero row (see trainMlp), exactly as if that fold had its own
 * vocabulary. One vocabulary also means one tokenizer.json and one encoding pass for all of
 * the packages at inference time.
 */
import { Rng, mixSeed } from '../../random/seeded-rng';
import { segmentFeatures, type FeatureInput } from './segment-features';
import { buildVocabulary, featureIdsInto, type Vocabulary, type VocabularyOptions } from './vocabulary';
import { defaultEpochs, predictProbabilities, trainMlp, type MlpTrainOptions, type SparseRows, type TrainedMlp } from './mlp';

export const DEFAULT_FOLDS = 5;

/**
 * Repeated cross-fitting: each repeat deals the folds anew and trains its own fold models, and
 * an example's out-of-fold probabilities are the mean over the repeats (each holds it out once).
 * The passes are shared out, so that R repeats cost what one does: each fold model trains for
 * 1/R of the passes one cross-fit would. Measured on SemEval-2010 with the bench's injected
 * noise (8,000 examples, where one cross-fit trains 15 passes): 3 repeats of 5 passes against
 * one of 15, in the same time, gave the truly noisy negatives a higher rank among the given
 * negatives (AUC 0.851 -> 0.879, noise seed 1; 0.852 -> 0.883, seed 2) and their true label as
 * the model's first positive more often (83.6% -> 86.7%; 84.2% -> 86.7%). Averaged models
 * overfit the noisy labels less than one trained three times as long. Ranking reads one
 * cross-fit by default (RANK_DEFAULTS.repeats says why).
 *
 * Returns the passes of each fold model when `repeats` cross-fits of `k` folds share one's
 * passes over `n` examples.
 */
export function crossFitEpochs(n: number, k: number, repeats: number): number {
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`cross-fit: repeats must be a positive integer, got ${repeats}`);
  return Math.max(1, Math.round(defaultEpochs(Math.round((n * (k - 1)) / k)) / repeats));
}

/**
 * Widest input the packages get; a longer example keeps its first features (see
 * segmentFeatures). Below that cap the width is the data's own widest example (rounded up to
 * 16): every padding slot still costs a gathered row in the ONNX graph.
 */
export const MAX_FEATURES_CAP = 256;

export interface BuiltinTrainingOptions {
  examples: readonly FeatureInput[];
  /** Index into labelNames for each example. */
  labels: Int32Array;
  labelNames: readonly string[];
  negativeLabel: string;
  folds?: number;
  /** Cross-fit repeats (default 1). */
  repeats?: number;
  seed?: number;
  hidden?: number;
  /** Passes of every model; default: defaultEpochs, shared out over the repeats for the fold models (crossFitEpochs). */
  epochs?: number;
  learningRate?: number;
  /** Input width (default: the widest example, rounded up to 16, at most MAX_FEATURES_CAP). */
  maxFeatures?: number;
  vocabulary?: VocabularyOptions;
  /**
   * The examples the cleaned fits train on, chosen from the first folds' out-of-fold
   * probabilities (n x labels, as the models compute them here); all when absent.
   */
  cleanedRows?: (outOfFoldProbs: Float32Array) => Int32Array;
  /**
   * Which fits train on cleanedRows only: the full model (the embedding's), and a second set
   * of fold models (same folds, each trained on its training part's cleaned rows) whose
   * out-of-fold probabilities are returned as `refitFolds`.
   */
  cleanedFits?: { full: boolean; folds: boolean };
  signal?: AbortSignal;
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface CrossFittedModel {
  /** Example indices this model did not train on, ascending. */
  heldOut: Int32Array;
  model: TrainedMlp;
}

export interface BuiltinTrainingResult {
  /** The fold models of every repeat, repeat by repeat: each example is held out by `repeats` of them. */
  folds: CrossFittedModel[];
  repeats: number;
  full: TrainedMlp;
  /** The second fold models (cleanedFits.folds), one for each of `folds`, with its held-out rows; null when not fitted. */
  refitFolds: CrossFittedModel[] | null;
  vocabulary: Vocabulary;
  /** Input width the models were trained with; pass it on to writeBuiltinPackage and encodeForBuiltin. */
  maxFeatures: number;
  /** Every example's feature ids as the models saw them (for JS-side predictions). */
  encoded: SparseRows;
  /** How many examples the full model trained on. */
  fullModelExamples: number;
  /** How many examples cleanedRows kept (all when there was no cleaning). */
  cleanedExamples: number;
}

/**
 * Fold of each example, stratified: each label's examples are shuffled and dealt round-robin,
 * the dealer continuing from label to label so that small classes do not all start at fold 0.
 * Fold sizes differ by at most one and each label's count per fold by at most one.
 */
export function assignFolds(labels: Int32Array, folds: number, seed: number): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`cross-fit: folds must be an integer >= 2, got ${folds}`);
  if (labels.length < folds) throw new Error(`cross-fit: ${labels.length} examples cannot fill ${folds} folds`);
  const byLabel = new Map<number, number[]>();
  labels.forEach((y, i) => {
    const list = byLabel.get(y);
    if (list) list.push(i);
    else byLabel.set(y, [i]);
  });
  const rng = new Rng(mixSeed(seed, 0x464f4c44));
  const fold = new Int32Array(labels.length);
  let dealer = 0;
  for (const label of [...byLabel.keys()].sort((a, b) => a - b)) {
    const members = Int32Array.from(byLabel.get(label) ?? []);
    rng.sampleInPlace(members, members.length);
    for (const i of members) {
      fold[i] = dealer;
      dealer = (dealer + 1) % folds;
    }
  }
  return fold;
}

/** Feature ids of all examples, known features only, at most maxFeatures each. */
export function encodeWithVocabulary(featureLists: readonly (readonly string[])[], vocabulary: Vocabulary, maxFeatures: number): SparseRows {
  const offsets = new Int32Array(featureLists.length + 1);
  let total = 0;
  for (const features of featureLists) total += Math.min(features.length, maxFeatures);
  const ids = new Int32Array(total);
  const lookup = (f: string): number | undefined => vocabulary.ids.get(f);
  let at = 0;
  featureLists.forEach((features, i) => {
    at += featureIdsInto(lookup, features, maxFeatures, ids, at);
    offsets[i + 1] = at;
  });
  return { offsets, ids: ids.slice(0, at) };
}

function fittedWidth(rows: SparseRows): number {
  let widest = 1;
  for (let i = 0; i + 1 < rows.offsets.length; i++) {
    widest = Math.max(widest, (rows.offsets[i + 1] as number) - (rows.offsets[i] as number));
  }
  return Math.min(MAX_FEATURES_CAP, Math.ceil(widest / 16) * 16);
}

export async function trainBuiltin(options: BuiltinTrainingOptions): Promise<BuiltinTrainingResult> {
  const { examples, labels, labelNames, signal, onProgress } = options;
  const k = options.folds ?? DEFAULT_FOLDS;
  const seed = options.seed ?? 0;
  if (labels.length !== examples.length) {
    throw new Error(`cross-fit: ${examples.length} examples but ${labels.length} labels`);
  }
  if (!labelNames.includes(options.negativeLabel)) {
    throw new Error(`cross-fit: negative label ${JSON.stringify(options.negativeLabel)} is not among the labels`);
  }
  const throwIfAborted = (): void => {
    if (signal?.aborted) throw signal.reason ?? new DOMException('training aborted', 'AbortError');
  };

  const featureLists: string[][] = new Array<string[]>(examples.length);
  examples.forEach((example, i) => {
    featureLists[i] = segmentFeatures(example);
  });
  onProgress?.('features', examples.length, examples.length);
  throwIfAborted();
  const vocabulary = buildVocabulary(featureLists, options.vocabulary);
  const encoded = encodeWithVocabulary(featureLists, vocabulary, options.maxFeatures ?? MAX_FEATURES_CAP);
  // The strings are the largest thing training holds (about 1.5 GB at a million examples) and
  // the ids replace them: let them go before the folds train.
  featureLists.length = 0;
  const maxFeatures = options.maxFeatures ?? fittedWidth(encoded);
  onProgress?.('vocabulary', vocabulary.tokens.length, vocabulary.tokens.length);
  throwIfAborted();

  const R = options.repeats ?? 1;
  // The first repeat deals the folds as a single cross-fit always has; the others anew.
  const dealt = Array.from({ length: R }, (_, r) => assignFolds(labels, k, r === 0 ? seed : mixSeed(seed, 0x52455000 + r)));
  const shape = { inputSize: vocabulary.tokens.length, classes: labelNames.length };
  const trainOptions = (phase: string, modelSeed: number, epochs: number | undefined): MlpTrainOptions => ({
    hidden: options.hidden,
    epochs,
    learningRate: options.learningRate,
    seed: mixSeed(seed, modelSeed),
    signal,
    onProgress: (done, total) => onProgress?.(phase, done, total),
  });
  // One repeat: the fold models' own default for their row count, as a single cross-fit always had.
  const foldEpochs = options.epochs ?? (R > 1 ? crossFitEpochs(examples.length, k, R) : undefined);
  const foldName = (f: number, r: number) => `fold ${f + 1} of ${k}${R > 1 ? ` (repeat ${r + 1} of ${R})` : ''}`;
  // Model seeds: 1..k for the first repeat's folds, as with one cross-fit; 0 is the full
  // model's; the cleaned folds add 1000 (repeats are at most 10, folds at most 20).
  const foldSeed = (f: number, r: number) => r * 100 + f + 1;

  const folds: CrossFittedModel[] = [];
  for (let r = 0; r < R; r++) {
    const fold = dealt[r]!;
    for (let f = 0; f < k; f++) {
      const heldOut: number[] = [];
      const training: number[] = [];
      fold.forEach((g, i) => (g === f ? heldOut : training).push(i));
      const model = await trainMlp(encoded, labels, Int32Array.from(training), shape, trainOptions(foldName(f, r), foldSeed(f, r), foldEpochs));
      folds.push({ heldOut: Int32Array.from(heldOut), model });
    }
  }
  const allRows: Int32Array = Int32Array.from({ length: examples.length }, (_, i) => i);
  let cleaned: Int32Array = allRows;
  const fits = options.cleanedFits ?? { full: false, folds: false };
  if (options.cleanedRows && (fits.full || fits.folds)) {
    const K = labelNames.length;
    const outOfFold = new Float32Array(examples.length * K);
    for (const { heldOut, model } of folds) {
      const probs = predictProbabilities(model, encoded, heldOut);
      heldOut.forEach((row, j) => {
        for (let c = 0; c < K; c++) outOfFold[row * K + c]! += probs[j * K + c]! / R;
      });
    }
    cleaned = options.cleanedRows(outOfFold);
    if (cleaned.length === 0) throw new Error('cross-fit: the cleaning left no examples to train on');
  }
  let refitFolds: CrossFittedModel[] | null = null;
  if (fits.folds && options.cleanedRows) {
    const kept = new Uint8Array(examples.length);
    for (const row of cleaned) kept[row] = 1;
    refitFolds = [];
    for (let r = 0; r < R; r++) {
      const fold = dealt[r]!;
      for (let f = 0; f < k; f++) {
        const training: number[] = [];
        fold.forEach((g, i) => {
          if (g !== f && kept[i]) training.push(i);
        });
        // Seeds apart from the first folds' and the full model's (0).
        const model = await trainMlp(encoded, labels, Int32Array.from(training), shape, trainOptions(`cleaned ${foldName(f, r)}`, 1000 + foldSeed(f, r), foldEpochs));
        refitFolds.push({ heldOut: folds[r * k + f]!.heldOut, model });
      }
    }
  }
  const fullRows = fits.full ? cleaned : allRows;
  const full = await trainMlp(encoded, labels, fullRows, shape, trainOptions('full model', 0, options.epochs));
  return { folds, repeats: R, full, refitFolds, vocabulary, maxFeatures, encoded, fullModelExamples: fullRows.length, cleanedExamples: cleaned.length };
}
