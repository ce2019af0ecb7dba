import type { MessageBoxOptions, MessageBoxReturnValue, OpenDialogOptions, OpenDialogReturnValue, SaveDialogOptions, SaveDialogReturnValue } from 'electron';
import { WinnowError, type ErrorCode } from '../../shared/errors';
import { isNativeModuleError } from './native-binding';
import { PROJECT_EXTENSION } from './single-instance';

/**
 * Opening and creating projects from the desktop shell (menu, command line, Finder, a second
 * launch): native dialogs here, the work in the core, and a clear way out when a file cannot
 * be opened.
 */

export interface LauncherDialogs {
  showMessageBox(options: MessageBoxOptions): Promise<Pick<MessageBoxReturnValue, 'response'>>;
  showOpenDialog(options: OpenDialogOptions): Promise<Pick<OpenDialogReturnValue, 'canceled' | 'filePaths'>>;
  showSaveDialog(options: SaveDialogOptions): Promise<Pick<SaveDialogReturnValue, 'canceled' | 'filePath'>>;
}

export interface LauncherDeps {
  /** WinnowCore.openProject: emits project:changed and records the recent entry itself. */
  openProject(projectPath: string, create?: boolean): unknown;
  dialogs: LauncherDialogs;
  /** Builds (the first time) and returns the demo project, offered as a way out. */
  demoProject?: () => Promise<string>;
  /** After any successful open: refresh the menu's recent list, tell the OS. */
  onOpened?: (projectPath: string) => void;
}

export const PROJECT_FILTERS = [{ name: 'Winnow project', extensions: ['winnow'] }];

export interface OpenFailure {
  title: string;
  message: string;
  detail: string;
  /** Whether choosing another project could help (not for a broken install or a busy app). */
  offerAnother: boolean;
}

function errorCode(error: unknown): ErrorCode | undefined {
  if (error instanceof WinnowError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (code as ErrorCode) : undefined;
}

/** Words for the user: what went wrong with which file, and what they can do about it. */
export function describeOpenFailure(projectPath: string, error: unknown): OpenFailure {
  const reason = error instanceof Error ? error.message : String(error);
  const title = 'Winnow could not open the project';
  if (isNativeModuleError(reason)) {
    return {
      title,
      message: 'Winnow’s database module could not be loaded.',
      detail: `This is a problem with this installation, not with ${projectPath}. Reinstall Winnow (from source: run npm start once on a connected machine to prepare the module for Electron).\n\n${reason}`,
      offerAnother: false,
    };
  }
  switch (errorCode(error)) {
    case 'NOT_FOUND':
      return { title, message: 'The project file was not found.', detail: `It may have been moved, renamed or deleted:\n${projectPath}`, offerAnother: true };
    case 'INVALID_FILE':
      if (/locked|SQLITE_BUSY|database is busy/i.test(reason)) {
        return {
          title,
          message: 'The project file is locked by another program.',
          detail: `Another program is writing to ${projectPath}. Close it there and try again, or open another project.\n\n${reason}`,
          offerAnother: true,
        };
      }
      return {
        title,
        message: 'The project file is damaged or is not a Winnow project.',
        detail: `${reason}\n\nThe file was left as it is.`,
        offerAnother: true,
      };
    case 'CONFLICT':
      return { title, message: reason, detail: projectPath, offerAnother: false };
    default:
      return { title, message: 'An unexpected error stopped Winnow from opening the project.', detail: `${projectPath}\n\n${reason}`, offerAnother: true };
  }
}

export class ProjectLauncher {
  constructor(private readonly deps: LauncherDeps) {}

  /**
   * Opens a project; when that fails, explains why and offers another project (or the demo)
   * until one opens or the user gives up. Returns the path that opened, or null.
   */
  async open(projectPath: string): Promise<string | null> {
    let target = projectPath;
    for (;;) {
      try {
        this.deps.openProject(target);
        this.deps.onOpened?.(target);
        return target;
      } catch (error) {
        const next = await this.recover(target, error);
        if (!next) return null;
        target = next;
      }
    }
  }

  async openWithDialog(): Promise<string | null> {
    const chosen = await this.pickProject('Open Winnow project');
    return chosen ? this.open(chosen) : null;
  }

  /** New project: a save dialog, the .winnow extension added when missing, never an overwrite. */
  async createWithDialog(): Promise<string | null> {
    const result = await this.deps.dialogs.showSaveDialog({
      title: 'New Winnow project',
      defaultPath: `Untitled${PROJECT_EXTENSION}`,
      buttonLabel: 'Create',
      filters: PROJECT_FILTERS,
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    if (result.canceled || !result.filePath) return null;
    const target = withProjectExtension(result.filePath);
    try {
      this.deps.openProject(target, true);
      this.deps.onOpened?.(target);
      return target;
    } catch (error) {
      if (errorCode(error) === 'CONFLICT' && !/running job/i.test((error as Error).message)) {
        // The save dialog may have asked "replace?", but a project is never overwritten.
        const { response } = await this.deps.dialogs.showMessageBox({
          type: 'question',
          title: 'Project already exists',
          message: 'A file with this name already exists.',
          detail: `Winnow does not overwrite existing files. Open ${target} instead?`,
          buttons: ['Open It', 'Cancel'],
          defaultId: 0,
          cancelId: 1,
          noLink: true,
        });
        return response === 0 ? this.open(target) : null;
      }
      const failure = describeOpenFailure(target, error);
      await this.deps.dialogs.showMessageBox({ type: 'error', title: 'Winnow could not create the project', message: failure.message, detail: failure.detail, buttons: ['OK'], noLink: true });
      return null;
    }
  }

  private async pickProject(title: string): Promise<string | null> {
    const result = await this.deps.dialogs.showOpenDialog({ title, filters: PROJECT_FILTERS, properties: ['openFile'] });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  }

  /** The error window: the next project to try, or null to stop. */
  private async recover(failedPath: string, error: unknown): Promise<string | null> {
    const failure = describeOpenFailure(failedPath, error);
    if (!failure.offerAnother) {
      await this.deps.dialogs.showMessageBox({ type: 'error', title: failure.title, message: failure.message, detail: failure.detail, buttons: ['OK'], noLink: true });
      return null;
    }
    const buttons = ['Open Another Project…', ...(this.deps.demoProject ? ['Open Demo Project'] : []), 'Cancel'];
    const { response } = await this.deps.dialogs.showMessageBox({
      type: 'error',
      title: failure.title,
      message: failure.message,
      detail: failure.detail,
      buttons,
      defaultId: 0,
      cancelId: buttons.length - 1,
      noLink: true,
    });
    const choice = buttons[response];
    if (choice === 'Open Another Project…') return this.pickProject('Open another Winnow project');
    if (choice === 'Open Demo Project' && this.deps.demoProject) {
      try {
        return await this.deps.demoProject();
      } catch (demoError) {
        const demo = describeOpenFailure('the demo project', demoError);
        await this.deps.dialogs.showMessageBox({ type: 'error', title: demo.title, message: demo.message, detail: demo.detail, buttons: ['OK'], noLink: true });
        return null;
      }
    }
    return null;
  }
}

export function withProjectExtension(filePath: string): string {
  // The core only creates files ending in exactly '.winnow'.
  const stem = filePath.toLowerCase().endsWith(PROJECT_EXTENSION) ? filePath.slice(0, -PROJECT_EXTENSION.length) : filePath;
  return `${stem}${PROJECT_EXTENSION}`;
}
