import type { RelationExample } from './encoded-batch';

/** The examples table's columns a model reads, as a SELECT list over `examples e`. */
export const RELATION_EXAMPLE_COLUMNS = `e.tokens, e.subj_start AS subjStart, e.subj_end AS subjEnd,
  e.obj_start AS objStart, e.obj_end AS objEnd, e.subj_type AS subjType, e.obj_type AS objType`;

/** A row selected with RELATION_EXAMPLE_COLUMNS: the tokens still as their stored JSON text. */
export type RelationExampleRow = Omit<RelationExample, 'tokens'> & { tokens: string };

export function relationExampleOf(row: RelationExampleRow): RelationExample {
  return {
    tokens: JSON.parse(row.tokens) as string[],
    subjStart: row.subjStart,
    subjEnd: row.subjEnd,
    objStart: row.objStart,
    objEnd: row.objEnd,
    subjType: row.subjType,
    objType: row.objType,
  };
}
