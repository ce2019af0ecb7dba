import { defineConfig } from 'vitest/config';

/** End-to-end flows: the built app in Chromium (browser mode) and, where installed, Electron. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
    // A busy CI machine renders slower than a laptop; polls wait for the UI, they time nothing.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
