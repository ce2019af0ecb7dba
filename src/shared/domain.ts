import { z } from 'zod';

// Declared before use by ExampleFilter; the schema itself is defined below.
function StrategyNameLazy() {
  return z.enum(['is', 'es', 'esp', 'cl', 'knn']);
}

/** Data formats a split can be read from or written to. */
export const SplitFormat = z.enum(['json', 'jsonl']);
export type SplitFormat = z.infer<typeof SplitFormat>;

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

/** Columns the grid may sort on; each maps to an indexed SQL expression in core. */
export const SortColumn = z.enum(['position', 'id', 'split', 'label', 'subjType', 'objType', 'length', 'sentence', 'queue', 'score', 'suggested', 'decision']);
export type SortColumn = z.infer<typeof SortColumn>;

export const ExampleFilter = z.object({
  splits: z.array(z.string()).optional(),
  labels: z.array(z.string()).optional(),
  subjTypes: z.array(z.string()).optional(),
  objTypes: z.array(z.string()).optional(),
  /** Exact example ids. */
  ids: z.array(z.string()).max(1000).optional(),
  /** Case-insensitive substring of the sentence or the id. */
  text: z.string().max(500).optional(),
  /** With `run`: only the examples the run flagged (optionally by these strategies). */
  flaggedOnly: z.boolean().optional(),
  strategies: z.array(StrategyNameLazy()).optional(),
  decision: z.enum(['undecided', 'decided', 'keep', 'eliminate', 'reannotate']).optional(),
  /** With `run`: the run's suggested label. */
  suggestedLabels: z.array(z.string()).optional(),
  /** With `run`: the queue's top score range. */
  scoreMin: z.number().optional(),
  scoreMax: z.number().optional(),
});
export type ExampleFilter = z.infer<typeof ExampleFilter>;

