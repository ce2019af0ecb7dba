/**
 * `npm start` on a machine without Electron's binary (scripts/start-support.mjs): one clear
 * line instead of the installer's stack, the browser opened only where a desktop exists (and
 * never given the token on its command line), and nothing left running once npm is stopped,
 * however it is stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { downloadedElectron, hasDesktop, openBrowser } from '../../scripts/start-support.mjs';
import { openDatabase } from '../../src/main/core/store/database';
import { tempDir } from '../helpers/temp-dir';
import { ROOT } from './reliability/support';

const SUPPORT = pathToFileURL(path.join(ROOT, 'scripts/start-support.mjs')).href;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Waits (bounded) until every pid has exited; returns those still running. */
async function gone(pids: number[], withinMs = 20_000): Promise<number[]> {
  const until = Date.now() + withinMs;
  while (pids.some(alive) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
  return pids.filter(alive);
}

function lines(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      seen += chunk;
      const match = pattern.exec(seen);
      if (match) resolve(match);
    });
    child.on('exit', (code) => reject(new Error(`exited (${code}) before printing ${pattern}: ${seen}`)));
  });
}

describe('Electron missing', () => {
  it('gives the reason in a few words instead of the installer\'s stack', () => {
    const pkg = tempDir();
    fs.writeFileSync(
      path.join(pkg, 'install.js'),
      `console.log('Downloading Electron binary...');
       console.error(['TypeError: fetch failed', '    at node:internal/deps/undici/undici:14976:13', '    at async FetchDownloader.download (x.js:46:30)',
         '    at async downloadArtifact (y.js:154:12)'].join('\\n'));
       console.error('Electron failed to install correctly. Please delete node_modules/electron and run "npx install-electron --no" manually.');
       process.exit(1);`,
    );
    expect(downloadedElectron(pkg)).toEqual({ reason: 'TypeError: fetch failed' });
  });

  it('uses a binary that is installed, or that its installer fetched', () => {
    const pkg = tempDir();
    fs.writeFileSync(
      path.join(pkg, 'install.js'),
      `const fs = require('fs'); fs.mkdirSync(__dirname + '/dist'); fs.writeFileSync(__dirname + '/dist/electron', ''); fs.writeFileSync(__dirname + '/path.txt', 'electron');`,
    );
    expect(downloadedElectron(pkg)).toEqual({ binary: path.join(pkg, 'dist', 'electron') });
    fs.rmSync(path.join(pkg, 'install.js'));
    expect(downloadedElectron(pkg)).toEqual({ binary: path.join(pkg, 'dist', 'electron') });
  });
});

