import { useEffect, useRef } from 'react';

export const SHORTCUTS: [string, string][] = [
  ['↓ / j', 'next example'],
  ['↑', 'previous example'],
  ['g', 'next undecided example (where triage resumes after a reload)'],
  ['k', 'keep the label'],
  ['e', 'eliminate the example'],
  ['a', 'accept the suggestion'],
  ['r', 'reannotate (type-ahead label picker; the suggestion first)'],
  ['n', 'note (decides nothing; kept with the example’s decision)'],
  ['u / Ctrl+Z', 'undo (without limit); the grid shows the example it changed'],
  ['Shift+U / Ctrl+Shift+Z / Ctrl+Y', 'redo'],
  ['x / Space', 'select or unselect the example'],
  ['b', 'bulk action on the selection, or on every example matching the filter'],
  ['/', 'search'],
  ['?', 'this help (again to close)'],
  ['Esc', 'close this help, a dialog or the picker; back from the report'],
];

/** Every key the triage view answers to. Closes with Esc, with ? again, or a click outside. */
export function HelpOverlay({ onClose, onAbout }: { onClose: () => void; onAbout?: () => void }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' || e.key === '?') {
        e.preventDefault();
        e.stopPropagation();
        onClose();
      } else if (e.key === 'Tab') {
        // Modal: Tab cycles through the help's own buttons, never to the page behind it.
        const items = [...(box.current?.querySelectorAll<HTMLElement>('button:not([disabled]), a[href]') ?? [])];
        if (!items.length) return;
        e.preventDefault();
        const at = items.indexOf(document.activeElement as HTMLElement);
        const next = e.shiftKey ? (at <= 0 ? items.length - 1 : at - 1) : at === items.length - 1 ? 0 : at + 1;
        items[next]!.focus();
      }
    };
    // Capture: before the triage keys, which must not act while the help is up.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="help-overlay" onMouseDown={onClose}>
      <div className="help" ref={box} onMouseDown={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <td>
                  {/* One box per alternative, so that a long list wraps between them, not inside one. */}
                  {keys.split(' / ').map((k, i) => (
                    <span key={k}>
                      {i > 0 && ' / '}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Each decision is written to the project’s decision log at once, with your annotator name.</p>
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
