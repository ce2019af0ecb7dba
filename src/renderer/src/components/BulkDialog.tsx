import { useState } from 'react';
import { Dialog } from './Dialog';

export type BulkAction = 'keep' | 'eliminate' | 'accept' | 'reannotate';

interface Props {
  /** Selected rows, or null when the action targets every example matching the filter. */
  selectedCount: number | null;
  filteredCount: number;
  hasRun: boolean;
  labels: string[];
  onConfirm: (choice: { scope: 'selection' | 'filter'; action: BulkAction; label?: string }) => void;
  onClose: () => void;
}

/** One action on many examples, after a confirmation that states the count; one undo reverts it. */
export function BulkDialog({ selectedCount, filteredCount, hasRun, labels, onConfirm, onClose }: Props) {
  const [scope, setScope] = useState<'selection' | 'filter'>(selectedCount ? 'selection' : 'filter');
  const [action, setAction] = useState<BulkAction>('keep');
  const [label, setLabel] = useState(labels[0] ?? '');
  const count = scope === 'selection' ? (selectedCount ?? 0) : filteredCount;
  return (
    <Dialog title="Bulk action" onClose={onClose} testId="bulk-dialog">
      <div className="form">
        <fieldset className="fieldset">
          <legend>Apply to</legend>
          <label className="check">
            <input type="radio" name="scope" checked={scope === 'selection'} disabled={!selectedCount} onChange={() => setScope('selection')} />
            The {selectedCount ?? 0} selected examples
          </label>
          <label className="check">
            <input type="radio" name="scope" checked={scope === 'filter'} onChange={() => setScope('filter')} data-testid="bulk-scope-filter" />
            All {filteredCount.toLocaleString()} examples matching the current filter
          </label>
        </fieldset>
        <label className="field">
          <span>Action</span>
          <select value={action} onChange={(e) => setAction(e.target.value as BulkAction)} data-testid="bulk-action">
            <option value="keep">Keep</option>
            <option value="eliminate">Eliminate</option>
            {hasRun && <option value="accept">Accept the run's suggestion</option>}
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
      </div>
      <p className="confirm" data-testid="bulk-count">
        This will {action === 'accept' ? 'accept the suggestion for' : action === 'reannotate' ? `relabel to ${label}` : action} <strong>{count.toLocaleString()}</strong> example{count === 1 ? '' : 's'}. One undo reverts it.
      </p>
      <div className="actions">
        <button type="button" className="ghost" onClick={onClose}>Cancel</button>
        <button type="button" className="primary" data-testid="bulk-confirm" disabled={count === 0} onClick={() => onConfirm({ scope, action, label: action === 'reannotate' ? label : undefined })}>
          Apply to {count.toLocaleString()}
        </button>
      </div>
    </Dialog>
  );
}
