import type { ExamplePage, ExampleRow, Facets, SortColumn } from '../../../shared/domain';
import type { ExampleQuery } from '../../../shared/domain';
import type { Db } from './database';

type ParsedQuery = Required<{ [K in keyof ExampleQuery]-?: NonNullable<ExampleQuery[K]> }>;

const sortExpression: Record<SortColumn, string> = {
  position: 'e.split_id, e.position',
  id: 'e.ext_id',
  split: 's.name',
  label: 'l.name',
  subjType: 'e.subj_type',
  objType: 'e.obj_type',
  length: 'e.token_count',
  sentence: 'e.sentence',
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function inList(column: string, values: readonly string[], params: unknown[]): string {
  params.push(...values);
  return `${column} IN (${values.map(() => '?').join(',')})`;
}

/** The grid's page fetch: filtering and sorting happen in SQL, one page at a time. */
export function queryExamples(db: Db, query: ParsedQuery): ExamplePage {
  const where: string[] = [];
  const params: unknown[] = [];
  const { filter } = query;
  if (filter.splits?.length) where.push(inList('s.name', filter.splits, params));
  if (filter.labels?.length) where.push(inList('l.name', filter.labels, params));
  if (filter.subjTypes?.length) where.push(inList('e.subj_type', filter.subjTypes, params));
  if (filter.objTypes?.length) where.push(inList('e.obj_type', filter.objTypes, params));
  if (filter.text?.trim()) {
    const pattern = `%${escapeLike(filter.text.trim())}%`;
    where.push(`(e.sentence LIKE ? ESCAPE '\\' OR e.ext_id LIKE ? ESCAPE '\\')`);
    params.push(pattern, pattern);
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const from = 'FROM examples e JOIN splits s ON s.id = e.split_id JOIN labels l ON l.id = e.label_id';
  const order = [
    ...query.sort.map((s) =>
      sortExpression[s.column]
        .split(', ')
        .map((part) => `${part} ${s.direction === 'desc' ? 'DESC' : 'ASC'}`)
        .join(', '),
    ),
    'e.split_id, e.position',
  ].join(', ');
  const total = (db.prepare(`SELECT count(*) AS n ${from} ${whereSql}`).get(...params) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT e.ext_id AS id, s.name AS split, e.position, l.name AS label, e.tokens,
              e.subj_start AS subjStart, e.subj_end AS subjEnd, e.obj_start AS objStart, e.obj_end AS objEnd,
              e.subj_type AS subjType, e.obj_type AS objType
       ${from} ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
    .all(...params, query.limit, query.offset) as (Omit<ExampleRow, 'tokens'> & { tokens: string })[];
  return { total, rows: rows.map((row) => ({ ...row, tokens: JSON.parse(row.tokens) as string[] })) };
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
