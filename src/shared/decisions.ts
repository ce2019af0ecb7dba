import { z } from 'zod';

/** What a human decides about an example. */
export const DECISION_ACTIONS = ['keep', 'eliminate', 'reannotate'] as const;
export const DecisionAction = z.enum(DECISION_ACTIONS);
export type DecisionAction = z.infer<typeof DecisionAction>;

/** `accept` takes a run's suggestion: reannotate to it, or keep when it is the given label. */
export const RequestedAction = z.enum([...DECISION_ACTIONS, 'accept']);
export type RequestedAction = z.infer<typeof RequestedAction>;

/** A record of the append-only log; `clear` puts an example back to undecided (undo of its first decision). */
export const LoggedAction = z.enum([...DECISION_ACTIONS, 'clear']);
export type LoggedAction = z.infer<typeof LoggedAction>;

/** The grid's decision-state filter. */
export const DecisionStateFilter = z.enum(['undecided', 'decided', ...DECISION_ACTIONS]);

export const CurrentDecision = z.object({ action: DecisionAction, label: z.string().nullable() });
export type CurrentDecision = z.infer<typeof CurrentDecision>;

/** One record of the decision log as the CLI prints it and the detail pane shows it. */
export const DecisionLine = z.object({
  seq: z.number().int(),
  /** The record's stable unique id: the same in every copy of the project its log is merged into. */
  uid: z.string(),
  id: z.string(),
  split: z.string(),
  action: LoggedAction,
  oldLabel: z.string(),
  newLabel: z.string().nullable(),
  annotator: z.string(),
  time: z.string(),
  note: z.string().nullable(),
  run: z.number().int().nullable(),
  /** `note`: the record only set the example's note; its decision (if any) is unchanged. */
  kind: z.enum(['decision', 'undo', 'redo', 'note']),
  /** A final decision recorded by an adjudicator to settle the annotators' disagreement. */
  adjudication: z.boolean(),
});
export type DecisionLine = z.infer<typeof DecisionLine>;

export const BatchResult = z.object({ batchId: z.string().nullable(), count: z.number().int() });
export type BatchResult = z.infer<typeof BatchResult>;

/** An undo or redo: the batch appended, and the examples it changed (the first 100), to show them. */
export const UndoResult = BatchResult.extend({ exampleIds: z.array(z.string()) });
export type UndoResult = z.infer<typeof UndoResult>;

/** What a bulk action would touch: how many examples, and how many of them already have a decision. */
export const DecidedAmong = z.object({
  count: z.number().int(),
  decided: z.object({ keep: z.number().int(), eliminate: z.number().int(), reannotate: z.number().int() }),
  /** With a run: how many of them it made no suggestion for (an accept cannot apply to those). */
  withoutSuggestion: z.number().int().nullable(),
});
export type DecidedAmong = z.infer<typeof DecidedAmong>;

/** Where a note went: onto the example's current decision, or kept for its next one. */
export const NoteResult = z.object({ batchId: z.string(), attachedTo: z.enum(['current', 'next']) });
export type NoteResult = z.infer<typeof NoteResult>;
