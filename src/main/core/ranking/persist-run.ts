import type { Db } from '../store/database';
import { readNegativeLabel } from '../store/project-summary';
import { modelQuality } from '../metrics/model-quality';
import { predictionLines, saveRunQuality } from './run-quality';
import { LabelTable } from '../store/labels';
import type { Flag } from '../noise/strategy-types';
import { mergeFlags } from '../noise/triage-queue';
import type { RankingDataset } from './dataset';
import type { ModelOutputs } from './model-outputs';
import type { RankOptions } from './rank-options';
import { removeUnpublished, writeInBatches } from '../store/unpublished';
import { storageError } from '../errors/storage-errors';

export interface RunRecord {
  options: RankOptions;
  outputs: ModelOutputs;
  /** Flags on ranked examples only. */
  flags: Flag[];
  /** 1 for the dataset positions the run ranks (the clean set is read, not ranked). */
  ranked: Uint8Array;
  negativeLabel: string;
  notes: Record<string, string>;
  timings: Record<string, number>;
  summary: Record<string, unknown>;
}

function blob(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/**
 * Writes a finished run: the run, every example's prediction, the flags with their evidence,
 * and the merged triage queue. The rows go in short batches into a run that no reader sees
 * (state 'saving'), so the write lock is never held for long; one small transaction then
 * publishes it. A run is there whole or not at all: a failure removes the unpublished rows,
 * and those of a killed process are removed at the next open, import or ranking.
 */
export async function persistRun(db: Db, data: RankingDataset, record: RunRecord, options: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {}): Promise<number> {
  const { outputs } = record;
  const K = outputs.labels.length;
  const labels = new LabelTable(db);
  const describe = (i: number) => data.extIds[i]!;
  let modelLabelIds: number[] = [];
  const runId = db
    .transaction(() => {
      modelLabelIds = outputs.labels.map((l) => labels.idFor(l));
      return Number(
        db
          .prepare(
            `INSERT INTO run_rows (created_at, model_kind, model_name, model_hash, provider, providers_skipped, params, timings, label_order, summary, negative_label, state, owner_pid)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'saving', ?)`,
          )
          .run(
            new Date().toISOString(),
            outputs.modelKind,
            outputs.modelName,
            outputs.modelHash,
            outputs.provider,
            JSON.stringify(outputs.skipped),
            JSON.stringify({ ...record.options, embeddings: outputs.embeddingSources, strategyNotes: record.notes }),
            JSON.stringify(record.timings),
            JSON.stringify(outputs.labels),
            JSON.stringify(record.summary),
            record.negativeLabel,
            process.pid,
          ).lastInsertRowid,
      );
    })
    .immediate();
  try {
    // Over the ranked examples only, the rows `winnow predictions` prints: the clean set is
    // trained on, so its predictions are not out-of-fold and would flatter the readout.
    const rankedLines = predictionLines(outputs.probs, outputs.labels, data.givenLabels).filter((_, i) => record.ranked[i]);
    saveRunQuality(db, runId, modelQuality(rankedLines, readNegativeLabel(db)));
    const labelIndex = new Map(outputs.labels.map((l, i) => [l, i]));
    // ESP's flags on negatives are ES's flags; counting both would inflate agreement.
    const ranEs = record.flags.some((f) => f.strategy === 'es');
    const negative = labelIndex.get(record.negativeLabel);
    const forQueue = record.flags.filter((f) => !(ranEs && f.strategy === 'esp' && labelIndex.get(data.givenLabels[f.index]!) === negative));
    const byStrategy = new Map<string, Flag[]>();
    // Appended in place: copying the list for every flag made saving quadratic (311 s for the
    // 250k flags of a 1M-example run).
    for (const flag of forQueue) {
      const list = byStrategy.get(flag.strategy);
      if (list) list.push(flag);
      else byStrategy.set(flag.strategy, [flag]);
    }
    const queue = mergeFlags([...byStrategy.values()]);
    // The clean set is read, not ranked: only ranked examples get a prediction row.
    const rankedPositions: number[] = [];
    for (let i = 0; i < data.rowIds.length; i++) if (record.ranked[i]) rankedPositions.push(i);
    const n = rankedPositions.length;
    const total = n + record.flags.length + queue.length;
    let written = 0;
    const onBatch = (offset: number) => (done: number) => options.onProgress?.(written + offset + done, total);

    const insertPrediction = db.prepare(
      'INSERT INTO predictions (run_id, example_id, predicted_label_id, predicted_prob, given_prob, probs, embedding) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const dim = outputs.embeddingDim;
    await writeInBatches(
      db,
      n,
      (r) => {
        const i = rankedPositions[r]!;
        const row = outputs.probs.subarray(i * K, (i + 1) * K);
        let best = 0;
        for (let k = 1; k < K; k++) if (row[k]! > row[best]!) best = k;
        const given = labelIndex.get(data.givenLabels[i]!);
        insertPrediction.run(
          runId,
          data.rowIds[i],
          modelLabelIds[best],
          row[best],
          given === undefined ? 0 : row[given],
          blob(row),
          outputs.embedding ? blob(outputs.embedding.subarray(i * dim, (i + 1) * dim)) : null,
        );
      },
      { onBatch: onBatch(0), signal: options.signal },
    );
    written += n;

    const insertFlag = db.prepare('INSERT INTO flags (run_id, example_id, strategy, score, suggested_label_id, evidence) VALUES (?, ?, ?, ?, ?, ?)');
    const item = (e: { index: number; similarity: number; label: number }) => ({ id: describe(e.index), label: outputs.labels[e.label], similarity: Math.round(e.similarity * 1e6) / 1e6 });
    await writeInBatches(
      db,
      record.flags.length,
      (i) => {
        const flag = record.flags[i]!;
        const evidence: Record<string, unknown> = { neighbours: flag.evidence.neighbours.map(item) };
        if (flag.evidence.anchors) evidence.anchors = flag.evidence.anchors.map(item);
        insertFlag.run(runId, data.rowIds[flag.index], flag.strategy, flag.score, modelLabelIds[flag.suggested], JSON.stringify(evidence));
      },
      { onBatch: onBatch(0), signal: options.signal },
    );
    written += record.flags.length;

    const insertQueue = db.prepare('INSERT INTO queue (run_id, example_id, rank, agreement, top_score, suggested_label_id, strategies) VALUES (?, ?, ?, ?, ?, ?, ?)');
    await writeInBatches(
      db,
      queue.length,
      (rank) => {
        const entry = queue[rank]!;
        const strategies = Object.fromEntries(
          Object.entries(entry.strategies).map(([name, v]) => [name, { score: v!.score, suggested: outputs.labels[v!.suggested] }]),
        );
        insertQueue.run(runId, data.rowIds[entry.index], rank, entry.agreement, entry.topScore, modelLabelIds[entry.suggested], JSON.stringify(strategies));
      },
      { onBatch: onBatch(0), signal: options.signal },
    );
    // A cancel while saving still wins, up to the commit point.
    options.signal?.throwIfAborted();
    // The commit point: the whole run becomes visible in one small update.
    db.transaction(() => {
      db.prepare("UPDATE run_rows SET state = 'published', owner_pid = NULL WHERE id = ? AND state = 'saving'").run(runId);
    }).immediate();
    return runId;
  } catch (error) {
    // Left for the next open or job if this fails too.
    await removeUnpublished(db, 'run', runId).catch(() => undefined);
    throw storageError(error, db.name) ?? error;
  }
}
