import type { Db } from '../store/database';
import type { RelationExample } from '../model/encoded-batch';

/** The examples a run ranks, in a fixed order (example row id), as parallel arrays. */
export interface RankingDataset {
  /** Row ids in the examples table. */
  rowIds: Int32Array;
  extIds: string[];
  splits: string[];
  examples: RelationExample[];
  /** Given label of each example, as a project label name. */
  givenLabels: string[];
}

export function loadRankingDataset(db: Db, splits?: readonly string[]): RankingDataset {
  const where = splits?.length ? `WHERE s.name IN (${splits.map(() => '?').join(',')})` : '';
  const rows = db
    .prepare(
      `SELECT e.id, e.ext_id AS extId, s.name AS split, l.name AS label, e.tokens, e.subj_start AS subjStart, e.subj_end AS subjEnd,
              e.obj_start AS objStart, e.obj_end AS objEnd, e.subj_type AS subjType, e.obj_type AS objType
       FROM examples e JOIN splits s ON s.id = e.split_id JOIN labels l ON l.id = e.label_id ${where} ORDER BY e.id`,
    )
    .all(...(splits ?? [])) as (Omit<RelationExample, 'tokens'> & { id: number; extId: string; split: string; label: string; tokens: string })[];
  return {
    rowIds: Int32Array.from(rows, (r) => r.id),
    extIds: rows.map((r) => r.extId),
    splits: rows.map((r) => r.split),
    givenLabels: rows.map((r) => r.label),
    examples: rows.map((r) => ({
      tokens: JSON.parse(r.tokens) as string[],
      subjStart: r.subjStart,
      subjEnd: r.subjEnd,
      objStart: r.objStart,
      objEnd: r.objEnd,
      subjType: r.subjType,
      objType: r.objType,
    })),
  };
}
