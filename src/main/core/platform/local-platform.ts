import path from 'node:path';
import type { ChannelOutput } from '../../../shared/contract';
import { WinnowError } from '../../../shared/errors';
import type { FileChoice, FileToken } from '../../../shared/files';
import { CapabilityRegistry } from './capabilities';
import type { OpenDialogRequest, Platform, SaveDialogRequest } from './platform';

/** Native dialogs as the desktop shell provides them; each answer is a path or null (cancelled). */
export interface NativeDialogs {
  openFile(request: OpenDialogRequest): Promise<string | null>;
  openFolder(request: { title?: string | undefined }): Promise<string | null>;
  saveFile(request: SaveDialogRequest): Promise<string | null>;
}

/** The folder beside a project where its exports and reports go when the user names no file. */
export function projectOutputFolder(projectPath: string): string {
  return path.join(path.dirname(projectPath), `${path.basename(projectPath, '.winnow')}-exports`);
}

/**
 * The platform where the user sits at this machine (the Electron window; tests and scripts):
 * files come from native dialogs, outputs go where the user chose or beside the project.
 */
export class LocalPlatform implements Platform {
  readonly mode = 'electron' as const;
  readonly capabilities = new CapabilityRegistry();

  constructor(
    private readonly about: Omit<ChannelOutput<'app:info'>, 'mode'>,
    private readonly dialogs: NativeDialogs | null,
  ) {}

  info(): ChannelOutput<'app:info'> {
    return { ...this.about, mode: this.mode };
  }

  async openFileDialog(request: OpenDialogRequest): Promise<FileChoice | null> {
    const chosen = (await this.dialogs?.openFile(request)) ?? null;
    return chosen === null ? null : this.capabilities.grant(chosen, request.purpose === 'project' ? 'project' : 'read-file');
  }

  async openFolderDialog(request: { title?: string | undefined }): Promise<FileChoice | null> {
    const chosen = (await this.dialogs?.openFolder(request)) ?? null;
    return chosen === null ? null : this.capabilities.grant(chosen, 'read-folder');
  }

  async saveFileDialog(request: SaveDialogRequest): Promise<FileChoice | null> {
    const chosen = (await this.dialogs?.saveFile(request)) ?? null;
    return chosen === null ? null : this.capabilities.grant(chosen, request.purpose === 'project' ? 'project' : 'write-file');
  }

  outputPath(projectPath: string, fileName: string, destination: FileToken | undefined): string {
    if (destination !== undefined) return this.capabilities.resolve(destination, 'write-file');
    return path.join(projectOutputFolder(projectPath), fileName);
  }

  publish(): string | null {
    return null;
  }

  newProjectPath(request: { token?: FileToken | undefined; name?: string | undefined }): string {
    // A bare name would say nothing about where the file goes: the desktop asks with a dialog.
    if (request.token === undefined) throw new WinnowError('INVALID_INPUT', 'Choose where the new project goes in the New Project dialog');
    return this.capabilities.resolve(request.token, 'project');
  }

  mayOpenProject(): boolean {
    return true;
  }
}
