import { useEffect } from 'react';

/**
 * Esc leaves a screen that sits over the grid (the report, the impact screen), as it closes a
 * dialog; not while a dialog or the help overlay is open over it, which Esc closes first.
 */
export function useEscapeToLeave(onLeave: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.querySelector('dialog[open], .overlay')) onLeave();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onLeave]);
}
