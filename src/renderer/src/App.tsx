import { useCallback, useEffect, useState } from 'react';
import type { ExampleFilter, Facets, ProjectSummary, RunSummary } from '../../shared/domain';
import { downloadOutputs } from './api/outputs';
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
import { BulkDialog } from './components/BulkDialog';
import { DetailPane } from './components/DetailPane';
import { HelpOverlay } from './components/HelpOverlay';
import { LabelPicker } from './components/LabelPicker';
import { NoteDialog } from './components/NoteDialog';
import { useTriage } from './triage/useTriage';
import { ReportView } from './components/ReportView';
import { AboutDialog } from './components/AboutDialog';
import { ImpactView } from './impact/ImpactView';
import { rankToast } from './impact/rank-toast';

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
  const [dialog, setDialog] = useState<'import' | 'export' | 'project' | 'rank' | 'about' | null>(null);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [run, setRun] = useState<number | null>(null);
  const { dark, toggle } = useTheme();
  const [progress, setProgress] = useState<{ total: number; decided: number } | null>(null);
  const [annotator, setAnnotator] = useState('');
  const [detailOpen, setDetailOpen] = useState(true);
  const [showReport, setShowReport] = useState(false);
  const [showImpact, setShowImpact] = useState(false);

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
      if (finished.status === 'failed') toast('error', finished.error.message);
      else if (finished.status === 'cancelled') toast('info', 'Cancelled; nothing was changed');
      else if (finished.kind === 'import') {
        const result = finished.result;
        toast('info', `Imported ${result.imported} examples into “${result.split}”${result.rejected ? `, rejected ${result.rejected} (report: ${result.reportPath})` : ''}`);
      } else if (finished.kind === 'rank') {
        const result = finished.result;
        toast('info', rankToast(result));
        setRun(result.runId);
        setFilter((f) => ({ ...f, flaggedOnly: true }));
      } else if (finished.kind === 'export') {
        const result = finished.result;
        toast('info', `Exported ${result.count} examples of “${result.split}” to ${result.path}`);
        downloadOutputs(result.outputs);
      } else if (finished.kind === 'compare') {
        toast('info', `Comparison ${finished.result.id} finished: ${finished.result.variants.length} variants × ${finished.result.seeds.length} seeds in ${finished.result.seconds} s`);
      }
    });
    return () => {
      offChanged();
      offProgress();
      offFinished();
    };
  }, [refresh, toast]);

  const triage = useTriage({
    run,
    filter,
    enabled: !!project && dialog === null && !showReport && !showImpact,
    toast,
    onDecidedDelta: (delta) => setProgress((p) => p && { ...p, decided: p.decided + delta }),
    // A refetch while writes were in flight can show too few decided: recount once they land.
    onWritesSettled: () => {
      call('examples:query', { run: run ?? undefined, filter, limit: 1 }).then((page) => setProgress({ total: page.total, decided: page.decided }), () => undefined);
    },
  });

  useEffect(() => {
    call('settings:get', {}).then((s) => setAnnotator(s.annotator), () => undefined);
    const offDecisions = subscribe('decisions:changed', () => setProject((p) => p && { ...p }));
    const offMenu = subscribe('menu:command', ({ command }) => {
      if (command === 'project') setDialog('project');
      else if (command === 'import' || command === 'export' || command === 'rank') setDialog(command);
      else if (command === 'undo' || command === 'redo') void triage.undoRedo(command);
      else if (command === 'toggle-theme') toggle();
      else if (command === 'help') triage.setOverlay('help');
      else if (command === 'about') {
        triage.setOverlay(null);
        setDialog('about');
      }
    });
    return () => {
      offDecisions();
      offMenu();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function changeAnnotator() {
    const name = window.prompt('Annotator name recorded with every decision', annotator);
    if (!name?.trim()) return;
    try {
      setAnnotator((await call('settings:set', { annotator: name.trim() })).annotator);
    } catch (e) {
      toast('error', (e as Error).message);
    }
  }

  async function applyBulk(choice: { scope: 'selection' | 'filter'; action: 'keep' | 'eliminate' | 'accept' | 'reannotate'; label?: string }) {
    triage.setOverlay(null);
    try {
      const target =
        choice.scope === 'selection'
          ? { ids: triage.selected }
          : { filter, run: run ?? undefined, expectedCount: progress?.total ?? 0 };
      const result = await call('decisions:apply', { target, action: choice.action, label: choice.label, run: run ?? undefined });
      toast('info', `Applied ${choice.action} to ${result.count.toLocaleString()} examples (one undo reverts it)`);
      triage.apiRef.current?.deselectAll();
      triage.refresh();
    } catch (e) {
      toast('error', (e as Error).message);
    }
  }

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
        <button type="button" data-testid="open-report" disabled={run === null} onClick={() => { setShowReport((v) => !v); setShowImpact(false); }} title={run === null ? 'Select a run first' : 'Charts of this run'}>
          {showReport ? 'Grid' : 'Report'}
        </button>
        <button type="button" data-testid="open-impact" disabled={run === null} onClick={() => { setShowImpact((v) => !v); setShowReport(false); }} title={run === null ? 'Select a run first' : 'Does cleaning help? Retrain on each cleaned variant'}>Impact</button>
        <button type="button" data-testid="open-import" disabled={!project} onClick={() => setDialog('import')}>Import…</button>
        <button type="button" data-testid="open-export" disabled={!project || !project.splits.length} onClick={() => setDialog('export')}>Export…</button>
        <button type="button" className="ghost" onClick={() => void changeAnnotator()} title="Annotator name recorded with every decision" data-testid="annotator">
          {annotator || 'annotator'}
        </button>
        <button type="button" className="ghost" onClick={() => triage.setOverlay('help')} aria-label="Keyboard shortcuts">?</button>
        <button type="button" className="ghost" onClick={toggle} aria-label="Toggle light or dark theme">{dark ? 'Light' : 'Dark'}</button>
      </header>
      {project && showImpact && runs.some((r) => r.id === run) ? (
        <ImpactView run={runs.find((r) => r.id === run)!} splits={project.splits.map((s) => s.name)} onClose={() => setShowImpact(false)} onStarted={started} toast={toast} />
      ) : project && showReport && run !== null ? (
        <ReportView run={run} onClose={() => setShowReport(false)} toast={toast} onOpenImpact={() => { setShowReport(false); setShowImpact(true); }} />
      ) : project ? (
        <>
          <FilterBar run={run} facets={facets} filter={filter} onChange={setFilter} />
          <div className="status-line">
            <span data-testid="row-count">{total === null ? '…' : `${total.toLocaleString()} matching examples`}</span>
            {progress && progress.total > 0 && (
              <span className="progress-pill" data-testid="decided-progress" title="Decided examples among those matching the filter">
                <span className="progress-track">
                  <span className="progress-fill" style={{ width: `${(100 * progress.decided) / progress.total}%` }} />
                </span>
                {progress.decided.toLocaleString()} / {progress.total.toLocaleString()} decided
              </span>
            )}
            {triage.selected.length > 0 && <span data-testid="selected-count">{triage.selected.length} selected</span>}
            <span className="spacer" />
            <span className="muted keys-hint">↓↑ move · k keep · e eliminate · a accept · r reannotate · u undo · b bulk · ? help</span>
            <button type="button" className="ghost small" onClick={() => setDetailOpen((o) => !o)}>{detailOpen ? 'Hide details' : 'Show details'}</button>
            <span className="legend">
              <mark className="entity entity-subj"><span className="entity-text">subject</span></mark>
              <mark className="entity entity-obj"><span className="entity-text">object</span></mark>
            </span>
            {isBrowserMode && <span className="muted">browser mode</span>}
          </div>
          <div className={`workspace ${detailOpen ? 'with-detail' : ''}`}>
            <ExampleGrid
              run={run}
              filter={filter}
              dataVersion={dataVersion}
              dark={dark}
              onTotal={setTotal}
              onPage={setProgress}
              onError={(m) => toast('error', m)}
              onApi={(api) => (triage.apiRef.current = api)}
              onFocusRow={triage.onFocusRow}
              onClickRow={triage.onClickRow}
              onSelectionChanged={triage.setSelected}
            />
            {detailOpen && <DetailPane id={triage.current?.id ?? null} run={run} version={triage.version} />}
          </div>
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
      {dialog === 'import' && project && <ImportDialog existingSplits={project.splits.map((s) => s.name)} firstImport={project.exampleCount === 0} onClose={() => setDialog(null)} onStarted={started} />}
      {dialog === 'export' && project && <ExportDialog splits={project.splits.map((s) => s.name)} run={runs.find((r) => r.id === run) ?? null} onClose={() => setDialog(null)} onStarted={started} />}
      {dialog === 'rank' && project && <RankDialog splits={project.splits.map((s) => s.name)} onClose={() => setDialog(null)} onStarted={started} />}
      {triage.overlay === 'picker' && triage.current && (
        <LabelPicker
          subjType={triage.current.subjType}
          objType={triage.current.objType}
          current={triage.current.label}
          onClose={() => triage.setOverlay(null)}
          onPick={(label) => {
            triage.setOverlay(null);
            triage.decide('reannotate', label);
          }}
        />
      )}
      {triage.overlay === 'note' && triage.current && (
        <NoteDialog
          onClose={() => triage.setOverlay(null)}
          onSave={(note) => {
            triage.setOverlay(null);
            const d = triage.current?.decision;
            triage.decide(d?.action === 'reannotate' ? 'reannotate' : (d?.action ?? 'keep'), d?.label ?? undefined, note);
          }}
        />
      )}
      {triage.overlay === 'bulk' && (
        <BulkDialog
          selectedCount={triage.selected.length || null}
          filteredCount={progress?.total ?? 0}
          hasRun={run !== null}
          labels={facets.labels}
          onClose={() => triage.setOverlay(null)}
          onConfirm={(choice) => void applyBulk(choice)}
        />
      )}
      {triage.overlay === 'help' && <HelpOverlay onClose={() => triage.setOverlay(null)} onAbout={() => { triage.setOverlay(null); setDialog('about'); }} />}
      {dialog === 'about' && <AboutDialog onClose={() => setDialog(null)} />}
      {dialog === 'project' && <ProjectDialog onClose={() => setDialog(null)} onOpened={() => void refresh()} />}
    </div>
  );
}
