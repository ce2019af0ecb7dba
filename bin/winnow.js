#!/usr/bin/env node
// Thin launcher: the CLI is built with the rest of the app into out/main by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('winnow: the CLI is not built yet; run `npm run build` first');
  process.exit(1);
}
await import(cli);
