import { z } from 'zod';
import type { ApplyChoice, ExportMode } from './exporting';
import { ReferenceName, SplitName } from './names';
import type { StrategyName } from './strategies';

/**
 * The training sets a comparison retrains on (the paper's evaluation, Parekh et al. 2023,
 * section 5): the split as imported, each strategy's E (flagged dropped) and R (relabelled)
 * dataset, and the human decisions. Each is built by the export's own code from its export
 * options below, so what is measured is what `winnow export` writes.
 */
export const COMPARE_VARIANTS = ['original', 'E', 'R', 'EN', 'RN', 'ENP', 'RNP', 'CL-E', 'CL-R', 'KNN-E', 'KNN-R', 'reviewed'] as const;
export const CompareVariant = z.enum(COMPARE_VARIANTS);
export type CompareVariant = z.infer<typeof CompareVariant>;

export interface VariantInfo {
  mode: ExportMode;
  apply: ApplyChoice;
  /** The strategy whose flags make the dataset (auto mode). */
  strategy: StrategyName | null;
  /** What the dataset is, in a few words. */
  title: string;
}

export const VARIANTS: Readonly<Record<CompareVariant, VariantInfo>> = {
  original: { mode: 'original', apply: 'both', strategy: null, title: 'the split as imported' },
  E: { mode: 'auto', apply: 'eliminate', strategy: 'is', title: 'TACRED-E: IS flags dropped' },
  R: { mode: 'auto', apply: 'reannotate', strategy: 'is', title: 'TACRED-R: IS flags relabelled' },
  EN: { mode: 'auto', apply: 'eliminate', strategy: 'es', title: 'TACRED-EN: ES flags dropped' },
  RN: { mode: 'auto', apply: 'reannotate', strategy: 'es', title: 'TACRED-RN: ES flags relabelled' },
  ENP: { mode: 'auto', apply: 'eliminate', strategy: 'esp', title: 'TACRED-ENP: ESP flags dropped' },
  RNP: { mode: 'auto', apply: 'reannotate', strategy: 'esp', title: 'TACRED-RNP: ESP flags relabelled' },
  'CL-E': { mode: 'auto', apply: 'eliminate', strategy: 'cl', title: 'CL flags dropped' },
  'CL-R': { mode: 'auto', apply: 'reannotate', strategy: 'cl', title: 'CL flags relabelled' },
  'KNN-E': { mode: 'auto', apply: 'eliminate', strategy: 'knn', title: 'KNN flags dropped' },
  'KNN-R': { mode: 'auto', apply: 'reannotate', strategy: 'knn', title: 'KNN flags relabelled' },
  reviewed: { mode: 'reviewed', apply: 'both', strategy: null, title: 'the human decisions applied' },
};

/** What to compare, as the user chooses it (impact screen, CLI, contract). */
export const CompareParameters = z.object({
  /** The split each variant is built from and trained on. */
  train: SplitName,
  /** Held-out splits the models are scored on. */
  evals: z.array(SplitName).min(1, 'choose at least one split to evaluate on'),
  /** The run whose flags make the automatic variants; the latest when absent. */
  run: z.number().int().positive().optional(),
  variants: z.array(CompareVariant).min(1, 'choose at least one variant').default([...COMPARE_VARIANTS]),
  /** Also score against the eval splits with this reference patch applied (TACRev, Re-TACRED). */
  reference: ReferenceName.optional(),
  /** Seeds 1..n, one model per variant and seed. */
  seeds: z.number().int().min(1).max(20).default(3),
});
export type CompareParameters = z.output<typeof CompareParameters>;
export type CompareParametersInput = z.input<typeof CompareParameters>;

export const SeedScore = z.object({ seed: z.number().int(), p: z.number(), r: z.number(), f1: z.number() });
export type SeedScore = z.infer<typeof SeedScore>;

export const Spread = z.object({ mean: z.number(), min: z.number(), max: z.number() });
export type Spread = z.infer<typeof Spread>;

/** One variant scored on one eval split against one set of labels, per seed and over the seeds. */
export const VariantScores = z.object({
  eval: z.string(),
  labels: z.enum(['given', 'reference']),
  seeds: z.array(SeedScore),
  f1: Spread,
});
export type VariantScores = z.infer<typeof VariantScores>;

