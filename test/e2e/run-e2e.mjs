// Runs the end-to-end specs with vitest's e2e config. Kept as a script so `npm test` reads
// as: typecheck, build, unit tests, e2e.
import { spawnSync } from 'node:child_process';

const result = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.e2e.config.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
