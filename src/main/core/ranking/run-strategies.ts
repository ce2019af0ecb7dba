import { WinnowError } from '../../../shared/errors';
import { findLabelIssues, labelQualityScores } from '../noise/confident-learning';
import { runExtrinsic } from '../noise/extrinsic';
import { runIntrinsic, TRUSTED_ANCHOR_MIN_PROB } from '../noise/intrinsic';
import { runKnnDisagreement } from '../noise/knn-disagreement';
import type { Flag } from '../noise/strategy-types';
import { createNeighbourSearch, type NeighbourSearch, type SearchReport } from '../inference/search-method';
import type { ModelOutputs, Progress } from './model-outputs';
import type { StrategyName } from '../../../shared/strategies';
import type { RankOptions } from './rank-options';

export interface StrategyRun {
  flags: Flag[];
  /** What each strategy used, stored with the run. */
  notes: Partial<Record<StrategyName, string>>;
  timings: Record<string, number>;
  /** Clean examples left out because the model does not know their trusted label. */
  cleanSkipped: number;
  /** Dataset positions of the clean examples ES/ESP used. */
  cleanUsed: number[];
  /** Which neighbour search each strategy used, with its measured recall. */
  searches: Partial<Record<StrategyName, SearchReport>>;
}

/**
 * Confident learning as a strategy: cleanlab's find_label_issues (filter_by as chosen), then
 * only the issues whose out-of-sample margin of the suggestion (the most probable label) over
 * the given one is at least `clMinMargin`; score = 1 - cleanlab's label quality (clScore).
 *
 * Why the margin: with a model that is often wrong, cleanlab's confident joint counts the
 * model's own confusions as label issues. On SemEval-2010 with 11% injected noise the built-in
 * model disagrees with a third of the given labels, and find_label_issues flagged 27% of the
 * examples at 29% precision, so that dropping or relabelling them (CL-E, CL-R) made a
 * retrained model worse than the noisy data. Issues the model calls by a wide margin are the
 * label errors; close calls are mostly the model's errors (BENCHMARKS.md). 0 keeps cleanlab's
 * set exactly.
 *
 * Why positives are not flagged towards the negative label by default (clPositives): a model
 * fitted on data with false negatives learns to say the negative label for true positives of
 * the same kind, so those issues were about 11% precise on SemEval with injected noise, against
 * 34% for positives suggested as another relation; relabelling them undid correct labels.
 * `negative` is the negative label's index, or -1 when the project has none.
 */
export function confidentLearningFlags(
  labels: Int32Array,
  probs: Float32Array,
  numLabels: number,
  predictions: Int32Array,
  negative: number,
  options: Pick<RankOptions, 'clFilterBy' | 'clScore' | 'clMinMargin' | 'clPositives'>,
): Flag[] {
  const probs64 = Float64Array.from(probs);
  const issues = findLabelIssues(labels, probs64, numLabels, { filterBy: options.clFilterBy });
  const quality = labelQualityScores(labels, probs64, numLabels, options.clScore);
  const flags: Flag[] = [];
  for (const i of issues) {
    const suggested = predictions[i]!;
    const margin = probs64[i * numLabels + suggested]! - probs64[i * numLabels + labels[i]!]!;
    if (options.clMinMargin > 0 && margin < options.clMinMargin) continue;
    if (options.clPositives === 'other-relations' && suggested === negative && labels[i] !== negative) continue;
    flags.push({ index: i, strategy: 'cl', score: 1 - quality[i]!, suggested, evidence: { neighbours: [] } });
  }
  return flags.sort((a, b) => b.score - a.score || a.index - b.index);
}

/**
 * Runs the chosen strategies over the model outputs. Labels are indices into the model's
 * label order; given labels the model does not know are refused up front. `clean` maps
 * dataset positions to trusted label names (ES/ESP only).
 */
