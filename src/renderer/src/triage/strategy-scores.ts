import { STRATEGIES, STRATEGY_NAMES, type StrategyName } from '../../../shared/strategies';

/** Whether a name is one of the strategies (the detail pane's evidence carries plain strings). */
export function isStrategyName(name: string): name is StrategyName {
  return (STRATEGY_NAMES as readonly string[]).includes(name);
}

/**
 * The tooltip of a row's score: each flagging strategy's number and what it means (the
 * sentences are the strategies' own, in shared/strategies). Scores of different strategies
 * are on different scales, which is why the grid orders by agreement first.
 */
export function scoreTooltip(strategies: Partial<Record<StrategyName, { score: number; suggested: string }>>): string {
  const lines = STRATEGY_NAMES.filter((s) => strategies[s]).map((s) => `${STRATEGIES[s].badge} ${strategies[s]!.score.toFixed(3)} (suggests ${strategies[s]!.suggested}): ${STRATEGIES[s].score}`);
  return [...lines, 'Higher is more suspect. The queue orders by how many strategies agree, then by the highest of the IS, ES, ESP and KNN scores (one scale); CL\'s score is on its own scale and orders only the rows CL alone flagged, which sorting by Score also keeps below the others.'].join('\n');
}
