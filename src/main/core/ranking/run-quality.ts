import { ModelQuality } from '../../../shared/quality';
import { modelQuality, type PredictionLine } from '../metrics/model-quality';
import type { Db } from '../store/database';
import { readNegativeLabel } from '../store/project-summary';

/**
 * A run's model-quality readout. It is computed when the run is saved, from the very values
 * stored as its predictions (argmax label and its probability), so that `winnow predictions`
 * lets anyone recompute every figure; runs saved before the readout existed get it computed
 * from those stored predictions when asked.
 */

export interface ExamplePrediction extends PredictionLine {
  id: string;
  split: string;
}

/** Argmax (the first of equal maxima) and its probability, per row of `probs`. */
export function predictionLines(probs: Float32Array, labels: readonly string[], givenLabels: readonly string[]): PredictionLine[] {
  const K = labels.length;
  return givenLabels.map((given, i) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (probs[i * K + k]! > probs[i * K + best]!) best = k;
    return { given, predicted: labels[best]!, confidence: probs[i * K + best]! };
  });
}

export function saveRunQuality(db: Db, runId: number, quality: ModelQuality): void {
  // The table, not the view of published runs: the run is saved before it is published.
  db.prepare('UPDATE run_rows SET quality = ? WHERE id = ?').run(JSON.stringify(quality), runId);
}

/** Every ranked example of a run with its given label, the prediction and its probability, by example. */
export function* iteratePredictions(db: Db, runId: number): Generator<ExamplePrediction> {
  const rows = db
    .prepare(
      `SELECT e.ext_id AS id, s.name AS split, g.name AS given, l.name AS predicted, p.predicted_prob AS confidence
       FROM predictions p JOIN examples e ON e.id = p.example_id JOIN splits s ON s.id = e.split_id
       JOIN labels g ON g.id = e.label_id JOIN labels l ON l.id = p.predicted_label_id
       WHERE p.run_id = ? ORDER BY e.id`,
    )
    .iterate(runId) as IterableIterator<ExamplePrediction>;
  yield* rows;
}

/** The stored readout of a run, or (older runs) the one its stored predictions give. */
export function runQuality(db: Db, runId: number): ModelQuality | null {
  // summary.examples counts the ranked examples, the rows of `predictions` (read from the run's
  // row: counting a 1M-example run's predictions on every run listing would cost more).
  const row = db.prepare("SELECT quality, json_extract(summary, '$.examples') AS ranked FROM runs WHERE id = ?").get(runId) as { quality: string | null; ranked: number | null } | undefined;
  if (row === undefined) return null;
  if (row.quality !== null) {
    const parsed = ModelQuality.safeParse(JSON.parse(row.quality));
    // Runs saved with a clean set before 2026-12-04 stored a readout that also counted the clean
    // set's examples; one that does not cover exactly the ranked examples is recomputed.
    if (parsed.success && (row.ranked === null || parsed.data.examples === row.ranked)) return parsed.data;
  }
  const lines = [...iteratePredictions(db, runId)];
  if (!lines.length) return null;
  const quality = modelQuality(lines, readNegativeLabel(db));
  // Derived from stored rows only, so keeping it is a cache; a read-only connection skips that.
  if (!db.readonly) saveRunQuality(db, runId, quality);
  return quality;
}