export async function runStrategies(
  givenLabels: string[],
  extIds: string[],
  outputs: ModelOutputs,
  clean: ReadonlyMap<number, string> | null,
  options: RankOptions,
  signal: AbortSignal | undefined,
  progress: Progress,
): Promise<StrategyRun> {
  const K = outputs.labels.length;
  const n = givenLabels.length;
  const index = new Map(outputs.labels.map((l, i) => [l, i]));
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = index.get(givenLabels[i]!);
    if (label === undefined) {
      throw new WinnowError('INVALID_INPUT', `Example "${extIds[i]}" has label "${givenLabels[i]}", which the model (${outputs.modelName}) does not know; its labels are ${outputs.labels.slice(0, 8).join(', ')}${K > 8 ? ', …' : ''}`);
    }
    labels[i] = label;
  }
  const negative = index.get(outputs.negativeLabel)!;
  const argmax = (probs: Float32Array) => {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (probs[i * K + k]! > probs[i * K + best]!) best = k;
      out[i] = best;
    }
    return out;
  };
  const predictions = argmax(outputs.probs);
  // IS reads the first fit (its anchors are that model's false negatives); the others read the
  // cleaned second fit when there is one (probabilityFit), except KNN's score (see
  // knn-disagreement.ts: the first fit's probabilities order its flags better).
  const cleanedProbs = outputs.cleanedProbs ?? outputs.probs;
  const cleanedPredictions = outputs.cleanedProbs ? argmax(outputs.cleanedProbs) : predictions;
  const probsNote = outputs.cleanedProbsSource ? `; probabilities: ${outputs.cleanedProbsSource}` : '';
  const flags: Flag[] = [];
  const notes: StrategyRun['notes'] = {};
  const timings: Record<string, number> = {};
  let cleanSkipped = 0;
  const cleanIndices: number[] = [];
  const cleanLabels: number[] = [];
  if (clean) {
    for (const [position, name] of [...clean].sort((a, b) => a[0] - b[0])) {
      const label = index.get(name);
      if (label === undefined) cleanSkipped++;
      else {
        cleanIndices.push(position);
        cleanLabels.push(label);
      }
    }
  }
  const needsEmbedding = (name: StrategyName, embedding: Float32Array | null) => {
    if (!embedding) {
      throw new WinnowError('INVALID_INPUT', `Strategy ${name.toUpperCase()} needs an embedding, and ${outputs.modelName} provides none; run CL only, or supply embeddings`);
    }
    return embedding;
  };
  const searches: StrategyRun['searches'] = {};
  const searchFor = (name: StrategyName): NeighbourSearch =>
    createNeighbourSearch({
      mode: options.neighbours,
      providers: options.providers,
      ivf: { nlist: options.ivfLists, nprobe: options.ivfProbes, seed: options.seed },
      onReport: (report) => {
        searches[name] = report;
      },
    });
  for (const strategy of options.strategies) {
    if (signal?.aborted) throw new WinnowError('CANCELLED', 'Ranking cancelled');
    const start = performance.now();
    const report = (done: number, total: number) => progress(`strategy ${strategy.toUpperCase()}`, done, total);
    report(0, 1);
    switch (strategy) {
      case 'cl': {
        flags.push(...confidentLearningFlags(labels, cleanedProbs, K, cleanedPredictions, negative, options));
        const positivesNote = options.clPositives === 'other-relations' ? '; positives flagged only towards another relation' : '';
        notes.cl = `filter_by=${options.clFilterBy}; issues kept when p(suggested) - p(given) >= ${options.clMinMargin}${positivesNote}; score = 1 - ${options.clScore}${probsNote}`;
        break;
      }
      case 'is': {
        const embeddings = needsEmbedding('is', outputs.embedding);
        const anchorMinSelfProb = options.isAnchors === 'trusted' ? TRUSTED_ANCHOR_MIN_PROB : 0;
        flags.push(
          ...(await runIntrinsic(
            { labels, predictions, probs: outputs.probs, negative, numLabels: K, embeddings, dim: outputs.embeddingDim, k: options.k, providers: options.providers, search: searchFor('is'), signal, onProgress: report },
            { anchorMinSelfProb, minMargin: options.isMinMargin },
          )),
        );
        notes.is = `embedding: ${outputs.embeddingSources.task}; anchors: ${options.isAnchors === 'trusted' ? `trusted (own label's probability >= ${TRUSTED_ANCHOR_MIN_PROB})` : 'all'}; ${options.isMinMargin > -1 ? `flagged when p(suggested) - p(negative) >= ${options.isMinMargin}` : 'every neighbour of an anchor flagged'}; score = p(suggested) x reliability x anchors' vote margin`;
        break;
      }
      case 'es':
      case 'esp': {
        if (!clean) throw new WinnowError('INVALID_INPUT', `Strategy ${strategy.toUpperCase()} needs a clean set: split:<name>, reference:<name> or decided`);
        const embeddings = needsEmbedding(strategy, outputs.embedding);
        const found = await runExtrinsic(
          { labels, probs: cleanedProbs, negative, numLabels: K, embeddings, dim: outputs.embeddingDim, k: options.k, providers: options.providers, search: searchFor(strategy), signal, onProgress: report, clean: { indices: Int32Array.from(cleanIndices), labels: Int32Array.from(cleanLabels) } },
          { positivesToo: strategy === 'esp' },
        );
        flags.push(...found);
        notes[strategy] = `embedding: ${outputs.embeddingSources.task}; clean set: ${cleanIndices.length} examples; score = p(suggested) x reliability x clean neighbours' vote margin${probsNote}`;
        break;
      }
      case 'knn': {
        const embeddings = needsEmbedding('knn', outputs.knnEmbedding);
        flags.push(
          ...(await runKnnDisagreement(
            { labels, negative, numLabels: K, embeddings, dim: outputs.knnEmbeddingDim, k: options.knnK, providers: options.providers, search: searchFor('knn'), signal, onProgress: report },
            { threshold: options.knnThreshold, model: { probs: cleanedProbs, minMargin: options.knnMinMargin, scoreProbs: outputs.probs } },
          )),
        );
        notes.knn = `embedding: ${outputs.embeddingSources.knn}; ${options.knnK} neighbours, flagged above ${options.knnThreshold} of their weight${options.knnMinMargin > -1 ? ` when p(suggested) - p(given) >= ${options.knnMinMargin}` : ''}; score = p(suggested) x reliability x vote margin${probsNote ? `${probsNote} (the check; the score reads the first fit)` : ''}`;
        break;
      }
    }
    timings[`strategy:${strategy}`] = Math.round(performance.now() - start);
  }
  return { flags, notes, timings, cleanSkipped, cleanUsed: cleanIndices, searches };
}
