import type { ChannelOutput } from '../../../shared/contract';
import type { FileChoice, FileToken } from '../../../shared/files';
import type { CapabilityRegistry } from './capabilities';

/** Channels only the platform can answer: what it is, and its native dialogs. */
export type PlatformChannel = 'app:info' | 'dialog:openFile' | 'dialog:openFolder' | 'dialog:saveFile';

export interface OpenDialogRequest {
  title?: string | undefined;
  filters?: { name: string; extensions: string[] }[] | undefined;
  purpose: 'read' | 'project';
}

export interface SaveDialogRequest {
  title?: string | undefined;
  defaultName?: string | undefined;
  purpose: 'write' | 'project';
}

/**
 * Where Electron, browser mode and in-process use (tests, scripts) differ: how the user names
 * files (dialogs or uploads), where outputs go and how they reach the user, and which project
 * files may be opened. Everything else in the core is the same on every platform.
 */
export interface Platform {
  readonly mode: 'electron' | 'browser';
  readonly capabilities: CapabilityRegistry;
  info(): ChannelOutput<'app:info'>;
  openFileDialog(request: OpenDialogRequest): Promise<FileChoice | null>;
  openFolderDialog(request: { title?: string | undefined }): Promise<FileChoice | null>;
  saveFileDialog(request: SaveDialogRequest): Promise<FileChoice | null>;
  /**
   * Where an output goes: the file the user chose (a write token), else a file named
   * `fileName` in the platform's place for the project's outputs.
   */
  outputPath(projectPath: string, fileName: string, destination: FileToken | undefined): string;
  /** Makes a written output reachable: a download URL in browser mode, null on the desktop. */
  publish(filePath: string): string | null;
  /** The file a new project goes to: a save dialog's token (desktop) or a name (browser mode). */
  newProjectPath(request: { token?: FileToken | undefined; name?: string | undefined }): string;
  /** Whether a project path may be listed and opened (browser mode: the data folder, or as served). */
  mayOpenProject(projectPath: string): boolean;
}
