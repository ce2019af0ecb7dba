import { useCallback, useEffect, useRef, useState } from 'react';
import type { GridApi } from 'ag-grid-community';
import type { ExampleFilter, ExampleRow } from '../../../shared/domain';
import { call } from '../api/client';

export type Overlay = null | 'picker' | 'note' | 'bulk' | 'help';

interface Options {
  run: number | null;
  filter: ExampleFilter;
  enabled: boolean;
  toast: (kind: 'info' | 'error', text: string) => void;
  /** A single decision changed the decided count by this much (the grid is not refetched for it). */
  onDecidedDelta: (delta: number) => void;
  /** Every queued write has landed: the true counts can be read again. */
  onWritesSettled: () => void;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable || !!el.closest('dialog[open]');
}

/**
 * Keyboard-first triage over the grid: a cursor row, decisions written at once (the row is
 * updated before the round trip, then the page is refetched), undo/redo, selection, overlays.
 */
export function useTriage({ run, enabled, toast, onDecidedDelta, onWritesSettled }: Options) {
  const pendingWrites = useRef(0);
  const apiRef = useRef<GridApi<ExampleRow> | null>(null);
  const [cursor, setCursorState] = useState(0);
  // Keys can arrive faster than the writes: the cursor lives in a ref so that each key acts
  // on the row it was pressed on, and writes go through one queue, in order.
  const cursorRef = useRef(0);
  const writes = useRef<Promise<unknown>>(Promise.resolve());
  // The grid reports focus changes after rendering, and re-focuses a row it re-renders; such
  // reports, arriving while keys drive the cursor, must not pull the cursor back.
  const lastKeyMove = useRef(0);
  // Keys are handled one after another; one that lands on a row the grid is still loading
  // (after a refetch) waits for it instead of being dropped.
  const keyChain = useRef<Promise<void>>(Promise.resolve());
  const enqueue = useCallback((work: () => void | Promise<void>) => {
    keyChain.current = keyChain.current.then(work).catch(() => undefined);
  }, []);
  const rowLoaded = useCallback(async (index: number) => {
    for (let waited = 0; waited < 5000; waited += 25) {
      const api = apiRef.current;
      if (!api) return false;
      if (index >= api.getDisplayedRowCount()) return false;
      if (api.getDisplayedRowAtIndex(index)?.data) return true;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return false;
  }, []);
  const setCursor = (index: number) => {
    cursorRef.current = index;
    setCursorState(index);
  };
  const [current, setCurrent] = useState<ExampleRow | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [overlay, setOverlay] = useState<Overlay>(null);
  const [version, setVersion] = useState(0);
  const lastTiming = useRef<number | null>(null);

  const rowAt = useCallback((index: number) => apiRef.current?.getDisplayedRowAtIndex(index)?.data ?? null, []);

  const moveTo = useCallback(
    (index: number) => {
      const api = apiRef.current;
      if (!api) return;
      const count = api.getDisplayedRowCount();
      const next = Math.max(0, Math.min(count - 1, index));
      lastKeyMove.current = performance.now();
      api.ensureIndexVisible(next);
      api.setFocusedCell(next, 'sentence');
      setCursor(next);
      setCurrent(rowAt(next));
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rowAt],
  );

  const refresh = useCallback(() => {
    apiRef.current?.refreshInfiniteCache();
    setVersion((v) => v + 1);
  }, []);

  const decide = useCallback(
    (action: 'keep' | 'eliminate' | 'reannotate' | 'accept', label?: string, note?: string) => {
      const api = apiRef.current;
      const index = cursorRef.current;
      const node = api?.getDisplayedRowAtIndex(index);
      const row = node?.data;
      if (!api || !node || !row) return;
      if (action === 'accept' && !row.flag) {
        toast('info', 'This example has no suggestion in the selected run');
        return;
      }
      // Shown at once, before the write; the row keeps its place (no refetch) so the cursor
      // never jumps, even when the filter would now hide the row.
      const newLabel = action === 'accept' ? row.flag!.suggested : label;
      const decision: ExampleRow['decision'] =
        action === 'eliminate' || action === 'keep'
          ? { action, label: null }
          : newLabel === row.label
            ? { action: 'keep', label: null }
            : { action: 'reannotate', label: newLabel ?? null };
      node.setData({ ...row, decision });
      if (!row.decision) onDecidedDelta(1);
      moveTo(index + 1);
      pendingWrites.current++;
      writes.current = writes.current.then(async () => {
        const started = performance.now();
        try {
          await call('decisions:apply', { target: { ids: [row.id] }, action, label, note, run: run ?? undefined });
          lastTiming.current = performance.now() - started;
          (window as unknown as { __winnowLastDecisionMs?: number }).__winnowLastDecisionMs = lastTiming.current;
          setVersion((v) => v + 1);
        } catch (e) {
          node.setData(row);
          if (!row.decision) onDecidedDelta(-1);
          toast('error', (e as Error).message);
        } finally {
          if (--pendingWrites.current === 0) onWritesSettled();
        }
      });
    },
    [moveTo, onDecidedDelta, onWritesSettled, run, toast],
  );

  const undoRedo = useCallback(
    async (which: 'undo' | 'redo') => {
      try {
        await writes.current;
        const result = await call(which === 'undo' ? 'decisions:undo' : 'decisions:redo', {});
        toast('info', result.count ? `${which === 'undo' ? 'Undone' : 'Redone'}: ${result.count} example${result.count === 1 ? '' : 's'}` : `Nothing to ${which}`);
        refresh();
      } catch (e) {
        toast('error', (e as Error).message);
      }
    },
    [refresh, toast],
  );

  const toggleSelection = useCallback(() => {
    const node = apiRef.current?.getDisplayedRowAtIndex(cursorRef.current);
    if (node) node.setSelected(!node.isSelected());
  }, []);

  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (overlay || isTyping(e.target)) return;
      const ctrl = e.ctrlKey || e.metaKey;
      if (ctrl && (e.key === 'z' || e.key === 'Z')) {
        e.preventDefault();
        void undoRedo(e.shiftKey ? 'redo' : 'undo');
        return;
      }
      if (ctrl && e.key === 'y') {
        e.preventDefault();
        void undoRedo('redo');
        return;
      }
      if (ctrl || e.altKey) return;
      const handled = () => e.preventDefault();
      switch (e.key) {
        case 'ArrowDown':
        case 'j':
          handled();
          // The first press enters the grid at its first row.
          enqueue(() => moveTo(apiRef.current?.getFocusedCell() ? cursorRef.current + 1 : 0));
          break;
        case 'ArrowUp':
          handled();
          enqueue(() => moveTo(cursorRef.current - 1));
          break;
        case 'k':
        case 'e':
        case 'a': {
          handled();
          const action = e.key === 'k' ? 'keep' : e.key === 'e' ? 'eliminate' : 'accept';
          enqueue(async () => {
            if (await rowLoaded(cursorRef.current)) decide(action);
          });
          break;
        }
        case 'r':
          handled();
          if (rowAt(cursorRef.current)) setOverlay('picker');
          break;
        case 'n':
          handled();
          if (rowAt(cursorRef.current)) setOverlay('note');
          break;
        case 'u':
          handled();
          void undoRedo('undo');
          break;
        case 'U':
          handled();
          void undoRedo('redo');
          break;
        case 'x':
        case ' ':
          handled();
          toggleSelection();
          break;
        case 'b':
          handled();
          setOverlay('bulk');
          break;
        case '?':
          handled();
          setOverlay('help');
          break;
        case '/':
          handled();
          document.querySelector<HTMLInputElement>('[data-testid="filter-text"]')?.focus();
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, overlay, decide, enqueue, moveTo, rowAt, rowLoaded, toggleSelection, undoRedo]);

  return {
    apiRef,
    cursor,
    current,
    selected,
    setSelected,
    overlay,
    setOverlay,
    version,
    decide,
    undoRedo,
    refresh,
    moveTo,
    /** Focus moved inside the grid (its own keys, e.g. Page Down); ignored while our keys drive. */
    onFocusRow: (index: number) => {
      if (performance.now() - lastKeyMove.current < 1000) return;
      setCursor(index);
      setCurrent(rowAt(index));
    },
    /** A click always moves the cursor. */
    onClickRow: (index: number) => {
      setCursor(index);
      setCurrent(rowAt(index));
    },
    /** The row under the cursor when a picker or note dialog was opened. */
    cursorRow: () => rowAt(cursorRef.current),
  };
}
