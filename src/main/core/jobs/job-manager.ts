import crypto from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { JobFinished, JobKind, JobProgress, JobResult } from '../../../shared/jobs';
import { errorInfo } from '../errors/error-info';
import { runJob, type JobParams } from './job-definitions';
import { WholeJobEta } from './job-eta';
import { phasePlan } from './job-phases';
import type { ParentMessage, WorkerMessage, WorkerStart } from './worker-protocol';

export interface JobEvents {
  progress(progress: JobProgress): void;
  finished(finished: JobFinished): void;
}

/**
 * `worker` runs each job in a worker thread (the app and the server); `inline` runs it on
 * this thread's event loop (unit tests, which load TypeScript sources directly).
 */
export type JobRunnerMode = { mode: 'worker'; workerUrl: URL } | { mode: 'inline' };

interface RunningJob {
  cancel(): void;
  done: Promise<JobFinished>;
}

export class JobManager {
  private readonly running = new Map<string, RunningJob>();
  private readonly completed = new Map<string, JobFinished>();

  constructor(
    private readonly runner: JobRunnerMode,
    private readonly events: JobEvents,
    /** The clock the time-left estimates read (a fake one in tests). */
    private readonly clock: () => number = Date.now,
  ) {}

  /** `onFinished` may return an amended record (e.g. with a download URL) to announce instead. */
  start(projectPath: string, job: JobParams, onFinished?: (finished: JobFinished) => JobFinished | void): string {
    const jobId = crypto.randomUUID();
    const eta = new WholeJobEta(phasePlan(job), this.clock);
    const report = (phase: string, done: number, total: number) => {
      const { fraction, etaMs } = eta.update(phase, done, total);
      this.events.progress({ jobId, kind: job.kind, phase, done, total, etaMs, fraction });
    };
    const running = this.runner.mode === 'worker' ? this.startWorker(jobId, projectPath, job, report) : this.startInline(jobId, projectPath, job, report);
    this.running.set(jobId, running);
    running.done = running.done.then((finished) => {
      this.running.delete(jobId);
      const announced = onFinished?.(finished) ?? finished;
      this.completed.set(jobId, announced);
      if (this.completed.size > 200) this.completed.delete(this.completed.keys().next().value!);
      this.events.finished(announced);
      return announced;
    });
    return jobId;
  }

  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    if (!job) return false;
    job.cancel();
    return true;
  }

  /** Waits for a job; used by tests and the CLI. */
  async wait(jobId: string): Promise<JobFinished | undefined> {
    return this.running.get(jobId)?.done ?? this.completed.get(jobId);
  }

  get activeCount(): number {
    return this.running.size;
  }

  private startInline(jobId: string, projectPath: string, job: JobParams, report: (p: string, d: number, t: number) => void): RunningJob {
    const controller = new AbortController();
    const done = runJob(projectPath, job, { signal: controller.signal, progress: report }).then(
      (result): JobFinished => doneRecord(jobId, job, result),
      (error: unknown): JobFinished => finishedWithError(jobId, job, error),
    );
    return { cancel: () => controller.abort(), done };
  }

  private startWorker(jobId: string, projectPath: string, job: JobParams, report: (p: string, d: number, t: number) => void): RunningJob {
    const start: WorkerStart = { projectPath, job };
    const worker = new Worker(this.runner.mode === 'worker' ? this.runner.workerUrl : '', { workerData: start });
    const done = new Promise<JobFinished>((resolve) => {
      let settled = false;
      const settle = (finished: JobFinished) => {
        if (!settled) {
          settled = true;
          resolve(finished);
        }
      };
      worker.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'progress':
            report(message.phase, message.done, message.total);
            break;
          case 'done':
            settle(doneRecord(jobId, job, message.result));
            break;
          case 'failed':
            settle({
              jobId,
              kind: job.kind,
              status: message.error.code === 'CANCELLED' ? 'cancelled' : 'failed',
              error: message.error,
            });
            break;
        }
      });
      worker.on('error', (error) => settle(finishedWithError(jobId, job, error)));
      worker.on('exit', (code) =>
        settle({ jobId, kind: job.kind, status: 'failed', error: { code: 'INTERNAL', message: `job worker exited with code ${code}` } }),
      );
    });
    return { cancel: () => worker.postMessage({ type: 'cancel' } satisfies ParentMessage), done };
  }
}

/** The result comes from runJob for this job's kind, so it has that kind's result type. */
function doneRecord(jobId: string, job: JobParams, result: JobResult<JobKind>): JobFinished {
  return { jobId, kind: job.kind, status: 'done', result } as JobFinished;
}

function finishedWithError(jobId: string, job: JobParams, error: unknown): JobFinished {
  const info = errorInfo(error);
  return { jobId, kind: job.kind, status: info.code === 'CANCELLED' ? 'cancelled' : 'failed', error: info };
}
