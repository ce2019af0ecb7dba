import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './chromium';
import { startServe, type ServedApp } from './serve';

export interface DemoSession {
  /** The served demo; a spec may replace it (a restart) and the new one is stopped at the end. */
  app: ServedApp;
  browser: Browser;
}

/** For the spec file that calls it: `winnow serve --demo` and one Chromium, both closed after its tests. */
export function demoSession(): DemoSession {
  const session = {} as Partial<DemoSession>;
  beforeAll(async () => {
    session.app = await startServe(['--demo']);
    session.browser = await launchChromium();
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.app?.stop();
  });
  return session as DemoSession;
}
