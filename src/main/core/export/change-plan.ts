import { WinnowError } from '../../../shared/errors';
import type { ApplyChoice, ExportMode } from '../../../shared/exporting';
import type { StrategyName } from '../../../shared/strategies';
import type { Db } from '../store/database';
import type { DecisionAction, DecisionLine } from '../../../shared/decisions';

/** What happens to one example in an export. `label` is set for relabels only. */
export interface Change {
  action: 'eliminate' | 'reannotate';
  label: string | null;
  source: 'human' | 'auto';
}

/** A human's current decision about an example of the exported split: its log line, located. */
export interface HumanDecision extends Omit<DecisionLine, 'split' | 'action' | 'kind'> {
  exampleId: number;
  position: number;
  action: DecisionAction;
}

/** One flag of the chosen strategy on an example of the exported split. */
export interface AutoFlag {
  exampleId: number;
  id: string;
  position: number;
  given: string;
  suggested: string;
  score: number;
}

export interface ChangePlan {
  changes: Map<number, Change>;
  decisions: HumanDecision[];
  flags: AutoFlag[];
  /**
   * Auto mode with override: records whose outcome (dropped, relabelled and to what, or left as
   * they are) differs from what the flags alone would do. A decision that agrees with the flag,
   * or a keep on an example nobody flagged, changes nothing and is not counted.
   */
  overridden: number;
}

export interface PlanOptions {
  splitId: number;
  mode: ExportMode;
  apply: ApplyChoice;
  runId?: number | undefined;
  strategy?: StrategyName | undefined;
  decisionsOverride?: boolean | undefined;
}

export function currentDecisions(db: Db, splitId: number): HumanDecision[] {
  return db
    .prepare(
      `SELECT e.id AS exampleId, e.ext_id AS id, e.position, d.id AS seq, ds.action, g.name AS oldLabel, n.name AS newLabel,
              d.annotator, d.created_at AS time, d.note, d.run_id AS run
       FROM decision_state ds JOIN decisions d ON d.id = ds.decision_id JOIN examples e ON e.id = ds.example_id
       JOIN labels g ON g.id = e.label_id LEFT JOIN labels n ON n.id = ds.label_id
       WHERE e.split_id = ? ORDER BY d.id`,
    )
    .all(splitId) as HumanDecision[];
}

function strategyFlags(db: Db, runId: number, strategy: StrategyName, splitId: number): AutoFlag[] {
  return db
    .prepare(
      `SELECT e.id AS exampleId, e.ext_id AS id, e.position, g.name AS given, l.name AS suggested, f.score
       FROM flags f JOIN examples e ON e.id = f.example_id JOIN labels g ON g.id = e.label_id JOIN labels l ON l.id = f.suggested_label_id
       WHERE f.run_id = ? AND f.strategy = ? AND e.split_id = ? ORDER BY e.position`,
    )
    .all(runId, strategy, splitId) as AutoFlag[];
}

function humanChange(decision: HumanDecision, apply: ApplyChoice): Change | null {
  if (decision.action === 'eliminate' && apply !== 'reannotate') return { action: 'eliminate', label: null, source: 'human' };
  if (decision.action === 'reannotate' && apply !== 'eliminate') {
    if (decision.newLabel === null) throw new WinnowError('INTERNAL', `decision ${decision.seq} on "${decision.id}" reannotates without a label`);
    return { action: 'reannotate', label: decision.newLabel, source: 'human' };
  }
  return null;
}

/**
* Decides, per example, what the export does with it:
 * - original: nothing;
 * - reviewed: the current human decisions, filtered by `apply`;
 * - auto: the strategy's flags (E drops them, R relabels them to the suggestion); with
 *   `decisionsOverride`, an example a human decided follows that decision instead, because a
 *   person looked at it and the flag is only a guess. An E dataset never relabels: there a
 *   reannotation (the person says the given label is wrong) drops the example, as E does with
 *   every example it holds to be mislabelled.
 */
export function planChanges(db: Db, options: PlanOptions): ChangePlan {
  const decisions = currentDecisions(db, options.splitId);
  const changes = new Map<number, Change>();
  let flags: AutoFlag[] = [];
  let overridden = 0;
  if (options.mode === 'reviewed') {
    for (const decision of decisions) {
      const change = humanChange(decision, options.apply);
      if (change) changes.set(decision.exampleId, change);
    }
  } else if (options.mode === 'auto') {
    if (options.runId === undefined || options.strategy === undefined) throw new WinnowError('INVALID_INPUT', 'An automatic export needs a run and a strategy');
    flags = strategyFlags(db, options.runId, options.strategy, options.splitId);
    for (const flag of flags) {
      if (options.apply === 'eliminate') changes.set(flag.exampleId, { action: 'eliminate', label: null, source: 'auto' });
      // A suggestion equal to the given label changes nothing; leaving it out keeps the counts honest.
      else if (flag.suggested !== flag.given) changes.set(flag.exampleId, { action: 'reannotate', label: flag.suggested, source: 'auto' });
    }
    if (options.decisionsOverride) {
      for (const decision of decisions) {
        const byFlag = changes.get(decision.exampleId);
        let change = humanChange(decision, 'both');
        if (change?.action === 'reannotate' && options.apply === 'eliminate') change = { action: 'eliminate', label: null, source: 'human' };
        if (change?.action === 'reannotate' && change.label === decision.oldLabel) change = null;
        if (!sameOutcome(byFlag, change)) overridden++;
        if (change) changes.set(decision.exampleId, change);
        else changes.delete(decision.exampleId);
      }
    }
  }
  return { changes, decisions, flags, overridden };
}

/** Whether two changes leave the record the same way (dropped, relabelled to the same label, or untouched). */
function sameOutcome(a: Change | null | undefined, b: Change | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.action === b.action && (a.action === 'eliminate' || a.label === b.label);
}
