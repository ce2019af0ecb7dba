import { WinnowError } from '../../../shared/errors';
import type { RunEvaluation, StrategyEvaluation } from '../../../shared/report';
import type { StrategyName } from '../../../shared/strategies';
import type { Db } from '../store/database';
import { referenceLabelsByExample } from '../store/reference-sets';

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1e4) / 1e4);

/** The paper's evaluation: each strategy's flags scored against a reference patch. */
export function evaluateRun(db: Db, runId: number, reference: string): RunEvaluation {
  const run = db.prepare('SELECT id, params, negative_label AS negativeLabel FROM runs WHERE id = ?').get(runId) as { id: number; params: string; negativeLabel: string } | undefined;
  if (!run) throw new WinnowError('NOT_FOUND', `No run ${runId} in this project`);
  // The run's own negative label: its flags were made with it.
  const negative = run.negativeLabel;
  const truth = referenceLabelsByExample(db, reference);
  const ranked = db
    .prepare('SELECT p.example_id AS row, l.name AS given FROM predictions p JOIN examples e ON e.id = p.example_id JOIN labels l ON l.id = e.label_id WHERE p.run_id = ?')
    .all(runId) as { row: number; given: string }[];
  const given = new Map(ranked.map((r) => [r.row, r.given]));
  let covered = 0;
  let changed = 0;
  for (const [row, label] of truth) {
    const g = given.get(row);
    if (g === undefined) continue;
    covered++;
    if (g !== label) changed++;
  }
  const flags = db
    .prepare('SELECT f.strategy, f.example_id AS row, l.name AS suggested FROM flags f JOIN labels l ON l.id = f.suggested_label_id WHERE f.run_id = ?')
    .all(runId) as { strategy: StrategyName; row: number; suggested: string }[];
  const queue = db
    .prepare('SELECT q.example_id AS row, l.name AS suggested FROM queue q JOIN labels l ON l.id = q.suggested_label_id WHERE q.run_id = ?')
    .all(runId) as { row: number; suggested: string }[];
  const groups = new Map<StrategyEvaluation['strategy'], { row: number; suggested: string }[]>();
  for (const f of flags) groups.set(f.strategy, [...(groups.get(f.strategy) ?? []), f]);
  groups.set('any', queue);
  const strategies = [...groups].map(([strategy, list]): StrategyEvaluation => {
    let flaggedCovered = 0;
    let wrong = 0;
    let suggestedRight = 0;
    let negatives = 0;
    let negativesToPositive = 0;
    for (const f of list) {
      const ref = truth.get(f.row);
      if (ref === undefined) continue;
      flaggedCovered++;
      const g = given.get(f.row)!;
      if (ref !== g) {
        wrong++;
        if (f.suggested === ref) suggestedRight++;
      }
      if (g === negative) {
        negatives++;
        if (ref !== negative) negativesToPositive++;
      }
    }
    return {
      strategy,
      flagged: list.length,
      flaggedCovered,
      precision: ratio(wrong, flaggedCovered),
      recall: ratio(wrong, changed),
      suggestionAccuracy: ratio(suggestedRight, wrong),
      negativesToPositive: ratio(negativesToPositive, negatives),
    };
  });
  return { runId, reference, covered, changed, strategies };
}
