import type { StrategyName } from '../ranking/rank-options';

export type ExportMode = 'original' | 'reviewed' | 'auto';
export type ApplyChoice = 'eliminate' | 'reannotate' | 'both';

/**
 * The paper's dataset names (Parekh et al. 2023): E drops the flagged examples, R relabels
 * them to the suggestion; ES adds N (only negatives are touched), ESP adds NP. CL and KNN are
 * not in the paper, so their datasets carry the strategy's name instead of a letter code.
 */
const STRATEGY_SUFFIX: Record<StrategyName, string> = { is: '', es: 'N', esp: 'NP', cl: '-CL', knn: '-KNN' };

export function paperDatasetName(strategy: StrategyName, apply: 'eliminate' | 'reannotate'): string {
  return `TACRED-${apply === 'eliminate' ? 'E' : 'R'}${STRATEGY_SUFFIX[strategy]}`;
}

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
  format: 'json' | 'jsonl';
}): string {
  // Split names are free text; keep the file name portable.
  const split = options.split.replace(/[^\w.-]+/g, '_');
  const parts =
    options.mode === 'original'
      ? [split, 'original']
      : options.mode === 'reviewed'
        ? [split, 'reviewed', options.apply]
        : [split, options.strategy!, options.apply, ...(options.decisionsOverride ? ['override'] : [])];
  return `${parts.join('.')}.${options.format}`;
}
