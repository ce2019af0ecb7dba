import { z } from 'zod';
import { CompareResult } from './compare';
import { ModelQuality } from './quality';
import { StrategyName } from './strategies';
import { AgreementSection } from './team';

/** One strategy's flags scored against a reference patch (the paper's evaluation). */
export const StrategyEvaluation = z.object({
  /** A strategy, or `any`: the union of the run's flags. */
  strategy: z.union([StrategyName, z.literal('any')]),
  flagged: z.number(),
  /** Flagged examples the reference covers. */
  flaggedCovered: z.number(),
  /** Share of covered flagged examples whose reference label differs from the given one. */
  precision: z.number().nullable(),
  /** Share of the reference's changes (covered, ranked examples) that were flagged. */
  recall: z.number().nullable(),
  /** Among flagged examples the reference changed: how often the suggestion is the reference label. */
  suggestionAccuracy: z.number().nullable(),
  /** The paper's view: share of flagged negatives that the reference calls positive. */
  negativesToPositive: z.number().nullable(),
});
export type StrategyEvaluation = z.infer<typeof StrategyEvaluation>;

export const RunEvaluation = z.object({
  runId: z.number(),
  reference: z.string(),
  covered: z.number(),
  changed: z.number(),
  strategies: z.array(StrategyEvaluation),
});
export type RunEvaluation = z.infer<typeof RunEvaluation>;

/** What the report screen and the saved HTML report show (see core/export/report-data). */
export const ReportData = z.object({
  appVersion: z.string(),
  generatedAt: z.string(),
  negativeLabel: z.string(),
  splits: z.array(z.object({ name: z.string(), count: z.number(), sha256: z.string().nullable() })),
  run: z.object({ id: z.number(), createdAt: z.string(), model: z.string(), modelHash: z.string(), provider: z.string(), strategies: z.array(StrategyName), params: z.record(z.string(), z.unknown()) }),
  /** Whole project; "after" applies every current decision (eliminate drops, reannotate relabels; an unadjudicated conflict leaves the example as it was). */
  labels: z.object({ names: z.array(z.string()), before: z.array(z.number()), after: z.array(z.number()) }),
  decided: z.object({ keep: z.number(), eliminate: z.number(), reannotate: z.number() }),
  flags: z.object({
    strategies: z.array(StrategyName),
    counts: z.array(z.number()),
    /** examplesByAgreement[k - 1]: examples flagged by exactly k strategies. */
    examplesByAgreement: z.array(z.number()),
    /** pairwise[i][j]: examples flagged by both strategies i and j (the diagonal: by i). */
    pairwise: z.array(z.array(z.number())),
    queue: z.number(),
  }),
  /**
   * Decided examples, each once, in the bucket of the record that gave it its current decision
   * (so the series add up to `decided`); `logRecords` counts every record of the log.
   */
  decisionsOverTime: z.object({
    bucket: z.enum(['hour', 'day']),
    labels: z.array(z.string()),
    series: z.record(z.enum(['keep', 'eliminate', 'reannotate']), z.array(z.number())),
    logRecords: z.number().int(),
  }),
  evaluation: RunEvaluation.nullable(),
  /** The run's model against the given labels (see quality.ts). */
  quality: ModelQuality.nullable(),
  /** The latest retraining comparison made with this run (see compare.ts). */
  comparison: CompareResult.nullable(),
  /** Agreement between annotators (merged logs); null with fewer than two annotators. */
  agreement: AgreementSection.nullable(),
});
export type ReportData = z.infer<typeof ReportData>;
