import { useLayoutEffect, useRef } from 'react';
import type { Toast } from '../app/useToasts';

/**
 * Messages above everything: the stack is a manual popover, so it sits in the browser's top
 * layer (above the grid and above an open modal dialog); it is raised again whenever a
 * message arrives, so that a dialog opened later does not cover it.
 */
export function ToastStack({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  const stack = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = stack.current as (HTMLDivElement & { showPopover?: () => void; hidePopover?: () => void }) | null;
    if (!el?.showPopover) return;
    try {
      if (el.matches(':popover-open')) el.hidePopover!();
      if (toasts.length) el.showPopover();
    } catch {
      // No popover support: the fixed position and z-index still put it above the page.
    }
  }, [toasts]);
  return (
    <div className="toasts" ref={stack} popover="manual" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'} data-testid={`toast-${t.kind}`}>
          <div className="toast-body">
            <span>{t.text}</span>
            {t.links && (
              <ul className="toast-links" data-testid="toast-links">
                {t.links.map((link) => (
                  <li key={link.href}>
                    <a href={link.href} download={link.label}>
                      {link.label}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <button type="button" className="ghost small" aria-label="Dismiss" onClick={() => onDismiss(t.id)}>×</button>
        </div>
      ))}
    </div>
  );
}
