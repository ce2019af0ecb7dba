import { paperDatasetName, type ApplyChoice, type ExportMode } from '../../../shared/exporting';
import type { StrategyName } from '../../../shared/strategies';


export function datasetName(options: { mode: ExportMode; apply: ApplyChoice; strategy?: StrategyName | undefined; decisionsOverride?: boolean | undefined }): string {
  if (options.mode === 'original') return 'original';
  if (options.mode === 'reviewed') return `reviewed (${options.apply === 'both' ? 'eliminated and reannotated' : options.apply === 'eliminate' ? 'eliminated only' : 'reannotated only'})`;
  const name = paperDatasetName(options.strategy!, options.apply === 'eliminate' ? 'eliminate' : 'reannotate');
  return options.decisionsOverride ? `${name} with human decisions` : name;
}

/**
 * The file name an export gets when only a folder is given; it states split, strategy and
 * mode so that a folder of exports explains itself (e.g. `train.is.eliminate.json`).
 */
export function defaultExportFileName(options: {
  split: string;
  mode: ExportMode;
  apply: ApplyChoice;
  strategy?: StrategyName | undefined;
  decisionsOverride?: boolean | undefined;
  format: 'json' | 'jsonl' | 'parquet';
  /** Adds the time, so that exports from the app never replace each other. */
  stamp?: Date | undefined;
}): string {
  // Split names are free text; keep the file name portable.
  const split = options.split.replace(/[^\w.-]+/g, '_');
  const parts =
    options.mode === 'original'
      ? [split, 'original']
      : options.mode === 'reviewed'
        ? [split, 'reviewed', options.apply]
        : [split, options.strategy!, options.apply, ...(options.decisionsOverride ? ['override'] : [])];
  if (options.stamp) parts.push(options.stamp.toISOString().replace(/[:.]/g, '-'));
  return `${parts.join('.')}.${options.format}`;
}
