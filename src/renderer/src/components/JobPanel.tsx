import type { JobProgress } from '../../../shared/domain';

export interface JobView {
  jobId: string;
  label: string;
  progress: JobProgress | null;
}

function formatEta(ms: number | null): string {
  if (ms === null) return '';
  const seconds = Math.ceil(ms / 1000);
  return seconds < 60 ? `${seconds}s left` : `${Math.floor(seconds / 60)}m ${seconds % 60}s left`;
}

/** Running jobs with their phase, a progress bar, the time left and a cancel button. */
export function JobPanel({ jobs, onCancel }: { jobs: JobView[]; onCancel: (jobId: string) => void }) {
  if (!jobs.length) return null;
  return (
    <div className="jobs" aria-live="polite">
      {jobs.map((job) => {
        const p = job.progress;
        const fraction = p && p.total > 0 ? Math.min(1, p.done / p.total) : null;
        return (
          <div className="job" key={job.jobId} data-testid="job">
            <div className="job-head">
              <strong>{job.label}</strong>
              <span className="muted">{p?.phase ?? 'starting'} {fraction !== null ? `${Math.round(fraction * 100)}%` : ''} {formatEta(p?.etaMs ?? null)}</span>
              <button type="button" className="ghost small" onClick={() => onCancel(job.jobId)}>Cancel</button>
            </div>
            <progress max={1} value={fraction ?? undefined} />
          </div>
        );
      })}
    </div>
  );
}
