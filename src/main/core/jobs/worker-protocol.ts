import type { ErrorInfo, JobKind, JobResult } from '../../../shared/jobs';
import type { JobParams } from './job-definitions';

export interface WorkerStart {
  projectPath: string;
  job: JobParams;
}

export type WorkerMessage =
  | { type: 'progress'; phase: string; done: number; total: number }
  | { type: 'done'; result: JobResult<JobKind> }
  | { type: 'failed'; error: ErrorInfo };

export type ParentMessage = { type: 'cancel' };
