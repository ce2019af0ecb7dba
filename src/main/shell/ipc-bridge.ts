import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { channels, type Handlers } from '../../shared/contract';
import { dispatch } from '../core/app/dispatch';

export const IPC_PREFIX = 'winnow:';

/**
 * Binds every contract channel to ipcMain. The sender frame must be the app's own page;
 * inputs are validated by `dispatch`; errors come back as values.
 */
export function bindIpc(handlers: Handlers, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): void {
  for (const channel of channels) {
    ipcMain.handle(IPC_PREFIX + channel, async (event, input: unknown) => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: `IPC call to ${channel} from an untrusted frame` } };
      }
      return dispatch(handlers, channel, input);
    });
  }
}
