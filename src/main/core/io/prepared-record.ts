import { jsonSyntaxReason } from './json-syntax';
import type { SourceRecord } from './record-source';
import { checkTacredRecord, type RecordProblem } from './tacred-record';
import type { ExampleRow } from '../../../shared/examples';

/** The columns of one valid record, as the project stores them (the spans and types as the grid's rows hold them). */
export interface RecordColumns extends Pick<ExampleRow, 'subjStart' | 'subjEnd' | 'objStart' | 'objEnd' | 'subjType' | 'objType'> {
  relation: string;
  tokenCount: number;
  /** The tokens as a JSON array's text. */
  tokens: string;
  /** The tokens joined by spaces (what text search reads). */
  sentence: string;
}

/**
 * One source record parsed and checked: everything the importer needs from it that does not
 * depend on the project, so that it can be computed away from the writing thread.
 */
export interface PreparedRecord {
  index: number;
  line: number | null;
  /** Parquet's row number (its messages name rows, not records). */
  row?: number;
  /** The record's verbatim text. */
  text: string;
  /** The record's id as text, when it has one of a usable type (even if invalid otherwise). */
  id: string | null;
  /** False when the text is not JSON (its problem is then the syntax error). */
  parsed: boolean;
  /** The first problem with the record, or null with its columns. */
  problem: RecordProblem | null;
  columns: RecordColumns | null;
}

function peekId(value: unknown): string | null {
  if (typeof value === 'object' && value !== null && 'id' in value) {
    const id = (value as { id: unknown }).id;
    if (typeof id === 'string' || typeof id === 'number') return String(id);
  }
  return null;
}

export function prepareRecord(source: SourceRecord & { row?: number }): PreparedRecord {
  const at = { index: source.index, line: source.line, ...(source.row === undefined ? {} : { row: source.row }), text: source.text };
  let value: unknown;
  try {
    value = JSON.parse(source.text);
  } catch (error) {
    return { ...at, id: null, parsed: false, problem: { field: '(record)', reason: `is ${jsonSyntaxReason(error, source.text)}` }, columns: null };
  }
  const id = peekId(value);
  const checked = checkTacredRecord(value);
  if (checked.problem) return { ...at, id, parsed: true, problem: checked.problem, columns: null };
  const r = checked.record;
  return {
    ...at,
    id,
    parsed: true,
    problem: null,
    columns: {
      relation: r.relation,
      subjStart: r.subj_start,
      subjEnd: r.subj_end,
      objStart: r.obj_start,
      objEnd: r.obj_end,
      subjType: r.subj_type,
      objType: r.obj_type,
      tokenCount: r.token.length,
      tokens: JSON.stringify(r.token),
      sentence: r.token.join(' '),
    },
  };
}
