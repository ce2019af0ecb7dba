import { z } from 'zod';

/**
 * The label-noise strategies (DESIGN section 1). The order here is the order everywhere: the
 * rank dialog, the grid's badges, report columns, CSV columns.
 */
export const STRATEGY_NAMES = ['is', 'es', 'esp', 'cl', 'knn'] as const;
export const StrategyName = z.enum(STRATEGY_NAMES);
export type StrategyName = z.infer<typeof StrategyName>;

export interface StrategyInfo {
  /** Short label for badges and columns. */
  badge: string;
  title: string;
  /** One sentence on what it flags. */
  help: string;
  /** What its score means (the grid's tooltip). */
  score: string;
  /** Needs a clean (trusted) reference set. */
  needsCleanSet: boolean;
  /** Only flags examples with the negative label. */
  negativesOnly: boolean;
  /** Suffix of the paper's dataset names: TACRED-E + suffix (E, EN, ENP; CL and KNN are not in the paper). */
  datasetSuffix: string;
  /**
   * Its score is noiseScore (core/noise/flag-scores.ts), on one scale with the other strategies
   * that share it; CL's is cleanlab's label quality, on its own.
   */
  sharedScore: boolean;
}

/** What IS, ES, ESP and KNN's score is (core/noise/flag-scores.ts), naming whose votes count. */
function noiseScoreText(voters: string): string {
  return `The model's out-of-sample p(suggested) x how reliable the model's calls of the suggestion are against the given label (a label it often calls on examples of the given one counts less) x the ${voters}' similarity-weighted vote margin for it, from 0 to 1: higher is more likely noise.`;
}

export const STRATEGIES: Readonly<Record<StrategyName, StrategyInfo>> = {
  is: {
    badge: 'IS',
    title: 'IS: intrinsic',
    help: 'Positives the model calls negative are anchors; their nearest negatives are flagged and relabelled (paper, TACRED-E/R).',
    score: noiseScoreText('anchors'),
    needsCleanSet: false,
    negativesOnly: true,
    datasetSuffix: '',
    sharedScore: true,
  },
  es: {
    badge: 'ES',
    title: 'ES: extrinsic',
    help: 'Negatives whose nearest clean examples mostly share one positive label (needs a clean set).',
    score: noiseScoreText('clean neighbours'),
    needsCleanSet: true,
    negativesOnly: true,
    datasetSuffix: 'N',
    sharedScore: true,
  },
  esp: {
    badge: 'ESP',
    title: 'ESP: extrinsic, positives too',
    help: 'As ES, and positives whose clean neighbours disagree with their label.',
    score: noiseScoreText('clean neighbours'),
    needsCleanSet: true,
    negativesOnly: false,
    datasetSuffix: 'NP',
    sharedScore: true,
  },
  cl: {
    badge: 'CL',
    title: 'CL: confident learning',
    help: 'cleanlab find_label_issues on out-of-sample probabilities, keeping the issues the model calls by a wide margin (by default a positive only towards another relation).',
    score: "1 minus cleanlab's label quality (the run's CL score; by default the normalized margin, (max other p - p(given) + 1) / 2).",
    needsCleanSet: false,
    negativesOnly: false,
    datasetSuffix: '-CL',
    sharedScore: false,
  },
  knn: {
    badge: 'KNN',
    title: 'KNN: neighbour disagreement',
    help: 'Examples whose nearest neighbours mostly carry another label (label-free embedding), when the model agrees.',
    score: noiseScoreText('neighbours'),
    needsCleanSet: false,
    negativesOnly: false,
    datasetSuffix: '-KNN',
    sharedScore: true,
  },
};

export function strategiesNeedingCleanSet(names: readonly StrategyName[]): StrategyName[] {
  return names.filter((name) => STRATEGIES[name].needsCleanSet);
}

/** "is, es, esp, cl or knn", for messages. */
export const STRATEGY_LIST_TEXT = `${STRATEGY_NAMES.slice(0, -1).join(', ')} or ${STRATEGY_NAMES.at(-1)}`;