describe('opening the browser', () => {
  it('only where a desktop exists', () => {
    expect(hasDesktop({}, 'linux')).toBe(false);
    expect(hasDesktop({ DISPLAY: ':0' }, 'linux')).toBe(true);
    expect(hasDesktop({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true);
    expect(hasDesktop({}, 'darwin')).toBe(true);
    expect(hasDesktop({}, 'win32')).toBe(true);
    const said: string[] = [];
    expect(openBrowser('http://127.0.0.1:1/?token=secret', { env: {}, platform: 'linux', log: (line: string) => said.push(line) })).toBeNull();
    expect(said).toEqual(['winnow: open http://127.0.0.1:1/?token=secret in a browser']);
  });

  // Not on Windows: xdg-open and the page's owner-only file mode (0600) are POSIX's.
  it.skipIf(process.platform === 'win32')('hands xdg-open a private page that redirects, never the token itself', async () => {
    const bin = tempDir();
    const record = path.join(bin, 'args.txt');
    // Written aside and renamed into place: the test must never read a file the shell has
    // created but not yet written.
    fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$*" > '${record}.part' && mv '${record}.part' '${record}'\n`, { mode: 0o755 });
    const url = 'http://127.0.0.1:9/?token=s3cr3t-token';
    const opened = openBrowser(url, { env: { ...process.env, DISPLAY: ':0', PATH: `${bin}:${process.env.PATH}` }, platform: 'linux', log: () => undefined });
    expect(opened?.command).toBe('xdg-open');
    const until = Date.now() + 10_000;
    while (!fs.existsSync(record) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    const args = fs.readFileSync(record, 'utf8');
    expect(args).toBe(opened!.page);
    expect(args).not.toContain('s3cr3t');
    expect(fs.readFileSync(opened!.page, 'utf8')).toContain('url=http://127.0.0.1:9/?token=s3cr3t-token');
    expect(fs.statSync(opened!.page).mode & 0o077).toBe(0);
  });
});

// Not on Windows: the tree runs through `sh -c` and stops by POSIX signals.
describe.skipIf(process.platform === 'win32')('stopping npm start', () => {
  /**
   * npm -> sh -c "node start.mjs" -> server, as `npm start` runs it: the "server" stops when
   * its IPC channel closes (as `winnow serve` does) and prints the pids.
   */
  function tree(): { npm: ChildProcess; pids: Promise<{ npm: number; shell: number; start: number; server: number }> } {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'server.mjs'),
      `process.on('disconnect', () => process.exit(0)); console.log('server ' + process.pid); setInterval(() => undefined, 1000);`,
    );
    fs.writeFileSync(
      path.join(dir, 'start.mjs'),
      `import { spawn } from 'node:child_process';
       import { supervise } from ${JSON.stringify(SUPPORT)};
       const child = spawn(process.execPath, [${JSON.stringify(path.join(dir, 'server.mjs'))}], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
       child.stdout.on('data', (d) => process.stdout.write(String(d).replace('server', 'start ' + process.pid + ' shell ' + process.ppid + ' server')));
       supervise(child, { pollMs: 100 });`,
    );
    fs.writeFileSync(
      path.join(dir, 'npm.mjs'),
      `import { spawn } from 'node:child_process';
       const sh = spawn('sh', ['-c', ${JSON.stringify(`"${process.execPath}" "${path.join(dir, 'start.mjs')}"; echo done`)}], { stdio: ['ignore', 'pipe', 'inherit'] });
       sh.stdout.on('data', (d) => process.stdout.write(String(d).replace('start', 'npm ' + process.pid + ' start')));
       setInterval(() => undefined, 1000);`,
    );
    const npm = spawn(process.execPath, [path.join(dir, 'npm.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pids = lines(npm, /npm (\d+) start (\d+) shell (\d+) server (\d+)/).then((m) => ({ npm: Number(m[1]), start: Number(m[2]), shell: Number(m[3]), server: Number(m[4]) }));
    return { npm, pids };
  }

  it('killing npm outright (SIGKILL) stops start.mjs and the server', { timeout: 60_000 }, async () => {
    const { pids } = tree();
    const p = await pids;
    process.kill(p.npm, 'SIGKILL');
    expect(await gone([p.start, p.server])).toEqual([]);
    try {
      process.kill(p.shell, 'SIGKILL');
    } catch {
      // The shell ended too.
    }
  });

  it('killing start.mjs outright stops the server (its IPC channel closes)', { timeout: 60_000 }, async () => {
    const { npm, pids } = tree();
    const p = await pids;
    process.kill(p.start, 'SIGKILL');
    expect(await gone([p.server])).toEqual([]);
    npm.kill('SIGKILL');
  });

  it('winnow serve itself stops, closing its project, when its IPC parent goes away', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const project = path.join(dir, 'p.winnow');
    openDatabase(project, { create: true }).close();
    const serve = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main/cli.ts'), 'serve', project, '--data-dir', path.join(dir, 'data')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    const exited = new Promise<number | null>((resolve) => serve.on('exit', (code) => resolve(code)));
    await lines(serve, /serving at/);
    serve.disconnect();
    expect(await exited).toBe(0);
    expect(fs.existsSync(`${project}-wal`)).toBe(false);
  });
});
