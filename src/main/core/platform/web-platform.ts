import fs from 'node:fs';
import path from 'node:path';
import type { ChannelOutput } from '../../../shared/contract';
import { WinnowError } from '../../../shared/errors';
import type { FileChoice, FileToken } from '../../../shared/files';
import { ProjectName } from '../../../shared/names';
import { CapabilityRegistry } from './capabilities';
import type { Platform } from './platform';

export interface WebPlatformOptions {
  dataDir: string;
  about: Omit<ChannelOutput<'app:info'>, 'mode'>;
  /** The project named on the `serve` command line, if any: it may live outside the data folder. */
  servedProject?: string | undefined;
  /** Registers a file for download and returns its URL (the server's). */
  registerDownload(filePath: string): string;
}

const NO_DIALOGS = 'Browser mode has no native dialogs: the page uploads files and downloads outputs';

/**
 * Browser mode: the page is not trusted with the machine's file system. Files arrive as
 * uploads (each a token), outputs are written under the data folder and downloaded, projects
 * live in the data folder (or are the one named on the command line).
 */
export class WebPlatform implements Platform {
  readonly mode = 'browser' as const;
  readonly capabilities = new CapabilityRegistry();
  private readonly dataDir: string;

  constructor(private readonly options: WebPlatformOptions) {
    this.dataDir = path.resolve(options.dataDir);
  }

  get projectsFolder(): string {
    return path.join(this.dataDir, 'projects');
  }

  info(): ChannelOutput<'app:info'> {
    return { ...this.options.about, mode: this.mode };
  }

  async openFileDialog(): Promise<FileChoice | null> {
    throw new WinnowError('UNSUPPORTED', NO_DIALOGS);
  }

  async openFolderDialog(): Promise<FileChoice | null> {
    throw new WinnowError('UNSUPPORTED', NO_DIALOGS);
  }

  async saveFileDialog(): Promise<FileChoice | null> {
    throw new WinnowError('UNSUPPORTED', NO_DIALOGS);
  }

  outputPath(projectPath: string, fileName: string, destination: FileToken | undefined): string {
    if (destination !== undefined) throw new WinnowError('FORBIDDEN', 'Browser mode writes outputs to its data folder and offers them as downloads; it takes no destination');
    if (path.basename(fileName) !== fileName || fileName.startsWith('.')) throw new WinnowError('INVALID_INPUT', `Not a plain file name: ${fileName}`);
    return path.join(this.dataDir, 'exports', path.basename(projectPath, '.winnow'), fileName);
  }

  publish(filePath: string): string | null {
    return fs.existsSync(filePath) ? this.options.registerDownload(filePath) : null;
  }

  newProjectPath(request: { token?: FileToken | undefined; name?: string | undefined }): string {
    if (request.name === undefined) throw new WinnowError('FORBIDDEN', 'Browser mode creates projects by name, in its data folder');
    const name = ProjectName.parse(request.name);
    return path.join(this.projectsFolder, `${name}.winnow`);
  }

  mayOpenProject(projectPath: string): boolean {
    const resolved = path.resolve(projectPath);
    if (this.options.servedProject && resolved === path.resolve(this.options.servedProject)) return true;
    return resolved.startsWith(this.dataDir + path.sep) && resolved.endsWith('.winnow');
  }
}
