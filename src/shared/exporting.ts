import { z } from 'zod';
import { OutputFile } from './files';
import { SplitName } from './names';
import { STRATEGIES, StrategyName } from './strategies';
import { ResolvePolicy } from './team';

/** Data formats a split can be read from or written to. */
export const SPLIT_FORMATS = ['json', 'jsonl', 'parquet'] as const;
export const SplitFormat = z.enum(SPLIT_FORMATS);
export type SplitFormat = z.infer<typeof SplitFormat>;

/** original: as imported; reviewed: human decisions applied; auto: a run's flags applied. */
export const EXPORT_MODES = ['original', 'reviewed', 'auto'] as const;
export const ExportMode = z.enum(EXPORT_MODES);
export type ExportMode = z.infer<typeof ExportMode>;

/** E drops what is flagged or eliminated, R relabels, both does both (reviewed mode only). */
export const APPLY_CHOICES = ['eliminate', 'reannotate', 'both'] as const;
export const ApplyChoice = z.enum(APPLY_CHOICES);
export type ApplyChoice = z.infer<typeof ApplyChoice>;

/**
 * The paper's dataset names (Parekh et al. 2023): E drops the flagged examples, R relabels
 * them to the suggestion; ES adds N (only negatives are touched), ESP adds NP. CL and KNN are
 * not in the paper, so their datasets carry the strategy's name instead of a letter code.
 */
export function paperDatasetName(strategy: StrategyName, apply: 'eliminate' | 'reannotate'): string {
  return `TACRED-${apply === 'eliminate' ? 'E' : 'R'}${STRATEGIES[strategy].datasetSuffix}`;
}

/** TACRev style `[{"id", "relation"}]`, Re-TACRED style `{id: label}`. */
export const PATCH_STYLES = ['tacrev', 'retacred'] as const;
export const PatchStyle = z.enum(PATCH_STYLES);
export type PatchStyle = z.infer<typeof PatchStyle>;

/**
 * What to export, as the user chooses it (dialog, CLI, contract). Where it goes is added by
 * each side: a token in the contract, a path in the engine.
 */
export const ExportOptions = z.object({
  split: SplitName,
  format: SplitFormat.default('json'),
  mode: ExportMode.default('original'),
  apply: ApplyChoice.default('both'),
  run: z.number().int().positive().optional(),
  strategy: StrategyName.optional(),
  /** Auto mode: a human decision replaces the flag's change where one exists. Off by default: the paper's datasets. */
  decisionsOverride: z.boolean().default(false),
  patch: PatchStyle.optional(),
  /** Where annotators disagree: follow adjudications (default), also take majorities, or only unanimous decisions. */
  resolve: ResolvePolicy.default('adjudicated'),
});
export type ExportOptions = z.output<typeof ExportOptions>;
export type ExportOptionsInput = z.input<typeof ExportOptions>;

const Written = z.object({ path: z.string(), sha256: z.string(), bytes: z.number().int() });

/** What a finished export answers. */
export const ExportSummary = z.object({
  split: z.string(),
  mode: ExportMode,
  apply: ApplyChoice.nullable(),
  strategy: StrategyName.nullable(),
  runId: z.number().int().nullable(),
  decisionsOverride: z.boolean(),
  /** With decisionsOverride: records whose outcome the decisions changed against the flags alone; else null. */
  changedByDecisions: z.number().int().nullable(),
  dataset: z.string(),
  format: SplitFormat,
  /** The data file. */
  path: z.string(),
  sha256: z.string(),
  bytes: z.number().int(),
  /** Records written. */
  count: z.number().int(),
  /** Records in the split before the export's changes. */
  before: z.number().int(),
  eliminated: z.number().int(),
  relabelled: z.number().int(),
  resolve: ResolvePolicy,
  /** Examples the annotators disagree on that the resolve policy left as they were (listed in the manifest). */
  unresolved: z.number().int(),
  labelsBefore: z.record(z.string(), z.number()),
  labelsAfter: z.record(z.string(), z.number()),
  manifest: Written,
  decisionsCsv: Written.extend({ rows: z.number().int() }),
  patch: Written.extend({ style: PatchStyle, entries: z.number().int() }).optional(),
  eliminatedIds: Written.extend({ count: z.number().int() }).optional(),
});
export type ExportSummary = z.infer<typeof ExportSummary>;

/** The export job's result as the renderer gets it: every output, downloadable in browser mode. */
export const ExportResult = ExportSummary.extend({ outputs: z.array(OutputFile) });
export type ExportResult = z.infer<typeof ExportResult>;

/** What an export would write, counted before it runs. */
export const ExportPreview = z.object({
  dataset: z.string(),
  /** Records in the split. */
  before: z.number().int(),
  /** Records it would write. */
  count: z.number().int(),
  eliminated: z.number().int(),
  relabelled: z.number().int(),
  /** Auto mode: the strategy's flags on this split. */
  flagged: z.number().int().nullable(),
  /** With decisionsOverride: records whose outcome the decisions change against the flags alone. */
  changedByDecisions: z.number().int().nullable(),
  /** When human decisions are read: examples of this split whose annotators' outcomes differ, adjudicated or not (what the resolve policy decides on). */
  disagreements: z.number().int().nullable(),
});
export type ExportPreview = z.infer<typeof ExportPreview>;
