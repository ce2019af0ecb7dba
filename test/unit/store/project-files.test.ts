import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WinnowError } from '../../../src/shared/errors';
import { storageError } from '../../../src/main/core/errors/storage-errors';
import { errorInfo } from '../../../src/main/core/errors/error-info';
import { AtomicFileWriter } from '../../../src/main/core/io/atomic-file';
import { sweepStaleBuiltinFolders } from '../../../src/main/core/ranking/builtin-temp';
import { backupProject } from '../../../src/main/core/store/backup';
import { openDatabase } from '../../../src/main/core/store/database';
import { applyDecisions } from '../../../src/main/core/store/decisions';
import { importSplit } from '../../../src/main/core/store/import-split';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

afterEach(() => vi.restoreAllMocks());

const hash = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function project(dir: string, n = 20): Promise<string> {
  const file = path.join(dir, 'p.winnow');
  const db = openDatabase(file, { create: true });
  await importSplit(db, { filePath: writeJson(path.join(dir, 'train.json'), Array.from({ length: n }, (_, i) => record(`r${i}`))), split: 'train' });
  db.close();
  return file;
}

describe('winnow backup (SQLite online backup)', () => {
  it('copies an open project with what its write-ahead log holds, atomically, into a project of its own', async () => {
    const dir = tempDir();
    const file = await project(dir);
    const db = openDatabase(file);
    try {
      const rows = db.prepare('SELECT id FROM examples').pluck().all() as number[];
      for (const row of rows.slice(0, 7)) applyDecisions(db, { examples: [row], action: 'eliminate', annotator: 'me' });
      // The decisions are in -wal, not yet in the main file: a plain copy would miss them.
      expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
      const target = path.join(dir, 'out', 'copy.winnow');
      fs.mkdirSync(path.dirname(target));
      fs.writeFileSync(target, 'an older copy');
      const result = await backupProject(db, file, target, { pagesPerStep: 2 });
      expect(result.path).toBe(target);
      expect(result.bytes).toBe(fs.statSync(target).size);
      expect(fs.readdirSync(path.dirname(target))).toEqual(['copy.winnow']);
      const copy = openDatabase(target);
      try {
        expect(copy.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(7);
        expect(copy.prepare('SELECT count(*) FROM examples').pluck().get()).toBe(20);
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        copy.close();
      }
    } finally {
      db.close();
    }
  });

  it('refuses to write over the project itself, under any of its names', async () => {
    const dir = tempDir();
    const file = await project(dir, 3);
    const link = path.join(dir, 'linked.winnow');
    fs.linkSync(file, link);
    const db = openDatabase(file);
    try {
      const before = hash(file);
      for (const target of [file, path.join(dir, '.', 'p.winnow'), path.relative(process.cwd(), file), link, `${file}-wal`]) {
        await expect(backupProject(db, file, target)).rejects.toThrow(/is the project itself/);
      }
      db.pragma('wal_checkpoint(TRUNCATE)');
      expect(hash(file)).toBe(before);
    } finally {
      db.close();
    }
  });
});

describe('opening a file that is not a project changes nothing', () => {
  it('refuses text, an empty file and another program\'s SQLite database without writing to them', () => {
    const dir = tempDir();
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'root:x:0:0:root:/root:/bin/bash\n');
    const empty = path.join(dir, 'empty.winnow');
    fs.writeFileSync(empty, '');
    const other = path.join(dir, 'other.db');
    const foreign = new Database(other);
    foreign.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
    foreign.close();
    const cases: [string, RegExp][] = [
      [text, /notes\.txt is not a Winnow project \(not an SQLite database\)/],
      [empty, /empty\.winnow is empty \(0 bytes\), not a Winnow project/],
      [other, /other\.db is an SQLite database, but not a Winnow project/],
    ];
    for (const [file, message] of cases) {
      const before = hash(file);
      expect(() => openDatabase(file)).toThrow(message);
      expect(hash(file), file).toBe(before);
      expect(fs.existsSync(`${file}-wal`) || fs.existsSync(`${file}-shm`), file).toBe(false);
    }
    // Asked to create one, an empty file becomes a project (`touch p.winnow; winnow import p.winnow ...`).
    openDatabase(empty, { create: true }).close();
    expect(openDatabase(empty).pragma('user_version', { simple: true })).toBeGreaterThan(0);
  });
});

