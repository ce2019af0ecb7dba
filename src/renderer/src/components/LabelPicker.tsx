import { useEffect, useMemo, useRef, useState } from 'react';
import { call } from '../api/client';

interface Props {
  subjType: string;
  objType: string;
  current: string;
  onPick: (label: string) => void;
  onClose: () => void;
}

/** Type-ahead label picker: labels seen with this pair of entity types first. */
export function LabelPicker({ subjType, objType, current, onPick, onClose }: Props) {
  const [labels, setLabels] = useState<{ name: string; withTypes: number; total: number }[]>([]);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    call('labels:list', { subjType, objType }).then(setLabels, () => setLabels([]));
    input.current?.focus();
  }, [subjType, objType]);
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = labels.filter((l) => l.name !== current && (!q || l.name.toLowerCase().includes(q)));
    // A typed label that does not exist yet can be created.
    if (q && !labels.some((l) => l.name.toLowerCase() === q)) list.push({ name: query.trim(), withTypes: 0, total: 0 });
    return list;
  }, [labels, query, current]);
  useEffect(() => setActive(0), [query]);

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Reannotate" data-testid="label-picker" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="picker">
        <div className="picker-head">
          Reannotate <span className="muted">({subjType} → {objType}; now {current})</span>
        </div>
        <input
          ref={input}
          data-testid="label-picker-input"
          value={query}
          placeholder="Type to filter labels…"
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((i) => Math.min(matches.length - 1, i + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((i) => Math.max(0, i - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              const chosen = matches[active];
              if (chosen) onPick(chosen.name);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              onClose();
            }
            e.stopPropagation();
          }}
        />
        <ul className="picker-list" role="listbox">
          {matches.slice(0, 60).map((label, i) => (
            <li
              key={label.name}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseEnter={() => setActive(i)}
              onMouseDown={(e) => {
                e.preventDefault();
                onPick(label.name);
              }}
            >
              <span>{label.name}</span>
              <span className="muted">{label.total === 0 && label.withTypes === 0 ? 'new label' : label.withTypes ? `${label.withTypes} with these types` : `${label.total} in project`}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
