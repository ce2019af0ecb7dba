import type { JobProgress } from '../../../shared/domain';
import { formatTimeLeft } from '../app/format';

export interface JobView {
  jobId: string;
  label: string;
  progress: JobProgress | null;
}

/** Running jobs: what they do now, one bar and one time-left estimate for the whole job, and a cancel button. */
export function JobPanel({ jobs, onCancel }: { jobs: JobView[]; onCancel: (jobId: string) => void }) {
  if (!jobs.length) return null;
  return (
    <div className="jobs" aria-live="polite">
      {jobs.map((job) => {
        const p = job.progress;
        const fraction = p ? (p.fraction ?? (p.total > 0 ? Math.min(1, p.done / p.total) : null)) : null;
        return (
          <div className="job" key={job.jobId} data-testid="job">
            <div className="job-head">
              <strong>{job.label}</strong>
              <button type="button" className="ghost small" onClick={() => onCancel(job.jobId)}>Cancel</button>
            </div>
            <div className="job-status muted">
              <span>{p?.phase ?? 'starting'}</span>
              <span data-testid="job-eta">
                {fraction !== null ? `${Math.round(fraction * 100)}%` : ''} {formatTimeLeft(p?.etaMs ?? null)}
              </span>
            </div>
            <progress max={1} value={fraction ?? undefined} />
          </div>
        );
      })}
    </div>
  );
}
