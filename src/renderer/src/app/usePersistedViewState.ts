import { useCallback, useEffect, useRef, useState } from 'react';
import { ViewState } from './view-state';

export { ViewState } from './view-state';

const EMPTY: ViewState = { filter: {}, sort: [], focused: null };
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
