import { z } from 'zod';

/** One positive label's scores, TACRED's per-relation rule (see core/metrics/tacred-score). */
export const LabelScore = z.object({
  label: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  gold: z.number().int(),
  guessed: z.number().int(),
  correct: z.number().int(),
});
export type LabelScore = z.infer<typeof LabelScore>;

/** One bin of the reliability diagram: examples whose confidence falls in (from, to]. */
export const ReliabilityBin = z.object({
  from: z.number(),
  to: z.number(),
  count: z.number().int(),
  /** Mean confidence of the bin's examples (null when empty). */
  confidence: z.number().nullable(),
  /** Share of the bin's examples whose prediction is the given label (null when empty). */
  accuracy: z.number().nullable(),
});
export type ReliabilityBin = z.infer<typeof ReliabilityBin>;

/**
 * How good the model behind a run is, against the given labels: its out-of-fold predictions
 * (built-in model) or its predictions as they came (a package, imported predictions) scored with
 * TACRED's metric, the most frequent confusions and its calibration.
 */
export const ModelQuality = z.object({
  examples: z.number().int(),
  microPrecision: z.number(),
  microRecall: z.number(),
  microF1: z.number(),
  macroF1: z.number(),
  /** Share of examples whose prediction is the given label, negatives included. */
  accuracy: z.number(),
  /** Expected calibration error: the count-weighted mean of |accuracy - confidence| over the bins. */
  ece: z.number(),
  perLabel: z.array(LabelScore),
  /** The most frequent (given, predicted) pairs with given != predicted. */
  confusions: z.array(z.object({ given: z.string(), predicted: z.string(), count: z.number().int() })),
  reliability: z.array(ReliabilityBin),
});
export type ModelQuality = z.infer<typeof ModelQuality>;
