import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where Winnow keeps settings, the demo project and uploads when not told otherwise. */
export function defaultDataDir(): string {
  if (process.env.WINNOW_DATA_DIR) return path.resolve(process.env.WINNOW_DATA_DIR);
  switch (process.platform) {
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'Winnow');
    case 'darwin':
      return path.join(os.homedir(), 'Library', 'Application Support', 'Winnow');
    default:
      return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'winnow');
  }
}

/**
 * The built bundles live in out/main; resources/ and out/renderer sit at fixed places
 * relative to them (and to the sources under vitest).
 */
export function appRoot(fromUrl: string): string {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (let i = 0; i < 6; i++) {
    if (path.basename(dir) === 'out' || path.basename(dir) === 'src') return path.dirname(dir);
    dir = path.dirname(dir);
  }
  return process.cwd();
}
