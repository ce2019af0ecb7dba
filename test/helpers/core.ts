import path from 'node:path';
import type { Capability } from '../../src/main/core/platform/capabilities';
import type { EventName, EventPayload, Handlers } from '../../src/shared/contract';
import type { JobFinished } from '../../src/shared/jobs';
import { WinnowCore } from '../../src/main/core/app/winnow-core';
import { LocalPlatform } from '../../src/main/core/platform/local-platform';

/**
 * A core on the desktop platform, running jobs inline, for tests that drive the handlers.
 * `grant` stands in for the user choosing a file in a dialog: it returns the token the page
 * would then send.
 */
export function testCore(dataDir: string, options: { appVersion?: string; resourcesDir?: string } = {}) {
  const events: { event: EventName; payload: unknown }[] = [];
  const platform = new LocalPlatform({ version: 'test', platform: 'test' }, null);
  const core = new WinnowCore({
    dataDir,
    jobs: { mode: 'inline' },
    emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void events.push({ event, payload }),
    platform,
    ...(options.appVersion ? { appVersion: options.appVersion } : {}),
    ...(options.resourcesDir ? { resourcesDir: options.resourcesDir } : {}),
  });
  const handlers: Handlers = core.handlers();
  const grant = (file: string, capability: Capability = 'read-file') => platform.capabilities.grant(path.resolve(file), capability).token;
  const finished = async (jobId: string) => (await core.jobs.wait(jobId)) as JobFinished;
  return { core, platform, handlers, events, grant, finished };
}
