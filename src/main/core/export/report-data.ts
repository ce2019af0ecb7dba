import { WinnowError } from '../../../shared/errors';
import type { ReportData, RunEvaluation } from '../../../shared/report';
import { STRATEGY_NAMES, type StrategyName } from '../../../shared/strategies';
import { listComparisons } from '../compare/comparison-store';
import { evaluateRun } from '../ranking/evaluate';
import { runQuality } from '../ranking/run-quality';
import type { Db } from '../store/database';
import { NOTE_BATCH_PREFIX } from '../store/decision-notes';
import { agreementSection } from '../team/agreement';

const MAX_BUCKETS = 400;

function labelDistribution(db: Db): ReportData['labels'] {
  const before = db
    .prepare('SELECT l.name, count(*) AS n FROM examples e JOIN labels l ON l.id = e.label_id GROUP BY l.id')
    .all() as { name: string; n: number }[];
  const after = db
    .prepare(
      `SELECT coalesce(CASE WHEN ds.action = 'reannotate' THEN n.name END, g.name) AS name, count(*) AS n
       FROM examples e JOIN labels g ON g.id = e.label_id
       LEFT JOIN decision_state ds ON ds.example_id = e.id LEFT JOIN labels n ON n.id = ds.label_id
       WHERE ds.action IS NULL OR ds.action <> 'eliminate' GROUP BY 1`,
    )
    .all() as { name: string; n: number }[];
  const b = new Map(before.map((r) => [r.name, r.n]));
  const a = new Map(after.map((r) => [r.name, r.n]));
  const names = [...new Set([...b.keys(), ...a.keys()])].sort((x, y) => (b.get(y) ?? 0) - (b.get(x) ?? 0) || (a.get(y) ?? 0) - (a.get(x) ?? 0) || x.localeCompare(y));
  return { names, before: names.map((n) => b.get(n) ?? 0), after: names.map((n) => a.get(n) ?? 0) };
}

function flagOverlap(db: Db, runId: number, strategies: StrategyName[]): ReportData['flags'] {
  const index = new Map(strategies.map((s, i) => [s, i]));
  const pairwise = strategies.map(() => strategies.map(() => 0));
  const pairs = db
    .prepare(
      `SELECT a.strategy AS s, b.strategy AS t, count(*) AS n FROM flags a
       JOIN flags b ON b.run_id = a.run_id AND b.example_id = a.example_id
       WHERE a.run_id = ? GROUP BY a.strategy, b.strategy`,
    )
    .all(runId) as { s: StrategyName; t: StrategyName; n: number }[];
  for (const p of pairs) {
    const i = index.get(p.s);
    const j = index.get(p.t);
    if (i !== undefined && j !== undefined) pairwise[i]![j] = p.n;
  }
  const examplesByAgreement = strategies.map(() => 0);
  const agreement = db
    .prepare('SELECT k, count(*) AS n FROM (SELECT count(*) AS k FROM flags WHERE run_id = ? GROUP BY example_id) GROUP BY k')
    .all(runId) as { k: number; n: number }[];
  for (const row of agreement) if (row.k >= 1 && row.k <= strategies.length) examplesByAgreement[row.k - 1] = row.n;
  return {
    strategies,
    counts: strategies.map((_, i) => pairwise[i]![i]!),
    examplesByAgreement,
    pairwise,
    queue: db.prepare('SELECT count(*) FROM queue WHERE run_id = ?').pluck().get(runId) as number,
  };
}

/** Next bucket key after `key` ("YYYY-MM-DD" or "YYYY-MM-DDTHH"). */
function nextBucket(key: string, bucket: 'hour' | 'day'): string {
  const date = new Date(bucket === 'day' ? `${key}T00:00:00Z` : `${key}:00:00Z`);
  if (bucket === 'day') date.setUTCDate(date.getUTCDate() + 1);
  else date.setUTCHours(date.getUTCHours() + 1);
  return date.toISOString().slice(0, bucket === 'day' ? 10 : 13);
}

/**
 * Decided examples per time bucket (UTC), by current decision: by hour when the work spans at
 * most two days, else by day. An example counts once, when it reached its current decision
 * (a note added later does not move it), so the series add up to the summary's counts. Empty
 * buckets in between are kept so the x axis reads as time.
 */