describe('a full disk says so and names the file', () => {
  it('maps SQLite\'s full database to DISK_FULL naming the project (a real SQLITE_FULL)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'p.winnow');
    const db = openDatabase(file, { create: true });
    try {
      const pages = db.pragma('page_count', { simple: true }) as number;
      // Room for a few pages only: what a full disk looks like to SQLite.
      db.pragma(`max_page_count = ${pages + 4}`);
      const big = writeJson(path.join(dir, 'big.json'), Array.from({ length: 3000 }, (_, i) => record(`big-${i}`)));
      const outcome = await importSplit(db, { filePath: big, split: 'train' }).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(WinnowError);
      expect(outcome).toMatchObject({ code: 'DISK_FULL', message: `${file}: the disk is full (no space left to write it); free some space and try again` });
      db.pragma('max_page_count = 1073741823');
      expect(db.prepare('SELECT count(*) FROM split_rows').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it('tells a full disk from another I/O error, and names it where no file is known', () => {
    const full = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });
    vi.spyOn(fs, 'statfsSync').mockReturnValue({ bavail: 0, bsize: 4096 } as fs.StatsFs);
    expect(storageError(full, '/data/p.winnow')).toMatchObject({ code: 'DISK_FULL', message: expect.stringMatching(/^\/data\/p\.winnow: the disk is full/) });
    vi.spyOn(fs, 'statfsSync').mockReturnValue({ bavail: 1e6, bsize: 4096 } as fs.StatsFs);
    expect(storageError(full, '/data/p.winnow')).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/I\/O error \(SQLITE_IOERR_WRITE\)/) });
    expect(storageError(Object.assign(new Error('no space'), { code: 'ENOSPC' }), '/out/x.json')?.code).toBe('DISK_FULL');
    expect(errorInfo(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toMatchObject({ code: 'DISK_FULL', message: expect.stringMatching(/disk is full/) });
    expect(storageError(new Error('other'), 'f')).toBeNull();
  });

  it('an output file being written names itself, not its temporary name', async () => {
    const dir = tempDir();
    const writer = new AtomicFileWriter(path.join(dir, 'export.json'));
    await writer.open();
    // The disk fills up while the file is flushed.
    const handle = (writer as unknown as { handle: { sync(): Promise<void> } }).handle;
    handle.sync = () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, fsync'), { code: 'ENOSPC' }));
    await writer.write('[]');
    await expect(writer.prepare()).rejects.toMatchObject({ code: 'DISK_FULL', message: expect.stringContaining(`${path.join(dir, 'export.json')}: the disk is full`) });
    await writer.abort();
  });
});

describe('the built-in model\'s temporary folders', () => {
  it('are removed once their process is gone; a live process\'s and unrelated folders stay', async () => {
    const tmp = tempDir();
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const names = {
      dead: `winnow-builtin-${dead}-AbC123`,
      live: `winnow-builtin-${process.pid}-XyZ789`,
      legacyOld: 'winnow-builtin-Qw3rty',
      legacyNew: 'winnow-builtin-N3wOne',
      other: 'something-else',
    };
    for (const name of Object.values(names)) {
      fs.mkdirSync(path.join(tmp, name, 'fold-0'), { recursive: true });
      fs.writeFileSync(path.join(tmp, name, 'fold-0', 'model.onnx'), 'x');
    }
    const dayAndMore = new Date(Date.now() - 25 * 60 * 60 * 1000);
    fs.utimesSync(path.join(tmp, names.legacyOld), dayAndMore, dayAndMore);
    const removed = await sweepStaleBuiltinFolders(tmp);
    expect(removed.map((f) => path.basename(f)).sort()).toEqual([names.dead, names.legacyOld].sort());
    expect(fs.readdirSync(tmp).sort()).toEqual([names.live, names.legacyNew, names.other].sort());
  });
});
