import type { JobKind, JobResult } from '../../../shared/jobs';
import { WinnowError } from '../../../shared/errors';
import { exportDataset, type ExportDatasetOptions } from '../export/export-modes';
import { importSplit } from '../store/import-split';
import type { SourceFormat } from '../io/record-source';
import { openDatabase } from '../store/database';
import { storageError } from '../errors/storage-errors';
import { rankProject } from '../ranking/rank-project';
import type { RankOptionsInput } from '../ranking/rank-options';
import { compareVariants, type CompareOptionsInput } from '../compare/compare-variants';

export interface ImportJobParams {
  filePath: string;
  /** How messages name the file: the name the user knows (an upload's own name), else the path. */
  fileLabel?: string | undefined;
  split: string;
  format: SourceFormat | 'parquet' | 'auto';
  skipInvalid: boolean;
  /** The project's negative label, at its first import. */
  negativeLabel?: string | undefined;
  /** Where the report of rejected records goes (skipInvalid); beside the file when absent. */
  reportPath?: string | undefined;
}

/** What each kind of job is started with; its result type is JobResult<kind> (shared/jobs). */
export interface JobParamsByKind {
  import: ImportJobParams;
  export: ExportDatasetOptions;
  rank: RankOptionsInput;
  compare: CompareOptionsInput;
}
export type JobParams = { [K in JobKind]: { kind: K; params: JobParamsByKind[K] } }[JobKind];

export interface JobContext {
  signal: AbortSignal;
  progress: (phase: string, done: number, total: number) => void;
}

/**
 * Runs one job against its own connection to the project file, so that the job's
 * transaction never mixes with the UI's reads and writes. Used by the worker thread and by
 * the in-process runner alike.
 */
export async function runJob(projectPath: string, job: JobParams, context: JobContext): Promise<JobResult<JobKind>> {
  const db = openDatabase(projectPath);
  try {
    switch (job.kind) {
      case 'import':
        return await importSplit(db, {
          filePath: job.params.filePath,
          fileLabel: job.params.fileLabel,
          split: job.params.split,
          format: job.params.format,
          skipInvalid: job.params.skipInvalid,
          negativeLabel: job.params.negativeLabel,
          reportPath: job.params.reportPath,
          signal: context.signal,
          onProgress: (p) => context.progress(p.phase, p.done, p.total),
        });
      case 'export':
        return await exportDataset(db, {
          ...job.params,
          signal: context.signal,
          onProgress: (p) => context.progress(p.phase, p.done, p.total),
        });
      case 'rank':
        return await rankProject(db, job.params, { signal: context.signal, onProgress: context.progress });
      case 'compare':
        return await compareVariants(db, job.params, { signal: context.signal, onProgress: context.progress });
      default: {
        const unknownJob: never = job;
        throw new WinnowError('INVALID_INPUT', `Unknown job ${JSON.stringify(unknownJob)}`);
      }
    }
  } catch (error) {
    // A full disk or a failing drive, named with the project file.
    throw storageError(error, projectPath) ?? error;
  } finally {
    // Closing copies the job's writes from the write-ahead log into the project file.
    db.close();
  }
}

