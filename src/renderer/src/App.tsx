import { useCallback, useEffect, useState } from 'react';
import type { ExampleFilter, ExportResult, Facets, ImportResult, ProjectSummary, RunSummary } from '../../shared/domain';
import { call, subscribe } from './api/client';
import { isBrowserMode } from './api/transport';
import { ExampleGrid } from './components/ExampleGrid';
import { ExportDialog } from './components/ExportDialog';
import { FilterBar } from './components/FilterBar';
import { ImportDialog } from './components/ImportDialog';
import { JobPanel, type JobView } from './components/JobPanel';
import { ProjectDialog } from './components/ProjectDialog';
import { RankDialog } from './components/RankDialog';
import { RunPicker } from './components/RunPicker';
import { useTheme } from './theme';

type Toast = { id: number; kind: 'info' | 'error'; text: string };
const emptyFacets: Facets = { splits: [], labels: [], subjTypes: [], objTypes: [] };
let toastSeq = 0;

export function App() {
  const [project, setProject] = useState<ProjectSummary | null>(null);
  const [facets, setFacets] = useState<Facets>(emptyFacets);
  const [filter, setFilter] = useState<ExampleFilter>({});
  const [dataVersion, setDataVersion] = useState(0);
  const [total, setTotal] = useState<number | null>(null);
  const [jobs, setJobs] = useState<JobView[]>([]);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [dialog, setDialog] = useState<'import' | 'export' | 'project' | 'rank' | null>(null);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [run, setRun] = useState<number | null>(null);
  const { dark, toggle } = useTheme();

  const toast = useCallback((kind: Toast['kind'], text: string) => {
    const id = ++toastSeq;
    setToasts((list) => [...list, { id, kind, text }]);
    if (kind === 'info') setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), 6000);
  }, []);

  const refresh = useCallback(async () => {
    const summary = await call('project:current', {});
    setProject(summary);
    setFacets(summary ? await call('examples:facets', {}) : emptyFacets);
    const list = summary ? await call('runs:list', {}) : [];
    setRuns(list);
    setRun((current) => (current !== null && list.some((r) => r.id === current) ? current : null));
    setDataVersion((v) => v + 1);
  }, []);

  useEffect(() => {
    refresh().catch((e: Error) => toast('error', e.message));
    const offChanged = subscribe('project:changed', () => void refresh());
    const offProgress = subscribe('job:progress', (progress) => setJobs((list) => list.map((j) => (j.jobId === progress.jobId ? { ...j, progress } : j))));
    const offFinished = subscribe('job:finished', (finished) => {
      setJobs((list) => list.filter((j) => j.jobId !== finished.jobId));
      if (finished.status === 'failed') toast('error', finished.error?.message ?? 'The job failed');
      else if (finished.status === 'cancelled') toast('info', 'Cancelled; nothing was changed');
      else if (finished.kind === 'import') {
        const result = finished.result as ImportResult;
        toast('info', `Imported ${result.imported} examples into “${result.split}”${result.rejected ? `, rejected ${result.rejected} (report: ${result.reportPath})` : ''}`);
      } else if (finished.kind === 'rank') {
        const result = finished.result as { runId: number; queue: number; provider: string };
        toast('info', `Run ${result.runId} finished on ${result.provider}: ${result.queue} examples flagged`);
        setRun(result.runId);
        setFilter((f) => ({ ...f, flaggedOnly: true }));
      } else if (finished.kind === 'export') {
        const result = finished.result as ExportResult;
        toast('info', `Exported ${result.count} examples of “${result.split}” to ${result.path}`);
        if (result.downloadUrl) {
          const link = document.createElement('a');
          link.href = result.downloadUrl;
          link.download = result.path.split(/[\\/]/).pop() ?? 'export.json';
          link.click();
        }
      }
    });
    return () => {
      offChanged();
      offProgress();
      offFinished();
    };
  }, [refresh, toast]);

  const started = (jobId: string, label: string) => setJobs((list) => [...list, { jobId, label, progress: null }]);

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden>W</span>
          <span>Winnow</span>
        </div>
        <button type="button" className="project-name" data-testid="project-button" onClick={() => setDialog('project')} title="Open or create a project">
          {project ? project.name : 'No project'}
        </button>
        {project && (
          <span className="muted" data-testid="project-stats">
            {project.exampleCount.toLocaleString()} examples · {project.splits.map((s) => `${s.name} ${s.count.toLocaleString()}`).join(' · ')}
          </span>
        )}
        <div className="spacer" />
        {project && <RunPicker runs={runs} run={run} onChange={(id) => { setRun(id); setFilter((f) => ({ ...f, flaggedOnly: id !== null ? true : undefined, strategies: undefined })); }} />}
        <button type="button" className="primary" data-testid="open-rank" disabled={!project || !project.exampleCount} onClick={() => setDialog('rank')}>Rank…</button>
        <button type="button" data-testid="open-import" disabled={!project} onClick={() => setDialog('import')}>Import…</button>
        <button type="button" data-testid="open-export" disabled={!project || !project.splits.length} onClick={() => setDialog('export')}>Export…</button>
        <button type="button" className="ghost" onClick={toggle} aria-label="Toggle light or dark theme">{dark ? 'Light' : 'Dark'}</button>
      </header>
      {project ? (
        <>
          <FilterBar run={run} facets={facets} filter={filter} onChange={setFilter} />
          <div className="status-line">
            <span data-testid="row-count">{total === null ? '…' : `${total.toLocaleString()} matching examples`}</span>
            <span className="legend">
              <mark className="entity entity-subj"><span className="entity-text">subject</span></mark>
              <mark className="entity entity-obj"><span className="entity-text">object</span></mark>
            </span>
            {isBrowserMode && <span className="muted">browser mode</span>}
          </div>
          <ExampleGrid run={run} filter={filter} dataVersion={dataVersion} dark={dark} onTotal={setTotal} onError={(m) => toast('error', m)} />
        </>
      ) : (
        <div className="empty">
          <h1>No project open</h1>
          <p>Create a project file, then import TACRED-format splits into it.</p>
          <button type="button" className="primary" onClick={() => setDialog('project')}>Open or create a project</button>
        </div>
      )}
      <JobPanel jobs={jobs} onCancel={(jobId) => void call('jobs:cancel', { jobId })} />
      <div className="toasts">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'} data-testid={`toast-${t.kind}`}>
            <span>{t.text}</span>
            <button type="button" className="ghost small" aria-label="Dismiss" onClick={() => setToasts((list) => list.filter((x) => x.id !== t.id))}>×</button>
          </div>
        ))}
      </div>
      {dialog === 'import' && project && <ImportDialog existingSplits={project.splits.map((s) => s.name)} onClose={() => setDialog(null)} onStarted={started} />}
      {dialog === 'export' && project && <ExportDialog splits={project.splits.map((s) => s.name)} onClose={() => setDialog(null)} onStarted={started} />}
      {dialog === 'rank' && project && <RankDialog splits={project.splits.map((s) => s.name)} onClose={() => setDialog(null)} onStarted={started} />}
      {dialog === 'project' && <ProjectDialog onClose={() => setDialog(null)} onOpened={() => void refresh()} />}
    </div>
  );
}
