import type { Handlers } from '../../../shared/contract';
import type { CoreContext } from './context';

/** Running jobs (import, export, rank): cancelling one. */
export function jobHandlers(ctx: CoreContext): Pick<Handlers, 'jobs:cancel'> {
  return {
    'jobs:cancel': ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
  };
}
