import { z } from 'zod';
import { ExampleFilter } from '../../../shared/domain';

/**
 * What the triage view was showing, per project, kept across reloads: the run, the filters,
 * the grid's sort and the focused row. Stored in localStorage under the project's path and
 * validated on the way back in (an old or hand-edited entry is dropped, never trusted).
 */
export const ViewState = z.object({
  /** The run chosen; null: the plain dataset, chosen; absent: never chosen (the newest run shows). */
  run: z.number().int().positive().nullable().optional(),
  filter: ExampleFilter.default({}),
  /** The grid's own sort model: column ids as the grid names them. */
  sort: z.array(z.object({ colId: z.string().max(40), sort: z.enum(['asc', 'desc']) })).max(4).default([]),
  focused: z.object({ id: z.string().max(500), index: z.number().int().min(0) }).nullable().default(null),
});
export type ViewState = z.output<typeof ViewState>;
