import { useEffect, useRef, useState } from 'react';
import type { ExampleDetail } from '../../../shared/domain';
import { call } from '../api/client';

const CACHE_SIZE = 64;

/**
 * The detail pane's data for the cursor's example, from a small cache that is filled ahead of
 * the cursor (the next rows), so that moving with `j` shows the evidence at once. The cache is
 * emptied whenever decisions or data change (`version`), since the history is part of it.
 */
export function useExampleDetail(id: string | null, run: number | null, version: number, upcoming: readonly string[]) {
  const cache = useRef(new Map<string, Promise<ExampleDetail>>());
  const scope = useRef('');
  const key = `${run ?? ''}|${version}`;
  if (scope.current !== key) {
    scope.current = key;
    cache.current.clear();
  }
  const fetch = (exampleId: string) => {
    let pending = cache.current.get(exampleId);
    if (!pending) {
      pending = call('examples:detail', { id: exampleId, run: run ?? undefined });
      pending.catch(() => cache.current.delete(exampleId));
      cache.current.set(exampleId, pending);
      if (cache.current.size > CACHE_SIZE) cache.current.delete(cache.current.keys().next().value!);
    }
    return pending;
  };

  const [state, setState] = useState<{ id: string | null; key: string; detail: ExampleDetail | null; error: string | null }>({ id: null, key, detail: null, error: null });
  useEffect(() => {
    if (!id) return;
    let live = true;
    fetch(id).then(
      (detail) => live && setState({ id, key, detail, error: null }),
      (e: Error) => live && setState({ id, key, detail: null, error: e.message }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, key]);

  // Ahead of the cursor, after the current one was asked for.
  const ahead = upcoming.join('\n');
  useEffect(() => {
    const timer = setTimeout(() => {
      for (const next of upcoming) void fetch(next).catch(() => undefined);
    }, 30);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ahead, key]);

  // After a decision the same example's detail is fetched again; the old one stays up meanwhile.
  const fresh = state.id === id;
  return { detail: fresh ? state.detail : null, error: fresh ? state.error : null };
}