export const ExampleQuery = z.object({
  /** A ranking run whose flags are joined onto the rows. */
  run: z.number().int().positive().optional(),
  filter: ExampleFilter.default({}),
  sort: z
    .array(z.object({ column: SortColumn, direction: z.enum(['asc', 'desc']) }))
    .max(4)
    .default([]),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type ExampleQuery = z.input<typeof ExampleQuery>;

export const ExampleRow = z.object({
  id: z.string(),
  split: z.string(),
  position: z.number().int(),
  label: z.string(),
  tokens: z.array(z.string()),
  subjStart: z.number().int(),
  subjEnd: z.number().int(),
  objStart: z.number().int(),
  objEnd: z.number().int(),
  subjType: z.string(),
  objType: z.string(),
  /** Present when the query names a run and the run flagged this example. */
  flag: z.lazy(() => FlagInfo).nullable().optional(),
  /** The example's current decision, null when undecided. */
  decision: z.object({ action: z.enum(['keep', 'eliminate', 'reannotate']), label: z.string().nullable() }).nullable(),
});
export type ExampleRow = z.infer<typeof ExampleRow>;

export const ExamplePage = z.object({
  rows: z.array(ExampleRow),
  /** Number of rows matching the filter, for the grid's scrollbar. */
  total: z.number().int(),
  /** How many of them have a decision. */
  decided: z.number().int(),
});
export type ExamplePage = z.infer<typeof ExamplePage>;

export const Facets = z.object({
  splits: z.array(z.string()),
  labels: z.array(z.string()),
  subjTypes: z.array(z.string()),
  objTypes: z.array(z.string()),
});
export type Facets = z.infer<typeof Facets>;

export const JobKind = z.enum(['import', 'export', 'rank']);
export type JobKind = z.infer<typeof JobKind>;

export const JobProgress = z.object({
  jobId: z.string(),
  kind: JobKind,
  phase: z.string(),
  done: z.number(),
  total: z.number(),
  /** Estimated milliseconds left, null until enough work is done to guess. */
  etaMs: z.number().nullable(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const ErrorInfo = z.object({ code: z.string(), message: z.string() });
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const JobFinished = z.object({
  jobId: z.string(),
  kind: JobKind,
  status: z.enum(['done', 'failed', 'cancelled']),
  result: z.unknown().optional(),
  error: ErrorInfo.optional(),
});
export type JobFinished = z.infer<typeof JobFinished>;

export const ImportResult = z.object({
  split: z.string(),
  imported: z.number().int(),
  rejected: z.number().int(),
  reportPath: z.string().nullable(),
  sha256: z.string(),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const ExportResult = z.object({
  split: z.string(),
  path: z.string(),
  count: z.number().int(),
  sha256: z.string(),
  /** Browser mode: a same-origin URL that downloads the file. */
  downloadUrl: z.string().nullable(),
});
export type ExportResult = z.infer<typeof ExportResult>;

export const StrategyName = z.enum(['is', 'es', 'esp', 'cl', 'knn']);
export type StrategyName = z.infer<typeof StrategyName>;

export const RunSummary = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  model: z.string(),
  provider: z.string(),
  strategies: z.array(z.string()),
  examples: z.number().int(),
  flags: z.record(z.string(), z.number()),
  queue: z.number().int(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const ReferenceSetInfo = z.object({
  name: z.string(),
  style: z.enum(['tacrev', 'retacred']),
  count: z.number().int(),
  matched: z.number().int(),
  sourcePath: z.string(),
  importedAt: z.string(),
});
export type ReferenceSetInfo = z.infer<typeof ReferenceSetInfo>;

/** A run's verdict on one example, shown in the grid when a run is selected. */
export const FlagInfo = z.object({
  rank: z.number().int(),
  agreement: z.number().int(),
  topScore: z.number(),
  suggested: z.string(),
  strategies: z.record(z.string(), z.object({ score: z.number(), suggested: z.string() })),
  predicted: z.string().nullable(),
  predictedProb: z.number().nullable(),
});
export type FlagInfo = z.infer<typeof FlagInfo>;

export const DecisionLine = z.object({
  seq: z.number().int(),
  id: z.string(),
  split: z.string(),
  action: z.enum(['keep', 'eliminate', 'reannotate', 'clear']),
  oldLabel: z.string(),
  newLabel: z.string().nullable(),
  annotator: z.string(),
  time: z.string(),
  note: z.string().nullable(),
  run: z.number().int().nullable(),
  kind: z.enum(['decision', 'undo', 'redo']),
});
export type DecisionLine = z.infer<typeof DecisionLine>;

const EvidenceItem = z.object({
  id: z.string(),
  label: z.string(),
  similarity: z.number(),
  /** The neighbour itself, when it is in this project. */
  example: ExampleRow.omit({ flag: true, decision: true }).nullable(),
});

export const ExampleDetail = z.object({
  row: ExampleRow,
  /** The verbatim record as imported. */
  record: z.record(z.string(), z.unknown()),
  flags: z.array(
    z.object({
      strategy: z.string(),
      score: z.number(),
      suggested: z.string(),
      neighbours: z.array(EvidenceItem),
      anchors: z.array(EvidenceItem),
    }),
  ),
  /** The run's probabilities, highest first (top 10). */
  probabilities: z.array(z.object({ label: z.string(), prob: z.number() })),
  history: z.array(DecisionLine),
});
export type ExampleDetail = z.infer<typeof ExampleDetail>;

export const Settings = z.object({
  annotator: z.string().trim().min(1).max(80),
});
export type Settings = z.infer<typeof Settings>;

/** What the report screen and the saved HTML report show (see core/export/report-data). */
export const ReportData = z.object({
  appVersion: z.string(),
  generatedAt: z.string(),
  negativeLabel: z.string(),
  splits: z.array(z.object({ name: z.string(), count: z.number(), sha256: z.string().nullable() })),
  run: z.object({ id: z.number(), createdAt: z.string(), model: z.string(), modelHash: z.string(), provider: z.string(), strategies: z.array(z.string()), params: z.record(z.string(), z.unknown()) }),
  labels: z.object({ names: z.array(z.string()), before: z.array(z.number()), after: z.array(z.number()) }),
  decided: z.object({ keep: z.number(), eliminate: z.number(), reannotate: z.number() }),
  flags: z.object({ strategies: z.array(z.string()), counts: z.array(z.number()), examplesByAgreement: z.array(z.number()), pairwise: z.array(z.array(z.number())), queue: z.number() }),
  decisionsOverTime: z.object({ bucket: z.enum(['hour', 'day']), labels: z.array(z.string()), series: z.record(z.string(), z.array(z.number())) }),
  evaluation: z
    .object({
      runId: z.number(),
      reference: z.string(),
      covered: z.number(),
      changed: z.number(),
      strategies: z.array(
        z.object({
          strategy: z.string(),
          flagged: z.number(),
          flaggedCovered: z.number(),
          precision: z.number().nullable(),
          recall: z.number().nullable(),
          suggestionAccuracy: z.number().nullable(),
          negativesToPositive: z.number().nullable(),
        }),
      ),
    })
    .nullable(),
});
export type ReportData = z.infer<typeof ReportData>;
