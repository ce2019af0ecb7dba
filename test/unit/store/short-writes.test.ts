import { spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { WinnowError } from '../../../src/shared/errors';
import { AppConnection } from '../../../src/main/core/store/app-connection';
import { retryWhileBusy } from '../../../src/main/core/store/busy-retry';
import { applyMigrations, openDatabase, type Db } from '../../../src/main/core/store/database';
import { applyDecisions } from '../../../src/main/core/store/decisions';
import { importSplit } from '../../../src/main/core/store/import-split';
import { migrations } from '../../../src/main/core/store/migrations';
import { abandonedWrites, sweepAbandonedWrites, writeInBatches } from '../../../src/main/core/store/unpublished';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

async function projectWith(records: number): Promise<string> {
  const dir = tempDir();
  const file = path.join(dir, 'p.winnow');
  const db = openDatabase(file, { create: true });
  await importSplit(db, { filePath: writeJson(path.join(dir, 'train.json'), Array.from({ length: records }, (_, i) => record(`r${i}`))), split: 'train' });
  db.close();
  return file;
}

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function hiddenSplit(db: Db, name: string, owner: number): number {
  const id = Number(
    db.prepare("INSERT INTO split_rows (name, format, imported_at, state, owner_pid) VALUES (?, 'json', 'now', 'importing', ?)").run(name, owner).lastInsertRowid,
  );
  const label = db.prepare('SELECT id FROM labels LIMIT 1').pluck().get() as number;
  const insert = db.prepare(
    `INSERT INTO example_rows (ext_id, split_id, position, label_id, subj_start, subj_end, obj_start, obj_end, subj_type, obj_type, token_count, tokens, sentence)
     VALUES (?, ?, ?, ?, 0, 0, 1, 1, 'A', 'B', 2, '["a","b"]', 'a b')`,
  );
  for (let i = 0; i < 2500; i++) {
    const row = insert.run(`${name}-${i}`, id, i, label).lastInsertRowid;
    db.prepare("INSERT INTO example_records (example_id, raw) VALUES (?, '{}')").run(row);
  }
  return id;
}

describe('the app connection never waits for the lock inside the event loop', () => {
  it('has no busy timeout, fails fast on a taken lock, and a retry succeeds once the lock is free', async () => {
    const file = await projectWith(5);
    const app = new AppConnection(file);
    const job = openDatabase(file);
    try {
      expect(app.db.pragma('busy_timeout', { simple: true })).toBe(0);
      const example = app.db.prepare('SELECT id FROM examples LIMIT 1').pluck().get() as number;
      const decide = () => applyDecisions(app.db, { examples: [example], action: 'eliminate', annotator: 'me' });
      job.exec('BEGIN IMMEDIATE');
      // Without a busy timeout the attempt returns at once instead of sleeping in SQLite.
      expect(decide).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
      let attempts = 0;
      const retried = retryWhileBusy(() => {
        attempts++;
        return decide();
      });
      // Let the retry loop find the lock taken a few times, then free it.
      while (attempts < 3) await new Promise((resolve) => setTimeout(resolve, 1));
      job.exec('COMMIT');
      expect((await retried).count).toBe(1);
      expect(app.db.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(1);
    } finally {
      if (job.inTransaction) job.exec('ROLLBACK');
      job.close();
      app.close();
    }
  });

  it('gives up with a clear BUSY error past the deadline, having changed nothing', async () => {
    const file = await projectWith(5);
    const app = new AppConnection(file);
    const job = openDatabase(file);
    try {
      const example = app.db.prepare('SELECT id FROM examples LIMIT 1').pluck().get() as number;
      job.exec('BEGIN IMMEDIATE');
      const outcome = await retryWhileBusy(() => applyDecisions(app.db, { examples: [example], action: 'keep', annotator: 'me' }), { deadlineMs: 30 }).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(WinnowError);
      expect(outcome).toMatchObject({ code: 'BUSY', message: expect.stringMatching(/busy.*nothing was changed/) });
      job.exec('ROLLBACK');
      expect(app.db.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(0);
    } finally {
      job.close();
      app.close();
    }
  });

  it('passes every other error through at once', async () => {
    let attempts = 0;
    const outcome = await retryWhileBusy(() => {
      attempts++;
      throw new WinnowError('NOT_FOUND', 'gone');
    }).catch((error: unknown) => error);
    expect(outcome).toMatchObject({ code: 'NOT_FOUND' });
    expect(attempts).toBe(1);
  });
});

describe('long writes in short batches', () => {
  it('commit as several transactions, each item once, and another connection can write between them', async () => {
    const file = await projectWith(3);
    const db = openDatabase(file);
    const other = openDatabase(file, { busyTimeoutMs: 0 });
    try {
      db.exec('CREATE TABLE scratch (n INTEGER PRIMARY KEY)');
      const insert = db.prepare('INSERT INTO scratch (n) VALUES (?)');
      const example = other.prepare('SELECT id FROM examples LIMIT 1').pluck().get() as number;
      const batches: number[] = [];
      await writeInBatches(db, 50, (i) => insert.run(i), {
        lockMs: 0,
        onBatch: (done) => {
          batches.push(done);
          // Between two batches the lock is free: a decision gets it without waiting.
          if (batches.length === 2) applyDecisions(other, { examples: [example], action: 'keep', annotator: 'me' });
        },
      });
      expect(batches.length).toBeGreaterThan(1);
      expect(batches.at(-1)).toBe(50);
      expect(db.prepare('SELECT count(*), min(n), max(n) FROM scratch').raw().get()).toEqual([50, 0, 49]);
      expect(db.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(1);
    } finally {
      other.close();
      db.close();
    }
  });
});

describe('unpublished rows', () => {
  it('are invisible to readers, and those of a process that is gone are swept in batches (a live owner\'s stay)', async () => {
    const file = await projectWith(10);
    const db = openDatabase(file);
    try {
      const dead = hiddenSplit(db, 'dead', deadPid());
      hiddenSplit(db, 'live', process.pid);
      expect(db.prepare('SELECT count(*) FROM examples').pluck().get()).toBe(10);
      expect(db.prepare('SELECT name FROM splits').pluck().all()).toEqual(['train']);
      expect(abandonedWrites(db)).toEqual([{ kind: 'split', id: dead, name: 'dead' }]);
      expect(await sweepAbandonedWrites(db)).toEqual(['dead']);
      expect(db.prepare('SELECT name FROM split_rows ORDER BY id').pluck().all()).toEqual(['train', 'live']);
      expect(db.prepare("SELECT count(*) FROM example_rows WHERE ext_id LIKE 'dead-%'").pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM example_records WHERE example_id NOT IN (SELECT id FROM example_rows)').pluck().get()).toBe(0);
      expect(db.prepare("SELECT count(*) FROM example_rows WHERE ext_id LIKE 'live-%'").pluck().get()).toBe(2500);
    } finally {
      db.close();
    }
  });

  it('are swept by the app in the background when it opens the project', async () => {
    const file = await projectWith(4);
    const db = openDatabase(file);
    hiddenSplit(db, 'killed', deadPid());
    db.close();
    const app = new AppConnection(file);
    try {
      await app.whenIdle();
      expect(app.db.prepare('SELECT count(*) FROM split_rows').pluck().get()).toBe(1);
      expect(app.db.prepare('SELECT count(*) FROM example_rows').pluck().get()).toBe(4);
    } finally {
      app.close();
    }
  });
});

describe('schema 5', () => {
  it('migrates a project of schema 4 keeping its splits, examples, runs and statistics visible through the views', () => {
    const file = path.join(tempDir(), 'old.winnow');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    applyMigrations(old, file, 0, migrations.slice(0, 4));
    old.exec(`INSERT INTO splits (name, format, imported_at, count) VALUES ('train', 'json', 'then', 1);
              INSERT INTO labels (name) VALUES ('no_relation');
              INSERT INTO examples (ext_id, split_id, position, label_id, subj_start, subj_end, obj_start, obj_end, subj_type, obj_type, token_count, tokens, sentence)
                VALUES ('e1', 1, 0, 1, 0, 0, 1, 1, 'A', 'B', 2, '["a","b"]', 'a b');
              INSERT INTO example_records (example_id, raw) VALUES (1, '{}');
              INSERT INTO runs (created_at, model_kind, model_name, model_hash, provider, providers_skipped, params, timings, label_order, summary)
                VALUES ('then', 'builtin', 'm', 'h', 'cpu', '[]', '{}', '{}', '[]', '{}');
              INSERT INTO decisions (example_id, action, annotator, created_at) VALUES (1, 'keep', 'me', 'then');
              ANALYZE;`);
    old.close();
    const db = openDatabase(file);
    try {
      expect(db.prepare('SELECT name, state FROM split_rows').all()).toEqual([{ name: 'train', state: 'published' }]);
      expect(db.prepare('SELECT ext_id FROM examples').pluck().all()).toEqual(['e1']);
      expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(1);
      expect(db.prepare('SELECT count(*) FROM decision_state').pluck().get()).toBe(1);
      // Foreign keys now point at the renamed tables, and the planner keeps its statistics.
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.prepare("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'example_rows'").pluck().get()).toBeGreaterThan(0);
      expect(db.prepare("SELECT count(*) FROM sqlite_stat1 WHERE tbl IN ('examples', 'splits', 'runs')").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});
