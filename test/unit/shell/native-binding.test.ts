import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSqliteBinding, isNativeModuleError, sqliteBindingCandidates } from '../../../src/main/shell/native-binding';

const where = { electronVersion: '45.5.0', resourcesPath: '/opt/Winnow/resources', appRoot: '/src/winnow' };

describe('Electron-ABI better-sqlite3 location', () => {
  it('uses the repository copy when run from source', () => {
    expect(sqliteBindingCandidates({ ...where, isPackaged: false })).toEqual([path.join('/src/winnow', 'native', 'electron-45.5.0', 'better_sqlite3.node')]);
  });

  it('uses the shipped resource in an installed app, never a path inside app.asar', () => {
    const packaged = { ...where, appRoot: '/opt/Winnow/resources/app.asar', isPackaged: true };
    expect(sqliteBindingCandidates(packaged)).toEqual([path.join('/opt/Winnow/resources', 'native', 'electron-45.5.0', 'better_sqlite3.node')]);
  });

  it('returns nothing when no binary was prepared, so the default build is used', () => {
    expect(findSqliteBinding({ ...where, isPackaged: false }, () => false)).toBeUndefined();
    const present = path.join('/src/winnow', 'native', 'electron-45.5.0', 'better_sqlite3.node');
    expect(findSqliteBinding({ ...where, isPackaged: false }, (file) => file === present)).toBe(present);
  });

  it('tells native-module failures from file problems', () => {
    expect(isNativeModuleError("The module '/x/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115")).toBe(true);
    expect(isNativeModuleError('Could not locate the bindings file. Tried: ...')).toBe(true);
    expect(isNativeModuleError('/d/p.winnow is not a Winnow project (file is not a database)')).toBe(false);
    expect(isNativeModuleError('database is locked')).toBe(false);
  });
});
