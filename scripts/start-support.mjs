// What `npm start` (scripts/start.mjs) needs beyond building: finding or fetching Electron's
// binary, supervising the launched process, and browser mode with the page opened. Kept apart
// so that the tests can drive each piece without building or launching the app.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The binary if it is already installed, never a download. */
export function installedElectron(packageDir) {
  const pathFile = path.join(packageDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(packageDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

/**
 * The installed binary, or one downloaded now by Electron's own installer, whose output is
 * kept to itself: offline it prints a long stack and advice that cannot help. Returns
 * `{binary}` or `{reason}`, the reason in a few words (`TypeError: fetch failed`).
 */
export function downloadedElectron(packageDir, { timeoutMs = 300_000 } = {}) {
  const installed = installedElectron(packageDir);
  if (installed) return { binary: installed };
  const installer = spawnSync(process.execPath, [path.join(packageDir, 'install.js')], { cwd: packageDir, encoding: 'utf8', timeout: timeoutMs });
  const now = installedElectron(packageDir);
  if (installer.status === 0 && now) return { binary: now };
  const output = `${installer.stderr ?? ''}\n${installer.stdout ?? ''}`;
  const reason =
    /^\s*((?:\w+)?Error: .+)$/m.exec(output)?.[1]?.trim() ??
    (installer.error ? installer.error.message : `its installer exited with status ${installer.status}`);
  return { reason };
}

/**
 * The ancestors whose end is ours: the parent, and when the parent is the shell that npm runs
 * scripts in, npm itself (killing npm leaves that shell running, so watching it is not enough).
 */
export function watchedAncestors() {
  const ancestors = [process.ppid];
  try {
    const stat = fs.readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const grandparent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (/^(sh|bash|dash|zsh|ash)$/.test(name) && grandparent > 1) ancestors.push(grandparent);
  } catch {
    // No /proc (macOS, Windows): the parent alone.
  }
  return ancestors;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  // A killed parent not yet reaped is a zombie: gone for our purpose.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * The launched process goes down with this one, and its exit status becomes ours: signals
 * are passed on, and when npm (or whoever started us) is gone, even killed outright, the
 * child is stopped and we exit. A child with an IPC channel also sees it close when we die
 * in any way; `winnow serve` stops then.
 */
export function supervise(child, { pollMs = 500 } = {}) {
  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    child.kill(signal);
    // A child that does not stop within 10 s is killed.
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));
  const ancestors = watchedAncestors();
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent || !ancestors.every(isAlive)) stop('SIGTERM');
  }, pollMs);
  child.on('exit', (code, signal) => {
    clearInterval(watch);
    process.exit(code ?? (signal ? 1 : 0));
  });
}

/** True where a browser can be shown: macOS, Windows, or an X11/Wayland session. */
export function hasDesktop(env = process.env, platform = process.platform) {
  return platform === 'darwin' || platform === 'win32' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * Opens the served page in the user's browser when there is a desktop to show it on. An
 * opener's command line is visible to every local user, so it is given a private page that
 * redirects to the address with its token, never the address itself. Returns what it did.
 */
export function openBrowser(url, { env = process.env, platform = process.platform, log = console.log } = {}) {
  if (!hasDesktop(env, platform) || env.WINNOW_NO_BROWSER) {
    log(`winnow: open ${url} in a browser`);
    return null;
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-open-'));
  const page = path.join(folder, 'open-winnow.html');
  const href = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  fs.writeFileSync(page, `<!doctype html><meta http-equiv="refresh" content="0;url=${href}"><a href="${href}">Open Winnow</a>\n`, { mode: 0o600 });
  process.on('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
  const [command, args] = platform === 'darwin' ? ['open', [page]] : platform === 'win32' ? ['cmd', ['/c', 'start', '""', page]] : ['xdg-open', [page]];
  const opener = spawn(command, args, { stdio: 'ignore', detached: true, env });
  opener.on('error', () => log(`winnow: could not start ${command}; open ${url} in a browser`));
  opener.unref();
  return { command, page };
}

/**
 * Browser mode: `winnow <args>` (a `serve`), with an IPC channel so that it stops when we go,
 * its output echoed, and the page opened once it prints its address.
 */
export function startServe({ root, args, cli = path.join(root, 'bin/winnow.js'), execArgv = [] }) {
  const child = spawn(process.execPath, [...execArgv, cli, ...args], { stdio: ['inherit', 'pipe', 'inherit', 'ipc'], cwd: root });
  let seen = '';
  let opened = false;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    seen += chunk;
    const match = /serving at (\S+)/.exec(seen);
    if (match && !opened) {
      opened = true;
      openBrowser(match[1]);
    }
  });
  supervise(child);
  return child;
}
