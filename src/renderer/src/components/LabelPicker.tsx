import { useEffect, useMemo, useRef, useState } from 'react';
import { call } from '../api/client';
import { formatCount } from '../app/format';

interface Props {
  subjType: string;
  objType: string;
  current: string;
  /** The run's suggestion for this example: listed first and chosen when Enter is pressed at once. */
  suggested?: string | undefined;
  /** The labels the project's examples carry; anything else is a new label and needs a confirmation. */
  projectLabels: readonly string[];
  onPick: (label: string) => void;
  onClose: () => void;
}

interface Choice {
  name: string;
  note: string;
  /** Not one of the project's labels: choosing it asks first. */
  outside: boolean;
}

/** Type-ahead label picker: the suggestion first, then labels seen with this pair of entity types. */
export function LabelPicker({ subjType, objType, current, suggested, projectLabels, onPick, onClose }: Props) {
  const [labels, setLabels] = useState<{ name: string; withTypes: number; total: number }[]>([]);
  // Until the project's labels arrive, a typed name cannot be told from a new label: an Enter
  // pressed before then waits for them instead of offering to create "employee_of".
  const [loaded, setLoaded] = useState(false);
  const [enterPending, setEnterPending] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [confirming, setConfirming] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const known = useMemo(() => new Set(projectLabels), [projectLabels]);
  useEffect(() => {
    call('labels:list', { subjType, objType })
      .then(setLabels, () => setLabels([]))
      .finally(() => setLoaded(true));
    input.current?.focus();
  }, [subjType, objType]);
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list: Choice[] = labels
      .filter((l) => l.name !== current && (!q || l.name.toLowerCase().includes(q)))
      .map((l) => ({
        name: l.name,
        outside: !known.has(l.name),
        note: l.name === suggested ? 'suggested' : !known.has(l.name) ? 'not a project label' : l.withTypes ? `${formatCount(l.withTypes)} with these types` : `${formatCount(l.total)} in project`,
      }));
    // The suggestion first: Enter right away accepts it.
    const s = list.findIndex((c) => c.name === suggested);
    if (s > 0) list.unshift(...list.splice(s, 1));
    // A typed label that does not exist is offered last, as what it is.
    if (loaded && q && !labels.some((l) => l.name.toLowerCase() === q)) list.push({ name: query.trim(), outside: true, note: 'new label' });
    return list;
  }, [labels, loaded, query, current, suggested, known]);
  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else input.current?.focus();
  }, [confirming]);

  const choose = (choice: Choice | undefined) => {
    if (!choice) return;
    if (choice.outside) setConfirming(choice.name);
    else onPick(choice.name);
  };
  useEffect(() => {
    if (!loaded || !enterPending) return;
    setEnterPending(false);
    choose(matches[active]);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, enterPending]);

  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-label="Reannotate"
      data-testid="label-picker"
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          if (confirming) setConfirming(null);
          else onClose();
        }
      }}
    >
      <div className="picker">
        <div className="picker-head">
          Reannotate <span className="muted">({subjType} → {objType}; now {current})</span>
        </div>
        {confirming ? (
          <div className="picker-confirm" data-testid="new-label-confirm">
            <p>
              <strong>“{confirming}”</strong> is a new label: none of this project’s {formatCount(projectLabels.length)} labels is spelled so. Exports will carry it as it is.
            </p>
            <div className="actions">
              <button type="button" className="ghost" onClick={() => setConfirming(null)}>
                Back (Esc)
              </button>
              <button type="button" className="primary" ref={confirmButton} data-testid="new-label-create" onClick={() => onPick(confirming)}>
                Create new label “{confirming}”
              </button>
            </div>
          </div>
        ) : (
          <>
            <input
              ref={input}
              data-testid="label-picker-input"
              value={query}
              placeholder={suggested ? `Enter accepts ${suggested}; type to filter labels…` : 'Type to filter labels…'}
              aria-activedescendant={matches[active] ? `picker-option-${active}` : undefined}
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
                  if (loaded) choose(matches[active]);
                  else setEnterPending(true);
                }
                if (e.key !== 'Escape') e.stopPropagation();
              }}
            />
            <ul className="picker-list" role="listbox">
              {matches.slice(0, 60).map((choice, i) => (
                <li
                  key={choice.name}
                  id={`picker-option-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className={`${i === active ? 'active' : ''} ${choice.outside ? 'outside' : ''}`}
                  onMouseEnter={() => setActive(i)}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    choose(choice);
                  }}
                >
                  <span>{choice.note === 'new label' ? `Create “${choice.name}”…` : choice.name}</span>
                  <span className="muted">{choice.note}</span>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
