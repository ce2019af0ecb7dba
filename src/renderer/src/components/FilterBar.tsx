import { useEffect, useState } from 'react';
import type { ExampleFilter, Facets } from '../../../shared/domain';

interface Props {
  facets: Facets;
  filter: ExampleFilter;
  onChange: (filter: ExampleFilter) => void;
}

function Select({ label, testId, values, selected, onChange }: { label: string; testId: string; values: string[]; selected: string | undefined; onChange: (v: string | undefined) => void }) {
  return (
    <label className="field">
      <span>{label}</span>
      <select data-testid={testId} value={selected ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">All</option>
        {values.map((value) => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Filters run in SQL; the text box waits for a pause in typing before it asks. */
export function FilterBar({ facets, filter, onChange }: Props) {
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
