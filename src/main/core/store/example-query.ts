import type { z } from 'zod';
import type { ExamplePage, ExampleQuery, ExampleRow, Facets, FlagInfo, SortColumn } from '../../../shared/domain';
import type { Db } from './database';
import { searchExampleIds } from './search-index';
import { searchHitsTable, type SearchHits } from './search-hits';
import type { DecisionAction } from '../../../shared/decisions';
import { teamDecisionsOf } from './team-state';

type ParsedQuery = z.output<typeof ExampleQuery>;

const sortExpression: Record<SortColumn, string> = {
  position: 'e.split_id, e.position',
  id: 'e.ext_id',
  split: 's.name',
  label: 'l.name',
  // Ties by object type, so that the index of both types serves this sort and their filter.
  subjType: 'e.subj_type, e.obj_type',
  objType: 'e.obj_type',
  length: 'e.token_count',
  sentence: 'e.sentence',
  queue: 'q.rank IS NULL, q.rank',
  agreement: 'q.agreement',
  // A row CL alone flagged holds CL's score, on its own scale (triage-queue.ts): it sorts below
  // every row on the shared scale, as in the queue, and not among them by a number that
  // means something else. (No ", " inside a part: orderSql splits on it.)
  score: "CASE WHEN q.top_score IS NULL THEN 0 WHEN q.agreement = 1 AND json_type(q.strategies,'$.cl') IS NOT NULL THEN 1 ELSE 2 END, q.top_score",
  suggested: 'ql.name',
  decision: 'ds.action',
};

function inList(column: string, values: readonly (string | number)[], params: unknown[]): string {
  params.push(...values);
  return `${column} IN (${values.map(() => '?').join(',')})`;
}

function searchHits(db: Db, text: string, cache?: CountCache): SearchHits {
  const cached = cache?.hits(text);
  if (cached) return cached;
  // The trigram index where it is built, a scan elsewhere; the same matches either way.
  const hits: SearchHits = { ids: searchExampleIds(db, text) };
  cache?.setHits(text, hits);
  return hits;
}

/** Whether a filter sets nothing but these keys. */
function onlySets(filter: ParsedQuery['filter'], keys: readonly (keyof ParsedQuery['filter'])[]): boolean {
  return Object.entries(filter).every(([key, value]) => keys.includes(key as keyof ParsedQuery['filter']) || value === undefined || value === false || (Array.isArray(value) && value.length === 0));
}

/** A filter that only searches text: its total is the number of matches, no join needed. */
function onlyText(filter: ParsedQuery['filter']): boolean {
  return onlySets(filter, ['text']);
}

/**
 * Totals per filter and text-search matches, valid until the project's data changes (call
 * `clear`). A decision changes only what depends on decisions (`decisionsChanged`): the count
 * of a filter without its decision part stays, so that "undecided" after a keypress costs the
 * decided examples, not every example.
 */
export class CountCache {
  private readonly totals = new Map<string, { total: number; decided: number }>();
  private readonly decisionFree = new Map<string, number>();
  private readonly searches = new Map<string, SearchHits>();
  hits(text: string): SearchHits | undefined {
    return this.searches.get(text);
  }
  setHits(text: string, hits: SearchHits): void {
    if (this.searches.size > 16) this.searches.clear();
    this.searches.set(text, hits);
  }
  get(key: string): { total: number; decided: number } | undefined {
    return this.totals.get(key);
  }
  set(key: string, counts: { total: number; decided: number }): void {
    if (this.totals.size > 256) this.totals.clear();
    this.totals.set(key, counts);
  }
  /** The number of examples a filter without a decision part matches (decisions never change it). */
  decisionFreeTotal(key: string, count: () => number): number {
    let total = this.decisionFree.get(key);
    if (total === undefined) {
      if (this.decisionFree.size > 256) this.decisionFree.clear();
      total = count();
      this.decisionFree.set(key, total);
    }
    return total;
  }
  decisionsChanged(): void {
    this.totals.clear();
  }
  clear(): void {
    this.totals.clear();
    this.decisionFree.clear();
    this.searches.clear();
  }
}

interface FlagColumns {
  qRank?: number | null;
  qAgreement?: number | null;
  qTopScore?: number | null;
  qSuggested?: string | null;
  qStrategies?: string | null;
  pLabel?: string | null;
  pProb?: number | null;
}

interface FilterSql {
  from: string;
  whereSql: string;
  params: unknown[];
  run: number | null;
}

/** FROM and WHERE for a filter (and optional run), shared by the page fetch and bulk actions. */
/**
 * `driver: 'decisions'` starts from the decided examples (few, usually) to count them without
 * joining every example to its decision; `withDecisions: false` leaves the decision join out
 * when nothing reads it.
 */
