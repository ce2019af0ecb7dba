import path from 'node:path';
import type { Handlers } from '../../../shared/contract';
import { readAssignment } from '../store/assignments';
import { attachNote } from '../store/decision-notes';
import { batchExampleIds, decidedAmong, undecidedOnly } from '../store/decision-queries';
import { decisionLogFileName, exportDecisionLog, importDecisionLog } from '../store/decision-exchange';
import { applyDecisions, decisionHistoryOf, exampleRowId, redoLast, resolveDecisionTargets, undoLast } from '../store/decisions';
import type { Db } from '../store/database';
import type { CoreContext } from './context';

type DecisionChannels =
  | 'decisions:apply'
  | 'decisions:preview'
  | 'decisions:note'
  | 'decisions:undo'
  | 'decisions:redo'
  | 'decisions:history'
  | 'decisions:import'
  | 'decisions:export'
  | 'team:assignment';

/** An undo or redo, with the examples it changed (for the grid to show them). */
const withExamples = (db: Db, result: { batchId: string | null; count: number }) => ({ ...result, exampleIds: result.batchId ? batchExampleIds(db, result.batchId) : [] });

/**
 * The decision log: decide (one, a selection, or a confirmed filtered set, optionally leaving
 * decided examples alone; as adjudication if asked), preview what a bulk action replaces,
 * notes, undo and redo of this annotator's own last batch, history, and the exchange of logs
 * between copies of a project (a file token in, an output file out).
 */
export function decisionHandlers(ctx: CoreContext): Pick<Handlers, DecisionChannels> {
  const { platform } = ctx;
  const annotator = () => ctx.settings.get().annotator;
  const changed = <T extends { count: number }>(result: T): T => {
    ctx.decisionsChanged(result.count);
    return result;
  };
  return {
    'decisions:apply': ({ target, action, label, note, run, onlyUndecided, adjudicate }) => {
      const { db } = ctx.requireProject();
      const matched = resolveDecisionTargets(db, target);
      const examples = onlyUndecided ? undecidedOnly(db, matched) : matched;
      return changed(applyDecisions(db, { examples, action, label, note, runId: run ?? null, annotator: annotator(), adjudication: adjudicate ?? false }));
    },
    'decisions:preview': ({ target, run }) => {
      const { db } = ctx.requireProject();
      return decidedAmong(db, resolveDecisionTargets(db, target), run ?? null);
    },
    'decisions:note': ({ id, note }) => {
      const { db } = ctx.requireProject();
      const result = attachNote(db, { example: exampleRowId(db, id), note, annotator: annotator() });
      ctx.decisionsChanged(1);
      return result;
    },
    'decisions:undo': () => {
      const { db } = ctx.requireProject();
      return changed(withExamples(db, undoLast(db, annotator())));
    },
    'decisions:redo': () => {
      const { db } = ctx.requireProject();
      return changed(withExamples(db, redoLast(db, annotator())));
    },
    'decisions:history': ({ id }) => decisionHistoryOf(ctx.requireProject().db, id),
    'decisions:import': async ({ file }) => {
      const project = ctx.requireProject();
      const filePath = platform.capabilities.resolve(file, 'read-file');
      // Messages name the file as the user knows it: an upload's own name, a chosen file's path.
      const label = platform.mode === 'browser' ? platform.capabilities.nameOf(file, 'read-file') : filePath;
      const result = await importDecisionLog(project.db, filePath, { label });
      ctx.decisionsChanged(result.imported);
      // A merged log can bring labels this project had not seen.
      if (result.imported) ctx.emit('project:changed', { path: project.path });
      return result;
    },
    'decisions:export': async ({ annotator: only, destination }) => {
      const project = ctx.requireProject();
      const projectName = path.basename(project.path, '.winnow');
      const outPath = platform.outputPath(project.path, decisionLogFileName(projectName, only), destination);
      const result = await exportDecisionLog(project.db, { outPath, annotator: only, appVersion: ctx.appVersion, projectName });
      return { ...result, output: { role: 'decisions-log', name: path.basename(result.path), path: result.path, downloadUrl: platform.publish(result.path) } };
    },
    'team:assignment': () => readAssignment(ctx.requireProject().db),
  };
}
