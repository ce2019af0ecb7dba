import { z } from 'zod';
import { SplitFormat } from './exporting';
import { AnnotatorName } from './team';

export const SplitSummary = z.object({
  name: z.string(),
  count: z.number().int(),
  format: SplitFormat,
  sourcePath: z.string().nullable(),
  sourceSha256: z.string().nullable(),
  importedAt: z.string(),
});
export type SplitSummary = z.infer<typeof SplitSummary>;

export const LabelCount = z.object({ label: z.string(), count: z.number().int() });

export const ProjectSummary = z.object({
  path: z.string(),
  name: z.string(),
  schemaVersion: z.number().int(),
  negativeLabel: z.string(),
  exampleCount: z.number().int(),
  splits: z.array(SplitSummary),
  labelCounts: z.array(
    z.object({ split: z.string(), label: z.string(), count: z.number().int() }),
  ),
  decisionCount: z.number().int(),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

export const Settings = z.object({
  annotator: AnnotatorName,
});
export type Settings = z.infer<typeof Settings>;


/** The labels of a file about to be imported, to choose the negative label from (first import). */
export const FileLabels = z.object({
  labels: z.array(z.object({ name: z.string(), count: z.number().int() })),
  /** A known negative label the file uses (no_relation, Other, NA), else its most common label. */
  suggested: z.string().nullable(),
});
export type FileLabels = z.infer<typeof FileLabels>;

/** The negative label as a user may type it. */
export const NegativeLabelName = z.string().trim().min(1, 'give the negative label').max(200);

/** What changing a project's negative label did. */
export const NegativeLabelChange = z.object({
  previous: z.string(),
  negativeLabel: z.string(),
  /** Runs ranked with another negative label: kept, but invalidated (rank again). */
  invalidatedRuns: z.array(z.number().int()),
});
export type NegativeLabelChange = z.infer<typeof NegativeLabelChange>;
