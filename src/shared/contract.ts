import { z } from 'zod';
import {
  BatchResult,
  CompareParameters,
  CompareResult,
  ExportPreview,
  DecidedAmong,
  DecisionLine,
  ErrorInfo,
  ExampleDetail,
  ExampleFilter,
  ExamplePage,
  ExampleQuery,
  ExportOptions,
  FileChoice,
  FileLabels,
  FileToken,
  NegativeLabelChange,
  NegativeLabelName,
  OutputFile,
  ProjectName,
  Facets,
  JobFinished,
  JobProgress,
  NoteResult,
  ProjectSummary,
  rankOptionsSchema,
  ReferenceName,
  ReferenceSetInfo,
  ReportData,
  RequestedAction,
  RunSummary,
  Settings,
  SplitName,
  UndoResult,
  AnnotatorName,
  AssignmentSummary,
  DecisionExportResult,
  DecisionImportResult,
} from './domain';
import { AboutInfo } from './about';

/** Explicit examples, or every example matching a filter (bulk), guarded by the count the user confirmed. */
const DecisionTarget = z.union([
  z.object({ ids: z.array(z.string().min(1)).min(1).max(100_000) }),
  z.object({ filter: ExampleFilter, run: z.number().int().positive().optional(), expectedCount: z.number().int().min(1) }),
]);

/**
 * The one contract between the renderer and everything behind it (Electron's ipcMain or
 * the browser-mode HTTP server). Channels are `domain:verb`; each has an input and an
 * output schema, and both sides validate against them.
 */
