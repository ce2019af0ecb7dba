import type { NativeDialogs } from '../core/platform/local-platform';
import type { LauncherDialogs } from './project-launcher';
import { PROJECT_FILTERS } from './project-launcher';

/**
 * The desktop platform's dialogs for the renderer's requests. What the user picks becomes a
 * capability token in the core's LocalPlatform; the path itself never goes to the page.
 */
export function electronNativeDialogs(dialogs: LauncherDialogs): NativeDialogs {
  return {
    async openFile({ title, filters, purpose }) {
      const result = await dialogs.showOpenDialog({ title, filters: purpose === 'project' ? PROJECT_FILTERS : filters, properties: ['openFile'] });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async openFolder({ title }) {
      const result = await dialogs.showOpenDialog({ title, properties: ['openDirectory'] });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async saveFile({ title, defaultName, purpose }) {
      const result = await dialogs.showSaveDialog({ title, defaultPath: defaultName, ...(purpose === 'project' ? { filters: PROJECT_FILTERS } : {}) });
      return result.canceled ? null : (result.filePath ?? null);
    },
  };
}
