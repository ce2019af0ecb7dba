import path from 'node:path';
import type { Command } from 'commander';
import { appRoot, defaultDataDir } from '../../core/app/paths';
import { serve } from '../../core/server/serve';
import { parsePort } from '../shared-options';

function parseSize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(value.trim());
  if (!match) throw new Error(`--max-upload takes a size such as 500M or 2G, not "${value}"`);
  const power = ' kmgt'.indexOf((match[2] || ' ').toLowerCase());
  return Math.floor(Number(match[1]) * 1024 ** power);
}

/** `winnow serve`: the studio in a browser. */
export function registerServeCommand(program: Command, version: string, entryUrl: string): void {
  program
    .command('serve')
    .description('open the studio in a browser (binds 127.0.0.1; prints the URL with its access token)')
    .argument('[project]', 'project file to open (.winnow)')
    .option('--demo', 'open the demo project', false)
    .option('--port <port>', 'port (0 picks a free one)', parsePort, 0)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--allow-remote', 'allow binding a non-loopback address (exposes your data to the network)', false)
    .option('--max-upload <size>', 'largest upload accepted, e.g. 500M, 2G', parseSize, 2 * 1024 ** 3)
    .option('--data-dir <dir>', 'settings, uploads, exports and projects folder', defaultDataDir())
    .action(async (project: string | undefined, opts: { demo: boolean; port: number; host: string; allowRemote: boolean; maxUpload: number; dataDir: string }) => {
      if (opts.allowRemote) console.error('winnow: warning: --allow-remote exposes this project to every machine that can reach this address');
      const handle = await serve({
        dataDir: path.resolve(opts.dataDir),
        appRoot: appRoot(entryUrl),
        jobs: { mode: 'worker', workerUrl: new URL('./job-worker.js', entryUrl) },
        projectPath: project,
        demo: opts.demo,
        host: opts.host,
        port: opts.port,
        allowRemote: opts.allowRemote,
        maxUploadBytes: opts.maxUpload,
        version,
      });
      console.log(`Winnow is serving at ${handle.server.url}`);
      const stop = () => {
        void handle.close().then(() => process.exit(0));
      };
      // Stopping closes the project, which copies its write-ahead log into the .winnow file.
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
      // Started with an IPC channel (`npm start`): the parent going away, even killed, ends us.
      if (process.send) process.on('disconnect', stop);
    });
}
