import type { Handlers } from '../../../shared/contract';
import { aboutWinnow } from '../app/about';
import type { CoreContext } from './context';

/** The About dialog: versions, commit, execution providers, the open project's schema. */
export function aboutHandlers(ctx: CoreContext): Pick<Handlers, 'app:about'> {
  return {
    'app:about': () => aboutWinnow({ version: ctx.appVersion, project: ctx.currentProject() }),
  };
}
