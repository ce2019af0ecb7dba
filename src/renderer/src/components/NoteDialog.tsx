import { useState } from 'react';
import { Dialog } from './Dialog';

interface Props {
  /** The example's note as it stands (empty when it has none). */
  initial: string;
  /** Whether the example has a decision the note will be added to. */
  decided: boolean;
  onSave: (note: string) => void;
  onClose: () => void;
}

/**
 * The example's note. Saving decides nothing: the note goes on the current decision, or waits
 * for the example's first one; later decisions keep it.
 */
export function NoteDialog({ initial, decided, onSave, onClose }: Props) {
  const [note, setNote] = useState(initial);
  const changed = note.trim() !== initial.trim();
  return (
    <Dialog title={initial ? 'Edit the note' : 'Note'} onClose={onClose} testId="note-dialog">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (changed) onSave(note.trim());
          else onClose();
        }}
      >
        <input autoFocus data-testid="note-input" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} placeholder="Why? (Enter saves, Esc cancels)" />
        <p className="hint" data-testid="note-hint">
          {decided
            ? 'Added to this example’s current decision; it stays with the example when the decision changes.'
            : 'This example has no decision yet: the note waits for its next one (k, e, a or r). Saving a note decides nothing.'}
          {initial && ' Empty the text to remove the note.'}
        </p>
        <div className="actions">
          <button type="button" className="ghost" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={!changed} data-testid="note-save">
            {note.trim() || !initial ? 'Save note' : 'Remove note'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
