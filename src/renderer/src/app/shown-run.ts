import type { RunSummary } from '../../../shared/domain';

/**
 * The run the grid, report and impact screen show. `chosen` is the remembered choice: a run id,
 * null for "None (dataset only)", undefined when the user never chose. A choice that names no
 * stored run counts as never made. Without a choice the newest run that is not invalidated shows
 * (runs come newest first), so a project with runs never opens looking as if it had none.
 */
export function pickShownRun(chosen: number | null | undefined, runs: readonly Pick<RunSummary, 'id' | 'invalidated'>[]): number | null {
  if (chosen === null) return null;
  if (chosen !== undefined && runs.some((r) => r.id === chosen)) return chosen;
  return runs.find((r) => !r.invalidated)?.id ?? null;
}
