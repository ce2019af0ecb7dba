import { useState } from 'react';
import { Dialog } from './Dialog';

/** A note saved with the example's decision (keep when it has none yet). */
export function NoteDialog({ onSave, onClose }: { onSave: (note: string) => void; onClose: () => void }) {
  const [note, setNote] = useState('');
  return (
    <Dialog title="Note" onClose={onClose} testId="note-dialog">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (note.trim()) onSave(note.trim());
        }}
      >
        <input autoFocus data-testid="note-input" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} placeholder="Why this decision? (Enter saves, Esc cancels)" />
        <div className="actions">
          <button type="button" className="ghost" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={!note.trim()}>Save note</button>
        </div>
      </form>
    </Dialog>
  );
}
