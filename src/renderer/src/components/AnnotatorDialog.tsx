import { useState } from 'react';
import { Dialog } from './Dialog';

/** The name recorded with every decision (replaces the browser's prompt()). */
export function AnnotatorDialog({ current, onSave, onClose }: { current: string; onSave: (name: string) => Promise<void>; onClose: () => void }) {
  const [name, setName] = useState(current);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title="Annotator" onClose={onClose} testId="annotator-dialog">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return;
          onSave(name.trim()).then(onClose, (err: Error) => setError(err.message));
        }}
      >
        <label className="field">
          <span>Your name, recorded with every decision and note</span>
          <input autoFocus data-testid="annotator-input" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
        </label>
        {error && <p className="error" role="alert">{error}</p>}
        <div className="actions">
          <button type="button" className="ghost" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" data-testid="annotator-save" disabled={!name.trim() || name.trim() === current}>Save</button>
        </div>
      </form>
    </Dialog>
  );
}
