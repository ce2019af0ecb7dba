import { z } from 'zod';

export const StrategyName = z.enum(['is', 'es', 'esp', 'cl', 'knn']);
export type StrategyName = z.infer<typeof StrategyName>;

/** Where the clean set for ES/ESP comes from. */
export const CleanSetSpec = z.union([
  z.object({ kind: z.literal('reference'), name: z.string().min(1) }),
  z.object({ kind: z.literal('decided') }),
  z.object({ kind: z.literal('split'), name: z.string().min(1) }),
]);
export type CleanSetSpec = z.infer<typeof CleanSetSpec>;

export const ModelSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('builtin') }),
  z.object({ kind: z.literal('package'), dir: z.string().min(1) }),
  z.object({ kind: z.literal('predictions'), file: z.string().min(1) }),
]);
export type ModelSpec = z.infer<typeof ModelSpec>;

/** Every parameter of a run; stored with it so that a run can be reproduced. */
export const RankOptions = z.object({
  model: ModelSpec.default({ kind: 'builtin' }),
  strategies: z.array(StrategyName).min(1).default(['is', 'es', 'esp', 'cl', 'knn']),
  k: z.number().int().min(1).max(100).default(3),
  folds: z.number().int().min(2).max(20).default(5),
  seed: z.number().int().min(0).default(13),
  clean: CleanSetSpec.nullable().default(null),
  /** Splits to rank; all when absent. */
  splits: z.array(z.string()).optional(),
  clFilterBy: z.enum(['prune_by_noise_rate', 'prune_by_class', 'both', 'confident_learning', 'predicted_neq_given']).default('prune_by_noise_rate'),
  /** Execution providers to try, best first; the platform default when absent. */
  providers: z.array(z.string()).optional(),
});
export type RankOptions = z.output<typeof RankOptions>;
export type RankOptionsInput = z.input<typeof RankOptions>;

/** Parses the CLI's `--clean reference:<name> | decided | split:<name>`. */
export function parseCleanSpec(text: string): CleanSetSpec {
  if (text === 'decided') return { kind: 'decided' };
  const [kind, ...rest] = text.split(':');
  const name = rest.join(':');
  if ((kind === 'reference' || kind === 'split') && name) return { kind, name };
  throw new Error(`--clean takes reference:<name>, decided or split:<name>, not "${text}"`);
}
