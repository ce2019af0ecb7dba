import type { DecisionAction } from '../../../shared/decisions';
import { outcomeOf, type TeamDecisions, type TeamVote } from '../../../shared/team';
import type { Db } from './database';

/** One annotator's current decision on an example, located, as the log holds it. */
export interface StoredVote extends TeamVote {
  /** The log record that set it. */
  decisionId: number;
  time: string;
  note: string | null;
  run: number | null;
}

/** Every current decision on one example: each annotator's, and the adjudication. */
export interface ExampleVotes {
  exampleId: number;
  id: string;
  splitId: number;
  position: number;
  /** The example's given label. */
  given: string;
  votes: StoredVote[];
  adjudication: StoredVote | null;
}

const ext = (ids: readonly string[]) => JSON.stringify(ids);

/**
 * The team view of a page of the grid: for each example with two or more annotators' decisions
 * (or an adjudication), every decision side by side. Examples one person decided get none,
 * so a single annotator's project shows exactly what it did before.
 */
export function teamDecisionsOf(db: Db, ids: readonly string[]): Map<string, TeamDecisions> {
  const found = new Map<string, TeamDecisions>();
  if (!ids.length) return found;
  const votes = db
    .prepare(
      `SELECT e.ext_id AS id, s.annotator, s.action, l.name AS label
       FROM examples e JOIN annotator_state s ON s.example_id = e.id LEFT JOIN labels l ON l.id = s.label_id
       WHERE e.ext_id IN (SELECT value FROM json_each(?)) ORDER BY e.id, s.annotator`,
    )
    .all(ext(ids)) as (TeamVote & { id: string })[];
  const adjudications = db
    .prepare(
      `SELECT e.ext_id AS id, d.owner AS annotator, a.action, l.name AS label
       FROM examples e JOIN adjudication_state a ON a.example_id = e.id JOIN decisions d ON d.id = a.decision_id LEFT JOIN labels l ON l.id = a.label_id
       WHERE e.ext_id IN (SELECT value FROM json_each(?))`,
    )
    .all(ext(ids)) as (TeamVote & { id: string })[];
  const byExample = new Map<string, TeamVote[]>();
  for (const { id, ...vote } of votes) byExample.set(id, [...(byExample.get(id) ?? []), vote]);
  const adjudicationOf = new Map(adjudications.map(({ id, ...vote }) => [id, vote]));
  for (const id of new Set([...byExample.keys(), ...adjudicationOf.keys()])) {
    const list = byExample.get(id) ?? [];
    const adjudication = adjudicationOf.get(id) ?? null;
    if (list.length < 2 && !adjudication) continue;
    found.set(id, { votes: list, conflict: new Set(list.map(outcomeOf)).size > 1, adjudication });
  }
  return found;
}

interface VoteRow {
  exampleId: number;
  id: string;
  splitId: number;
  position: number;
  given: string;
  kind: 'vote' | 'adjudication';
  annotator: string;
  action: DecisionAction;
  label: string | null;
  decisionId: number;
  time: string;
  note: string | null;
  run: number | null;
}