function decisionsOverTime(db: Db): ReportData['decisionsOverTime'] {
  const logRecords = db.prepare('SELECT count(*) FROM decisions').pluck().get() as number;
  // The record that set the decision: the current one, or the latest before it that was not
  // a note (a note copies the decision it amends).
  const current = db
    .prepare(
      `SELECT ds.action AS action,
              (SELECT d.created_at FROM decisions d WHERE d.example_id = ds.example_id AND d.id <= ds.decision_id
                 AND (d.batch_id IS NULL OR d.batch_id NOT LIKE '${NOTE_BATCH_PREFIX}%') ORDER BY d.id DESC LIMIT 1) AS at
       FROM decision_state ds`,
    )
    .all() as { action: 'keep' | 'eliminate' | 'reannotate'; at: string | null }[];
  const days = new Set(current.map((c) => c.at?.slice(0, 10) ?? '')).size;
  const bucket: 'hour' | 'day' = days <= 2 ? 'hour' : 'day';
  const width = bucket === 'day' ? 10 : 13;
  const counts = new Map<string, Record<'keep' | 'eliminate' | 'reannotate', number>>();
  for (const c of current) {
    const key = (c.at ?? '').slice(0, width);
    const entry = counts.get(key) ?? { keep: 0, eliminate: 0, reannotate: 0 };
    entry[c.action]++;
    counts.set(key, entry);
  }
  const present = [...counts.keys()].sort();
  let labels = present;
  if (present.length > 1) {
    const filled: string[] = [];
    for (let key = present[0]!; filled.length <= MAX_BUCKETS; key = nextBucket(key, bucket)) {
      filled.push(key);
      if (key >= present[present.length - 1]!) break;
    }
    // A bad timestamp or a very long project would make a useless axis; fall back to the buckets seen.
    if (filled.length <= MAX_BUCKETS && present.every((p) => filled.includes(p))) labels = filled;
  }
  const series = { keep: labels.map(() => 0), eliminate: labels.map(() => 0), reannotate: labels.map(() => 0) };
  labels.forEach((label, i) => {
    const entry = counts.get(label);
    if (entry) for (const action of ['keep', 'eliminate', 'reannotate'] as const) series[action][i] = entry[action];
  });
  return { bucket, labels: labels.map((l) => (bucket === 'hour' ? `${l.replace('T', ' ')}:00` : l)), series, logRecords };
}

/** Strategies in the order the rest of the report uses, the union ("any") last. */
function inStrategyOrder(evaluation: RunEvaluation): RunEvaluation {
  const rank = (s: string) => (s === 'any' ? STRATEGY_NAMES.length : STRATEGY_NAMES.indexOf(s as StrategyName));
  return { ...evaluation, strategies: [...evaluation.strategies].sort((a, b) => rank(a.strategy) - rank(b.strategy)) };
}

/**
 * The comparison a report shows: the one asked for (it must have used this run), else the run's
 * latest.
 */
function reportComparison(db: Db, runId: number, comparisonId: number | undefined): ReportData['comparison'] {
  const comparisons = listComparisons(db, runId);
  if (comparisonId === undefined) return comparisons[0] ?? null;
  const chosen = comparisons.find((c) => c.id === comparisonId);
  if (!chosen) throw new WinnowError('NOT_FOUND', `No comparison ${comparisonId} with run ${runId} in this project (${comparisons.length ? `its comparisons: ${comparisons.map((c) => c.id).join(', ')}` : 'it has none'})`);
  return chosen;
}

export function collectReportData(db: Db, options: { runId: number; reference?: string | undefined; comparison?: number | undefined; appVersion: string }): ReportData {
  const run = db.prepare('SELECT id, created_at, model_name, model_hash, provider, params, negative_label FROM runs WHERE id = ?').get(options.runId) as
    | { id: number; created_at: string; model_name: string; model_hash: string; provider: string; params: string; negative_label: string }
    | undefined;
  if (!run) throw new WinnowError('NOT_FOUND', `No run ${options.runId} in this project`);
  const params = JSON.parse(run.params) as Record<string, unknown> & { strategies?: string[] };
  const used = new Set(params.strategies ?? []);
  const strategies = STRATEGY_NAMES.filter((s) => used.has(s));
  const decided = { keep: 0, eliminate: 0, reannotate: 0 };
  // Conflicts between annotators are counted in the agreement section, not as any one action.
  for (const row of db.prepare("SELECT action, count(*) AS n FROM decision_state WHERE action <> 'conflict' GROUP BY action").all() as { action: keyof typeof decided; n: number }[]) decided[row.action] = row.n;
  return {
    appVersion: options.appVersion,
    generatedAt: new Date().toISOString(),
    // The run's: what its flags and evaluation mean (the project's may have changed since).
    negativeLabel: run.negative_label,
    splits: db.prepare('SELECT name, count, source_sha256 AS sha256 FROM splits ORDER BY id').all() as ReportData['splits'],
    run: { id: run.id, createdAt: run.created_at, model: run.model_name, modelHash: run.model_hash, provider: run.provider, strategies, params },
    labels: labelDistribution(db),
    decided,
    flags: flagOverlap(db, run.id, strategies),
    decisionsOverTime: decisionsOverTime(db),
    evaluation: options.reference ? inStrategyOrder(evaluateRun(db, run.id, options.reference)) : null,
    quality: runQuality(db, run.id),
    comparison: reportComparison(db, run.id, options.comparison),
    agreement: agreementSection(db),
  };
}
