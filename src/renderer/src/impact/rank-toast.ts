import type { RankSummary } from '../../../shared/domain';

/** What a finished ranking says: where it ran, what it flagged, and how good its model is. */
export function rankToast(result: RankSummary): string {
  const head = `Run ${result.runId} finished on ${result.provider}: ${result.queue} examples flagged`;
  const q = result.quality;
  return q ? `${head}. Model against the given labels: micro-F1 ${q.microF1.toFixed(3)}, macro-F1 ${q.macroF1.toFixed(3)}, ECE ${q.ece.toFixed(3)} (details in the report)` : head;
}