/** Every decided example (of one split, or of the project) with all its current decisions, in split and file order. */
export function* votesByExample(db: Db, splitId?: number): Generator<ExampleVotes> {
  const where = splitId === undefined ? '' : 'WHERE e.split_id = @split';
  const rows = db
    .prepare(
      `SELECT v.exampleId, e.ext_id AS id, e.split_id AS splitId, e.position, g.name AS given, v.kind, d.owner AS annotator, v.action, l.name AS label,
              v.decisionId, d.created_at AS time, d.note, d.run_id AS run
       FROM (SELECT example_id AS exampleId, 'vote' AS kind, decision_id AS decisionId, action, label_id FROM annotator_state
             UNION ALL SELECT example_id, 'adjudication', decision_id, action, label_id FROM adjudication_state) v
       JOIN examples e ON e.id = v.exampleId JOIN labels g ON g.id = e.label_id JOIN decisions d ON d.id = v.decisionId
       LEFT JOIN labels l ON l.id = v.label_id
       ${where} ORDER BY e.split_id, e.position, v.kind DESC, d.owner`,
    )
    .all(splitId === undefined ? {} : { split: splitId }) as VoteRow[];
  let current = null as ExampleVotes | null;
  for (const row of rows) {
    if (current?.exampleId !== row.exampleId) {
      if (current) yield current;
      current = { exampleId: row.exampleId, id: row.id, splitId: row.splitId, position: row.position, given: row.given, votes: [], adjudication: null };
    }
    const vote: StoredVote = { annotator: row.annotator, action: row.action, label: row.label, decisionId: row.decisionId, time: row.time, note: row.note, run: row.run };
    if (row.kind === 'adjudication') current.adjudication = vote;
    else current.votes.push(vote);
  }
  if (current) yield current;
}

/** The annotators with current decisions, and how many examples each decided. */
export function annotatorCounts(db: Db): { name: string; decided: number }[] {
  return db.prepare('SELECT annotator AS name, count(*) AS decided FROM annotator_state GROUP BY annotator ORDER BY annotator').all() as { name: string; decided: number }[];
}

/**
 * Recomputes the derived decision tables of the given examples from the log in a few set
 * operations: what the insert trigger keeps up record by record (each annotator's latest
 * record, the latest adjudication, and the resolved state), for a merge that appends many
 * records at once with the trigger set aside. Call it inside the merge's transaction.
 */
export function rebuildDerivedState(db: Db, exampleIds: readonly number[]): void {
  const ids = { ids: JSON.stringify(exampleIds) };
  const touched = 'SELECT value FROM json_each(@ids)';
  const outcomes = "count(DISTINCT s.action || '/' || coalesce(s.label_id, ''))";
  for (const table of ['decision_state', 'annotator_state', 'adjudication_state']) db.prepare(`DELETE FROM ${table} WHERE example_id IN (${touched})`).run(ids);
  db.prepare(
    `INSERT INTO annotator_state (example_id, annotator, decision_id, action, label_id)
     SELECT d.example_id, d.owner, d.id, d.action, d.label_id FROM decisions d
     WHERE d.id IN (SELECT max(id) FROM decisions WHERE adjudication = 0 AND example_id IN (${touched}) GROUP BY example_id, owner) AND d.action <> 'clear'`,
  ).run(ids);
  db.prepare(
    `INSERT INTO adjudication_state (example_id, decision_id, action, label_id)
     SELECT d.example_id, d.id, d.action, d.label_id FROM decisions d
     WHERE d.id IN (SELECT max(id) FROM decisions WHERE adjudication = 1 AND example_id IN (${touched}) GROUP BY example_id) AND d.action <> 'clear'`,
  ).run(ids);
  db.prepare(
    `INSERT INTO decision_state (example_id, decision_id, action, label_id, disagreement, adjudicated)
     SELECT a.example_id, a.decision_id, a.action, a.label_id, (SELECT ${outcomes} > 1 FROM annotator_state s WHERE s.example_id = a.example_id), 1
     FROM adjudication_state a WHERE a.example_id IN (${touched})`,
  ).run(ids);
  db.prepare(
    `INSERT INTO decision_state (example_id, decision_id, action, label_id, disagreement, adjudicated)
     SELECT s.example_id, max(s.decision_id), CASE WHEN ${outcomes} = 1 THEN min(s.action) ELSE 'conflict' END,
            CASE WHEN ${outcomes} = 1 THEN min(s.label_id) END, ${outcomes} > 1, 0
     FROM annotator_state s
     WHERE s.example_id IN (${touched}) AND s.example_id NOT IN (SELECT example_id FROM adjudication_state)
     GROUP BY s.example_id`,
  ).run(ids);
}
