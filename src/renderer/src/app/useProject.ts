import { useCallback, useEffect, useState } from 'react';
import type { Facets, ProjectSummary, RunSummary } from '../../../shared/domain';
import { call, subscribe } from '../api/client';

const emptyFacets: Facets = { splits: [], labels: [], subjTypes: [], objTypes: [] };

/**
 * The open project as the page knows it: its summary, the values its filters offer, its runs,
 * and a version that changes whenever its data does (so that the grid refetches).
 */
export function useProject(onError: (message: string) => void) {
  const [project, setProject] = useState<ProjectSummary | null>(null);
  const [facets, setFacets] = useState<Facets>(emptyFacets);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [dataVersion, setDataVersion] = useState(0);
  const [loaded, setLoaded] = useState(false);

  const refresh = useCallback(async () => {
    const summary = await call('project:current', {});
    const [nextFacets, nextRuns] = summary ? await Promise.all([call('examples:facets', {}), call('runs:list', {})]) : [emptyFacets, []];
    setProject(summary);
    setFacets(nextFacets);
    setRuns(nextRuns);
    setDataVersion((v) => v + 1);
    setLoaded(true);
  }, []);

  useEffect(() => {
    refresh().catch((e: Error) => onError(e.message));
    const offChanged = subscribe('project:changed', () => void refresh().catch((e: Error) => onError(e.message)));
    return offChanged;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refresh]);

  return { project, facets, runs, dataVersion, loaded, refresh };
}
