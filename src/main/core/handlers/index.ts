import type { Handlers } from '../../../shared/contract';
import { aboutHandlers } from './about';
import { compareHandlers } from './compare';
import type { CoreContext } from './context';
import { decisionHandlers } from './decisions';
import { exampleHandlers } from './examples';
import { exportHandlers } from './exports';
import { importHandlers } from './imports';
import { jobHandlers } from './jobs';
import { rankingHandlers } from './ranking';
import { platformHandlers } from './platform';
import { projectHandlers } from './project';
import { referenceHandlers } from './references';
import { reportHandlers } from './reports';
import { settingsHandlers } from './settings';

/**
 * The handler table: one module per domain, each owning its channels. Assigning the spread to
 * `Handlers` makes a channel that no domain answers a compile error.
 */
export function buildHandlers(ctx: CoreContext): Handlers {
  const handlers: Handlers = {
    ...platformHandlers(ctx),
    ...aboutHandlers(ctx),
    ...projectHandlers(ctx),
    ...exampleHandlers(ctx),
    ...importHandlers(ctx),
    ...exportHandlers(ctx),
    ...rankingHandlers(ctx),
    ...compareHandlers(ctx),
    ...jobHandlers(ctx),
    ...referenceHandlers(ctx),
    ...decisionHandlers(ctx),
    ...reportHandlers(ctx),
    ...settingsHandlers(ctx),
  };
  return handlers;
}
