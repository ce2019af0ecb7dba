import { useEffect, useState } from 'react';
import type { ChannelInput, ChannelOutput } from '../../../shared/contract';
import { call } from '../api/client';
import { formatCount, plural } from '../app/format';
import { Dialog } from './Dialog';

export type BulkAction = 'keep' | 'eliminate' | 'accept' | 'reannotate';
type Target = ChannelInput<'decisions:apply'>['target'];

export interface BulkChoice {
  scope: 'selection' | 'filter';
  action: BulkAction;
  label?: string;
  onlyUndecided: boolean;
}

interface Props {
  /** Selected rows, or null when the action targets every example matching the filter. */
  selectedCount: number | null;
  filteredCount: number;
  /** The decision target of each scope, as the core will be asked. */
  targetOf: (scope: 'selection' | 'filter') => Target | null;
  run: number | null;
  labels: string[];
  onConfirm: (choice: BulkChoice) => void;
  onClose: () => void;
}

const VERB: Record<BulkAction, string> = { keep: 'keep', eliminate: 'eliminate', accept: 'accept the suggestion for', reannotate: 'relabel' };

/**
 * One action on many examples, after a confirmation that states the count and how many of
 * them already have a decision (and what happens to those); one undo reverts it.
 */
export function BulkDialog({ selectedCount, filteredCount, targetOf, run, labels, onConfirm, onClose }: Props) {
  const [scope, setScope] = useState<'selection' | 'filter'>(selectedCount ? 'selection' : 'filter');
  const [action, setAction] = useState<BulkAction>('keep');
  const [label, setLabel] = useState(labels[0] ?? '');
  const [replace, setReplace] = useState(true);
  const [preview, setPreview] = useState<ChannelOutput<'decisions:preview'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const count = scope === 'selection' ? (selectedCount ?? 0) : filteredCount;

  useEffect(() => {
    const target = targetOf(scope);
    setPreview(null);
    setError(null);
    if (!target || count === 0) return;
    let live = true;
    call('decisions:preview', { target, run: run ?? undefined }).then(
      (p) => live && setPreview(p),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scope, count, run]);

  const decided = preview ? preview.decided.keep + preview.decided.eliminate + preview.decided.reannotate : 0;
  const applied = replace ? count : count - decided;
  const noSuggestion = action === 'accept' ? (preview?.withoutSuggestion ?? 0) : 0;
  const parts = preview
    ? (['keep', 'eliminate', 'reannotate'] as const).filter((a) => preview.decided[a] > 0).map((a) => `${formatCount(preview.decided[a])} ${a}`)
    : [];
  return (
    <Dialog title="Bulk action" onClose={onClose} testId="bulk-dialog">
      <div className="form">
        <fieldset className="fieldset">
          <legend>Apply to</legend>
          <label className="check">
            <input type="radio" name="scope" checked={scope === 'selection'} disabled={!selectedCount} onChange={() => setScope('selection')} />
            The {formatCount(selectedCount ?? 0)} selected examples
          </label>
          <label className="check">
            <input type="radio" name="scope" checked={scope === 'filter'} onChange={() => setScope('filter')} data-testid="bulk-scope-filter" />
            All {formatCount(filteredCount)} examples matching the current filter
          </label>
        </fieldset>
        <label className="field">
          <span>Action</span>
          <select value={action} onChange={(e) => setAction(e.target.value as BulkAction)} data-testid="bulk-action">
            <option value="keep">Keep</option>
            <option value="eliminate">Eliminate</option>
            {run !== null && <option value="accept">Accept the run’s suggestion</option>}
            <option value="reannotate">Reannotate to…</option>
          </select>
        </label>
        {action === 'reannotate' && (
          <label className="field">
            <span>New label</span>
            <select value={label} onChange={(e) => setLabel(e.target.value)}>
              {labels.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </label>
        )}
        {decided > 0 && (
          <fieldset className="fieldset" data-testid="bulk-decided">
            <legend>
              {plural(decided, 'of them already has a decision', 'of them already have a decision')} ({parts.join(', ')})
            </legend>
            <label className="check">
              <input type="radio" name="decided" checked={replace} onChange={() => setReplace(true)} data-testid="bulk-replace" />
              Replace their decisions ({action === 'reannotate' ? `relabel to ${label}` : action}); one undo restores them
            </label>
            <label className="check">
              <input type="radio" name="decided" checked={!replace} onChange={() => setReplace(false)} data-testid="bulk-skip-decided" />
              Leave them as they are: apply to the {formatCount(count - decided)} undecided only
            </label>
          </fieldset>
        )}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {noSuggestion > 0 && (
        <p className="error" data-testid="bulk-no-suggestion">
          Run #{run} made no suggestion for {plural(noSuggestion, 'of these examples', 'of these examples')}: accept applies to flagged examples only (tick Flagged only, or select flagged rows).
        </p>
      )}
      <p className="confirm" data-testid="bulk-count">
        This will {action === 'reannotate' ? 'relabel' : VERB[action]} <strong>{formatCount(applied)}</strong> example{applied === 1 ? '' : 's'}
        {action === 'reannotate' && ` to ${label}`}
        {preview === null && !error ? ' (counting decisions…)' : decided > 0 ? (replace ? `, replacing ${formatCount(decided)} earlier decision${decided === 1 ? '' : 's'}` : `; ${formatCount(decided)} decided left as they are`) : ', none of which has a decision yet'}
        . One undo reverts it.
      </p>
      <div className="actions">
        <button type="button" className="ghost" onClick={onClose}>Cancel</button>
        <button
          type="button"
          className="primary"
          data-testid="bulk-confirm"
          disabled={applied <= 0 || preview === null || noSuggestion > 0}
          onClick={() => onConfirm({ scope, action, label: action === 'reannotate' ? label : undefined, onlyUndecided: !replace && decided > 0 })}
        >
          Apply to {formatCount(applied)}
        </button>
      </div>
    </Dialog>
  );
}
