import { z } from 'zod';
import {
  ErrorInfo,
  ExamplePage,
  ExampleQuery,
  Facets,
  JobFinished,
  JobProgress,
  DecisionLine,
  ReportData,
  ExampleDetail,
  ExampleFilter,
  ProjectSummary,
  ReferenceSetInfo,
  Settings,
  RunSummary,
  SplitFormat,
  StrategyName,
} from './domain';
import { AboutInfo } from './about';

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
    input: z.object({ path: z.string().min(1) }),
    output: ProjectSummary,
  },
  'project:create': {
    input: z.object({ path: z.string().min(1) }),
    output: ProjectSummary,
  },
  'project:recent': {
    input: z.object({}),
    output: z.array(z.object({ path: z.string(), openedAt: z.string() })),
  },
  'examples:query': {
    input: ExampleQuery,
    output: ExamplePage,
  },
  'examples:facets': {
    input: z.object({}),
    output: Facets,
  },
  'import:start': {
    input: z.object({
      path: z.string().min(1),
      split: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'split names use letters, digits, _ . - (at most 64)'),
      format: z.enum(['json', 'jsonl', 'auto']).default('auto'),
      skipInvalid: z.boolean().default(false),
    }),
    output: z.object({ jobId: z.string() }),
  },
  'export:start': {
    input: z.object({
      split: z.string().min(1),
      format: SplitFormat.default('json'),
      /** original: as imported; reviewed: human decisions applied; auto: a run's flags applied. */
      mode: z.enum(['original', 'reviewed', 'auto']).default('original'),
      apply: z.enum(['eliminate', 'reannotate', 'both']).default('both'),
      run: z.number().int().positive().optional(),
      strategy: StrategyName.optional(),
      decisionsOverride: z.boolean().default(false),
      patch: z.enum(['tacrev', 'retacred']).optional(),
      /** Absent in browser mode: the file goes to the project's export folder and is downloaded. */
      outPath: z.string().min(1).optional(),
    }),
    output: z.object({ jobId: z.string() }),
  },
  'ranking:start': {
    input: z.object({
      model: z
        .discriminatedUnion('kind', [
          z.object({ kind: z.literal('builtin') }),
          z.object({ kind: z.literal('package'), dir: z.string().min(1) }),
          z.object({ kind: z.literal('predictions'), file: z.string().min(1) }),
        ])
        .default({ kind: 'builtin' }),
      strategies: z.array(StrategyName).min(1),
      k: z.number().int().min(1).max(100).default(3),
      folds: z.number().int().min(2).max(20).default(5),
      seed: z.number().int().min(0).default(13),
      clean: z
        .union([
          z.object({ kind: z.literal('reference'), name: z.string().min(1) }),
          z.object({ kind: z.literal('decided') }),
          z.object({ kind: z.literal('split'), name: z.string().min(1) }),
        ])
        .nullable()
        .default(null),
    }),
    output: z.object({ jobId: z.string() }),
  },
  'runs:list': {
    input: z.object({}),
    output: z.array(RunSummary),
  },
  'reference:import': {
    input: z.object({ path: z.string().min(1), name: z.string().regex(/^[\w.-]{1,64}$/, 'reference names use letters, digits, _ . - (at most 64)') }),
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
      /** Explicit examples, or every example matching a filter (bulk), guarded by the count the user confirmed. */
      target: z.union([
        z.object({ ids: z.array(z.string().min(1)).min(1).max(100_000) }),
        z.object({ filter: ExampleFilter, run: z.number().int().positive().optional(), expectedCount: z.number().int().min(1) }),
      ]),
      action: z.enum(['keep', 'eliminate', 'reannotate', 'accept']),
      label: z.string().trim().min(1).optional(),
      note: z.string().max(2000).optional(),
      run: z.number().int().positive().optional(),
    }),
    output: z.object({ batchId: z.string().nullable(), count: z.number().int() }),
  },
  'decisions:undo': {
    input: z.object({}),
    output: z.object({ batchId: z.string().nullable(), count: z.number().int() }),
  },
  'decisions:redo': {
    input: z.object({}),
    output: z.object({ batchId: z.string().nullable(), count: z.number().int() }),
  },
  'decisions:history': {
    input: z.object({ id: z.string().min(1) }),
    output: z.array(DecisionLine),
  },
  'report:data': {
    input: z.object({ run: z.number().int().positive(), reference: z.string().min(1).optional() }),
    output: ReportData,
  },
  'report:save': {
    input: z.object({ run: z.number().int().positive(), reference: z.string().min(1).optional(), outPath: z.string().min(1).optional() }),
    output: z.object({ path: z.string(), downloadUrl: z.string().nullable() }),
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
      title: z.string().optional(),
      filters: z.array(z.object({ name: z.string(), extensions: z.array(z.string()) })).optional(),
    }),
    output: z.object({ path: z.string().nullable() }),
  },
  'dialog:saveFile': {
    input: z.object({ title: z.string().optional(), defaultPath: z.string().optional() }),
    output: z.object({ path: z.string().nullable() }),
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
    command: z.enum(['project', 'import', 'export', 'rank', 'undo', 'redo', 'toggle-theme', 'help', 'about']),
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
