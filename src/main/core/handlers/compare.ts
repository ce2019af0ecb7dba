import type { Handlers } from '../../../shared/contract';
import { listComparisons } from '../compare/comparison-store';
import type { CoreContext } from './context';

/** Does cleaning help? Retraining comparisons: start one (built-in model only), list a run's. */
export function compareHandlers(ctx: CoreContext): Pick<Handlers, 'compare:start' | 'compare:list'> {
  return {
    'compare:start': (parameters) => {
      const project = ctx.requireProject();
      // Only the shared parameters reach the engine: no trainer command, no output folder.
      const { train, evals, run, variants, reference, seeds } = parameters;
      return { jobId: ctx.jobs.start(project.path, { kind: 'compare', params: { train, evals, run, variants, reference, seeds } }) };
    },
    'compare:list': ({ run }) => listComparisons(ctx.requireProject().db, run),
  };
}
