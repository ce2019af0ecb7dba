import { WinnowError } from '../../../shared/errors';
import { findLabelIssues, labelQualityScores } from '../noise/confident-learning';
import { runExtrinsic } from '../noise/extrinsic';
import { runIntrinsic } from '../noise/intrinsic';
import { runKnnDisagreement } from '../noise/knn-disagreement';
import type { Flag } from '../noise/strategy-types';
import type { ModelOutputs, Progress } from './model-outputs';
import type { ResolvedCleanSet } from './clean-set';
import type { StrategyName } from '../../../shared/strategies';
import type { RankOptions } from './rank-options';

export interface StrategyRun {
  flags: Flag[];
  /** What each strategy used, stored with the run. */
  notes: Partial<Record<StrategyName, string>>;
  timings: Record<string, number>;
  cleanSkipped: number;
}

/**
 * Runs the chosen strategies over the model outputs. Labels are indices into the model's
 * label order; given labels the model does not know are refused up front.
 */
export async function runStrategies(
  givenLabels: string[],
  extIds: string[],
  outputs: ModelOutputs,
  clean: ResolvedCleanSet | null,
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
  const predictions = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (outputs.probs[i * K + k]! > outputs.probs[i * K + best]!) best = k;
    predictions[i] = best;
  }
  const flags: Flag[] = [];
  const notes: StrategyRun['notes'] = {};
  const timings: Record<string, number> = {};
  let cleanSkipped = 0;
  const needsEmbedding = (name: StrategyName, embedding: Float32Array | null) => {
    if (!embedding) {
      throw new WinnowError('INVALID_INPUT', `Strategy ${name.toUpperCase()} needs an embedding, and ${outputs.modelName} provides none; run CL only, or supply embeddings`);
    }
    return embedding;
  };
  for (const strategy of options.strategies) {
    if (signal?.aborted) throw new WinnowError('CANCELLED', 'Ranking cancelled');
    const start = performance.now();
    const report = (done: number, total: number) => progress(`strategy ${strategy.toUpperCase()}`, done, total);
    report(0, 1);
    switch (strategy) {
      case 'cl': {
        const probs64 = Float64Array.from(outputs.probs);
        const issues = findLabelIssues(labels, probs64, K, { filterBy: options.clFilterBy });
        const quality = labelQualityScores(labels, probs64, K, 'self_confidence');
        for (const i of issues) {
          flags.push({ index: i, strategy: 'cl', score: 1 - quality[i]!, suggested: predictions[i]!, evidence: { neighbours: [] } });
        }
        notes.cl = `filter_by=${options.clFilterBy}; score = 1 - self_confidence`;
        break;
      }
      case 'is': {
        const embeddings = needsEmbedding('is', outputs.embedding);
        flags.push(...(await runIntrinsic({ labels, predictions, negative, numLabels: K, embeddings, dim: outputs.embeddingDim, k: options.k, providers: options.providers, signal, onProgress: report })));
        notes.is = `embedding: ${outputs.embeddingSources.task}`;
        break;
      }
      case 'es':
      case 'esp': {
        if (!clean) throw new WinnowError('INVALID_INPUT', `Strategy ${strategy.toUpperCase()} needs a clean set: reference:<name>, decided or split:<name>`);
        const embeddings = needsEmbedding(strategy, outputs.embedding);
        const cleanIndices: number[] = [];
        const cleanLabels: number[] = [];
        clean.positions.forEach((position, j) => {
          const label = index.get(clean.labels[j]!);
          if (label === undefined) cleanSkipped++;
          else {
            cleanIndices.push(position);
            cleanLabels.push(label);
          }
        });
        const found = await runExtrinsic(
          { labels, negative, numLabels: K, embeddings, dim: outputs.embeddingDim, k: options.k, providers: options.providers, signal, onProgress: report, clean: { indices: Int32Array.from(cleanIndices), labels: Int32Array.from(cleanLabels) } },
          { positivesToo: strategy === 'esp' },
        );
        flags.push(...found);
        notes[strategy] = `embedding: ${outputs.embeddingSources.task}; clean set: ${clean.description} (${cleanIndices.length} examples)`;
        break;
      }
      case 'knn': {
        const embeddings = needsEmbedding('knn', outputs.knnEmbedding);
        flags.push(...(await runKnnDisagreement({ labels, negative, numLabels: K, embeddings, dim: outputs.knnEmbeddingDim, k: options.k, providers: options.providers, signal, onProgress: report })));
        notes.knn = `embedding: ${outputs.embeddingSources.knn}`;
        break;
      }
    }
    timings[`strategy:${strategy}`] = Math.round(performance.now() - start);
  }
  return { flags, notes, timings, cleanSkipped };
}
