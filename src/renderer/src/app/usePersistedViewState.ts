import { useCallback, useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { ExampleFilter } from '../../../shared/domain';

/**
 * What the triage view was showing, per project, kept across reloads: the run, the filters,
 * the grid's sort and the focused row. Stored in localStorage under the project's path and
 * validated on the way back in (an old or hand-edited entry is dropped, never trusted).
 */
export const ViewState = z.object({
  run: z.number().int().positive().nullable().default(null),
  filter: ExampleFilter.default({}),
  /** The grid's own sort model: column ids as the grid names them. */
  sort: z.array(z.object({ colId: z.string().max(40), sort: z.enum(['asc', 'desc']) })).max(4).default([]),
  focused: z.object({ id: z.string().max(500), index: z.number().int().min(0) }).nullable().default(null),
});
export type ViewState = z.output<typeof ViewState>;

const EMPTY: ViewState = { run: null, filter: {}, sort: [], focused: null };
const key = (projectPath: string) => `winnow:view:${projectPath}`;

export function readViewState(projectPath: string | null): ViewState {
  if (!projectPath) return EMPTY;
  try {
    const raw = localStorage.getItem(key(projectPath));
    if (!raw) return EMPTY;
    const parsed = ViewState.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : EMPTY;
  } catch {
    return EMPTY;
  }
}

export function usePersistedViewState(projectPath: string | null) {
  const [state, setState] = useState<{ path: string | null; view: ViewState }>(() => ({ path: projectPath, view: readViewState(projectPath) }));
  // Another project: its own saved view (read synchronously, so no frame shows the old one).
  const current = state.path === projectPath ? state.view : readViewState(projectPath);
  if (state.path !== projectPath) setState({ path: projectPath, view: current });

  const latest = useRef<{ path: string | null; view: ViewState }>({ path: projectPath, view: current });
  latest.current = { path: projectPath, view: current };
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const { path, view } = latest.current;
    if (!path) return;
    try {
      localStorage.setItem(key(path), JSON.stringify(view));
    } catch {
      // A full or disabled storage only loses the convenience.
    }
  }, []);
  useEffect(() => {
    // Focus moves on every key: write at most a few times a second, and at once when the page goes.
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(flush, 150);
  }, [projectPath, current, flush]);
  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [flush]);

  const update = useCallback(
    (change: Partial<ViewState> | ((view: ViewState) => Partial<ViewState>)) =>
      setState((s) => ({ ...s, view: { ...s.view, ...(typeof change === 'function' ? change(s.view) : change) } })),
    [],
  );
  return [current, update] as const;
}
