import { useCallback, useEffect, useState } from 'react';
import { call, subscribe } from './api/client';
import { isBrowserMode } from './api/transport';
import { downloadOutputs } from './api/outputs';
import { useJobs } from './app/useJobs';
import { useProject } from './app/useProject';
import { usePersistedViewState } from './app/usePersistedViewState';
import { useToasts } from './app/useToasts';
import { AboutDialog } from './components/AboutDialog';
import { HelpOverlay } from './components/HelpOverlay';
import { NegativeLabelContext } from './negative-label';
import { DEFAULT_NEGATIVE_LABEL } from '../../shared/labels';
import { JobPanel } from './components/JobPanel';
import { ReportView } from './components/ReportView';
import { ImpactView } from './impact/ImpactView';
import { ToastStack } from './components/ToastStack';
import { TopBar, type DialogName } from './components/TopBar';
import { DialogsHost } from './screens/DialogsHost';
import { EmptyProjectScreen, NoProjectScreen } from './screens/StartScreens';
import { TriageScreen } from './screens/TriageScreen';
import { isTyping } from './triage/useTriage';
import { useTheme } from './theme';
import { pickShownRun } from './app/shown-run';

/** The studio: top bar, the screen for the project's state (none, empty, triage, report), dialogs, jobs and messages. */
export function App() {
  const { toasts, toast, dismiss } = useToasts();
  const { project, facets, runs, dataVersion, loaded, refresh } = useProject((message) => toast('error', message));
  const [view, updateView] = usePersistedViewState(project?.path ?? null);
  const [dialog, setDialog] = useState<DialogName | null>(null);
  const [help, setHelp] = useState(false);
  const [about, setAbout] = useState(false);
  // Which screen shows the run: the grid, its report, or the cleaning-impact screen.
  const [screen, setScreen] = useState<'triage' | 'report' | 'impact'>('triage');
  // The impact screen goes back to where it was opened from (the report or the grid).
  const [impactFrom, setImpactFrom] = useState<'triage' | 'report'>('triage');
  // The comparison on show, for the run it belongs to: the impact screen and the report show the same one.
  const [shownComparison, setShownComparison] = useState<{ run: number; id: number } | null>(null);
  const [annotator, setAnnotator] = useState('');
  const { dark, toggle } = useTheme();

  // The run on show: the one chosen, or (never chosen, or a remembered run that no longer
  // exists: another project file, a run never saved) the newest valid one, so that a project
  // with runs never opens as if it had none. "None" chosen stays none.
  const run = pickShownRun(view.run, runs);
  // Another run: its latest, never the previous run's choice.
  const comparison = shownComparison !== null && shownComparison.run === run ? shownComparison.id : null;
  const showComparison = useCallback((id: number) => setShownComparison(run === null ? null : { run, id }), [run]);
  const chooseRun = useCallback((id: number | null) => updateView((v) => ({ run: id, filter: { ...v.filter, flaggedOnly: id !== null ? true : undefined, strategies: undefined }, sort: [], focused: null })), [updateView]);

  const { jobs, start, cancel } = useJobs((finished, message) => {
    const announce = () => {
      toast(message.kind, message.text, message.links);
      if (message.downloads) downloadOutputs(message.downloads);
    };
    if (finished.status !== 'done' || finished.kind !== 'rank') return announce();
    // The new run is chosen (and announced) once the page's run list holds it: chosen before,
    // the page would show the list without a run for a moment, and keys pressed on seeing the
    // message would decide rows of that list.
    const runId = finished.result.runId;
    refresh()
      .catch((e: Error) => toast('error', e.message))
      .finally(() => {
        chooseRun(runId);
        announce();
      });
  });

  // File > Save a Copy…: a consistent copy of the project file (SQLite's online backup).
  const saveCopy = useCallback(async () => {
    try {
      let destination: string | undefined;
      if (!isBrowserMode) {
        const chosen = await call('dialog:saveFile', { title: 'Save a copy of the project', defaultName: 'project-copy.winnow', purpose: 'write' });
        if (!chosen.file) return;
        destination = chosen.file.token;
      }
      const copy = await call('project:saveCopy', { destination });
      if (copy.downloadUrl) {
        toast('info', `Saved a copy as ${copy.name}`, [{ label: copy.name, href: copy.downloadUrl }]);
        downloadOutputs([copy]);
      } else toast('info', `Saved a copy to ${copy.path}`);
    } catch (e) {
      toast('error', (e as Error).message);
    }
  }, [toast]);

  const openDemo = useCallback(() => {
    call('project:openDemo', {}).then(() => refresh(), (e: Error) => toast('error', e.message));
  }, [refresh, toast]);

  useEffect(() => {
    call('settings:get', {}).then((s) => setAnnotator(s.annotator), () => undefined);
    return subscribe('menu:command', ({ command }) => {
      if (command === 'project' || command === 'import' || command === 'export' || command === 'rank' || command === 'import-decisions' || command === 'export-decisions') setDialog(command);
      else if (command === 'toggle-theme') toggle();
      else if (command === 'save-copy') void saveCopy();
      else if (command === 'help') setHelp((h) => !h);
      else if (command === 'about') {
        setHelp(false);
        setAbout(true);
      }
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // `?` opens the help from anywhere (it closes it too: see HelpOverlay).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === '?' && !help && !dialog && !about && !isTyping(e.target) && !document.querySelector('.overlay')) {
        e.preventDefault();
        setHelp(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [help, dialog, about]);

  const saveAnnotator = async (name: string) => setAnnotator((await call('settings:set', { annotator: name })).annotator);
  const runSummary = runs.find((r) => r.id === run) ?? null;
  const shown = project && project.exampleCount > 0 && runSummary ? screen : 'triage';
  const toggleScreen = (which: 'report' | 'impact') => {
    if (which === 'impact') setImpactFrom('triage');
    setScreen((s) => (s === which ? 'triage' : which));
  };

  return (
    <NegativeLabelContext.Provider value={project?.negativeLabel ?? DEFAULT_NEGATIVE_LABEL}>
      <div className="app">
        <TopBar
          project={project}
          runs={runs}
          run={run}
          onRun={chooseRun}
          screen={shown}
          onToggleScreen={toggleScreen}
          onDialog={setDialog}
          annotator={annotator}
          onHelp={() => setHelp((h) => !h)}
          dark={dark}
          onToggleTheme={toggle}
        />
        {!loaded ? null : !project ? (
          <NoProjectScreen onProject={() => setDialog('project')} onDemo={openDemo} />
        ) : project.exampleCount === 0 ? (
          <EmptyProjectScreen name={project.name} onImport={() => setDialog('import')} onDemo={openDemo} />
        ) : shown === 'report' && run !== null ? (
          <ReportView
            run={run}
            dark={dark}
            comparison={comparison}
            onComparison={showComparison}
            onClose={() => setScreen('triage')}
            onOpenImpact={() => {
              setImpactFrom('report');
              setScreen('impact');
            }}
            toast={toast}
          />
        ) : shown === 'impact' && runSummary ? (
          <ImpactView
            run={runSummary}
            splits={project.splits.map((s) => s.name)}
            decisionCount={project.decisionCount}
            dark={dark}
            comparison={comparison}
            onComparison={showComparison}
            backLabel={impactFrom === 'report' ? 'Back to the report (Esc)' : 'Back to the grid (Esc)'}
            onClose={() => setScreen(impactFrom)}
            onStarted={start}
            onCancel={cancel}
            toast={toast}
          />
        ) : (
          <TriageScreen
            key={project.path}
            project={project}
            facets={facets}
            view={{ ...view, run }}
            runStrategies={runSummary?.strategies ?? []}
            updateView={updateView}
            dataVersion={dataVersion}
            dark={dark}
            active={dialog === null && !help && !about}
            toast={toast}
            annotator={annotator}
          />
        )}
        <JobPanel jobs={jobs} onCancel={cancel} />
        <DialogsHost
          dialog={dialog}
          close={() => setDialog(null)}
          project={project}
          runs={runs}
          run={run}
          startJob={start}
          annotator={annotator}
          saveAnnotator={saveAnnotator}
          onProjectOpened={() => void refresh()}
          onDecisionsMerged={() => void refresh()}
          toast={toast}
        />
        {help && (
          <HelpOverlay
            onClose={() => setHelp(false)}
            onAbout={() => {
              setHelp(false);
              setAbout(true);
            }}
          />
        )}
        {about && <AboutDialog onClose={() => setAbout(false)} />}
        <ToastStack toasts={toasts} onDismiss={dismiss} />
      </div>
    </NegativeLabelContext.Provider>
  );
}
