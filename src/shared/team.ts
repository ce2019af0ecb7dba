import { z } from 'zod';
import { DecisionAction, LoggedAction } from './decisions';

/**
 * Team relabelling: several annotators, each in a copy of the project, whose decision logs are
 * merged; agreement between them, conflicts, and adjudication.
 */

/** Who decides: one name per person, chosen once per machine (settings) or with `--annotator`. */
export const AnnotatorName = z.string().trim().min(1, 'an annotator name cannot be empty').max(80, 'an annotator name has at most 80 characters');
export type AnnotatorName = z.infer<typeof AnnotatorName>;

/**
 * How an export settles what several annotators decided about an example:
 * - adjudicated: the adjudication if any, else the decision when every annotator who decided
 *   agrees; other examples are left as they were and listed in the manifest as unresolved;
 * - majority: as adjudicated, and an unadjudicated conflict takes the strict majority of the
 *   annotators' decisions (a tie stays unresolved);
 * - unanimous: only what every annotator agrees on; adjudications are not applied, every
 *   conflict stays unresolved.
 * With one annotator every decision is unanimous, so all three give the same export.
 */
export const RESOLVE_POLICIES = ['adjudicated', 'majority', 'unanimous'] as const;
export const ResolvePolicy = z.enum(RESOLVE_POLICIES);
export type ResolvePolicy = z.infer<typeof ResolvePolicy>;

/**
 * An annotator's decision about an example as agreement counts it: `keep`, `eliminate`, or the
 * label it was relabelled to (two relabels to different labels disagree).
 */
export type Outcome = string;

export function outcomeOf(decision: { action: DecisionAction; label: string | null }): Outcome {
  return decision.action === 'reannotate' ? (decision.label ?? '') : decision.action;
}

/** One annotator pair: examples both decided, and Cohen's kappa over their outcomes (null when undefined). */
export const AgreementPair = z.object({
  a: z.string(),
  b: z.string(),
  overlap: z.number().int(),
  kappa: z.number().nullable(),
});
export type AgreementPair = z.infer<typeof AgreementPair>;

/** Agreement among the examples of one given label that two or more annotators decided. */
export const LabelAgreement = z.object({
  label: z.string(),
  /** Examples of this given label decided by two or more annotators. */
  examples: z.number().int(),
  /** Of them, those on which every annotator's outcome is the same. */
  agreed: z.number().int(),
  conflicts: z.number().int(),
});
export type LabelAgreement = z.infer<typeof LabelAgreement>;

export const Conflict = z.object({
  id: z.string(),
  /** Annotator -> outcome (`keep`, `eliminate`, or the new label). */
  decisions: z.record(z.string(), z.string()),
});
export type Conflict = z.infer<typeof Conflict>;

/** What `winnow agreement --json` prints. */
export const AgreementReport = z.object({
  pairs: z.array(AgreementPair),
  /** Fleiss' kappa over the examples three or more annotators decided; null when there are none. */
  fleiss: z.number().nullable(),
  labels: z.array(LabelAgreement),
  conflicts: z.array(Conflict),
});
export type AgreementReport = z.infer<typeof AgreementReport>;

/** The report's agreement section: the matrix, Fleiss, conflicts per given label, and which are adjudicated. */
export const AgreementSection = z.object({
  annotators: z.array(z.object({ name: z.string(), decided: z.number().int() })),
  /** matrix[i][j]: examples annotators i and j both decided and their kappa (the diagonal: decided by i, kappa null). */
  matrix: z.array(z.array(z.object({ overlap: z.number().int(), kappa: z.number().nullable() }))),
  fleiss: z.number().nullable(),
  /** Examples decided by three or more annotators (Fleiss' items). */
  fleissExamples: z.number().int(),
  labels: z.array(LabelAgreement),
  conflicts: z.number().int(),
  adjudicated: z.number().int(),
});
export type AgreementSection = z.infer<typeof AgreementSection>;

/** One annotator's current decision on an example, shown side by side with the others'. */
export const TeamVote = z.object({ annotator: z.string(), action: DecisionAction, label: z.string().nullable() });
export type TeamVote = z.infer<typeof TeamVote>;

