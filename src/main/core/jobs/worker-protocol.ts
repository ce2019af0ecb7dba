import type { ErrorInfo } from '../../../shared/domain';
import type { JobParams } from './job-definitions';

export interface WorkerStart {
  projectPath: string;
  job: JobParams;
}

export type WorkerMessage =
  | { type: 'progress'; phase: string; done: number; total: number }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: ErrorInfo };

export type ParentMessage = { type: 'cancel' };
