export const SHORTCUTS: [string, string][] = [
  ['↓ / j', 'next example'],
  ['↑', 'previous example'],
  ['k', 'keep the label'],
  ['e', 'eliminate the example'],
  ['a', 'accept the suggestion'],
  ['r', 'reannotate (type-ahead label picker)'],
  ['n', 'add a note (kept with the decision)'],
  ['u / Ctrl+Z', 'undo (without limit)'],
  ['Shift+U / Ctrl+Shift+Z / Ctrl+Y', 'redo'],
  ['x / Space', 'select or unselect the example'],
  ['b', 'bulk action on the selection, or on every example matching the filter'],
  ['/', 'search'],
  ['?', 'this help'],
  ['Esc', 'close a dialog'],
];

/** Every key the triage view answers to. */
export function HelpOverlay({ onClose, onAbout }: { onClose: () => void; onAbout?: () => void }) {
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="help-overlay" onMouseDown={onClose}>
      <div className="help" onMouseDown={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <td>
                  <kbd>{keys}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Each decision is written to the project's decision log at once, with your annotator name.</p>
        <div className="actions">
          {onAbout && (
            <button type="button" className="ghost" onClick={onAbout} data-testid="open-about">
              About Winnow…
            </button>
          )}
          <button type="button" className="primary" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