export const VariantResult = z.object({
  name: CompareVariant,
  /** Training examples after the variant's changes. */
  trainSize: z.number().int(),
  removed: z.number().int(),
  relabelled: z.number().int(),
  scores: z.array(VariantScores),
});
export type VariantResult = z.infer<typeof VariantResult>;

/** What a finished comparison answers, and what is stored with the run. */
export const CompareResult = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  /** The run whose flags made the automatic variants; null when none was needed or there is none. */
  runId: z.number().int().nullable(),
  train: z.string(),
  evals: z.array(z.string()),
  reference: z.string().nullable(),
  negativeLabel: z.string(),
  seeds: z.array(z.number().int()),
  /** `builtin`, or the trainer command as given. */
  model: z.string(),
  hyperparameters: z.record(z.string(), z.number()).nullable(),
  variants: z.array(VariantResult),
  /** Variants asked for but not run, each with the reason. */
  skipped: z.array(z.object({ name: CompareVariant, reason: z.string() })),
  /** What makes the scores less than independent (an eval split the run ranked or trusted); empty when none. Absent in comparisons saved before it existed. */
  warnings: z.array(z.string()).default([]),
  predictionsDir: z.string().nullable(),
  /** The trainer command's stdout and stderr. */
  log: z.string().nullable(),
  seconds: z.number(),
});
export type CompareResult = z.infer<typeof CompareResult>;

/** Mean, min and max of some numbers (the spread over seeds). */
export function spreadOf(values: readonly number[]): Spread {
  if (!values.length) return { mean: 0, min: 0, max: 0 };
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, min: Math.min(...values), max: Math.max(...values) };
}

/** One line of the impact table: a variant on one eval split and label set, with the spread over seeds. */
export interface ComparisonRow {
  name: CompareVariant;
  trainSize: number;
  removed: number;
  relabelled: number;
  p: Spread;
  r: Spread;
  f1: Spread;
  /** Mean F1 minus the original's mean F1; null for the original or when it was not run. */
  delta: number | null;
  /**
   * Whether the difference stands out of the seeds' noise: at least two seeds each, and the
   * variant's F1 range (lowest to highest seed) does not overlap the original's.
   */
  clear: boolean;
}

/** A difference of F1 to three decimals, signed; one that rounds to zero is "±0.000", never "-0.000". */
export function signedDelta(v: number | null): string {
  if (v === null) return '';
  if (Math.abs(v) < 0.0005) return '±0.000';
  return `${v > 0 ? '+' : '-'}${Math.abs(v).toFixed(3)}`;
}

/** The eval split and label set pairs a comparison scored, in its order. */
export function comparisonViews(result: Pick<CompareResult, 'variants'>): { eval: string; labels: 'given' | 'reference' }[] {
  const seen = new Map<string, { eval: string; labels: 'given' | 'reference' }>();
  for (const v of result.variants) for (const s of v.scores) seen.set(`${s.eval}\u0000${s.labels}`, { eval: s.eval, labels: s.labels });
  return [...seen.values()];
}

/** The table the impact screen, the CLI and the report show, for one eval split and label set. */
export function comparisonRows(result: Pick<CompareResult, 'variants'>, view: { eval: string; labels: 'given' | 'reference' }): ComparisonRow[] {
  const pick = (v: VariantResult) => v.scores.find((s) => s.eval === view.eval && s.labels === view.labels);
  const original = result.variants.find((v) => v.name === 'original');
  const baseScore = original ? pick(original) : undefined;
  const base = baseScore?.f1.mean;
  return result.variants.flatMap((v) => {
    const s = pick(v);
    if (!s) return [];
    return [
      {
        name: v.name,
        trainSize: v.trainSize,
        removed: v.removed,
        relabelled: v.relabelled,
        p: spreadOf(s.seeds.map((x) => x.p)),
        r: spreadOf(s.seeds.map((x) => x.r)),
        f1: s.f1,
        delta: base === undefined || v.name === 'original' ? null : s.f1.mean - base,
        clear:
          baseScore !== undefined && v.name !== 'original' && s.seeds.length >= 2 && baseScore.seeds.length >= 2 && (s.f1.min > baseScore.f1.max || s.f1.max < baseScore.f1.min),
      },
    ];
  });
}
