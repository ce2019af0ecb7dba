import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/**
 * The commit the About dialog and `winnow --version --json` report. WINNOW_COMMIT overrides
 * it (a build from a source archive); outside a git checkout, or without git, it is "unknown".
 */
function buildCommit(): string {
  const fromEnv = process.env.WINNOW_COMMIT?.trim();
  if (fromEnv) return fromEnv;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: __dirname, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}

export default defineConfig({
  main: {
    define: { __WINNOW_COMMIT__: JSON.stringify(buildCommit()) },
    build: {
      rolldownOptions: {
        // The desktop shell, the CLI (also serving browser mode), the job worker and the
        // import's reader thread share the core; each is its own entry.
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli.ts'),
          'job-worker': resolve(__dirname, 'src/main/core/jobs/job-worker.ts'),
          // An import's reader thread (core/io/prepared-records.ts finds it beside the bundle).
          'record-reader-worker': resolve(__dirname, 'src/main/core/io/record-reader-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rolldownOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
      chunkSizeWarningLimit: 2500,
    },
    plugins: [react()],
  },
});
