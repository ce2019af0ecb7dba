import fs from 'node:fs';
import path from 'node:path';

/**
 * better-sqlite3 is compiled against one ABI. node_modules keeps the Node build (tests, CLI,
 * browser mode); the Electron build lives apart, under native/electron-<version>/, prepared by
 * `npm start` / `npm run dist` and shipped by electron-builder as an extra resource.
 */
export const SQLITE_BINDING_ENV = 'WINNOW_SQLITE_BINDING';

export interface BindingLocation {
  electronVersion: string;
  isPackaged: boolean;
  /** process.resourcesPath: where extraResources land in an installed app. */
  resourcesPath: string;
  /** app.getAppPath(): the repository root when run from source. */
  appRoot: string;
}

export function sqliteBindingCandidates(where: BindingLocation): string[] {
  const relative = path.join('native', `electron-${where.electronVersion}`, 'better_sqlite3.node');
  // An installed app must never pick up a binary from inside app.asar (it cannot be dlopen'ed
  // from there); a source checkout has no resources folder of its own.
  return [path.join(where.isPackaged ? where.resourcesPath : where.appRoot, relative)];
}

export function findSqliteBinding(where: BindingLocation, exists: (file: string) => boolean = fs.existsSync): string | undefined {
  return sqliteBindingCandidates(where).find((candidate) => exists(candidate));
}

/** True when an error comes from loading the native module, not from the project file. */
export function isNativeModuleError(message: string): boolean {
  return /NODE_MODULE_VERSION|better_sqlite3\.node|Could not locate the bindings file|was compiled against a different Node\.js version|invalid ELF header|not a valid Win32 application|dlopen/i.test(message);
}
