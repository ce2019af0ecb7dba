import type { Handlers } from '../../../shared/contract';
import { attachNote } from '../store/decision-notes';
import { batchExampleIds, decidedAmong, undecidedOnly } from '../store/decision-queries';
import { applyDecisions, decisionHistoryOf, exampleRowId, redoLast, resolveDecisionTargets, undoLast } from '../store/decisions';
import type { Db } from '../store/database';
import type { CoreContext } from './context';

type DecisionChannels = 'decisions:apply' | 'decisions:preview' | 'decisions:note' | 'decisions:undo' | 'decisions:redo' | 'decisions:history';

/** An undo or redo, with the examples it changed (for the grid to show them). */
const withExamples = (db: Db, result: { batchId: string | null; count: number }) => ({ ...result, exampleIds: result.batchId ? batchExampleIds(db, result.batchId) : [] });

/**
 * The decision log: decide (one, a selection, or a confirmed filtered set, optionally leaving
 * decided examples alone), preview what a bulk action replaces, notes, undo, redo, history.
 */
export function decisionHandlers(ctx: CoreContext): Pick<Handlers, DecisionChannels> {
  const annotator = () => ctx.settings.get().annotator;
  const changed = <T extends { count: number }>(result: T): T => {
    ctx.decisionsChanged(result.count);
    return result;
  };
  return {
    'decisions:apply': ({ target, action, label, note, run, onlyUndecided }) => {
      const { db } = ctx.requireProject();
      const matched = resolveDecisionTargets(db, target);
      const examples = onlyUndecided ? undecidedOnly(db, matched) : matched;
      return changed(applyDecisions(db, { examples, action, label, note, runId: run ?? null, annotator: annotator() }));
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
  };
}
