import { z } from 'zod';
import { ReferenceName, SplitName } from './names';
import { ModelQuality } from './quality';
import { STRATEGY_NAMES, StrategyName } from './strategies';

/** One source of the clean set for ES/ESP. */
export const CleanSetSpec = z.union([
  z.object({ kind: z.literal('reference'), name: ReferenceName }),
  z.object({ kind: z.literal('decided') }),
  z.object({ kind: z.literal('split'), name: SplitName }),
]);
export type CleanSetSpec = z.infer<typeof CleanSetSpec>;

/**
 * The clean set: the union of one or more sources (the paper's setting is two splits, dev and
 * test, with TACRev's labels applied). A single source is accepted as a list of one, so that
 * older callers and stored runs keep their meaning.
 */
export const CleanSetSources = z
  .union([CleanSetSpec, z.array(CleanSetSpec)])
  .nullable()
  .default(null)
  .transform((value) => (value === null ? [] : Array.isArray(value) ? value : [value]));

/** cleanlab's `filter_by` modes (find_label_issues). */
export const ClFilterBy = z.enum(['prune_by_noise_rate', 'prune_by_class', 'both', 'confident_learning', 'predicted_neq_given']);
export type ClFilterBy = z.infer<typeof ClFilterBy>;

/** cleanlab's label-quality scores (get_label_quality_scores); CL's score is 1 minus it. */
export const ClScore = z.enum(['normalized_margin', 'self_confidence', 'confidence_weighted_entropy']);
export type ClScore = z.infer<typeof ClScore>;

/**
 * IS anchors: `all` is the paper's rule (every positive the model predicts negative);
 * `trusted` leaves out the anchors whose own label the model all but rules out (likely
 * negatives relabelled by noise, whose neighbours are clean negatives).
 */
export const IsAnchors = z.enum(['trusted', 'all']);
export type IsAnchors = z.infer<typeof IsAnchors>;

/**
 * Which CL issues on positive examples are flagged: `other-relations` (the default) keeps only
 * those whose suggestion is another positive label; `all` also keeps those suggesting the
 * negative label, as cleanlab does. With false negatives in the data the model learns to say
 * the negative label for true positives, so those flags are mostly the model's error.
 */
export const ClPositives = z.enum(['other-relations', 'all']);
export type ClPositives = z.infer<typeof ClPositives>;

/**
 * Which examples the built-in model fitted for the IS/ES/ESP embedding sees: `all` (the paper),
 * or `cleaned`: all but the negatives confident learning flags on the out-of-fold
 * probabilities, so that false negatives are not pulled towards the negative label.
 */
export const EmbeddingFit = z.enum(['cleaned', 'all']);
export type EmbeddingFit = z.infer<typeof EmbeddingFit>;

/**
 * Which examples the built-in model's fold models see for the probabilities CL, KNN, ES and
 * ESP read: `all` (one cross-fit, the paper and cleanlab), or `cleaned`: a second cross-fit
 * without the negatives confident learning flags on the first, so that a false negative's
 * probabilities are not pulled towards the negative label by the other false negatives. IS
 * always reads the first: its anchors are that model's false negatives. `auto` (the default) is
 * `cleaned` up to RANK_DEFAULTS.probabilityFitAutoMax examples and `all` past that.
 */
export const ProbabilityFit = z.enum(['auto', 'cleaned', 'all']);
export type ProbabilityFit = z.infer<typeof ProbabilityFit>;

/** ONNX Runtime execution providers a run may be forced onto. */
export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export const ExecutionProvider = z.enum(EXECUTION_PROVIDERS);
export type ExecutionProvider = z.infer<typeof ExecutionProvider>;

/**
 * The model spec, with the file reference left open: the engine names files by path, the
 * contract by token (see files.ts), and nothing else may differ between the two.
 *
 * Predictions: Winnow's JSON Lines (labels in a header), a CSV/TSV with an `id` column and one
 * column per label, or a numpy `.npy` array of probabilities with `labels` (class order, JSON
 * array or one per line) and `ids` (row order, one per line), and optionally `embeddings`
 * (another `.npy`, one row per id).
 */
