// `npm run setup:gpu`: installs onnxruntime-node's CUDA 12 execution provider, which the
// default install skips (it downloads binaries, and most users do not need them).
// Needs network access, an NVIDIA driver, CUDA 12 and cuDNN 9 on Linux or Windows.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

if (process.platform !== 'linux' && process.platform !== 'win32') {
  console.error(`winnow: the CUDA provider exists for Linux and Windows only; on ${process.platform} Winnow uses ${process.platform === 'darwin' ? 'CoreML or the CPU' : 'the CPU'}.`);
  process.exit(1);
}
const require = createRequire(import.meta.url);
const ortDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
const flavour = process.argv[2] ?? 'cuda12';
console.log(`Installing onnxruntime-node's ${flavour} provider into ${ortDir} ...`);
const result = spawnSync(process.execPath, [path.join(ortDir, 'script', 'install.js'), `--onnxruntime-node-install=${flavour}`], {
  cwd: ortDir,
  stdio: 'inherit',
  env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: flavour },
});
if (result.status !== 0) {
  console.error('winnow: the CUDA provider could not be installed (no network, or no CUDA 12 for this platform). Winnow keeps working on the CPU.');
  process.exit(result.status ?? 1);
}
console.log('Done. The next ranking tries CUDA first and records the provider it used (see `winnow runs`).');
