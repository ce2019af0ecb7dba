import type { Handlers } from '../../../shared/contract';
import type { PlatformChannel } from '../platform/platform';
import type { CoreContext } from './context';

/** What the platform answers itself: what it is, and its native dialogs (tokens, never paths). */
export function platformHandlers(ctx: CoreContext): Pick<Handlers, PlatformChannel> {
  const { platform } = ctx;
  return {
    'app:info': () => platform.info(),
    'dialog:openFile': async (request) => ({ file: await platform.openFileDialog(request) }),
    'dialog:openFolder': async ({ title }) => ({ file: await platform.openFolderDialog({ title }) }),
    'dialog:saveFile': async (request) => ({ file: await platform.saveFileDialog(request) }),
  };
}