export function filterSql(
  db: Db,
  filter: ParsedQuery['filter'],
  run: number | null,
  sort: ParsedQuery['sort'],
  cache?: CountCache,
  shape: { driver?: 'examples' | 'decisions'; withDecisions?: boolean; walkFileOrder?: boolean; walkLabels?: boolean; counting?: boolean } = {},
): FilterSql {
  const where: string[] = [];
  const params: unknown[] = [];
  // Sorting by split name walks the splits (see below); its split filter is then on the walk.
  const splitFirst = sort[0]?.column === 'split' && !shape.walkFileOrder && shape.driver !== 'decisions';
  if (filter.splits?.length) where.push(splitFirst ? inList('s.name', filter.splits, params) : `e.split_id IN (SELECT id FROM splits WHERE ${inList('name', filter.splits, params)})`);
  if (filter.labels?.length) {
    if (shape.counting) {
      // A count has no order to keep: bound label ids let SQLite's statistics (STAT4 samples,
      // from the import's ANALYZE) see how many examples each label holds, so a rare label
      // is counted through its index. Behind a subquery, with a type filter beside it, the
      // planner scanned every example (180 ms at 1M).
      const names: unknown[] = [];
      const ids = db.prepare(`SELECT id FROM labels WHERE ${inList('name', filter.labels, names)}`).pluck().all(...names) as number[];
      where.push(ids.length ? inList('e.label_id', ids, params) : '0');
    } else {
      // A page keeps the label as an id subquery: SQLite then weighs the sort's index against
      // the label's instead of starting from the label, which for no_relation (70% of rows)
      // would sort most of the table (bound ids made that choice: 0.9 s at 1M).
      where.push(`e.label_id IN (SELECT id FROM labels WHERE ${inList('name', filter.labels, params)})`);
    }
  }
  if (filter.ids?.length) where.push(inList('e.ext_id', filter.ids, params));
  if (filter.subjTypes?.length) where.push(inList('e.subj_type', filter.subjTypes, params));
  if (filter.objTypes?.length) where.push(inList('e.obj_type', filter.objTypes, params));
  if (filter.text?.trim()) {
    // One scan finds the matches; they are kept per search text while the data is unchanged,
    // so scrolling through the results never scans again.
    const hits = searchHits(db, filter.text.trim(), cache);
    if (cache) where.push(`e.id IN (SELECT id FROM temp.${searchHitsTable(db, hits)})`);
    else {
      params.push(JSON.stringify(hits.ids));
      where.push('e.id IN (SELECT value FROM json_each(?))');
    }
  }
  switch (filter.decision) {
    case undefined:
      break;
    case 'undecided':
      where.push('ds.example_id IS NULL');
      break;
    case 'decided':
      where.push('ds.example_id IS NOT NULL');
      break;
    default:
      where.push('ds.action = ?');
      params.push(filter.decision);
  }
  // Both through small indexed sets: the disagreements (a partial index) and one annotator's assignment (the primary key).
  if (filter.conflicts) where.push('e.id IN (SELECT example_id FROM decision_state WHERE disagreement = 1)');
  if (filter.assignedTo !== undefined) {
    where.push('e.id IN (SELECT example_id FROM assignments WHERE annotator = ?)');
    params.push(filter.assignedTo);
  }
  if (run !== null) {
    if (filter.flaggedOnly) where.push('q.example_id IS NOT NULL');
    if (filter.strategies?.length) {
      params.push(run);
      where.push(`EXISTS (SELECT 1 FROM flags f WHERE f.run_id = ? AND f.example_id = e.id AND ${inList('f.strategy', filter.strategies, params)})`);
    }
    if (filter.suggestedLabels?.length) where.push(inList('ql.name', filter.suggestedLabels, params));
    if (filter.scoreMin !== undefined) {
      where.push('q.top_score >= ?');
      params.push(filter.scoreMin);
    }
    if (filter.scoreMax !== undefined) {
      where.push('q.top_score <= ?');
      params.push(filter.scoreMax);
    }
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  // The run's joins come first in the FROM clause, so their parameters go first.
  const runJoins =
    run === null
      ? ''
      : ` ${filter.flaggedOnly ? 'JOIN' : 'LEFT JOIN'} queue q ON q.run_id = ? AND q.example_id = e.id
          LEFT JOIN labels ql ON ql.id = q.suggested_label_id
          LEFT JOIN predictions p ON p.run_id = ? AND p.example_id = e.id
          LEFT JOIN labels pl ON pl.id = p.predicted_label_id`;
  if (run !== null) params.unshift(run, run);
  const withDecisions = shape.withDecisions ?? true;
  const decisionJoins = withDecisions || filter.decision !== undefined ? ' LEFT JOIN decision_state ds ON ds.example_id = e.id LEFT JOIN labels dl ON dl.id = ds.label_id' : '';
  // Sorting by label name: walk the labels in name order and each label's examples through
  // the examples_label index, so no sort of the whole table is needed (CROSS JOIN fixes
  // the loop order for SQLite's planner).
  const labelFirst = sort[0]?.column === 'label' && shape.walkLabels !== false;
  // example_rows, not the examples view: the view's own test would cost every row of a count
  // once more. While a split is being imported, every shape joins the published splits,
  // which leaves its rows out; the rest of the time (nearly always) there is nothing to
  // leave out, and the split and label tables are joined only where a sort reads their
  // names (a page's shown columns come in a second step, see queryExamples): a deep page in
  // label order then walks its 500,000 index entries in 12 ms, 36 ms through the joins.
  // Callers read in one snapshot (`inSnapshot`), so an import cannot start in between.
  const sorted = (column: SortColumn) => sort.some((s) => s.column === column);
  const importing = db.prepare("SELECT EXISTS (SELECT 1 FROM split_rows WHERE state <> 'published')").pluck().get() === 1;
  const splitJoin = importing || sorted('split') ? ' JOIN splits s ON s.id = e.split_id' : '';
  const labelJoin = importing || sorted('label') ? ' JOIN labels l ON l.id = e.label_id' : '';
  let from: string;
  if (shape.driver === 'decisions') {
    from = `FROM decision_state ds CROSS JOIN example_rows e ON e.id = ds.example_id${splitJoin}${labelJoin} LEFT JOIN labels dl ON dl.id = ds.label_id${runJoins}`;
  } else if (labelFirst) {
    from = `FROM labels l CROSS JOIN example_rows e ON l.id = e.label_id${splitJoin}${runJoins}${decisionJoins}`;
  } else if (splitFirst) {
    // The same walk for split names: the splits in name order, each in file order (500 ms a
    // page at 1M when SQLite sorted the examples instead; a split filter as `split_id IN`
    // beside the walk's join made it sort again).
    from = `FROM splits s CROSS JOIN example_rows e ON e.split_id = s.id${labelJoin}${runJoins}${decisionJoins}`;
  } else {
    // walkFileOrder: read examples in file order through the index and test each against the
    // filter, instead of sorting every match (a text search with thousands of matches).
    const examples = shape.walkFileOrder ? 'example_rows e INDEXED BY examples_split_position' : 'example_rows e';
    from = `FROM ${examples}${splitJoin}${labelJoin}${runJoins}${decisionJoins}`;
  }
  return { from, whereSql, params, run };
}

/**
 * Runs reads in one snapshot of the project: what filterSql saw (whether a split is being
 * imported) still holds when its query runs.
 */
function inSnapshot<T>(db: Db, read: () => T): T {
  return db.inTransaction ? read() : db.transaction(read)();
}

/** Row ids of every example matching a filter, for bulk actions. */
export function matchingExampleIds(db: Db, filter: ParsedQuery['filter'], run: number | null): number[] {
  return inSnapshot(db, () => {
    const { from, whereSql, params } = filterSql(db, filter, run, [], undefined, { withDecisions: false });
    return db.prepare(`SELECT e.id ${from} ${whereSql} ORDER BY e.id`).pluck().all(...params) as number[];
  });
}

const RUN_COLUMNS: readonly SortColumn[] = ['queue', 'agreement', 'score', 'suggested'];

/**
 * ORDER BY for a sort: the columns asked for, the triage order when a run has none, then file
 * order, in the direction of the last column asked for: a descending sort is the ascending
 * order reversed, ties included, so that one index read backwards serves it (ties in
 * ascending file order under a descending column made SQLite sort every example).
 */
function orderSql(sort: ParsedQuery['sort'], run: number | null): string {
  const asked = sort.filter((s) => run !== null || !RUN_COLUMNS.includes(s.column));
  const ties = asked.at(-1)?.direction === 'desc' ? 'DESC' : 'ASC';
  // After the split's name, its id is settled (names are unique): only the position is left.
  const fileOrder = asked[0]?.column === 'split' ? `e.position ${ties}` : `e.split_id ${ties}, e.position ${ties}`;
  return [
    ...asked.map((s) =>
      sortExpression[s.column]
        .split(', ')
        .map((part) => `${part} ${s.direction === 'desc' ? 'DESC' : 'ASC'}`)
        .join(', '),
    ),
    // With a run and no explicit sort, the triage order: agreement, then score.
    ...(run !== null && sort.length === 0 ? ['q.rank IS NULL', 'q.rank'] : []),
    fileOrder,
  ].join(', ');
}

/**
 * Where an example sits in the grid's order (0-based), for moving the cursor to it: a given
 * example (`id`), or the first undecided one at or after `from`. Null when there is none.
 */
export function locateExample(db: Db, query: Pick<ParsedQuery, 'run' | 'filter' | 'sort'>, target: { id: string } | { nextUndecidedFrom: number }, cache?: CountCache): number | null {
  return inSnapshot(db, () => locateIn(db, query, target, cache));
}

function locateIn(db: Db, query: Pick<ParsedQuery, 'run' | 'filter' | 'sort'>, target: { id: string } | { nextUndecidedFrom: number }, cache?: CountCache): number | null {
  const run = query.run ?? null;
  const { from, whereSql, params } = filterSql(db, query.filter, run, query.sort, cache);
  const ranked = `SELECT e.ext_id AS id, ds.example_id IS NULL AS undecided, row_number() OVER (ORDER BY ${orderSql(query.sort, run)}) - 1 AS position ${from} ${whereSql}`;
  const found =
    'id' in target
      ? db.prepare(`SELECT position FROM (${ranked}) WHERE id = ?`).pluck().get(...params, target.id)
      : db.prepare(`SELECT position FROM (${ranked}) WHERE undecided AND position >= ? ORDER BY position LIMIT 1`).pluck().get(...params, target.nextUndecidedFrom);
  return typeof found === 'number' ? found : null;
}

/** The grid's page fetch: filtering and sorting happen in SQL, one page at a time. */
export function queryExamples(db: Db, query: ParsedQuery, cache?: CountCache): ExamplePage {
  return inSnapshot(db, () => pageOf(db, query, cache));
}

function pageOf(db: Db, query: ParsedQuery, cache?: CountCache): ExamplePage {
  const { filter } = query;
  const text = filter.text?.trim();
  // In file order, walking the index finds a page of matches after about 100 x n / matches
  // entries; sorting the matches reads each of them. Walk when that is cheaper (index entries
  // are about ten times cheaper to read than rows).
  const fileOrder = (query.run ?? null) === null && query.sort.every((s) => s.column === 'position' && s.direction !== 'desc');
  let walkFileOrder = false;
  let walkLabels = true;
  if (text && cache) {
    const hits = searchHits(db, text, cache);
    const n = (db.prepare('SELECT max(id) FROM examples').pluck().get() as number | null) ?? 0;
    if (fileOrder) walkFileOrder = hits.ids.length * hits.ids.length * 10 >= 100 * n;
    // Walking the labels in name order meets the matches as unevenly as the labels hold them
    // (most of a million examples are no_relation): below 50k matches, sort the matches instead.
    walkLabels = hits.ids.length > 50_000;
  }
  const { from, whereSql, params, run } = filterSql(db, filter, query.run ?? null, query.sort, cache, { walkFileOrder, walkLabels });
  const order = orderSql(query.sort, run);
  // The grid asks for many pages of one filter; the totals only change with the data.
  const countKey = JSON.stringify([run, filter]);
  let counts = cache?.get(countKey);
  if (counts === undefined && text && cache && onlyText(filter)) {
    const hits = searchHits(db, text, cache);
    counts = {
      total: hits.ids.length,
      decided: db.prepare(`SELECT count(*) FROM decision_state WHERE example_id IN (SELECT id FROM temp.${searchHitsTable(db, hits)})`).pluck().get() as number,
    };
    cache.set(countKey, counts);
  }
  if (counts === undefined && onlySets(filter, ['splits'])) {
    // Every example of the chosen splits (or all): the published splits know their counts,
    // where counting a million rows takes 30 ms.
    const names: unknown[] = [];
    const splits = filter.splits?.length ? `WHERE ${inList('name', filter.splits, names)}` : '';
    counts = {
      total: db.prepare(`SELECT coalesce(sum(count), 0) FROM splits ${splits}`).pluck().get(...names) as number,
      decided: db.prepare(`SELECT count(*) FROM decision_state ds CROSS JOIN example_rows e ON e.id = ds.example_id WHERE e.split_id IN (SELECT id FROM splits ${splits})`).pluck().get(...names) as number,
    };
    cache?.set(countKey, counts);
  }
  if (counts === undefined) {
    const countOf = (f: ParsedQuery['filter'], shape: Parameters<typeof filterSql>[5]) => {
      const sql = filterSql(db, f, run, [], cache, { ...shape, counting: true });
      return db.prepare(`SELECT count(*) ${sql.from} ${sql.whereSql}`).pluck().get(...sql.params) as number;
    };
    if (filter.decision === 'undecided' && !filter.conflicts && cache) {
      // Undecided = all that match the rest of the filter, less the decided ones among them.
      const rest = { ...filter, decision: undefined };
      const all = cache.decisionFreeTotal(JSON.stringify([run, rest]), () => countOf(rest, { withDecisions: false }));
      counts = { total: all - countOf(rest, { driver: 'decisions' }), decided: 0 };
    } else {
      counts = { total: countOf(filter, { withDecisions: false }), decided: countOf(filter, { driver: 'decisions' }) };
    }
    cache?.set(countKey, counts);
  }
  // Two steps: the page's ids in the grid's order (only what the filter and sort read), then
  // the shown columns of those 100 rows. An OFFSET skips rows only after their joins are
  // made, so one step joined every skipped row to its split, decision and labels.
  const ids = db.prepare(`SELECT e.id ${from} ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`).pluck().all(...params, query.limit, query.offset) as number[];
  const flagColumns =
    run === null
      ? ''
      : `, q.rank AS qRank, q.agreement AS qAgreement, q.top_score AS qTopScore, ql.name AS qSuggested, q.strategies AS qStrategies,
         pl.name AS pLabel, p.predicted_prob AS pProb`;
  const runJoins =
    run === null
      ? ''
      : ` LEFT JOIN queue q ON q.run_id = ? AND q.example_id = e.id
          LEFT JOIN labels ql ON ql.id = q.suggested_label_id
          LEFT JOIN predictions p ON p.run_id = ? AND p.example_id = e.id
          LEFT JOIN labels pl ON pl.id = p.predicted_label_id`;
  const rows = (
    ids.length === 0
      ? []
      : db
          .prepare(
            `SELECT e.ext_id AS id, s.name AS split, e.position, l.name AS label, e.tokens,
                    e.subj_start AS subjStart, e.subj_end AS subjEnd, e.obj_start AS objStart, e.obj_end AS objEnd,
                    e.subj_type AS subjType, e.obj_type AS objType, ds.action AS dAction, dl.name AS dLabel${flagColumns}
             FROM json_each(?) j CROSS JOIN example_rows e ON e.id = j.value JOIN split_rows s ON s.id = e.split_id JOIN labels l ON l.id = e.label_id${runJoins}
             LEFT JOIN decision_state ds ON ds.example_id = e.id LEFT JOIN labels dl ON dl.id = ds.label_id
             ORDER BY j.key`,
          )
          .all(JSON.stringify(ids), ...(run === null ? [] : [run, run]))
  ) as (Omit<ExampleRow, 'tokens' | 'flag' | 'decision' | 'team'> & { tokens: string; dAction: DecisionAction | 'conflict' | null; dLabel: string | null } & FlagColumns)[];
  const team = teamDecisionsOf(db, rows.map((r) => r.id));
  return {
    total: counts.total,
    decided: counts.decided,
    rows: rows.map(({ qRank, qAgreement, qTopScore, qSuggested, qStrategies, pLabel, pProb, dAction, dLabel, ...row }) => ({
      ...row,
      tokens: JSON.parse(row.tokens) as string[],
      decision: dAction && dAction !== 'conflict' ? { action: dAction, label: dLabel } : null,
      team: team.get(row.id) ?? null,
      ...(run === null
        ? {}
        : {
            flag:
              qRank === null || qRank === undefined
                ? null
                : ({
                    rank: qRank,
                    agreement: qAgreement!,
                    topScore: qTopScore!,
                    suggested: qSuggested!,
                    strategies: JSON.parse(qStrategies!) as FlagInfo['strategies'],
                    predicted: pLabel ?? null,
                    predictedProb: pProb ?? null,
                  } satisfies FlagInfo),
          }),
    })),
  };
}

export function queryFacets(db: Db): Facets {
  const column = (sql: string) => db.prepare(sql).pluck().all() as string[];
  return {
    splits: column('SELECT name FROM splits ORDER BY id'),
    labels: column('SELECT name FROM labels WHERE id IN (SELECT DISTINCT label_id FROM examples) ORDER BY name'),
    subjTypes: column('SELECT DISTINCT subj_type FROM examples ORDER BY 1'),
    objTypes: column('SELECT DISTINCT obj_type FROM examples ORDER BY 1'),
  };
}
