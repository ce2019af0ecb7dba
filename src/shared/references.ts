import { z } from 'zod';
import { PatchStyle } from './exporting';

export const ReferenceSetInfo = z.object({
  name: z.string(),
  style: PatchStyle,
  count: z.number().int(),
  /** How many of the patch's ids this project holds. */
  matched: z.number().int(),
  /** Distinct labels of the patch that the project does not know. */
  unknownLabels: z.number().int(),
  sourcePath: z.string(),
  importedAt: z.string(),
});
export type ReferenceSetInfo = z.infer<typeof ReferenceSetInfo>;
