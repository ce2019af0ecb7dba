import type { JobKind } from '../../../shared/domain';
import { WinnowError } from '../../../shared/errors';
import { exportDataset } from '../export/export-modes';
import { importSplit } from '../store/import-split';
import type { SourceFormat } from '../io/record-source';
import { openDatabase } from '../store/database';
import { rankProject } from '../ranking/rank-project';
import type { RankOptionsInput } from '../ranking/rank-options';

export interface ImportJobParams {
  filePath: string;
  split: string;
  format: SourceFormat | 'auto';
  skipInvalid: boolean;
}

export interface ExportJobParams {
  split: string;
  format: SourceFormat;
  outPath: string;
  mode: 'original' | 'reviewed' | 'auto';
  apply: 'eliminate' | 'reannotate' | 'both';
  runId?: number;
  strategy?: 'is' | 'es' | 'esp' | 'cl' | 'knn';
  decisionsOverride: boolean;
  patch?: 'tacrev' | 'retacred';
  appVersion: string;
}

export type JobParams =
  | { kind: 'import'; params: ImportJobParams }
  | { kind: 'export'; params: ExportJobParams }
  | { kind: 'rank'; params: RankOptionsInput };

export interface JobContext {
  signal: AbortSignal;
  progress: (phase: string, done: number, total: number) => void;
}

/**
 * Runs one job against its own connection to the project file, so that the job's
 * transaction never mixes with the UI's reads and writes. Used by the worker thread and by
 * the in-process runner alike.
 */
export async function runJob(projectPath: string, job: JobParams, context: JobContext): Promise<unknown> {
  const db = openDatabase(projectPath);
  try {
    switch (job.kind) {
      case 'import':
        return await importSplit(db, {
          filePath: job.params.filePath,
          split: job.params.split,
          format: job.params.format,
          skipInvalid: job.params.skipInvalid,
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
      default: {
        const unknownJob: never = job;
        throw new WinnowError('INVALID_INPUT', `Unknown job ${JSON.stringify(unknownJob)}`);
      }
    }
  } finally {
    db.close();
  }
}

export type { JobKind };