/** Every annotator's current decision on an example, and the adjudication if there is one. */
export const TeamDecisions = z.object({
  votes: z.array(TeamVote),
  /** The annotators' current outcomes differ. */
  conflict: z.boolean(),
  adjudication: TeamVote.nullable(),
});
export type TeamDecisions = z.infer<typeof TeamDecisions>;

/** The splits a log was recorded on: their names, sizes and the sha256 of the files they came from. */
export const DatasetFingerprint = z.object({
  splits: z.array(z.object({ name: z.string(), count: z.number().int().min(0), sha256: z.string().nullable() })),
});
export type DatasetFingerprint = z.infer<typeof DatasetFingerprint>;

export const DECISION_LOG_FORMAT = 'winnow-decisions/1';

/** The first line of an exported decision log. */
export const DecisionLogHeader = z.strictObject({
  format: z.literal(DECISION_LOG_FORMAT),
  exportedAt: z.string(),
  appVersion: z.string(),
  project: z.string(),
  /** Only this annotator's records (and the records they revert), or null: the whole log. */
  annotator: z.string().nullable(),
  fingerprint: DatasetFingerprint,
  records: z.number().int().min(0),
});
export type DecisionLogHeader = z.infer<typeof DecisionLogHeader>;

/** One record of an exported decision log (every later line). */
export const DecisionLogEntry = z
  .strictObject({
    /** The record's stable unique id (a UUID). */
    uid: z.string().min(8).max(64),
    /** Records written by one action share a batch; undo and redo revert whole batches. */
    batch: z.string().min(1).max(64).nullable(),
    /** The example's id and split. */
    example: z.string().min(1),
    split: z.string().min(1),
    action: LoggedAction,
    label: z.string().min(1).nullable(),
    annotator: AnnotatorName,
    time: z.string().min(1),
    note: z.string().nullable(),
    /** The run whose suggestion was taken, as this log's project knew it. */
    run: z.object({ id: z.number().int().positive(), createdAt: z.string() }).nullable(),
    /** The uid of the record this one reverts (undo or redo), else null. */
    undoes: z.string().min(8).max(64).nullable(),
    adjudication: z.boolean(),
  })
  .refine((entry) => (entry.action === 'reannotate') === (entry.label !== null), { message: 'a label is given exactly when the action is reannotate', path: ['label'] });
export type DecisionLogEntry = z.infer<typeof DecisionLogEntry>;

/** What merging a decision log answers. */
export const DecisionImportResult = z.object({
  file: z.string(),
  /** Records in the file. */
  records: z.number().int(),
  /** Records added to this project. */
  imported: z.number().int(),
  /** Records this project already had (same uid): importing twice changes nothing. */
  alreadyPresent: z.number().int(),
  /** Annotators whose records were added. */
  annotators: z.array(z.string()),
});
export type DecisionImportResult = z.infer<typeof DecisionImportResult>;

/** What exporting a decision log answers. */
export const DecisionExportResult = z.object({
  path: z.string(),
  records: z.number().int(),
  annotator: z.string().nullable(),
  sha256: z.string(),
});
export type DecisionExportResult = z.infer<typeof DecisionExportResult>;

/** How a run's queue was split among annotators (`winnow assign`). */
export const AssignmentSummary = z.object({
  run: z.number().int(),
  seed: z.number().int(),
  overlap: z.number(),
  createdAt: z.string(),
  /** Examples in the run's queue, each assigned to one or two annotators. */
  examples: z.number().int(),
  /** Examples assigned to two annotators, for agreement. */
  shared: z.number().int(),
  annotators: z.array(z.object({ name: z.string(), assigned: z.number().int(), shared: z.number().int() })),
  pairs: z.array(z.object({ a: z.string(), b: z.string(), shared: z.number().int() })),
});
export type AssignmentSummary = z.infer<typeof AssignmentSummary>;

/** `winnow assign`: split a run's queue among annotators, a share of it given to two of them. */
export const AssignOptions = z.object({
  run: z.number().int().positive(),
  annotators: z
    .array(AnnotatorName)
    .min(1, 'name at least one annotator')
    .max(100)
    .refine((names) => new Set(names).size === names.length, 'each annotator once'),
  /** The share of the queue given to two annotators, to measure their agreement. */
  overlap: z.number().min(0, 'a share between 0 and 1').max(1, 'a share between 0 and 1').default(0.1),
  seed: z.number().int().min(0).default(1),
});
export type AssignOptions = z.output<typeof AssignOptions>;
