import { useCallback, useEffect, useRef, useState } from 'react';
import type { GridApi } from 'ag-grid-community';
import type { ExampleFilter, ExampleQuery, ExampleRow } from '../../../shared/domain';
import { call } from '../api/client';
import { listKeyOf } from '../components/ExampleGrid';
import { plural } from '../app/format';
import type { ToastFn } from '../app/useToasts';

export type Overlay = null | 'picker' | 'note' | 'bulk';

interface Options {
  run: number | null;
  filter: ExampleFilter;
  /** The grid's order, as SQL columns (to find an example's position in it). */
  sort: NonNullable<ExampleQuery['sort']>;
  enabled: boolean;
  toast: ToastFn;
  /** Where the cursor was when the page was last left (this project, this view). */
  resumeFrom: { id: string; index: number } | null;
  /** The cursor moved to this row (to remember it across reloads). */
  onCursor: (focused: { id: string; index: number }) => void;
  /** A single decision changed the decided count by this much (the grid is not refetched for it). */
  onDecidedDelta: (delta: number) => void;
  /** Every queued write has landed: the true counts can be read again. */
  onWritesSettled: () => void;
}

/** Nothing holds the focus but the page itself (a closed dialog leaves it there): the grid may take it. */
function focusIsFree(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}

/** Whether the grid knows how many rows its list has (not while a reload is on its way). */
function listLengthKnown(api: GridApi<ExampleRow>): boolean {
  return api.isLastRowIndexKnown() ?? true;
}

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable || !!el.closest('dialog[open]');
}

/**
 * Keyboard-first triage over the grid: a cursor row, decisions written at once (the row is
 * updated before the round trip, then the page is refetched), notes, undo/redo that show the
 * example they changed, the next undecided example, selection, overlays.
 */
