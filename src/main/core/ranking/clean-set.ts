import { WinnowError } from '../../../shared/errors';
import type { Db } from '../store/database';
import { referenceLabelsByExample } from '../store/reference-sets';
import type { RankingDataset } from './dataset';
import type { CleanSetSpec } from '../../../shared/ranking';

export interface ResolvedCleanSet {
  /** Dataset positions (not row ids), ascending. */
  positions: number[];
  /** Trusted label name for each position. */
  labels: string[];
  description: string;
}

/**
 * The examples ES and ESP trust: a reference patch's examples with the patch's labels, the
 * examples a human already decided (kept ones with their label, reannotated ones with the new
 * label; eliminated ones are left out), or a whole split with its given labels.
 */
export function resolveCleanSet(db: Db, data: RankingDataset, spec: CleanSetSpec): ResolvedCleanSet {
  const positionOfRow = new Map<number, number>();
  data.rowIds.forEach((row, i) => positionOfRow.set(row, i));
  const trusted = new Map<number, string>();
  switch (spec.kind) {
    case 'reference':
      for (const [row, label] of referenceLabelsByExample(db, spec.name)) {
        const position = positionOfRow.get(row);
        if (position !== undefined) trusted.set(position, label);
      }
      break;
    case 'decided': {
      const rows = db
        .prepare(
          `SELECT d.example_id AS row, d.action, l.name AS label FROM decisions d
           LEFT JOIN labels l ON l.id = d.label_id
           WHERE d.id IN (SELECT max(id) FROM decisions GROUP BY example_id)`,
        )
        .all() as { row: number; action: string; label: string | null }[];
      for (const r of rows) {
        const position = positionOfRow.get(r.row);
        if (position === undefined) continue;
        if (r.action === 'keep') trusted.set(position, data.givenLabels[position]!);
        else if (r.action === 'reannotate' && r.label) trusted.set(position, r.label);
      }
      break;
    }
    case 'split':
      data.splits.forEach((split, i) => {
        if (split === spec.name) trusted.set(i, data.givenLabels[i]!);
      });
      break;
  }
  if (trusted.size === 0) {
    const what = spec.kind === 'decided' ? 'no example has been kept or reannotated yet' : `"${spec.name}" covers none of the ranked examples`;
    throw new WinnowError('INVALID_INPUT', `The clean set is empty: ${what}`);
  }
  const positions = [...trusted.keys()].sort((a, b) => a - b);
  return {
    positions,
    labels: positions.map((p) => trusted.get(p)!),
    description: spec.kind === 'decided' ? 'decided examples' : `${spec.kind}:${spec.name}`,
  };
}
