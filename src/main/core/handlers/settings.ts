import type { Handlers } from '../../../shared/contract';
import type { CoreContext } from './context';

/** Per-machine settings (the annotator's name). */
export function settingsHandlers(ctx: CoreContext): Pick<Handlers, 'settings:get' | 'settings:set'> {
  return {
    'settings:get': () => ctx.settings.get(),
    'settings:set': (settings) => ctx.settings.set(settings),
  };
}
