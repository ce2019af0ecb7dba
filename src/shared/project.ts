import { z } from 'zod';
import { SplitFormat } from './exporting';

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
  annotator: z.string().trim().min(1).max(80),
});
export type Settings = z.infer<typeof Settings>;

