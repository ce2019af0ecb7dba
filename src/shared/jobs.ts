import { z } from 'zod';
import { CompareResult } from './compare';
import { ExportResult } from './exporting';
import { RankSummary } from './ranking';

export const ErrorInfo = z.object({ code: z.string(), message: z.string() });
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const ImportResult = z.object({
  split: z.string(),
  imported: z.number().int(),
  rejected: z.number().int(),
  reportPath: z.string().nullable(),
  /** Browser mode: a same-origin URL that downloads the report of rejected records. */
  reportDownloadUrl: z.string().nullable().default(null),
  sha256: z.string(),
  /** The project's negative label after the import (chosen at the first one). */
  negativeLabel: z.string(),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** Each kind of job and what it answers when it is done: one entry here per job kind. */
export const JOB_RESULTS = {
  import: ImportResult,
  export: ExportResult,
  rank: RankSummary,
  compare: CompareResult,
} as const;
export type JobKind = keyof typeof JOB_RESULTS;
export const JOB_KINDS = Object.keys(JOB_RESULTS) as [JobKind, ...JobKind[]];
export const JobKind = z.enum(JOB_KINDS);
export type JobResult<K extends JobKind> = z.infer<(typeof JOB_RESULTS)[K]>;

export const JobProgress = z.object({
  jobId: z.string(),
  kind: JobKind,
  phase: z.string(),
  done: z.number(),
  total: z.number(),
  /** Estimated milliseconds left for the whole job (smoothed), null until enough work is done to guess. */
  etaMs: z.number().nullable(),
  /** Share of the whole job done, across its phases (0 to 1). */
  fraction: z.number().min(0).max(1).optional(),
});
export type JobProgress = z.infer<typeof JobProgress>;

const finishedDone = <K extends JobKind>(kind: K) =>
  z.object({ jobId: z.string(), kind: z.literal(kind), status: z.literal('done'), result: JOB_RESULTS[kind] as (typeof JOB_RESULTS)[K] });

const finishedWithout = <S extends 'failed' | 'cancelled'>(status: S) => z.object({ jobId: z.string(), kind: JobKind, status: z.literal(status), error: ErrorInfo });

export const JobFinished = z.union([finishedDone('import'), finishedDone('export'), finishedDone('rank'), finishedDone('compare'), finishedWithout('failed'), finishedWithout('cancelled')]);
/** A finished job: done with the result of its kind, or failed/cancelled with the reason. */
export type JobFinished =
  | { [K in JobKind]: { jobId: string; kind: K; status: 'done'; result: JobResult<K> } }[JobKind]
  | { jobId: string; kind: JobKind; status: 'failed' | 'cancelled'; error: ErrorInfo };
