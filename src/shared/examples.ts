import { z } from 'zod';
import { CurrentDecision, DecisionLine, DecisionStateFilter } from './decisions';
import { StrategyName } from './strategies';
import { AnnotatorName, TeamDecisions } from './team';

/** A run's verdict on one example, shown in the grid when a run is selected. */
export const FlagInfo = z.object({
  rank: z.number().int(),
  agreement: z.number().int(),
  topScore: z.number(),
  suggested: z.string(),
  strategies: z.partialRecord(StrategyName, z.object({ score: z.number(), suggested: z.string() })),
  predicted: z.string().nullable(),
  predictedProb: z.number().nullable(),
});
export type FlagInfo = z.infer<typeof FlagInfo>;

/** Columns the grid may sort on; each maps to an indexed SQL expression in core. */
export const SortColumn = z.enum(['position', 'id', 'split', 'label', 'subjType', 'objType', 'length', 'sentence', 'queue', 'agreement', 'score', 'suggested', 'decision']);
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
  strategies: z.array(StrategyName).optional(),
  decision: DecisionStateFilter.optional(),
  /** With `run`: the run's suggested label. */
  suggestedLabels: z.array(z.string()).optional(),
  /** With `run`: the queue's top score range. */
  scoreMin: z.number().optional(),
  scoreMax: z.number().optional(),
  /** Examples whose annotators' current decisions differ (adjudicated or not). */
  conflicts: z.boolean().optional(),
  /** Examples `winnow assign` gave to this annotator ("assigned to me"). */
  assignedTo: AnnotatorName.optional(),
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
  flag: FlagInfo.nullable().optional(),
  /** The example's current decision (the adjudication, else what every annotator agrees on); null when undecided or in conflict. */
  decision: CurrentDecision.nullable(),
  /** With two or more annotators (or an adjudication): each one's decision, side by side. */
  team: TeamDecisions.nullable().optional(),
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
      strategy: StrategyName,
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

