import { optionErrorFromZod } from '../../../shared/errors';
import { ExportOptions, type ExportOptionsInput, type ExportPreview } from '../../../shared/exporting';
import type { Db } from '../store/database';
import { votesByExample } from '../store/team-state';
import { outcomeOf } from '../../../shared/team';
import { planChanges } from './change-plan';
import { datasetName } from './export-names';
import { checkExportOptions } from './export-modes';
import { recordOutcome } from './record-selection';

/**
 * What an export with these options would write, counted with the export's own plan and record
 * rule but without reading the records' text: the dialog shows it before the user commits.
 */
export function previewExport(db: Db, input: ExportOptionsInput): ExportPreview {
  const parsed = ExportOptions.safeParse(input);
  if (!parsed.success) throw optionErrorFromZod(parsed.error, 'export option');
  const options = parsed.data;
  const { splitId, count: before } = checkExportOptions(db, options);
  const decisionsOverride = options.mode === 'auto' && options.decisionsOverride;
  const plan = planChanges(db, { splitId, mode: options.mode, apply: options.apply, runId: options.run, strategy: options.strategy, decisionsOverride, resolve: options.resolve });
  let eliminated = 0;
  let relabelled = 0;
  const rows = db.prepare('SELECT e.id AS exampleId, l.name AS label FROM examples e JOIN labels l ON l.id = e.label_id WHERE e.split_id = ?').iterate(splitId) as IterableIterator<{ exampleId: number; label: string }>;
  for (const row of rows) {
    const outcome = recordOutcome(plan, row);
    if (outcome.kind === 'eliminated') eliminated++;
    else if (outcome.kind === 'relabelled') relabelled++;
  }
  return {
    dataset: datasetName({ ...options, decisionsOverride }),
    before,
    count: before - eliminated,
    eliminated,
    relabelled,
    flagged: options.mode === 'auto' ? plan.flags.length : null,
    changedByDecisions: decisionsOverride ? plan.overridden : null,
    disagreements: options.mode === 'reviewed' || decisionsOverride ? countDisagreements(db, splitId) : null,
  };
}

function countDisagreements(db: Db, splitId: number): number {
  let n = 0;
  for (const example of votesByExample(db, splitId)) if (new Set(example.votes.map(outcomeOf)).size > 1) n++;
  return n;
}
