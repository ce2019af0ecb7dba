import { WinnowError } from '../../../shared/errors';
import type { ApplyChoice, ExportMode } from '../../../shared/exporting';
import type { StrategyName } from '../../../shared/strategies';
import type { Db } from '../store/database';
import type { DecisionAction, DecisionLine } from '../../../shared/decisions';
import type { Outcome, ResolvePolicy } from '../../../shared/team';
import { votesByExample } from '../store/team-state';
import { resolveExample } from '../team/resolution';

/** What happens to one example in an export. `label` is set for relabels only. */
export interface Change {
  action: 'eliminate' | 'reannotate';
  label: string | null;
  source: 'human' | 'auto';
}

/**
 * The human decision an export follows for an example of the exported split, located: one
 * annotator's, the one several agree on (`annotator` names them all, joined by "+"), or an
 * adjudication. `seq` is the log record that set it.
 */
export interface HumanDecision extends Omit<DecisionLine, 'split' | 'action' | 'kind' | 'uid' | 'adjudication'> {
  exampleId: number;
  position: number;
  action: DecisionAction;
  resolution: 'single' | 'unanimous' | 'majority' | 'adjudication';
}

/** An example the annotators disagree on that the resolve policy left as it was. */
export interface UnresolvedExample {
  exampleId: number;
  id: string;
  position: number;
  decisions: Record<string, Outcome>;
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
  /** Conflicts the resolve policy did not settle, in file order. */
  unresolved: UnresolvedExample[];
  resolve: ResolvePolicy;
}

export interface PlanOptions {
  splitId: number;
  mode: ExportMode;
  apply: ApplyChoice;
  runId?: number | undefined;
  strategy?: StrategyName | undefined;
  decisionsOverride?: boolean | undefined;
  resolve?: ResolvePolicy | undefined;
}

/**
 * The decisions an export follows on one split under a resolve policy, in log order, and the
 * conflicts it leaves unresolved. A single annotator's decisions are all followed, whatever the policy.
 */
export function resolvedDecisions(db: Db, splitId: number, policy: ResolvePolicy): { decisions: HumanDecision[]; unresolved: UnresolvedExample[] } {
  const decisions: HumanDecision[] = [];
  const unresolved: UnresolvedExample[] = [];
  for (const example of votesByExample(db, splitId)) {
    const resolution = resolveExample(example, policy);
    if (resolution === null) continue;
    if (resolution.kind === 'unresolved') {
      unresolved.push({ exampleId: example.exampleId, id: example.id, position: example.position, decisions: resolution.decisions });
      continue;
    }
    const { decision } = resolution;
    decisions.push({
      exampleId: example.exampleId,
      id: example.id,
      position: example.position,
      seq: decision.decisionId,
      action: decision.action,
      oldLabel: example.given,
      newLabel: decision.action === 'reannotate' ? decision.label : null,
      annotator: resolution.annotators.join('+'),
      time: decision.time,
      note: decision.note,
      run: decision.run,
      resolution: resolution.kind,
    });
  }
  decisions.sort((a, b) => a.seq - b.seq);
  return { decisions, unresolved };
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
 * - reviewed: the human decisions (resolved among annotators by `resolve`), filtered by `apply`;
 * - auto: the strategy's flags (E drops them, R relabels them to the suggestion); with
 *   `decisionsOverride`, an example a human decided follows that decision instead, because a
 *   person looked at it and the flag is only a guess. An E dataset never relabels: there a
 *   reannotation (the person says the given label is wrong) drops the example, as E does with
 *   every example it holds to be mislabelled.
 */
export function planChanges(db: Db, options: PlanOptions): ChangePlan {
  const resolve = options.resolve ?? 'adjudicated';
  const { decisions, unresolved } = resolvedDecisions(db, options.splitId, resolve);
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
  return { changes, decisions, flags, overridden, unresolved, resolve };
}

/** Whether two changes leave the record the same way (dropped, relabelled to the same label, or untouched). */
function sameOutcome(a: Change | null | undefined, b: Change | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.action === b.action && (a.action === 'eliminate' || a.label === b.label);
}
