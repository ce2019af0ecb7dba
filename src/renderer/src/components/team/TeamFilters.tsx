import type { ExampleFilter } from '../../../../shared/domain';
import '../../styles/team.css';

/** Grid filters for a team: the examples `winnow assign` gave to me, and the annotators' conflicts. */
export function TeamFilters({ filter, annotator, onChange }: { filter: ExampleFilter; annotator: string; onChange: (filter: ExampleFilter) => void }) {
  return (
    <span className="team-filters">
      <label className="check inline" title={annotator ? `Only the examples assigned to ${annotator}` : 'Set your annotator name first'}>
        <input
          type="checkbox"
          data-testid="filter-assigned"
          disabled={!annotator}
          checked={filter.assignedTo !== undefined}
          onChange={(e) => onChange({ ...filter, assignedTo: e.target.checked ? annotator : undefined })}
        />
        Assigned to me
      </label>
      <label className="check inline" title="Examples whose annotators' decisions differ (merged logs)">
        <input type="checkbox" data-testid="filter-conflicts" checked={filter.conflicts ?? false} onChange={(e) => onChange({ ...filter, conflicts: e.target.checked || undefined })} />
        Conflicts
      </label>
    </span>
  );
}