export function modelSpecSchema<Ref extends z.ZodType<string>>(ref: Ref) {
  return z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('builtin') }),
    z.object({ kind: z.literal('package'), dir: ref }),
    z.object({ kind: z.literal('predictions'), file: ref, labels: ref.optional(), ids: ref.optional(), embeddings: ref.optional() }),
  ]);
}
export const MODEL_KINDS = ['builtin', 'package', 'predictions'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/**
 * Defaults chosen by measurement (BENCHMARKS.md, `npm run bench:quality` on SemEval-2010 and
 * generated data with injected noise).
 */
export const RANK_DEFAULTS = {
  k: 3,
  /**
   * The most examples `probabilityFit: 'auto'` fits the second, cleaned cross-fit for. It costs
   * about half a ranking again (100k examples: 101 s against 66 s), which would take a
   * million-example ranking from 8.9 to about 14 minutes, near the 15 the scale target allows.
   */
  probabilityFitAutoMax: 500_000,
  folds: 5,
  /**
   * One cross-fit, as the paper. Three (in the same time) made the flags more precise on
   * SemEval-2010 with injected noise (ES 66% -> 72%, IS 69% -> 70% with more recall, CL 52% ->
   * 68% with less) but did not help a model retrained on the exports (BENCHMARKS.md).
   */
  repeats: 1,
  seed: 13,
  /** KNN reads more neighbours than the paper's k: 3 neighbours give only 4 possible shares. */
  knnK: 10,
  /**
   * Flag only when most of the neighbour weight carries other labels (0.5 with 3 neighbours
   * flagged 37% of SemEval); with the model's check below, 0.7 flagged on the order of the
   * noise (SemEval 11.6% for 11.0% noise, generated 5.3% for 6.0%) and its exports helped a
   * retrained model more than at 0.9.
   */
  knnThreshold: 0.7,
  /**
   * KNN flags only when the model also prefers the suggestion by this margin (-1 = the
   * neighbours alone, DESIGN's rule): the label-free neighbours alone were 31% precise on
   * SemEval and their exports made a retrained model worse; with the model's check, 45%.
   */
  knnMinMargin: 0.6,
  /**
   * IS flags a negative only when the model gives the suggested label at least this much more
   * probability than the negative label (-1 = every neighbour of an anchor, the paper's rule).
   */
  isMinMargin: 0,
  /** CL flags an issue only when p(suggested) - p(given) is at least this (0 = cleanlab's issues as they are). */
  clMinMargin: 0.8,
} as const;

/**
 * Neighbour search for IS, ES, ESP and KNN: `auto` keeps the exact search while its estimated
 * time is small and uses the IVF index past that; `exact` and `approx` force one.
 */
export const NeighbourMode = z.enum(['auto', 'exact', 'approx']);
export type NeighbourMode = z.infer<typeof NeighbourMode>;

/** What one neighbour search was, stored with the run for each strategy that searched. */
export const NeighbourSearchReport = z.object({
  method: z.enum(['exact', 'approx']),
  /** Why this method: forced by the options, or the auto rule's reading of the cost. */
  reason: z.string(),
  queries: z.number().int(),
  base: z.number().int(),
  k: z.number().int(),
  provider: z.string(),
  ms: z.number(),
  /** The IVF index's parameters, when it ran. */
  index: z
    .object({
      nlist: z.number().int(),
      nprobe: z.number().int(),
      iterations: z.number().int(),
      trainSample: z.number().int(),
      seed: z.number().int(),
      buildMs: z.number(),
      exhaustiveQueries: z.number().int(),
      /** nprobe as given, or tuned: each value tried with the recall it reached on the tuning sample. */
      nprobeFrom: z.union([z.literal('given'), z.object({ tuned: z.array(z.object({ nprobe: z.number().int(), recall: z.number() })), target: z.number() })]),
    })
    .optional(),
  /** recall@k against the exact search on `recallSample` sampled queries; 1 for the exact search. */
  recall: z.number(),
  recallSample: z.number().int(),
});
export type NeighbourSearchReport = z.infer<typeof NeighbourSearchReport>;

/** Every parameter of a run except the model's files; stored with the run so it can be reproduced. */
export const RankParameters = z.object({
  strategies: z.array(StrategyName).min(1, 'choose at least one strategy').default([...STRATEGY_NAMES]),
  k: z.number().int().min(1).max(100).default(RANK_DEFAULTS.k),
  folds: z.number().int().min(2).max(20).default(RANK_DEFAULTS.folds),
  /**
   * Built-in model: the cross-fit repeated with the folds dealt anew and the out-of-fold
   * probabilities averaged, in the time of one (each repeat trains 1/R of the passes).
   */
  repeats: z.number().int().min(1).max(10).default(RANK_DEFAULTS.repeats),
  seed: z.number().int().min(0).default(RANK_DEFAULTS.seed),
  clean: CleanSetSources,
  /** Labels of this reference replace the given ones in the clean set, where it has them. */
  cleanReference: ReferenceName.optional(),
  /** Splits to rank; when absent, every example outside the clean set. */
  splits: z.array(SplitName).min(1).optional(),
  isAnchors: IsAnchors.default('trusted'),
  isMinMargin: z.number().min(-1).max(1).default(RANK_DEFAULTS.isMinMargin),
  embeddingFit: EmbeddingFit.default('cleaned'),
  probabilityFit: ProbabilityFit.default('auto'),
  clFilterBy: ClFilterBy.default('prune_by_noise_rate'),
  clScore: ClScore.default('normalized_margin'),
  clMinMargin: z.number().min(0).max(1).default(RANK_DEFAULTS.clMinMargin),
  clPositives: ClPositives.default('other-relations'),
  knnK: z.number().int().min(1).max(100).default(RANK_DEFAULTS.knnK),
  knnThreshold: z.number().min(0.5, 'at least 0.5: a flag needs most of the neighbour weight against the label').lt(1).default(RANK_DEFAULTS.knnThreshold),
  knnMinMargin: z.number().min(-1).max(1).default(RANK_DEFAULTS.knnMinMargin),
  neighbours: NeighbourMode.default('auto'),
  /** IVF cells and cells probed per query; defaults follow the base (core/inference/ivf-index.ts). */
  ivfLists: z.number().int().min(1).max(65536).optional(),
  ivfProbes: z.number().int().min(1).max(65536).optional(),
  /** Execution providers to try, best first; the platform default when absent. One entry forces it. */
  providers: z.array(ExecutionProvider).min(1).optional(),
});
export type RankParameters = z.output<typeof RankParameters>;
export type RankParameterName = keyof z.input<typeof RankParameters>;

export interface RankParameterInfo {
  /** The CLI flag (with its value placeholder). */
  flag: string;
  /** The rank dialog's label and the run picker's name for it. */
  label: string;
  help: string;
}

/**
 * One description of every rank parameter: the CLI's flags and help, the rank dialog's labels
 * and the run picker's tooltip all come from here (a parameter without an entry does not compile).
 */
export const RANK_PARAMETER_INFO: Readonly<Record<RankParameterName, RankParameterInfo>> = {
  strategies: { flag: '--strategies <list>', label: 'Strategies', help: `comma-separated: ${STRATEGY_NAMES.join(',')} (default: is,cl,knn; all five with --clean)` },
  k: { flag: '--k <n>', label: 'Neighbours k', help: `neighbours per query of IS, ES and ESP (1-100, default ${RANK_DEFAULTS.k})` },
  folds: { flag: '--folds <n>', label: 'Folds', help: `cross-fitting folds of the built-in model (2-20, default ${RANK_DEFAULTS.folds})` },
  repeats: { flag: '--repeats <n>', label: 'Cross-fit repeats', help: `built-in model only: repeat the cross-fit with the folds dealt anew and average the out-of-fold probabilities, in the time of one: each fold model trains 1/n of the passes (1-10, default ${RANK_DEFAULTS.repeats})` },
  seed: { flag: '--seed <n>', label: 'Seed', help: `random seed (default ${RANK_DEFAULTS.seed})` },
  clean: { flag: '--clean <spec>', label: 'Clean set', help: 'clean set for ES/ESP, repeatable: split:<name>, reference:<name> or decided' },
  cleanReference: { flag: '--clean-reference <name>', label: 'Clean labels from reference', help: "apply this reference's labels to the clean set where it has them (the paper: --clean split:dev --clean split:test --clean-reference tacrev)" },
  splits: { flag: '--splits <list>', label: 'Ranked splits', help: 'rank these splits (comma-separated; default: every example outside the clean set)' },
  isAnchors: { flag: '--is-anchors <which>', label: 'IS anchors', help: "trusted (default): leave out anchors whose own label the model gives under 10%; all: the paper's rule" },
  isMinMargin: { flag: '--is-min-margin <m>', label: 'IS minimum margin', help: `flag an IS neighbour only when p(suggested) - p(negative) >= m (-1-1, default ${RANK_DEFAULTS.isMinMargin}: the model must prefer the suggestion; -1: the paper's rule)` },
  embeddingFit: { flag: '--embedding-fit <which>', label: 'Embedding fitted on', help: "built-in model only: cleaned (default) fits the IS/ES/ESP embedding without the negatives CL flags; all: on every example (the paper)" },
  probabilityFit: { flag: '--probability-fit <which>', label: 'Probabilities fitted on', help: `built-in model only: cleaned cross-fits again without the negatives CL flags, for the probabilities CL, KNN, ES and ESP read (IS keeps the first fit); all: one cross-fit on every example (the paper); auto (default): cleaned up to ${RANK_DEFAULTS.probabilityFitAutoMax.toLocaleString('en-US')} examples` },
  clFilterBy: { flag: '--cl-filter <mode>', label: 'CL filter_by', help: "confident learning's filter_by (default prune_by_noise_rate)" },
  clScore: { flag: '--cl-score <score>', label: 'CL score', help: "cleanlab's label quality the CL score is 1 minus (default normalized_margin)" },
  clMinMargin: { flag: '--cl-min-margin <m>', label: 'CL minimum margin', help: `flag a CL issue only when p(suggested) - p(given) >= m (0-1, default ${RANK_DEFAULTS.clMinMargin}; 0 keeps all of cleanlab's issues)` },
  clPositives: { flag: '--cl-positives <which>', label: 'CL flags on positives', help: "other-relations (default): a positive example is flagged only towards another relation, never towards the negative label; all: cleanlab's issues as they are" },
  knnK: { flag: '--knn-k <n>', label: 'KNN neighbours', help: `neighbours KNN reads (1-100, default ${RANK_DEFAULTS.knnK})` },
  knnThreshold: { flag: '--knn-threshold <t>', label: 'KNN threshold', help: `flag when more than this share of the neighbour weight carries other labels (0.5-1, default ${RANK_DEFAULTS.knnThreshold})` },
  knnMinMargin: { flag: '--knn-min-margin <m>', label: 'KNN minimum margin', help: `flag a KNN disagreement only when the model agrees: p(suggested) - p(given) >= m (-1-1, default ${RANK_DEFAULTS.knnMinMargin}; -1: the neighbours alone)` },
  neighbours: { flag: '--neighbours <mode>', label: 'Neighbour search', help: 'auto (exact while it is estimated under a minute, an IVF index past that), exact or approx' },
  ivfLists: { flag: '--ivf-lists <n>', label: 'IVF cells', help: 'approximate search: cells of the IVF index (default: rows / 512)' },
  ivfProbes: { flag: '--ivf-probes <n>', label: 'IVF cells probed', help: 'approximate search: cells scanned per query (default: tuned to recall 0.97 on a sample)' },
  providers: { flag: '--provider <name>', label: 'Execution provider', help: `force one ONNX Runtime provider: ${EXECUTION_PROVIDERS.join(', ')} (default: the best that starts)` },
};

export function rankOptionsSchema<Ref extends z.ZodType<string>>(ref: Ref) {
  return RankParameters.extend({ model: modelSpecSchema(ref).default({ kind: 'builtin' }) });
}

/** The strategies a run uses when none are named: ES and ESP only with a clean set. */
export function defaultStrategies(hasCleanSet: boolean): StrategyName[] {
  return hasCleanSet ? [...STRATEGY_NAMES] : ['is', 'cl', 'knn'];
}

/** The trusted examples a run used for ES/ESP. */
export const CleanSetSummary = z.object({
  /** What it was made of, e.g. "split:dev + split:test, labels from reference tacrev". */
  description: z.string(),
  examples: z.number().int(),
  /** Clean examples whose label the reference changed. */
  relabelledByReference: z.number().int(),
  /** Clean examples per trusted label. */
  perLabel: z.record(z.string(), z.number().int()),
});
export type CleanSetSummary = z.infer<typeof CleanSetSummary>;

/** What a finished rank job answers. */
export const RankSummary = z.object({
  runId: z.number().int(),
  /** Examples ranked. */
  examples: z.number().int(),
  /** Examples left out because the predictions file has no row for them. */
  notCovered: z.number().int(),
  model: z.string(),
  provider: z.string(),
  skippedProviders: z.array(z.object({ provider: z.string(), reason: z.string() })),
  negativeLabel: z.string(),
  flags: z.record(z.string(), z.number()),
  queue: z.number().int(),
  cleanSet: CleanSetSummary.nullable(),
  /** Things the user should know about the run (a thin clean set, uncovered examples). */
  warnings: z.array(z.string()),
  timings: z.record(z.string(), z.number()),
  /** The model's quality against the given labels (see quality.ts). */
  quality: ModelQuality.nullable(),
  /** Per neighbour strategy: the search used (exact or the IVF index) and its recall. */
  neighbourSearch: z.record(z.string(), NeighbourSearchReport),
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
  /** Per neighbour strategy: the search used and its recall (empty for runs from before it was kept). */
  neighbourSearch: z.record(z.string(), NeighbourSearchReport),
  /** The negative label the run ranked with. */
  negativeLabel: z.string(),
  /** Why the run no longer matches the project (its negative label changed since), or null. */
  invalidated: z.string().nullable(),
  /** Every parameter stored with the run (model files by name only). */
  parameters: z.record(z.string(), z.unknown()),
  cleanSet: CleanSetSummary.nullable(),
  warnings: z.array(z.string()),
});
export type RunSummary = z.infer<typeof RunSummary>;
