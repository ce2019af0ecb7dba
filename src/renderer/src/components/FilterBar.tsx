import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ExampleFilter, Facets } from '../../../shared/domain';
import { STRATEGIES, STRATEGY_NAMES, type StrategyName } from '../../../shared/strategies';
import { TeamFilters } from './team/TeamFilters';

interface Props {
  /** With a run selected, the flagged-only, suggestion, score and strategy filters appear. */
  run: number | null;
  facets: Facets;
  filter: ExampleFilter;
  onChange: (filter: ExampleFilter) => void;
  /** Counts and view toggles, at the end of the bar (they wrap with it). */
  children?: ReactNode;
  /** This machine's annotator, for "assigned to me". */
  annotator?: string;
  /** The strategies the run ran: the strategy filter offers these only. */
  strategies?: readonly StrategyName[];
  /** Enter or Esc in the search box: the keys go back to the list (the search stays). */
  onLeaveSearch?: () => void;
}

function Select({ label, testId, values, selected, onChange, display }: { label: string; testId: string; values: readonly string[]; selected: string | undefined; onChange: (v: string | undefined) => void; display?: (v: string) => string }) {
  return (
    <label className="field inline-field">
      <span>{label}</span>
      <select data-testid={testId} value={selected ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">All</option>
        {values.map((value) => (
          <option key={value} value={value}>
            {display ? display(value) : value}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Text typed into a box reaches the filter after a pause in typing, not on every key. */
function useDebounced<T>(value: T, apply: (value: T) => void, delay: number) {
  const [draft, setDraft] = useState(value);
  const applied = useRef(value);
  useEffect(() => {
    // The filter changed from outside (Clear, a reload): show it.
    if (value !== applied.current) {
      applied.current = value;
      setDraft(value);
    }
  }, [value]);
  useEffect(() => {
    if (draft === applied.current) return;
    const timer = setTimeout(() => {
      applied.current = draft;
      apply(draft);
    }, delay);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft, delay]);
  return [draft, setDraft] as const;
}

const SECONDARY: (keyof ExampleFilter)[] = ['subjTypes', 'objTypes', 'suggestedLabels', 'scoreMin', 'scoreMax', 'assignedTo', 'conflicts'];

/**
 * Filters run in SQL. The ones used most stay in view; entity types, the suggestion, the
 * score range and the team's (assigned to me, conflicts) fold under "More filters" (with a count of those set), so that the bar is one
 * or two lines even on a small screen.
 */
export function FilterBar({ run, facets, filter, onChange, children, annotator = '', strategies, onLeaveSearch }: Props) {
  const latest = useRef(filter);
  latest.current = filter;
  // A change to what is already set is no change: passed on, it made the grid fetch its list
  // again (and drop the cursor's cell) when the search's debounce repeated what Enter applied.
  const patch = (change: Partial<ExampleFilter>) => {
    const next = { ...latest.current, ...change };
    if (Object.keys(change).every((k) => JSON.stringify(next[k as keyof ExampleFilter]) === JSON.stringify(latest.current[k as keyof ExampleFilter]))) return;
    latest.current = next;
    onChange(next);
  };
  // Short: a search is answered soon after typing stops; replies to earlier keys are dropped (see ExampleGrid).
  const [text, setText] = useDebounced(filter.text ?? '', (t) => patch({ text: t.trim() ? t : undefined }), 120);
  const [scoreMin, setScoreMin] = useDebounced(filter.scoreMin === undefined ? '' : String(filter.scoreMin), (v) => patch({ scoreMin: v === '' || Number.isNaN(Number(v)) ? undefined : Number(v) }), 350);
  const [scoreMax, setScoreMax] = useDebounced(filter.scoreMax === undefined ? '' : String(filter.scoreMax), (v) => patch({ scoreMax: v === '' || Number.isNaN(Number(v)) ? undefined : Number(v) }), 350);
  const secondarySet = SECONDARY.filter((k) => filter[k] !== undefined && (!Array.isArray(filter[k]) || (filter[k] as unknown[]).length > 0)).length;
  const [more, setMore] = useState(secondarySet > 0);
  const one = (values: string[] | undefined) => values?.[0];
  const set = (key: 'splits' | 'labels' | 'subjTypes' | 'objTypes' | 'suggestedLabels') => (value: string | undefined) => patch({ [key]: value ? [value] : undefined });
  const anySet = Object.entries(filter).some(([k, v]) => k !== 'flaggedOnly' && v !== undefined && (!Array.isArray(v) || v.length > 0));
  return (
    <div className="filter-bar" role="search" data-testid="filter-bar">
      <label className="field inline-field grow">
        <span>Search</span>
        <input
          data-testid="filter-text"
          type="search"
          placeholder="Words in the sentence, or an id ( / )"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter' && e.key !== 'Escape') return;
            // Esc would clear a search box: here it keeps the search, as Enter does (Clear and
            // the box's × clear it), and both hand the keys back to the list.
            e.preventDefault();
            e.stopPropagation();
            if (e.key === 'Enter') patch({ text: text.trim() ? text : undefined });
            e.currentTarget.blur();
            onLeaveSearch?.();
          }}
        />
      </label>
      <Select label="Split" testId="filter-split" values={facets.splits} selected={one(filter.splits)} onChange={set('splits')} />
      <Select label="Label" testId="filter-label" values={facets.labels} selected={one(filter.labels)} onChange={set('labels')} />
      <label className="field inline-field">
        <span>Decision</span>
        <select data-testid="filter-decision" value={filter.decision ?? ''} onChange={(e) => patch({ decision: (e.target.value || undefined) as ExampleFilter['decision'] })}>
          <option value="">All</option>
          <option value="undecided">Undecided</option>
          <option value="decided">Decided</option>
          <option value="keep">Kept</option>
          <option value="eliminate">Eliminated</option>
          <option value="reannotate">Reannotated</option>
        </select>
      </label>
      {run !== null && (
        <>
          <label className="check inline" title="Only the examples this run flagged (its triage queue)">
            <input type="checkbox" data-testid="filter-flagged" checked={filter.flaggedOnly ?? false} onChange={(e) => patch({ flaggedOnly: e.target.checked || undefined })} />
            Flagged only
          </label>
          <Select
            label="Strategy"
            testId="filter-strategy"
            values={STRATEGY_NAMES.filter((s) => !strategies?.length || strategies.includes(s) || filter.strategies?.includes(s))}
            display={(s) => STRATEGIES[s as StrategyName].badge}
            selected={filter.strategies?.[0]}
            onChange={(v) => patch({ strategies: v ? [v as StrategyName] : undefined })}
          />
        </>
      )}
      <button type="button" className="ghost small" aria-expanded={more} data-testid="filter-more" onClick={() => setMore((m) => !m)}>
        {more ? 'Fewer filters' : 'More filters'}
        {secondarySet > 0 ? ` (${secondarySet})` : ''}
      </button>
      {/* Clear empties the filters; the run's queue (Flagged only) is the view, not a filter, and stays. */}
      <button type="button" className="ghost small" data-testid="filter-clear" disabled={!anySet} onClick={() => onChange(filter.flaggedOnly ? { flaggedOnly: true } : {})}>
        Clear
      </button>
      <div className="filter-status">{children}</div>
      {more && (
        <div className="filter-more" data-testid="filter-more-row">
          <Select label="Subject type" testId="filter-subj-type" values={facets.subjTypes} selected={one(filter.subjTypes)} onChange={set('subjTypes')} />
          <Select label="Object type" testId="filter-obj-type" values={facets.objTypes} selected={one(filter.objTypes)} onChange={set('objTypes')} />
          <TeamFilters filter={filter} annotator={annotator} onChange={(f) => patch(f)} />
          {run !== null && (
            <>
              <Select label="Suggested" testId="filter-suggested" values={facets.labels} selected={filter.suggestedLabels?.[0]} onChange={set('suggestedLabels')} />
              <label className="field inline-field score-range">
                <span>Score</span>
                <input type="number" step="0.05" min={0} placeholder="min" aria-label="Minimum score" data-testid="filter-score-min" value={scoreMin} onChange={(e) => setScoreMin(e.target.value)} />
                <input type="number" step="0.05" min={0} placeholder="max" aria-label="Maximum score" data-testid="filter-score-max" value={scoreMax} onChange={(e) => setScoreMax(e.target.value)} />
              </label>
            </>
          )}
        </div>
      )}
    </div>
  );
}
