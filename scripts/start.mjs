// `npm start`: build, make sure Electron and an Electron-ABI better-sqlite3 are in place,
// then open the desktop app on the demo project. Where Electron cannot be installed (no
// network), say so and open the same app in the browser instead.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });

if (run(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']).status !== 0) process.exit(1);

function electronPath() {
  try {
    return require('electron'); // downloads the binary on first use
  } catch (error) {
    console.error(`\nwinnow: Electron is not available here: ${error.message.split('\n')[0]}`);
    return null;
  }
}

function ensureElectronSqlite(version) {
  const target = path.join(root, 'native', `electron-${version}`, 'better_sqlite3.node');
  if (fs.existsSync(target)) return true;
  // Build in a copy so node_modules keeps the Node build that `npm test` uses.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-sqlite-'));
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  fs.cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) });
  console.log(`Preparing better-sqlite3 for Electron ${version} (one time)...`);
  const prebuilt = run(process.execPath, [require.resolve('prebuild-install/bin.js'), '--runtime', 'electron', '--target', version], { cwd: work });
  if (prebuilt.status !== 0) {
    const gyp = path.join(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
    const built = run(process.execPath, [gyp, 'rebuild', '--release', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], { cwd: work });
    if (built.status !== 0) return false;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  return true;
}

const electron = electronPath();
const version = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
if (!electron || !ensureElectronSqlite(version)) {
  console.error('winnow: opening browser mode instead (the same app, in your browser):\n');
  const serve = spawn(process.execPath, [path.join(root, 'bin/winnow.js'), 'serve', '--demo', ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
  serve.on('exit', (code) => process.exit(code ?? 0));
} else {
  const app = spawn(electron, [root, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
  app.on('exit', (code) => process.exit(code ?? 0));
}
