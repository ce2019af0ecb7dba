import path from 'node:path';
import type { EventName, EventPayload, Handlers } from '../../../shared/contract';
import { WinnowError } from '../../../shared/errors';
import { ensureDemoProject } from '../app/demo-project';
import { WinnowCore } from '../app/winnow-core';
import type { JobRunnerMode } from '../jobs/job-manager';
import { startBrowserServer, type BrowserServer } from './browser-server';

export interface ServeOptions {
  dataDir: string;
  appRoot: string;
  jobs: JobRunnerMode;
  projectPath?: string;
  demo?: boolean;
  host?: string;
  port?: number;
  allowRemote?: boolean;
  version: string;
}

export interface ServeHandle {
  server: BrowserServer;
  core: WinnowCore;
  close(): Promise<void>;
}

/** `winnow serve`: the core plus the browser-mode server around the built renderer. */
export async function serve(options: ServeOptions): Promise<ServeHandle> {
  let server: BrowserServer | null = null;
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => server?.broadcast(event, payload);
  const core = new WinnowCore({
    dataDir: options.dataDir,
    jobs: options.jobs,
    emit,
    appVersion: options.version,
    registerDownload: (file) => server!.registerDownload(file),
  });
  if (options.projectPath) core.openProject(options.projectPath, false);
  else if (options.demo) core.openProject(await ensureDemoProject(options.dataDir, path.join(options.appRoot, 'resources')));

  const handlers: Handlers = {
    ...core.handlers(),
    'app:info': () => ({ version: options.version, mode: 'browser' as const, platform: process.platform }),
    'dialog:openFile': () => {
      throw new WinnowError('UNSUPPORTED', 'Native dialogs are not available in browser mode; the page uploads the file instead');
    },
    'dialog:saveFile': () => {
      throw new WinnowError('UNSUPPORTED', 'Native dialogs are not available in browser mode; exports are downloaded instead');
    },
  };
  server = await startBrowserServer({
    handlers,
    rendererDir: path.join(options.appRoot, 'out', 'renderer'),
    uploadDir: path.join(options.dataDir, 'uploads'),
    host: options.host,
    port: options.port,
    allowRemote: options.allowRemote,
  });
  return {
    server,
    core,
    close: async () => {
      await server!.close();
      core.closeProject();
    },
  };
}
