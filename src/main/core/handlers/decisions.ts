import type { Handlers } from '../../../shared/contract';
import { applyDecisions, decisionHistoryOf, redoLast, resolveDecisionTargets, undoLast } from '../store/decisions';
import type { CoreContext } from './context';

type DecisionChannels = 'decisions:apply' | 'decisions:undo' | 'decisions:redo' | 'decisions:history';

/** The decision log: decide (one, a selection, or a confirmed filtered set), undo, redo, history. */
export function decisionHandlers(ctx: CoreContext): Pick<Handlers, DecisionChannels> {
  const annotator = () => ctx.settings.get().annotator;
  const changed = <T extends { count: number }>(result: T): T => {
    ctx.decisionsChanged(result.count);
    return result;
  };
  return {
    'decisions:apply': ({ target, action, label, note, run }) => {
      const { db } = ctx.requireProject();
      const examples = resolveDecisionTargets(db, target);
      return changed(applyDecisions(db, { examples, action, label, note, runId: run ?? null, annotator: annotator() }));
    },
    'decisions:undo': () => changed(undoLast(ctx.requireProject().db, annotator())),
    'decisions:redo': () => changed(redoLast(ctx.requireProject().db, annotator())),
    'decisions:history': ({ id }) => decisionHistoryOf(ctx.requireProject().db, id),
  };
}