export const contract = {
  'app:info': {
    input: z.object({}),
    output: z.object({
      version: z.string(),
      mode: z.enum(['electron', 'browser']),
      platform: z.string(),
    }),
  },
  /** The About dialog: versions, commit, execution providers, schema (see about.ts). */
  'app:about': {
    input: z.object({}),
    output: AboutInfo,
  },
  'project:current': {
    input: z.object({}),
    output: ProjectSummary.nullable(),
  },
  'project:open': {
    /** A project token from the open dialog or the recent list. */
    input: z.object({ token: FileToken }),
    output: ProjectSummary,
  },
  'project:create': {
    /** Desktop: a token from the save dialog. Browser mode: a name; the file goes to the data folder. */
    input: z.union([z.object({ token: FileToken }), z.object({ name: ProjectName })]),
    output: ProjectSummary,
  },
  /** A consistent copy of the open project (SQLite's online backup): to a chosen file, or a download in browser mode. */
  'project:saveCopy': {
    input: z.object({ destination: FileToken.optional() }),
    output: OutputFile,
  },
  /** Opens (building it the first time) the demo project in the data folder. */
  'project:openDemo': {
    input: z.object({}),
    output: ProjectSummary,
  },
  'project:recent': {
    input: z.object({}),
    /** `path` is for display only; a project is opened by its token. */
    output: z.array(FileChoice.extend({ path: z.string(), openedAt: z.string() })),
  },
  'examples:query': {
    input: ExampleQuery,
    output: ExamplePage,
  },
  /** Where an example sits in the grid's order: a given one, or the next undecided from a position. */
  'examples:locate': {
    input: ExampleQuery.pick({ run: true, filter: true, sort: true }).extend({
      target: z.union([z.object({ id: z.string().min(1) }), z.object({ nextUndecidedFrom: z.number().int().min(0) })]),
    }),
    output: z.object({ index: z.number().int().nullable() }),
  },
  'examples:facets': {
    input: z.object({}),
    output: Facets,
  },
  'import:start': {
    input: z.object({
      file: FileToken,
      split: SplitName,
      format: z.enum(['json', 'jsonl', 'parquet', 'auto']).default('auto'),
      skipInvalid: z.boolean().default(false),
      /** The project's negative label, chosen at its first import. */
      negativeLabel: NegativeLabelName.optional(),
    }),
    output: z.object({ jobId: z.string() }),
  },
  /** What an export with these options would do, before it runs (the dialog's counts). */
  'export:preview': {
    input: ExportOptions,
    output: ExportPreview,
  },
  /** The labels of a chosen file, for the first import's choice of negative label. */
  'import:labels': {
    input: z.object({ file: FileToken, format: z.enum(['json', 'jsonl', 'parquet', 'auto']).default('auto') }),
    output: FileLabels,
  },
  /** A project setting: its negative label (runs ranked with another one are invalidated). */
  'project:setNegativeLabel': {
    input: z.object({ label: NegativeLabelName }),
    output: NegativeLabelChange,
  },
  'export:start': {
    input: ExportOptions.extend({
      /** A save dialog's token; absent: the platform's place for the project's exports (browser mode: always). */
      destination: FileToken.optional(),
    }),
    output: z.object({ jobId: z.string() }),
  },
  'ranking:start': {
    input: rankOptionsSchema(FileToken),
    output: z.object({ jobId: z.string() }),
  },
  'runs:list': {
    input: z.object({}),
    output: z.array(RunSummary),
  },
  /**
   * Retrain on each cleaned variant and score (the impact screen). Only the built-in model: a
   * trainer command or an output folder is a local user's (CLI) choice, never a page's.
   */
  'compare:start': {
    input: CompareParameters,
    output: z.object({ jobId: z.string() }),
  },
  /** The comparisons stored with a run, newest first. */
  'compare:list': {
    input: z.object({ run: z.number().int().positive() }),
    output: z.array(CompareResult),
  },
  'reference:import': {
    input: z.object({
      file: FileToken,
      name: ReferenceName,
      /** Import even when some of the patch's ids are not in the project or its labels unknown. */
      allowUnknown: z.boolean().default(false),
    }),
    output: ReferenceSetInfo,
  },
  'reference:list': {
    input: z.object({}),
    output: z.array(ReferenceSetInfo),
  },
  'examples:detail': {
    input: z.object({ id: z.string().min(1), run: z.number().int().positive().optional() }),
    output: ExampleDetail,
  },
  'labels:list': {
    input: z.object({ subjType: z.string().optional(), objType: z.string().optional() }),
    output: z.array(z.object({ name: z.string(), withTypes: z.number().int(), total: z.number().int() })),
  },
  'decisions:apply': {
    input: z.object({
      target: DecisionTarget,
      action: RequestedAction,
      label: z.string().trim().min(1).optional(),
      note: z.string().max(2000).optional(),
      run: z.number().int().positive().optional(),
      /** Bulk: leave the examples that already have a decision as they are. */
      onlyUndecided: z.boolean().optional(),
      /** Record the final decision that settles the annotators' disagreement, marked as adjudication. */
      adjudicate: z.boolean().optional(),
    }),
    output: BatchResult,
  },
  /** What a bulk action would touch: how many examples, and how many of them already have a decision. */
  'decisions:preview': {
    input: z.object({ target: DecisionTarget, run: z.number().int().positive().optional() }),
    output: DecidedAmong,
  },
  /** Sets an example's note without deciding anything: on its current decision, or kept for its next one. */
  'decisions:note': {
    input: z.object({ id: z.string().min(1), note: z.string().max(2000) }),
    output: NoteResult,
  },
  'decisions:undo': {
    input: z.object({}),
    output: UndoResult,
  },
  'decisions:redo': {
    input: z.object({}),
    output: UndoResult,
  },
  'decisions:history': {
    input: z.object({ id: z.string().min(1) }),
    output: z.array(DecisionLine),
  },
  /** Another copy's decision log (an upload or an open dialog's token), merged: idempotent, all or nothing. */
  'decisions:import': {
    input: z.object({ file: FileToken }),
    output: DecisionImportResult,
  },
  /** The decision log (or one annotator's) for another copy to merge: a save dialog's token, else the platform's place (downloaded in browser mode). */
  'decisions:export': {
    input: z.object({ annotator: AnnotatorName.optional(), destination: FileToken.optional() }),
    output: DecisionExportResult.extend({ output: OutputFile }),
  },
  /** How `winnow assign` split the queue among annotators, or null. */
  'team:assignment': {
    input: z.object({}),
    output: AssignmentSummary.nullable(),
  },
  'report:data': {
    /** comparison: which of the run's comparisons the report shows (default: its latest). */
    input: z.object({ run: z.number().int().positive(), reference: z.string().min(1).optional(), comparison: z.number().int().positive().optional() }),
    output: ReportData,
  },
  'report:save': {
    input: z.object({ run: z.number().int().positive(), reference: ReferenceName.optional(), comparison: z.number().int().positive().optional(), destination: FileToken.optional() }),
    output: OutputFile,
  },
  'settings:get': {
    input: z.object({}),
    output: Settings,
  },
  'settings:set': {
    input: Settings,
    output: Settings,
  },
  'jobs:cancel': {
    input: z.object({ jobId: z.string() }),
    output: z.object({ cancelled: z.boolean() }),
  },
  'dialog:openFile': {
    input: z.object({
      title: z.string().max(200).optional(),
      filters: z.array(z.object({ name: z.string().max(100), extensions: z.array(z.string().max(20)).max(20) })).max(10).optional(),
      /** A project to open, or a file to read (import, patch, predictions). */
      purpose: z.enum(['read', 'project']).default('read'),
    }),
    output: z.object({ file: FileChoice.nullable() }),
  },
  'dialog:openFolder': {
    input: z.object({ title: z.string().max(200).optional() }),
    output: z.object({ file: FileChoice.nullable() }),
  },
  'dialog:saveFile': {
    input: z.object({
      title: z.string().max(200).optional(),
      defaultName: z.string().max(255).optional(),
      /** A new project, or an output file (export, report). */
      purpose: z.enum(['write', 'project']).default('write'),
    }),
    output: z.object({ file: FileChoice.nullable() }),
  },
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

/** Main-to-renderer events. */
export const events = {
  'job:progress': JobProgress,
  'job:finished': JobFinished,
  'project:changed': z.object({ path: z.string().nullable() }),
  /** Decisions were appended (by this window, another window or the CLI through the app). */
  'decisions:changed': z.object({ count: z.number().int() }),
  /** The desktop menu asks the page to do something it owns (dialogs, undo, theme). */
  'menu:command': z.object({
    command: z.enum(['project', 'import', 'export', 'rank', 'undo', 'redo', 'toggle-theme', 'help', 'about', 'save-copy', 'import-decisions', 'export-decisions']),
  }),
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

/** What crosses the boundary: errors travel as values, never as thrown exceptions. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };
export const resultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: ErrorInfo }),
  ]);

/**
 * The handler table: a mapped type over the contract, so a missing or mistyped handler is
 * a compile error.
 */
export type Handlers = {
  [C in Channel]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>> | ChannelOutput<C>;
};

export const channels = Object.keys(contract) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** The API the renderer sees, whichever transport carries it. */
export interface WinnowBridge {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
