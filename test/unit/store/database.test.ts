import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../../src/main/core/store/migrations';
import { openDatabase } from '../../../src/main/core/store/database';
import { tempDir } from '../../helpers/temp-dir';

describe('project database', () => {
  it('creates a project with WAL, foreign keys and the latest schema version', () => {
    const file = path.join(tempDir(), 'p.winnow');
    const db = openDatabase(file, { create: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['split_rows', 'labels', 'example_rows', 'example_records', 'decisions', 'meta', 'run_rows']));
    // Readers use views that show published splits and runs only.
    const views = db.prepare("SELECT name FROM sqlite_master WHERE type='view' ORDER BY name").pluck().all();
    expect(views).toEqual(['examples', 'runs', 'splits']);
    db.close();
  });

  it('refuses a missing file unless asked to create it', () => {
    expect(() => openDatabase(path.join(tempDir(), 'missing.winnow'))).toThrow(/not found/);
  });

  it('names the file when it is not a project', () => {
    const file = path.join(tempDir(), 'junk.winnow');
    fs.writeFileSync(file, 'this is not sqlite at all, just text '.repeat(100));
    expect(() => openDatabase(file)).toThrow(/junk\.winnow/);
  });

  it('refuses a project written by a newer schema', () => {
    const file = path.join(tempDir(), 'new.winnow');
    const db = openDatabase(file, { create: true });
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer Winnow/);
  });

  it('keeps the decision log append-only', () => {
    const db = openDatabase(path.join(tempDir(), 'log.winnow'), { create: true });
    db.exec(`INSERT INTO split_rows (name, format, imported_at) VALUES ('s', 'json', 'now');
             INSERT INTO labels (name) VALUES ('no_relation');
             INSERT INTO example_rows (ext_id, split_id, position, label_id, subj_start, subj_end, obj_start, obj_end, subj_type, obj_type, token_count, tokens, sentence)
               VALUES ('e1', 1, 0, 1, 0, 0, 1, 1, 'A', 'B', 2, '["a","b"]', 'a b');
             INSERT INTO decisions (uid, owner, example_id, action, annotator, created_at) VALUES ('u-1', 'me', 1, 'keep', 'me', 'now');`);
    expect(() => db.exec("UPDATE decisions SET action = 'eliminate'")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM decisions')).toThrow(/append-only/);
    expect(() => db.exec("INSERT INTO decisions (uid, owner, example_id, action, annotator, created_at) VALUES ('u-2', 'me', 1, 'reannotate', 'me', 'now')")).toThrow(/CHECK/);
    expect(() => db.exec("INSERT INTO decisions (uid, owner, example_id, action, annotator, created_at) VALUES ('u-3', 'me', 99, 'keep', 'me', 'now')")).toThrow(/FOREIGN KEY/);
    // Every record is identified: a uid (unique) and the annotator whose decision it sets.
    expect(() => db.exec("INSERT INTO decisions (example_id, action, annotator, created_at) VALUES (1, 'keep', 'me', 'now')")).toThrow(/uid and an owner/);
    expect(() => db.exec("INSERT INTO decisions (uid, owner, example_id, action, annotator, created_at) VALUES ('u-1', 'me', 1, 'keep', 'me', 'now')")).toThrow(/UNIQUE/);
    db.close();
  });
});

describe('migrations', () => {
  it('apply forward only, back the file up first, and keep the data', async () => {
    const { applyMigrations } = await import('../../../src/main/core/store/database');
    const file = path.join(tempDir(), 'm.winnow');
    const db = openDatabase(file, { create: true });
    db.exec("INSERT INTO meta (key, value) VALUES ('marker', 'before')");
    const extra = 'CREATE TABLE later_feature (id INTEGER PRIMARY KEY);';
    applyMigrations(db, file, LATEST_SCHEMA_VERSION, [...(await import('../../../src/main/core/store/migrations')).migrations, extra]);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 1);
    expect(db.prepare("SELECT value FROM meta WHERE key='marker'").pluck().get()).toBe('before');
    db.close();
    const backup = `${file}.v${LATEST_SCHEMA_VERSION}.bak`;
    expect(fs.existsSync(backup)).toBe(true);
    const old = openDatabase(backup, { readonly: true });
    expect(old.prepare("SELECT name FROM sqlite_master WHERE name='later_feature'").get()).toBeUndefined();
    old.close();
  });

  it('roll back a migration that fails and leave the version unchanged', async () => {
    const { applyMigrations, openDatabase: open } = await import('../../../src/main/core/store/database');
    const { migrations } = await import('../../../src/main/core/store/migrations');
    const file = path.join(tempDir(), 'f.winnow');
    const db = open(file, { create: true });
    expect(() => applyMigrations(db, file, LATEST_SCHEMA_VERSION, [...migrations, 'CREATE TABLE ok1 (a); THIS IS NOT SQL;'])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name='ok1'").get()).toBeUndefined();
    db.close();
  });
});
