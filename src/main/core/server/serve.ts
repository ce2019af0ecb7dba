import path from 'node:path';
import type { EventName, EventPayload } from '../../../shared/contract';
import { ensureDemoProject } from '../app/demo-project';
import { WinnowCore } from '../app/winnow-core';
import type { JobRunnerMode } from '../jobs/job-manager';
import { WebPlatform } from '../platform/web-platform';
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
  /** Largest upload accepted, in bytes (default 2 GiB). */
  maxUploadBytes?: number;
  version: string;
}

export interface ServeHandle {
  server: BrowserServer;
  core: WinnowCore;
  close(): Promise<void>;
}

/** `winnow serve`: the core on the browser platform, and the server around the built renderer. */
export async function serve(options: ServeOptions): Promise<ServeHandle> {
  let server: BrowserServer | null = null;
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => server?.broadcast(event, payload);
  const platform = new WebPlatform({
    dataDir: options.dataDir,
    about: { version: options.version, platform: process.platform },
    servedProject: options.projectPath,
    registerDownload: (file) => server!.registerDownload(file),
  });
  const core = new WinnowCore({ dataDir: options.dataDir, jobs: options.jobs, emit, appVersion: options.version, platform, resourcesDir: path.join(options.appRoot, 'resources') });
  if (options.projectPath) core.openProject(options.projectPath, false);
  else if (options.demo) core.openProject(await ensureDemoProject(options.dataDir, path.join(options.appRoot, 'resources')));

  server = await startBrowserServer({
    handlers: core.handlers(),
    capabilities: platform.capabilities,
    rendererDir: path.join(options.appRoot, 'out', 'renderer'),
    uploadDir: path.join(options.dataDir, 'uploads'),
    host: options.host,
    port: options.port,
    allowRemote: options.allowRemote,
    maxUploadBytes: options.maxUploadBytes,
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
