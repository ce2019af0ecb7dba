import type { ModelQuality, ReliabilityBin } from '../../../shared/quality';
import { tacredScore } from './tacred-score';

/** Bins of the reliability diagram: (0, 0.1], (0.1, 0.2], ... (0.9, 1]. */
export const RELIABILITY_BINS = 10;
export const TOP_CONFUSIONS = 10;

export interface PredictionLine {
  given: string;
  predicted: string;
  /** The model's probability of its prediction. */
  confidence: number;
}

/** Bin of a confidence: bin b holds (b / B, (b + 1) / B]; a confidence of 0 goes to the first. */
export function reliabilityBin(confidence: number, bins = RELIABILITY_BINS): number {
  return Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1));
}

/**
 * The quality readout of a run from its predictions: TACRED micro and macro scores against the
 * given labels, accuracy, the top confusions, and calibration: expected calibration error over
 * equal-width confidence bins (Guo et al. 2017), with the bins for a reliability diagram.
 */
export function modelQuality(lines: readonly PredictionLine[], negativeLabel: string): ModelQuality {
  const score = tacredScore(
    lines.map((l) => l.given),
    lines.map((l) => l.predicted),
    negativeLabel,
  );
  const count = new Array<number>(RELIABILITY_BINS).fill(0);
  const confidenceSum = new Array<number>(RELIABILITY_BINS).fill(0);
  const rightSum = new Array<number>(RELIABILITY_BINS).fill(0);
  const confusions = new Map<string, { given: string; predicted: string; count: number }>();
  let right = 0;
  for (const line of lines) {
    const b = reliabilityBin(line.confidence);
    const hit = line.predicted === line.given;
    count[b]!++;
    confidenceSum[b]! += line.confidence;
    if (hit) {
      rightSum[b]!++;
      right++;
    } else {
      const key = `${line.given}\u0000${line.predicted}`;
      const entry = confusions.get(key) ?? { given: line.given, predicted: line.predicted, count: 0 };
      entry.count++;
      confusions.set(key, entry);
    }
  }
  const n = lines.length;
  let ece = 0;
  const reliability: ReliabilityBin[] = count.map((c, b) => {
    const confidence = c ? confidenceSum[b]! / c : null;
    const accuracy = c ? rightSum[b]! / c : null;
    if (c) ece += (c / n) * Math.abs(accuracy! - confidence!);
    return { from: b / RELIABILITY_BINS, to: (b + 1) / RELIABILITY_BINS, count: c, confidence, accuracy };
  });
  return {
    examples: n,
    microPrecision: score.precision,
    microRecall: score.recall,
    microF1: score.f1,
    macroF1: score.macroF1,
    accuracy: n ? right / n : 0,
    ece,
    perLabel: score.perLabel,
    confusions: [...confusions.values()]
      .sort((a, b) => b.count - a.count || a.given.localeCompare(b.given) || a.predicted.localeCompare(b.predicted))
      .slice(0, TOP_CONFUSIONS),
    reliability,
  };
}
