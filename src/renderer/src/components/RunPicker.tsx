import type { RunSummary } from '../../../shared/domain';

/** Chooses the ranking run whose flags the grid shows; "none" shows the plain dataset. */
export function RunPicker({ runs, run, onChange }: { runs: RunSummary[]; run: number | null; onChange: (run: number | null) => void }) {
  if (!runs.length) return null;
  return (
    <label className="run-picker">
      <span className="muted">Run</span>
      <select data-testid="run-picker" value={run ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}>
        <option value="">None (dataset only)</option>
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            #{r.id} · {r.model} · {r.provider} · {r.queue.toLocaleString()} flagged
          </option>
        ))}
      </select>
    </label>
  );
}
