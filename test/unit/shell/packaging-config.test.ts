import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sqliteBindingCandidates } from '../../../src/main/shell/native-binding';

/**
 * electron-builder.yml is read as text (no YAML parser is a dependency): these are the
 * settings whose loss would produce a package that installs but cannot open a project.
 */
const config = fs.readFileSync(path.resolve(import.meta.dirname, '../../../electron-builder.yml'), 'utf8');
const lines = config.split('\n').map((line) => line.replace(/\s+#.*$/, '').trimEnd());
const has = (line: string) => lines.some((l) => l.trim() === line);

describe('electron-builder configuration', () => {
  it('never rebuilds node_modules in place (that would break the Node build the tests use)', () => {
    expect(has('npmRebuild: false')).toBe(true);
    expect(has('nodeGypRebuild: false')).toBe(true);
  });

  it('unpacks native code from app.asar', () => {
    expect(has('- "**/*.node"')).toBe(true);
    expect(has('- node_modules/onnxruntime-node/bin/**')).toBe(true);
  });

  it('ships the demo data and the Electron-ABI sqlite binding where the shell looks for them', () => {
    expect(config).toMatch(/- from: resources\n\s+to: resources/);
    expect(config).toMatch(/- from: native\n\s+to: native\n\s+filter: \["electron-\*\/better_sqlite3\.node"\]/);
    const [packaged] = sqliteBindingCandidates({ electronVersion: '1.2.3', isPackaged: true, resourcesPath: '/R', appRoot: '/R/app.asar' });
    expect(path.relative('/R', packaged!).split(path.sep)).toEqual(['native', 'electron-1.2.3', 'better_sqlite3.node']);
  });

  it('associates .winnow files and builds AppImage, deb, NSIS and dmg', () => {
    expect(has('- ext: winnow')).toBe(true);
    expect(has('target: [AppImage, deb]')).toBe(true);
    expect(has('target: [nsis]')).toBe(true);
    expect(has('target: [dmg]')).toBe(true);
  });

  it('disables running the shipped binary as plain Node', () => {
    expect(has('runAsNode: false')).toBe(true);
    expect(has('enableNodeOptionsEnvironmentVariable: false')).toBe(true);
    expect(has('enableNodeCliInspectArguments: false')).toBe(true);
  });
});
