import type { ProjectSummary, RunSummary } from '../../../shared/domain';
import type { StartJob } from '../app/useJobs';
import { AnnotatorDialog } from '../components/AnnotatorDialog';
import { ExportDialog } from '../components/ExportDialog';
import { ImportDialog } from '../components/ImportDialog';
import { ProjectDialog } from '../components/ProjectDialog';
import { RankDialog } from '../components/RankDialog';
import type { DialogName } from '../components/TopBar';
import { DecisionExchangeDialog } from '../components/team/DecisionExchangeDialog';
import type { ToastFn } from '../app/useToasts';

interface Props {
  dialog: DialogName | null;
  close: () => void;
  project: ProjectSummary | null;
  runs: RunSummary[];
  run: number | null;
  startJob: StartJob;
  annotator: string;
  saveAnnotator: (name: string) => Promise<void>;
  onProjectOpened: () => void;
  /** A merged log changed the decisions (and maybe the labels): the project is read again. */
  onDecisionsMerged: () => void;
  toast: ToastFn;
}

/** The dialog that is open, if any (each closes with Esc). */
export function DialogsHost({ dialog, close, project, runs, run, startJob, annotator, saveAnnotator, onProjectOpened, onDecisionsMerged, toast }: Props) {
  const splits = project?.splits.map((s) => s.name) ?? [];
  switch (dialog) {
    case null:
      return null;
    case 'import':
      return project ? <ImportDialog existingSplits={splits} firstImport={project.exampleCount === 0} onClose={close} onStarted={startJob} /> : null;
    case 'export':
      return project ? <ExportDialog splits={splits} run={runs.find((r) => r.id === run) ?? null} onClose={close} onStarted={startJob} /> : null;
    case 'rank':
      return project ? <RankDialog splits={splits} previous={runs.find((r) => r.id === run) ?? runs[0] ?? null} onClose={close} onStarted={startJob} /> : null;
    case 'project':
      return <ProjectDialog onClose={close} onOpened={onProjectOpened} />;
    case 'annotator':
      return <AnnotatorDialog current={annotator} onSave={saveAnnotator} onClose={close} />;
    case 'import-decisions':
    case 'export-decisions':
      return project ? <DecisionExchangeDialog focus={dialog === 'import-decisions' ? 'import' : 'export'} annotator={annotator} toast={toast} onClose={close} onMerged={onDecisionsMerged} /> : null;
    default: {
      const unknown: never = dialog;
      return unknown;
    }
  }
}
