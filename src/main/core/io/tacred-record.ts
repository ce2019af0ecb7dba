import { z } from 'zod';

/**
 * A TACRED record as the importer accepts it. Unknown fields are allowed and kept verbatim
 * (the original text is stored), so only the fields Winnow reads are checked here.
 */
const index = z.number().int('must be an integer').min(0, 'must be >= 0');
export const TacredRecord = z.looseObject({
  id: z.union([z.string().min(1, 'must not be empty'), z.number().int()]),
  relation: z.string().min(1, 'must not be empty'),
  token: z.array(z.string({ error: 'every token must be a string' })).min(1, 'must not be empty'),
  subj_start: index,
  subj_end: index,
  obj_start: index,
  obj_end: index,
  subj_type: z.string().min(1, 'must not be empty'),
  obj_type: z.string().min(1, 'must not be empty'),
});
export type TacredRecord = z.infer<typeof TacredRecord>;

export interface RecordProblem {
  field: string;
  reason: string;
}

/** Returns the first problem with a parsed record, or null when it is valid. */
export function checkTacredRecord(value: unknown): { record: TacredRecord; problem: null } | { record: null; problem: RecordProblem } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { record: null, problem: { field: '(record)', reason: 'is not a JSON object' } };
  }
  const parsed = TacredRecord.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? issue.path.map(String).join('.') : '(record)';
    const missing = issue.path.length === 1 && (value as Record<string, unknown>)[String(issue.path[0])] === undefined;
    return { record: null, problem: { field, reason: missing ? 'is missing' : issue.message } };
  }
  const record = parsed.data;
  const n = record.token.length;
  for (const side of ['subj', 'obj'] as const) {
    const start = record[`${side}_start`];
    const end = record[`${side}_end`];
    if (start > end) return { record: null, problem: { field: `${side}_start`, reason: `${start} is after ${side}_end ${end}` } };
    if (end >= n) {
      return { record: null, problem: { field: `${side}_end`, reason: `${end} is outside the ${n} tokens (spans are 0-based and inclusive)` } };
    }
  }
  if (record.subj_start <= record.obj_end && record.obj_start <= record.subj_end) {
    return {
      record: null,
      problem: {
        field: 'obj_start',
        reason: `object span ${record.obj_start}-${record.obj_end} overlaps subject span ${record.subj_start}-${record.subj_end}`,
      },
    };
  }
  return { record, problem: null };
}
