import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ServedApp {
  url: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** Starts the built CLI's `winnow serve` as a user would and waits for its URL. */
export async function startServe(args: string[], dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-e2e-'))): Promise<ServedApp> {
  const cli = path.join(repoRoot, 'bin', 'winnow.js');
  if (!fs.existsSync(path.join(repoRoot, 'out', 'main', 'cli.js'))) throw new Error('Build first: npm run build');
  const child = spawn(process.execPath, [cli, 'serve', '--data-dir', dataDir, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`winnow serve did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`winnow serve exited with ${code}:\n${output}`)));
  });
  return {
    url,
    dataDir,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
