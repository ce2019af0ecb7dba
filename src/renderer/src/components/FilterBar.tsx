import { STRATEGIES, STRATEGY_NAMES, type StrategyName } from '../../../shared/strategies';
import { useEffect, useState } from 'react';
import type { ExampleFilter, Facets } from '../../../shared/domain';

interface Props {
  /** With a run selected, the flagged-only and strategy filters appear. */
  run: number | null;
  facets: Facets;
  filter: ExampleFilter;
  onChange: (filter: ExampleFilter) => void;
}

function Select({ label, testId, values, selected, onChange, display = (v) => v }: { label: string; testId: string; values: string[]; selected: string | undefined; onChange: (v: string | undefined) => void; display?: (v: string) => string }) {
  return (
    <label className="field">
      <span>{label}</span>
      <select data-testid={testId} value={selected ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">All</option>
        {values.map((value) => (
          <option key={value} value={value}>
            {display(value)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Filters run in SQL; the text box waits for a pause in typing before it asks. */
export function FilterBar({ run, facets, filter, onChange }: Props) {
  const [text, setText] = useState(filter.text ?? '');
  useEffect(() => {
    const timer = setTimeout(() => {
      if ((filter.text ?? '') !== text) onChange({ ...filter, text: text || undefined });
    }, 250);
    return () => clearTimeout(timer);
  }, [text, filter, onChange]);
  const one = (values: string[] | undefined) => values?.[0];
  const set = (key: 'splits' | 'labels' | 'subjTypes' | 'objTypes') => (value: string | undefined) => onChange({ ...filter, [key]: value ? [value] : undefined });
  return (
    <div className="filter-bar" role="search">
      <label className="field grow">
        <span>Search</span>
        <input data-testid="filter-text" type="search" placeholder="Words in the sentence, or an id" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <Select label="Split" testId="filter-split" values={facets.splits} selected={one(filter.splits)} onChange={set('splits')} />
      <Select label="Label" testId="filter-label" values={facets.labels} selected={one(filter.labels)} onChange={set('labels')} />
      <Select label="Subject type" testId="filter-subj-type" values={facets.subjTypes} selected={one(filter.subjTypes)} onChange={set('subjTypes')} />
      <Select label="Object type" testId="filter-obj-type" values={facets.objTypes} selected={one(filter.objTypes)} onChange={set('objTypes')} />
      <label className="field">
        <span>Decision</span>
        <select data-testid="filter-decision" value={filter.decision ?? ''} onChange={(e) => onChange({ ...filter, decision: (e.target.value || undefined) as ExampleFilter['decision'] })}>
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
          <label className="check inline">
            <input type="checkbox" data-testid="filter-flagged" checked={filter.flaggedOnly ?? false} onChange={(e) => onChange({ ...filter, flaggedOnly: e.target.checked || undefined })} />
            Flagged only
          </label>
          <Select
            label="Suggested"
            testId="filter-suggested"
            values={facets.labels}
            selected={filter.suggestedLabels?.[0]}
            onChange={(v) => onChange({ ...filter, suggestedLabels: v ? [v] : undefined })}
          />
          <label className="field score-range">
            <span>Score</span>
            <span className="row">
              <input type="number" step="0.05" min={0} placeholder="min" aria-label="Minimum score" data-testid="filter-score-min" value={filter.scoreMin ?? ''} onChange={(e) => onChange({ ...filter, scoreMin: e.target.value === '' ? undefined : Number(e.target.value) })} />
              <input type="number" step="0.05" min={0} placeholder="max" aria-label="Maximum score" data-testid="filter-score-max" value={filter.scoreMax ?? ''} onChange={(e) => onChange({ ...filter, scoreMax: e.target.value === '' ? undefined : Number(e.target.value) })} />
            </span>
          </label>
          <Select
            label="Strategy"
            testId="filter-strategy"
            values={[...STRATEGY_NAMES]}
            display={(v) => STRATEGIES[v as StrategyName].badge}
            selected={filter.strategies?.[0]}
            onChange={(v) => onChange({ ...filter, strategies: v ? [v as StrategyName] : undefined })}
          />
        </>
      )}
      <button
        type="button"
        className="ghost"
        onClick={() => {
          setText('');
          onChange({});
        }}
      >
        Clear
      </button>
    </div>
  );
}
