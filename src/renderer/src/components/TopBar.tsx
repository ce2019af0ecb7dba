import type { ProjectSummary, RunSummary } from '../../../shared/domain';
import { formatCount, plural } from '../app/format';
import { RunPicker } from './RunPicker';

export type DialogName = 'import' | 'export' | 'project' | 'rank' | 'annotator' | 'import-decisions' | 'export-decisions';

interface Props {
  project: ProjectSummary | null;
  runs: RunSummary[];
  run: number | null;
  onRun: (run: number | null) => void;
  /** The screen showing the run (the report and the impact screen toggle with the grid). */
  screen: 'triage' | 'report' | 'impact';
  onToggleScreen: (screen: 'report' | 'impact') => void;
  onDialog: (dialog: DialogName) => void;
  annotator: string;
  onHelp: () => void;
  dark: boolean;
  onToggleTheme: () => void;
}

/** One line whatever the width: the project's counts give way first, then labels shorten (see app.css). */
export function TopBar({ project, runs, run, onRun, screen, onToggleScreen, onDialog, annotator, onHelp, dark, onToggleTheme }: Props) {
  const splits = project?.splits.map((s) => `${s.name} ${formatCount(s.count)}`).join(' · ') ?? '';
  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden>W</span>
        <span className="brand-name">Winnow</span>
      </div>
      <button type="button" className="project-name" data-testid="project-button" onClick={() => onDialog('project')} title={project ? `${project.path}\n${plural(project.exampleCount, 'example')}${splits ? ` · ${splits}` : ''}\nOpen or create a project` : 'Open or create a project'}>
        {project ? project.name : 'No project'}
      </button>
      {project && (
        <span className="muted project-stats" data-testid="project-stats" title={splits}>
          {plural(project.exampleCount, 'example')}
          {splits && <span className="project-splits"> · {splits}</span>}
        </span>
      )}
      <div className="spacer" />
      {project && <RunPicker runs={runs} run={run} onChange={onRun} />}
      <button type="button" className="primary" data-testid="open-rank" disabled={!project || !project.exampleCount} onClick={() => onDialog('rank')}>Rank…</button>
      <button type="button" data-testid="open-report" disabled={run === null} onClick={() => onToggleScreen('report')} title={run === null ? 'Select a run first' : screen === 'report' ? 'Back to the grid' : 'Charts of this run'}>
        {screen === 'report' ? 'Grid' : 'Report'}
      </button>
      <button type="button" data-testid="open-impact" disabled={run === null} onClick={() => onToggleScreen('impact')} title={run === null ? 'Select a run first' : screen === 'impact' ? 'Back to the grid' : 'Does cleaning help? Retrain on each cleaned variant'}>
        {screen === 'impact' ? 'Grid' : 'Impact'}
      </button>
      <button type="button" data-testid="open-import" disabled={!project} onClick={() => onDialog('import')}>Import…</button>
      <button type="button" data-testid="open-export" disabled={!project || !project.splits.length} onClick={() => onDialog('export')}>Export…</button>
      <button type="button" data-testid="open-decisions" disabled={!project} onClick={() => onDialog('import-decisions')} title="Import or export the decision log, to merge annotators' copies">Decisions…</button>
      <button type="button" className="ghost annotator" onClick={() => onDialog('annotator')} title="Annotator name recorded with every decision" data-testid="annotator">
        {annotator || 'annotator'}
      </button>
      <button type="button" className="ghost" onClick={onHelp} aria-label="Keyboard shortcuts" data-testid="open-help">?</button>
      <button type="button" className="ghost" onClick={onToggleTheme} aria-label="Toggle light or dark theme" data-testid="toggle-theme">{dark ? 'Light' : 'Dark'}</button>
    </header>
  );
}
