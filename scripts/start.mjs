// `npm start`: build, make sure Electron and an Electron-ABI better-sqlite3 are in place,
// then open the desktop app on the demo project. Where Electron cannot be installed (no
// network), say so and open the same app in the browser instead.
//
// `node scripts/start.mjs --prepare-native` (used by `npm run dist`): build and prepare the
// Electron-ABI better-sqlite3 only, failing loudly when it cannot, without launching anything.
//
// The Electron build goes to native/electron-<version>/better_sqlite3.node and never into
// node_modules, which keeps the Node build that `npm test`, the CLI and browser mode load.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { downloadedElectron, installedElectron, startServe, supervise } from './start-support.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const prepareOnly = process.argv.includes('--prepare-native');
const passThrough = process.argv.slice(2).filter((arg) => arg !== '--prepare-native');
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
const shown = (file) => path.relative(root, file) || file;

if (run(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']).status !== 0) process.exit(1);

const electronPackageDir = path.join(root, 'node_modules', 'electron');
const version = JSON.parse(fs.readFileSync(path.join(electronPackageDir, 'package.json'), 'utf8')).version;

/** Null when the module loads in Electron's own Node; otherwise the first lines of the error. */
function loadProblem(electron, file) {
  const result = spawnSync(electron, ['-e', `require(${JSON.stringify(file)})`], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status === 0) return null;
  return (result.stderr || result.error?.message || `exit status ${result.status}`).trim().split('\n').slice(0, 3).join(' ');
}

function nodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  let local = null;
  try {
    local = require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    // Not a dependency; npm's own copy below.
  }
  const nodeDir = path.dirname(process.execPath);
  return (
    [
      fromNpm && fromNpm.endsWith('.js') ? fromNpm : null,
      local,
      path.join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
      path.join(nodeDir, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    ].find((candidate) => candidate && fs.existsSync(candidate)) ?? null
  );
}

/** Prebuilt binary if one can be downloaded, else a compile against Electron's headers. */
function buildForElectron(target) {
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  const sqliteRequire = createRequire(path.join(source, 'package.json'));
  // A copy, so node_modules/better-sqlite3/build keeps the Node build.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-sqlite-'));
  try {
    fs.cpSync(source, work, {
      recursive: true,
      filter: (file) => {
        const relative = path.relative(source, file);
        return relative !== 'build' && !relative.startsWith(`build${path.sep}`);
      },
    });
    console.log(`Preparing better-sqlite3 for Electron ${version} (one time)...`);
    let ok = false;
    try {
      const prebuild = sqliteRequire.resolve('prebuild-install/bin.js');
      ok = run(process.execPath, [prebuild, '--runtime', 'electron', '--target', version, '--arch', process.arch, '--platform', process.platform], { cwd: work }).status === 0;
    } catch {
      console.warn('winnow: prebuild-install is not installed; compiling instead');
    }
    if (!ok) {
      const gyp = nodeGyp();
      if (!gyp) {
        console.error('winnow: node-gyp was not found (it comes with npm); cannot compile better-sqlite3 for Electron');
        return false;
      }
      const args = [gyp, 'rebuild', '--release', `--target=${version}`, `--arch=${process.arch}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'];
      ok = run(process.execPath, args, { cwd: work }).status === 0;
    }
    const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
    if (!ok || !fs.existsSync(built)) return false;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // Copied under a temporary name, so an interrupted copy is never taken for a good binary.
    const partial = `${target}.${process.pid}.tmp`;
    fs.copyFileSync(built, partial);
    fs.renameSync(partial, target);
    return true;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Makes sure native/electron-<version>/better_sqlite3.node exists and, where the Electron
 * binary is installed, that it really loads there (a build against Node's headers would not).
 */
function ensureElectronSqlite(electron) {
  const target = path.join(root, 'native', `electron-${version}`, 'better_sqlite3.node');
  if (fs.existsSync(target)) {
    const problem = electron ? loadProblem(electron, target) : null;
    if (!problem) return true;
    console.warn(`winnow: ${shown(target)} does not load in Electron ${version} (${problem}); rebuilding it`);
    fs.rmSync(target, { force: true });
  }
  if (!buildForElectron(target)) {
    console.error(`winnow: could not prepare better-sqlite3 for Electron ${version}: this needs network access (a prebuilt binary, or Electron's headers to compile against)`);
    return false;
  }
  const problem = electron ? loadProblem(electron, target) : null;
  if (problem) {
    console.error(`winnow: the freshly built ${shown(target)} does not load in Electron ${version}: ${problem}`);
    fs.rmSync(target, { force: true });
    return false;
  }
  console.log(`winnow: ${shown(target)} is ready${electron ? ' and loads in Electron' : ' (not load-tested: the Electron binary is not installed)'}`);
  return true;
}

if (prepareOnly) {
  const ok = ensureElectronSqlite(installedElectron(electronPackageDir));
  // Only the current version's binary may end up in a package (electron-builder ships native/).
  const nativeDir = path.join(root, 'native');
  for (const entry of fs.existsSync(nativeDir) ? fs.readdirSync(nativeDir) : []) {
    if (entry.startsWith('electron-') && entry !== `electron-${version}`) {
      console.log(`winnow: removing ${shown(path.join(nativeDir, entry))} (not Electron ${version})`);
      fs.rmSync(path.join(nativeDir, entry), { recursive: true, force: true });
    }
  }
  process.exit(ok ? 0 : 1);
}

const startBrowserMode = () => startServe({ root, args: ['serve', '--demo', ...passThrough] });
const electron = downloadedElectron(electronPackageDir);
if (!electron.binary) {
  console.error(`winnow: Electron's binary is not installed and could not be downloaded (${electron.reason}); opening browser mode instead`);
  startBrowserMode();
} else if (!ensureElectronSqlite(electron.binary)) {
  console.error('winnow: opening browser mode instead (the same app, in your browser)');
  startBrowserMode();
} else {
  // Left set in a shell, this variable would make the app start as plain Node.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  supervise(spawn(electron.binary, [root, ...passThrough], { stdio: 'inherit', cwd: root, env }));
}