export function useTriage({ run, filter, sort, enabled, toast, resumeFrom, onCursor, onDecidedDelta, onWritesSettled }: Options) {
  const pendingWrites = useRef(0);
  const apiRef = useRef<GridApi<ExampleRow> | null>(null);
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
  // The list the keys act on, and the list whose rows the grid has shown last: when the run,
  // filter or order changes, the grid keeps drawing the previous list's rows until the new ones
  // arrive, and a key must never decide one of those.
  const listKeyRef = useRef(listKeyOf(run, filter));
  listKeyRef.current = listKeyOf(run, filter);
  const loadedKey = useRef<string | null>(null);
  const rowLoaded = useCallback(async (index: number) => {
    for (let waited = 0; waited < 10_000; waited += 25) {
      const api = apiRef.current;
      if (!api) return false;
      const current = loadedKey.current === listKeyRef.current;
      if (current && index < api.getDisplayedRowCount() && api.getDisplayedRowAtIndex(index)?.data) return true;
      // Past the end of a list whose length is known: nothing will arrive. While the grid
      // reloads (a refetch after the project changed) its count is only a placeholder.
      if (current && index >= api.getDisplayedRowCount() && listLengthKnown(api)) return false;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return false;
  }, []);
  const [current, setCurrent] = useState<ExampleRow | null>(null);
  const [upcoming, setUpcoming] = useState<string[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [overlay, setOverlay] = useState<Overlay>(null);
  const [version, setVersion] = useState(0);
  const view = useRef({ run, filter, sort, onCursor });
  view.current = { run, filter, sort, onCursor };

  const rowAt = useCallback((index: number) => apiRef.current?.getDisplayedRowAtIndex(index)?.data ?? null, []);

  /** The cursor's row (and the next few, for the detail pane to fetch ahead) as the grid has them now. */
  const showCursor = useCallback(() => {
    const index = cursorRef.current;
    const row = rowAt(index);
    setCurrent(row);
    setUpcoming([1, 2, 3].map((d) => rowAt(index + d)?.id).filter((id): id is string => !!id));
    if (row) view.current.onCursor({ id: row.id, index });
  }, [rowAt]);

  // Whether the keys are in the list yet: the first ↓ after a new list (or on a fresh page)
  // lands on the cursor's row instead of moving past it.
  const entered = useRef(false);
  const setCursor = useCallback(
    (index: number) => {
      cursorRef.current = index;
      entered.current = true;
      showCursor();
    },
    [showCursor],
  );

  /**
   * AG Grid's focused cell is only outlined while the cell has the browser's focus: with the
   * focus on the page (after a reload, a closed dialog) the keys moved an invisible cursor. The
   * cell gets it, unless the user is somewhere else on purpose (a field, a button).
   */
  const giveBrowserFocus = useCallback((index: number) => {
    // The row's cell may not be drawn yet (a list that is arriving): a few frames' grace.
    const attempt = (framesLeft: number) => {
      if (cursorRef.current !== index) return;
      const grid = document.querySelector('[data-testid="example-grid"]');
      if (!grid || !(focusIsFree() || grid.contains(document.activeElement))) return;
      const cell = grid.querySelector<HTMLElement>(`.ag-row[row-index="${index}"] [col-id="sentence"]`);
      if (cell) cell.focus({ preventScroll: true });
      else if (framesLeft > 0) requestAnimationFrame(() => attempt(framesLeft - 1));
    };
    requestAnimationFrame(() => attempt(60));
  }, []);

  // The cursor went to a row the reloading grid did not have yet: focus it when it arrives.
  const pendingFocus = useRef(false);
  const moveTo = useCallback(
    (index: number) => {
      const api = apiRef.current;
      if (!api) return;
      const count = api.getDisplayedRowCount();
      const known = listLengthKnown(api);
      if (count === 0 && known) return;
      // While the grid reloads, its row count is a placeholder: the cursor keeps the row it was
      // asked to go to (clamping it to the placeholder would send the next key to row 0).
      const next = Math.max(0, known ? Math.min(count - 1, index) : index);
      lastKeyMove.current = performance.now();
      pendingFocus.current = next >= count;
      if (next < count) {
        // One row of context beyond the cursor, in the direction it moves: the cursor's row is then
        // never the one half under the grid's edge (or its horizontal scrollbar).
        const ahead = next >= cursorRef.current ? Math.min(count - 1, next + 1) : Math.max(0, next - 1);
        api.ensureIndexVisible(ahead);
        api.ensureIndexVisible(next);
        api.setFocusedCell(next, 'sentence');
        giveBrowserFocus(next);
      }
      setCursor(next);
    },
    [setCursor, giveBrowserFocus],
  );

  /**
   * The keys and the outline go back to the cursor's row (after the search box, a note, a bulk
   * action, a dialog or the help), when the grid has that row; else they stay with the page.
   */
  const restorePending = useRef(false);
  const focusCursor = useCallback(() => {
    const api = apiRef.current;
    const index = cursorRef.current;
    // A list being fetched again: once the cursor's row is back (onRowsLoaded).
    restorePending.current = !api?.getDisplayedRowAtIndex(index)?.data;
    if (!api || restorePending.current) return;
    // Outlined, the row is the cursor's for the keys too: the next ↓ goes past it.
    entered.current = true;
    lastKeyMove.current = performance.now();
    api.ensureIndexVisible(index);
    api.setFocusedCell(index, 'sentence');
    giveBrowserFocus(index);
  }, [giveBrowserFocus]);
  // Back from an overlay of ours or a dialog of the app: a closed <dialog> or overlay leaves the
  // focus on the page itself, with no row outlined although the keys still act on one.
  const idle = enabled && overlay === null;
  const wasIdle = useRef(idle);
  useEffect(() => {
    if (idle && !wasIdle.current && focusIsFree()) focusCursor();
    wasIdle.current = idle;
  }, [idle, focusCursor]);

  const refresh = useCallback(() => {
    apiRef.current?.refreshInfiniteCache();
    setVersion((v) => v + 1);
  }, []);

  /** The example's position in the grid's current order (null when the filter hides it). */
  const locate = useCallback(async (target: { id: string } | { nextUndecidedFrom: number }) => {
    const { run: r, filter: f, sort: s } = view.current;
    return (await call('examples:locate', { run: r ?? undefined, filter: f, sort: s, target })).index;
  }, []);

  const nextUndecided = useCallback(
    async (from: number, quiet = false) => {
      const index = (await locate({ nextUndecidedFrom: from })) ?? (from > 0 ? await locate({ nextUndecidedFrom: 0 }) : null);
      if (index === null) {
        if (!quiet) toast('info', 'Every example matching the filter has a decision');
        return false;
      }
      moveTo(index);
      return true;
    },
    [locate, moveTo, toast],
  );

  const decide = useCallback(
    (action: 'keep' | 'eliminate' | 'reannotate' | 'accept', label?: string) => {
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
      const decisionRun = view.current.run;
      writes.current = writes.current.then(async () => {
        const started = performance.now();
        try {
          // No note here: the core carries the example's note (written with `n`) onto the decision.
          await call('decisions:apply', { target: { ids: [row.id] }, action, label, run: decisionRun ?? undefined });
          (window as unknown as { __winnowLastDecisionMs?: number }).__winnowLastDecisionMs = performance.now() - started;
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
    [moveTo, onDecidedDelta, onWritesSettled, toast],
  );

  /** The example's note; decides nothing (see core/store/decision-notes). */
  const saveNote = useCallback(
    (note: string) => {
      const row = rowAt(cursorRef.current);
      if (!row) return;
      writes.current = writes.current.then(async () => {
        try {
          const result = await call('decisions:note', { id: row.id, note });
          toast('info', !note ? `Note removed from ${row.id}` : result.attachedTo === 'current' ? `Note added to the decision on ${row.id}` : `Note kept for ${row.id}’s next decision (still undecided)`);
          setVersion((v) => v + 1);
        } catch (e) {
          toast('error', (e as Error).message);
        }
      });
    },
    [rowAt, toast],
  );

  const undoRedo = useCallback(
    async (which: 'undo' | 'redo') => {
      try {
        await writes.current;
        const result = await call(which === 'undo' ? 'decisions:undo' : 'decisions:redo', {});
        if (!result.count) {
          toast('info', `Nothing to ${which}`);
          return;
        }
        const changed = result.exampleIds[0];
        toast('info', `${which === 'undo' ? 'Undone' : 'Redone'}: ${plural(result.count, 'example')}${result.count === 1 && changed ? ` (${changed})` : ''}`);
        refresh();
        // Show what changed: the cursor goes to the (first) example the batch touched.
        if (changed) {
          const index = await locate({ id: changed });
          if (index !== null && (await rowLoaded(index))) moveTo(index);
        }
      } catch (e) {
        toast('error', (e as Error).message);
      }
    },
    [locate, moveTo, refresh, rowLoaded, toast],
  );

  const toggleSelection = useCallback(() => {
    const node = apiRef.current?.getDisplayedRowAtIndex(cursorRef.current);
    if (node) node.setSelected(!node.isSelected());
  }, []);

  // Triage resumes where it was left: at the next undecided example from the remembered row.
  const resumed = useRef(false);
  const resume = useRef(resumeFrom);
  const onRowsLoaded = useCallback((listKey: string) => {
    loadedKey.current = listKey;
    if (listKey !== listKeyRef.current) return;
    if (!resumed.current) {
      resumed.current = true;
      const from = resume.current;
      // In the key queue: a key pressed before the page has found where to resume waits for it,
      // instead of acting on the row the cursor was about to leave.
      enqueue(async () => {
        const at = from ? ((await locate({ id: from.id })) ?? from.index) : 0;
        if (!(await nextUndecided(at, true)) && from) {
          if (await rowLoaded(Math.min(at, Math.max(0, (apiRef.current?.getDisplayedRowCount() ?? 1) - 1)))) moveTo(at);
        }
      });
      return;
    }
    // The cursor's row may have just arrived (or changed): show it.
    if (pendingFocus.current && rowAt(cursorRef.current)) moveTo(cursorRef.current);
    else if (rowAt(cursorRef.current)?.id !== current?.id || !current) showCursor();
    if (restorePending.current && rowAt(cursorRef.current) && focusIsFree()) focusCursor();
  }, [current, enqueue, focusCursor, locate, moveTo, nextUndecided, rowAt, rowLoaded, showCursor]);

  // Another filter, sort or run is another list: the cursor starts again at its top.
  const listKey = JSON.stringify([run, filter, sort]);
  const shownList = useRef(listKey);
  useEffect(() => {
    if (shownList.current === listKey) return;
    shownList.current = listKey;
    cursorRef.current = 0;
    entered.current = false;
    setCurrent(null);
    setUpcoming([]);
  }, [listKey]);

  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (overlay || e.defaultPrevented || isTyping(e.target)) return;
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
          enqueue(() => moveTo(entered.current ? cursorRef.current + 1 : cursorRef.current));
          break;
        case 'ArrowUp':
          handled();
          enqueue(() => moveTo(cursorRef.current - 1));
          break;
        case 'g':
          handled();
          enqueue(async () => {
            await writes.current;
            await nextUndecided(cursorRef.current + (rowAt(cursorRef.current)?.decision ? 1 : 0));
          });
          break;
        case 'k':
        case 'e':
        case 'a': {
          handled();
          const action = e.key === 'k' ? 'keep' : e.key === 'e' ? 'eliminate' : 'accept';
          enqueue(async () => {
            if (await rowLoaded(cursorRef.current)) decide(action);
            else if (cursorRef.current < (apiRef.current?.getDisplayedRowCount() ?? 0)) toast('error', `The grid did not load row ${cursorRef.current + 1} in time; nothing was decided, press the key again`);
          });
          break;
        }
        case 'r':
          handled();
          // In the key queue, as the decisions are: pressed while the list loads, it opens on
          // the cursor's row once that has arrived (it did nothing before).
          enqueue(async () => {
            if (await rowLoaded(cursorRef.current)) setOverlay('picker');
          });
          break;
        case 'n':
          handled();
          enqueue(async () => {
            if (await rowLoaded(cursorRef.current)) setOverlay('note');
          });
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
        case '/':
          handled();
          document.querySelector<HTMLInputElement>('[data-testid="filter-text"]')?.focus();
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, overlay, decide, enqueue, moveTo, nextUndecided, rowAt, rowLoaded, toast, toggleSelection, undoRedo]);

  return {
    apiRef,
    current,
    upcoming,
    selected,
    setSelected,
    overlay,
    setOverlay,
    version,
    decide,
    saveNote,
    undoRedo,
    refresh,
    moveTo,
    focusCursor,
    onRowsLoaded,
    /** Focus moved inside the grid (its own keys, e.g. Page Down); ignored while our keys drive. */
    onFocusRow: (index: number) => {
      if (performance.now() - lastKeyMove.current < 1000) return;
      setCursor(index);
    },
    /** A click always moves the cursor. */
    onClickRow: (index: number) => setCursor(index),
  };
}
