import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AboutInfo } from '../../../src/shared/about';
import { aboutWinnow, asksVersionJson } from '../../../src/main/core/app/about';
import { buildCommit } from '../../../src/main/core/app/build-info';
import { dispatch } from '../../../src/main/core/app/dispatch';
import { testCore } from '../../helpers/core';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { LATEST_SCHEMA_VERSION } from '../../../src/main/core/store/migrations';
import { tempDir } from '../../helpers/temp-dir';

const ortVersion = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;

function addRun(db: Db, provider: string, createdAt: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO run_rows (created_at, model_kind, model_name, model_hash, provider, providers_skipped, params, timings, label_order, summary)
         VALUES (?, 'builtin', 'builtin', ?, ?, '[]', '{"strategies": ["cl"]}', '{}', '[]', '{"examples": 0, "flags": {}}')`,
      )
      .run(createdAt, 'ab'.repeat(32), provider).lastInsertRowid,
  );
}

describe('About', () => {
  it('reports what runs: versions, ONNX Runtime and its providers, the schema this build writes', async () => {
    const about = await aboutWinnow({ version: '9.8.7' });
    expect(AboutInfo.parse(about)).toEqual(about);
    expect(about).toMatchObject({ name: 'Winnow', version: '9.8.7', schemaVersion: LATEST_SCHEMA_VERSION, project: null });
    // Run from source (not built by electron-vite) there is no commit to report.
    expect(about.commit).toBe('unknown');
    expect(buildCommit).toBe('unknown');
    expect(about.runtime).toEqual({ electron: null, chrome: null, node: process.versions.node, platform: process.platform, arch: process.arch });
    expect(about.onnxRuntime.version).toBe(ortVersion);
    expect(about.onnxRuntime.available).toContain('cpu');
    expect(about.onnxRuntime.order.at(-1)).toBe('cpu');
    // Every provider a ranking tries is one this installation has.
    for (const provider of about.onnxRuntime.order) expect(about.onnxRuntime.available).toContain(provider);
    expect(about.onnxRuntime.notTried.map((s) => s.provider)).toContain('webgpu');
    expect(about.onnxRuntime.lastUsed).toBeNull();
  });

  it('gives the provider of the open project\'s latest run, and its file\'s schema version', async () => {
    const file = path.join(tempDir(), 'p.winnow');
    const db = openDatabase(file, { create: true });
    try {
      expect((await aboutWinnow({ version: '1', project: { path: file, db } })).onnxRuntime.lastUsed).toBeNull();
      addRun(db, 'cuda', '2024-05-01T10:00:00.000Z');
      const latest = addRun(db, 'cpu', '2024-05-02T11:00:00.000Z');
      const about = await aboutWinnow({ version: '1', project: { path: file, db }, commit: 'abc' });
      expect(about.onnxRuntime.lastUsed).toEqual({ provider: 'cpu', run: latest, at: '2024-05-02T11:00:00.000Z' });
      expect(about.project).toEqual({ path: file, schemaVersion: LATEST_SCHEMA_VERSION });
      expect(about.commit).toBe('abc');
    } finally {
      db.close();
    }
  });

  it('answers app:about through the contract, with the project the core has open', async () => {
    const dir = tempDir();
    const { core, handlers } = testCore(dir, { appVersion: '3.2.1' });
    const none = await dispatch(handlers, 'app:about', {});
    expect(none).toMatchObject({ ok: true, value: { version: '3.2.1', project: null, onnxRuntime: { lastUsed: null } } });
    const file = path.join(dir, 'q.winnow');
    core.openProject(file, true);
    const db = openDatabase(file);
    const run = addRun(db, 'cpu', '2024-06-01T00:00:00.000Z');
    db.close();
    const open = await dispatch(handlers, 'app:about', {});
    expect(open).toMatchObject({ ok: true, value: { project: { path: file, schemaVersion: LATEST_SCHEMA_VERSION }, onnxRuntime: { lastUsed: { provider: 'cpu', run } } } });
    core.closeProject();
  });

  it('recognises --version --json on the CLI (nothing else) and on the app\'s command line', () => {
    expect(asksVersionJson(['--version', '--json'], { only: true })).toBe(true);
    expect(asksVersionJson(['--json', '-V'], { only: true })).toBe(true);
    expect(asksVersionJson(['--version'], { only: true })).toBe(false);
    expect(asksVersionJson(['info', 'p.winnow', '--json'], { only: true })).toBe(false);
    expect(asksVersionJson(['import', 'p.winnow', 'f.json', '--json', '--version'], { only: true })).toBe(false);
    // Electron: the app folder and Chromium switches travel along.
    expect(asksVersionJson(['.', '--no-sandbox', '--version', '--json'], { only: false })).toBe(true);
    expect(asksVersionJson(['.', '--json'], { only: false })).toBe(false);
  });
});
