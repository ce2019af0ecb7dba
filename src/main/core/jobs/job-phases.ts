import type { PhaseWeight } from './job-eta';
import type { JobParams } from './job-definitions';

/**
 * Each job's phases in order, with their rough share of its time (measured on the demo and on
 * SemEval with the built-in model; the estimate's smoothing absorbs the error). Names are
 * the ones the jobs report; `*` matches a prefix.
 */
const STRATEGY_WEIGHT: Record<string, number> = { is: 6, es: 4, esp: 5, cl: 1, knn: 6 };

export function phasePlan(job: JobParams): PhaseWeight[] {
  switch (job.kind) {
    case 'import':
      return [
        { phase: 'reading records', weight: 92 },
        { phase: 'committing', weight: 8 },
      ];
    case 'export':
      return [
        { phase: 'planning', weight: 3 },
        { phase: 'writing', weight: 77 },
        { phase: 'decisions', weight: 6 },
        { phase: 'manifest', weight: 2 },
        { phase: 'committing', weight: 12 },
        { phase: 'done', weight: 0 },
      ];
    case 'rank': {
      const model = job.params.model?.kind ?? 'builtin';
      const strategies = (job.params.strategies ?? ['is', 'es', 'esp', 'cl', 'knn']).map((s) => ({ phase: `strategy ${s.toUpperCase()}`, weight: STRATEGY_WEIGHT[s] ?? 4 }));
      const modelPhases: PhaseWeight[] =
        model === 'builtin'
          ? [
              { phase: 'training: features', weight: 2 },
              { phase: 'training: vocabulary', weight: 2 },
              { phase: 'training: fold *', weight: 40, repeats: true },
              // The second cross-fit (probabilityFit 'cleaned', and 'auto' up to its limit) trains as long, on a few rows less.
              ...(job.params.probabilityFit === 'all' ? [] : [{ phase: 'training: cleaned fold *', weight: 36, repeats: true }]),
              { phase: 'training: full model', weight: 10 },
              { phase: 'inference', weight: 14 },
            ]
          : model === 'package'
            ? [{ phase: 'inference', weight: 70 }]
            : [{ phase: 'reading predictions', weight: 20 }];
      return [...modelPhases, ...strategies, { phase: 'saving', weight: 4 }, { phase: 'done', weight: 0 }];
    }
    case 'compare':
      // The training phases' done/total count over every variant and seed together.
      return [
        { phase: 'building the training sets', weight: 4 },
        { phase: 'features', weight: 3 },
        { phase: 'training *', weight: 88 },
        { phase: 'trainer: *', weight: 88 },
        { phase: 'saving', weight: 2 },
      ];
    default: {
      const unknown: never = job;
      return unknown;
    }
  }
}
