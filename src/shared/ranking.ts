import { z } from 'zod';
import { ReferenceName, SplitName } from './names';
import { ModelQuality } from './quality';
import { STRATEGY_NAMES, StrategyName } from './strategies';

/** Where the clean set for ES/ESP comes from. */
export const CleanSetSpec = z.union([
  z.object({ kind: z.literal('reference'), name: ReferenceName }),
  z.object({ kind: z.literal('decided') }),
  z.object({ kind: z.literal('split'), name: SplitName }),
]);
export type CleanSetSpec = z.infer<typeof CleanSetSpec>;

/** cleanlab's `filter_by` modes (find_label_issues). */
export const ClFilterBy = z.enum(['prune_by_noise_rate', 'prune_by_class', 'both', 'confident_learning', 'predicted_neq_given']);
export type ClFilterBy = z.infer<typeof ClFilterBy>;

/**
 * The model spec, with the file reference left open: the engine names files by path, the
 * contract by token (see files.ts), and nothing else may differ between the two.
 */
export function modelSpecSchema<Ref extends z.ZodType<string>>(ref: Ref) {
  return z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('builtin') }),
    z.object({ kind: z.literal('package'), dir: ref }),
    z.object({ kind: z.literal('predictions'), file: ref }),
  ]);
}
export const MODEL_KINDS = ['builtin', 'package', 'predictions'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Every parameter of a run except the model's files; stored with the run so it can be reproduced. */
export const RankParameters = z.object({
  strategies: z.array(StrategyName).min(1, 'choose at least one strategy').default([...STRATEGY_NAMES]),
  k: z.number().int().min(1).max(100).default(3),
  folds: z.number().int().min(2).max(20).default(5),
  seed: z.number().int().min(0).default(13),
  clean: CleanSetSpec.nullable().default(null),
  /** Splits to rank; all when absent. */
  splits: z.array(SplitName).min(1).optional(),
  clFilterBy: ClFilterBy.default('prune_by_noise_rate'),
  /** Execution providers to try, best first; the platform default when absent. */
  providers: z.array(z.string().min(1)).min(1).optional(),
});

export function rankOptionsSchema<Ref extends z.ZodType<string>>(ref: Ref) {
  return RankParameters.extend({ model: modelSpecSchema(ref).default({ kind: 'builtin' }) });
}

/** The strategies a run uses when none are named: ES and ESP only with a clean set. */
export function defaultStrategies(hasCleanSet: boolean): StrategyName[] {
  return hasCleanSet ? [...STRATEGY_NAMES] : ['is', 'cl', 'knn'];
}

/** What a finished rank job answers. */
export const RankSummary = z.object({
  runId: z.number().int(),
  examples: z.number().int(),
  model: z.string(),
  provider: z.string(),
  skippedProviders: z.array(z.object({ provider: z.string(), reason: z.string() })),
  flags: z.record(z.string(), z.number()),
  queue: z.number().int(),
  timings: z.record(z.string(), z.number()),
  /** The model's quality against the given labels (see quality.ts). */
  quality: ModelQuality.nullable(),
});
export type RankSummary = z.infer<typeof RankSummary>;

/** A run as the run picker and `winnow runs` list it. */
export const RunSummary = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  model: z.string(),
  provider: z.string(),
  strategies: z.array(StrategyName),
  examples: z.number().int(),
  flags: z.record(z.string(), z.number()),
  queue: z.number().int(),
  quality: ModelQuality.nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;
