import { formatCount } from '../app/format';
import type { RunSummary } from '../../../shared/domain';
import { RANK_PARAMETER_INFO, type RankParameterName } from '../../../shared/ranking';

function shown(value: unknown): string {
  if (value === undefined || value === null) return '–';
  if (Array.isArray(value)) return value.length ? value.map(shown).join(', ') : '–';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    // A clean-set source reads as split:dev, a model as its kind and file names.
    if ('kind' in (value as object)) return entries.map(([k, v]) => (k === 'kind' ? String(v) : shown(v))).join(':');
    return entries.map(([k, v]) => `${k}: ${shown(v)}`).join('; ');
  }
  return String(value);
}

/** Every stored parameter of a run, one per line, named as the rank dialog names them. */
export function runTooltip(run: RunSummary): string {
  const lines = [`Run #${run.id}, ${run.createdAt}`, `${run.model} on ${run.provider}`, `Negative label: ${run.negativeLabel}`];
  if (run.invalidated) lines.push(`INVALIDATED: ${run.invalidated}`);
  for (const [key, value] of Object.entries(run.parameters)) {
    const info = RANK_PARAMETER_INFO[key as RankParameterName];
    const name = info?.label ?? (key === 'strategyNotes' ? 'Strategy notes' : key === 'embeddings' ? 'Embeddings' : key === 'model' ? 'Model' : key);
    lines.push(`${name}: ${shown(value)}`);
  }
  if (run.cleanSet) lines.push(`Clean set used: ${run.cleanSet.examples} examples (${run.cleanSet.relabelledByReference} relabelled by the reference)`);
  for (const warning of run.warnings) lines.push(`Warning: ${warning}`);
  return lines.join('\n');
}

/** Chooses the ranking run whose flags the grid shows; "none" shows the plain dataset. */
export function RunPicker({ runs, run, onChange }: { runs: RunSummary[]; run: number | null; onChange: (run: number | null) => void }) {
  if (!runs.length) return null;
  const current = runs.find((r) => r.id === run);
  return (
    <label className="run-picker" title={current ? runTooltip(current) : 'Choose a ranking run'} data-testid="run-picker-label">
      <span className="muted">Run</span>
      <select data-testid="run-picker" value={run ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}>
        <option value="">None (dataset only)</option>
        {/* What tells runs apart comes first: a narrow picker cuts the end. */}
        {runs.map((r) => (
          <option key={r.id} value={r.id} title={runTooltip(r)}>
            #{r.id} · {formatCount(r.queue)} flagged{r.invalidated ? ' · invalidated' : ''} · {r.model} · {r.provider}
          </option>
        ))}
      </select>
    </label>
  );
}
