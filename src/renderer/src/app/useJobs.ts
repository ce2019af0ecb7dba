import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobFinished } from '../../../shared/domain';
import { call, subscribe } from '../api/client';
import type { JobView } from '../components/JobPanel';
import { finishedJobMessage, type JobMessage } from './job-messages';

interface StartedJob {
  label: string;
  /** The input file as the user named it (an import's file), for the message at the end. */
  source?: string | undefined;
}

/** Running jobs (progress, cancel) and what each says when it ends. */
export function useJobs(onFinished: (finished: JobFinished, message: JobMessage) => void) {
  const [jobs, setJobs] = useState<JobView[]>([]);
  const started = useRef(new Map<string, StartedJob>());
  const handler = useRef(onFinished);
  handler.current = onFinished;

  useEffect(() => {
    const offProgress = subscribe('job:progress', (progress) => setJobs((list) => list.map((j) => (j.jobId === progress.jobId ? { ...j, progress } : j))));
    const offFinished = subscribe('job:finished', (finished) => {
      setJobs((list) => list.filter((j) => j.jobId !== finished.jobId));
      const job = started.current.get(finished.jobId);
      started.current.delete(finished.jobId);
      handler.current(finished, finishedJobMessage(finished, { label: job?.label, source: job?.source }));
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, []);

  const start = useCallback<StartJob>((jobId, label, options = {}) => {
    started.current.set(jobId, { label, source: options.source });
    setJobs((list) => [...list, { jobId, label, progress: null }]);
  }, []);
  const cancel = useCallback((jobId: string) => void call('jobs:cancel', { jobId }), []);
  return { jobs, start, cancel };
}

export type StartJob = (jobId: string, label: string, options?: { source?: string | undefined }) => void;
