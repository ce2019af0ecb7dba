import { VARIANTS, type CompareVariant } from '../../../shared/compare';
import { planChanges } from '../export/change-plan';
import { recordOutcome, splitRowBatches } from '../export/record-selection';
import { rewriteRelation } from '../export/rewrite-relation';
import type { RelationExample } from '../model/encoded-batch';
import { RELATION_EXAMPLE_COLUMNS, relationExampleOf, type RelationExampleRow } from '../model/relation-example-row';
import type { Db } from '../store/database';

/** A split's examples in file order, with what a model and a trainer need of each. */
export interface SplitExamples {
  name: string;
  splitId: number;
  exampleIds: number[];
  ids: string[];
  labels: string[];
  examples: RelationExample[];
}

export function loadSplitExamples(db: Db, name: string): SplitExamples {
  const split = db.prepare('SELECT id FROM splits WHERE name = ?').get(name) as { id: number } | undefined;
  if (!split) throw new Error(`no split ${name}`);
  const rows = db
    .prepare(
      `SELECT e.id AS exampleId, e.ext_id AS id, l.name AS label, ${RELATION_EXAMPLE_COLUMNS}
       FROM examples e JOIN labels l ON l.id = e.label_id WHERE e.split_id = ? ORDER BY e.position`,
    )
    .all(split.id) as (RelationExampleRow & { exampleId: number; id: string; label: string })[];
  return {
    name,
    splitId: split.id,
    exampleIds: rows.map((r) => r.exampleId),
    ids: rows.map((r) => r.id),
    labels: rows.map((r) => r.label),
    examples: rows.map(relationExampleOf),
  };
}

/** One variant's training set: the records it keeps, in file order, under their labels. */
export interface VariantSet {
  name: CompareVariant;
  /** Example row ids kept, in file order. */
  exampleIds: number[];
  labels: string[];
  /** The records as the export writes them (relabelled ones rewritten); only when asked for. */
  texts: string[] | null;
  removed: number;
  relabelled: number;
}

/**
 * Builds a variant's training set with the export's own plan (change-plan.ts) and record rule
 * (record-selection.ts): the records and labels are those `winnow export` writes for the same
 * options (auto variants without decisions overriding: the paper's datasets).
 */
export function buildVariantSet(db: Db, input: { split: string; splitId: number; variant: CompareVariant; runId: number | null; withTexts: boolean }): VariantSet {
  const info = VARIANTS[input.variant];
  const plan = planChanges(db, {
    splitId: input.splitId,
    mode: info.mode,
    apply: info.apply,
    runId: input.runId ?? undefined,
    strategy: info.strategy ?? undefined,
    decisionsOverride: false,
  });
  const set: VariantSet = { name: input.variant, exampleIds: [], labels: [], texts: input.withTexts ? [] : null, removed: 0, relabelled: 0 };
  for (const rows of splitRowBatches(db, input.splitId)) {
    for (const row of rows) {
      const outcome = recordOutcome(plan, row);
      if (outcome.kind === 'eliminated') {
        set.removed++;
        continue;
      }
      if (outcome.kind === 'relabelled') set.relabelled++;
      set.exampleIds.push(row.exampleId);
      set.labels.push(outcome.label);
      set.texts?.push(outcome.kind === 'relabelled' ? rewriteRelation(row.raw, outcome.label, `split "${input.split}", record ${row.position} (id "${row.id}")`) : row.raw);
    }
  }
  return set;
}
