import { useCallback, useRef, useState } from 'react';

export type ToastKind = 'info' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
  /** Files to download (browser mode exports). */
  links?: { label: string; href: string }[];
}

export type ToastFn = (kind: ToastKind, text: string, links?: Toast['links']) => void;

/** Messages in the corner: information fades after a while, errors stay until dismissed. */
export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const seq = useRef(0);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const toast = useCallback<ToastFn>(
    (kind, text, links) => {
      const id = ++seq.current;
      // The same message twice in a row (a key held down) shows once.
      setToasts((list) => [...list.filter((t) => t.text !== text).slice(-4), { id, kind, text, ...(links?.length ? { links } : {}) }]);
      if (kind === 'info') setTimeout(() => dismiss(id), links?.length ? 20_000 : 6000);
    },
    [dismiss],
  );
  return { toasts, toast, dismiss };
}
