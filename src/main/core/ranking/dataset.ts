import { WinnowError } from '../../../shared/errors';
import type { Db } from '../store/database';
import type { RelationExample } from '../model/encoded-batch';
import { RELATION_EXAMPLE_COLUMNS, relationExampleOf, type RelationExampleRow } from '../model/relation-example-row';

/** The examples a run reads, in a fixed order (example row id), as parallel arrays. */
export interface RankingDataset {
  /** Row ids in the examples table. */
  rowIds: Int32Array;
  extIds: string[];
  splits: string[];
  examples: RelationExample[];
  /** Given label of each example, as a project label name. */
  givenLabels: string[];
  /**
   * The label the built-in model trains each example on: the clean set's trusted label where
   * the example is in it, else the given one (withTrustedLabels); the given labels when absent.
   */
  trainingLabels?: string[];
  /** 1 where trainingLabels holds a trusted label (the clean set). */
  trusted?: Uint8Array;
}

type Row = RelationExampleRow & { id: number; extId: string; split: string; label: string };

/**
 * The examples of `splits` (all when absent) and the rows in `alsoRows` (the clean set, which
 * the model and the neighbour searches need even when it is not ranked).
 */
export function loadRankingDataset(db: Db, splits?: readonly string[], alsoRows?: ReadonlySet<number>): RankingDataset {
  if (splits?.length) {
    const known = new Set(db.prepare('SELECT name FROM splits').pluck().all() as string[]);
    const unknown = splits.filter((s) => !known.has(s));
    if (unknown.length) {
      throw new WinnowError('NOT_FOUND', `No split named "${unknown[0]}" in this project (splits: ${[...known].join(', ') || 'none yet'})`);
    }
  }
  const wanted = splits?.length ? new Set(splits) : null;
  const rows = (
    db
      .prepare(
        `SELECT e.id, e.ext_id AS extId, s.name AS split, l.name AS label, ${RELATION_EXAMPLE_COLUMNS}
         FROM examples e JOIN splits s ON s.id = e.split_id JOIN labels l ON l.id = e.label_id ORDER BY e.id`,
      )
      .all() as Row[]
  ).filter((r) => wanted === null || wanted.has(r.split) || alsoRows?.has(r.id) === true);
  return {
    rowIds: Int32Array.from(rows, (r) => r.id),
    extIds: rows.map((r) => r.extId),
    splits: rows.map((r) => r.split),
    givenLabels: rows.map((r) => r.label),
    examples: rows.map(relationExampleOf),
  };
}

/** The examples at `positions` (ascending), as a dataset of their own. */
export function subsetDataset(data: RankingDataset, positions: readonly number[]): RankingDataset {
  return {
    rowIds: Int32Array.from(positions, (p) => data.rowIds[p]!),
    extIds: positions.map((p) => data.extIds[p]!),
    splits: positions.map((p) => data.splits[p]!),
    examples: positions.map((p) => data.examples[p]!),
    givenLabels: positions.map((p) => data.givenLabels[p]!),
    ...(data.trainingLabels && data.trusted
      ? { trainingLabels: positions.map((p) => data.trainingLabels![p]!), trusted: Uint8Array.from(positions, (p) => data.trusted![p]!) }
      : {}),
  };
}

/**
 * The dataset with the clean set's trusted labels as the labels the built-in model trains on:
 * the clean set is trusted by definition (a reference patch's correction, a human decision), so
 * a model that learnt its given label where the two differ would learn the very noise it is
 * there to find.
 */
export function withTrustedLabels(data: RankingDataset, trusted: ReadonlyMap<number, string>): RankingDataset {
  const flags = Uint8Array.from(data.rowIds, (row) => (trusted.has(row) ? 1 : 0));
  return { ...data, trainingLabels: Array.from(data.rowIds, (row, p) => trusted.get(row) ?? data.givenLabels[p]!), trusted: flags };
}
