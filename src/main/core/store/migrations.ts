import crypto from 'node:crypto';
import type { Db } from './database';

/**
 * One schema step: SQL, or a function for a step SQL alone cannot do (computing values for
 * existing rows). Each runs inside its own transaction with the version bump.
 */
export type Migration = string | ((db: Db) => void);

/**
 * Forward-only schema migrations. `PRAGMA user_version` holds the number of migrations
 * applied; never edit a shipped migration, append a new one.
 */
export const migrations: readonly Migration[] = [
  // 1: splits, labels, examples with their original records, and the decision log.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE splits (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    format TEXT NOT NULL CHECK (format IN ('json', 'jsonl')),
    source_path TEXT,
    source_sha256 TEXT,
    imported_at TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0
  );

  CREATE TABLE labels (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);

  -- Narrow row for grid queries; the verbatim record lives in example_records so that
  -- scans over examples stay in few pages.
  CREATE TABLE examples (
    id INTEGER PRIMARY KEY,
    ext_id TEXT NOT NULL UNIQUE,
    split_id INTEGER NOT NULL REFERENCES splits(id),
    position INTEGER NOT NULL,
    label_id INTEGER NOT NULL REFERENCES labels(id),
    subj_start INTEGER NOT NULL,
    subj_end INTEGER NOT NULL,
    obj_start INTEGER NOT NULL,
    obj_end INTEGER NOT NULL,
    subj_type TEXT NOT NULL,
    obj_type TEXT NOT NULL,
    token_count INTEGER NOT NULL,
    tokens TEXT NOT NULL,
    sentence TEXT NOT NULL
  );
  CREATE UNIQUE INDEX examples_split_position ON examples(split_id, position);
  CREATE INDEX examples_label ON examples(label_id, split_id, position);
  CREATE INDEX examples_types ON examples(subj_type, obj_type);
  CREATE INDEX examples_obj_type ON examples(obj_type);
  CREATE INDEX examples_length ON examples(token_count);

  CREATE TABLE example_records (
    example_id INTEGER PRIMARY KEY REFERENCES examples(id),
    raw TEXT NOT NULL
  );

  -- Append-only: the state of an example is its latest decision. Undo and redo append.
  CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    example_id INTEGER NOT NULL REFERENCES examples(id),
    action TEXT NOT NULL CHECK (action IN ('keep', 'eliminate', 'reannotate', 'clear')),
    label_id INTEGER REFERENCES labels(id),
    annotator TEXT NOT NULL,
    created_at TEXT NOT NULL,
    run_id INTEGER,
    note TEXT,
    batch_id TEXT,
    undoes INTEGER REFERENCES decisions(id),
    CHECK ((action = 'reannotate') = (label_id IS NOT NULL))
  );
  CREATE INDEX decisions_example ON decisions(example_id, id);
  CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
    BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
  CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
    BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;

  INSERT INTO meta (key, value) VALUES ('negative_label', 'no_relation');
  `,
  // 2: ranking runs with their per-example predictions, flags and triage queue; reference
  // label sets imported from patches (TACRev, Re-TACRED).
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    model_kind TEXT NOT NULL CHECK (model_kind IN ('builtin', 'package', 'predictions')),
    model_name TEXT NOT NULL,
    model_hash TEXT NOT NULL,
    provider TEXT NOT NULL,
    providers_skipped TEXT NOT NULL,
    params TEXT NOT NULL,
    timings TEXT NOT NULL,
    label_order TEXT NOT NULL,
    summary TEXT NOT NULL
  );

  -- Probabilities and embeddings as little-endian float32 blobs, in label_order.
  CREATE TABLE predictions (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    example_id INTEGER NOT NULL REFERENCES examples(id),
    predicted_label_id INTEGER NOT NULL REFERENCES labels(id),
    predicted_prob REAL NOT NULL,
    given_prob REAL NOT NULL,
    probs BLOB NOT NULL,
    embedding BLOB,
    PRIMARY KEY (run_id, example_id)
  ) WITHOUT ROWID;

  CREATE TABLE flags (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    example_id INTEGER NOT NULL REFERENCES examples(id),
    strategy TEXT NOT NULL CHECK (strategy IN ('is', 'es', 'esp', 'cl', 'knn')),
    score REAL NOT NULL,
    suggested_label_id INTEGER NOT NULL REFERENCES labels(id),
    evidence TEXT NOT NULL,
    PRIMARY KEY (run_id, example_id, strategy)
  ) WITHOUT ROWID;
  CREATE INDEX flags_by_strategy ON flags(run_id, strategy, score DESC);

  -- The union of flags in the default triage order (agreement, then score).
  CREATE TABLE queue (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    example_id INTEGER NOT NULL REFERENCES examples(id),
    rank INTEGER NOT NULL,
    agreement INTEGER NOT NULL,
    top_score REAL NOT NULL,
    suggested_label_id INTEGER NOT NULL REFERENCES labels(id),
    strategies TEXT NOT NULL,
    PRIMARY KEY (run_id, example_id)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX queue_rank ON queue(run_id, rank);

  CREATE TABLE reference_sets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    style TEXT NOT NULL CHECK (style IN ('tacrev', 'retacred')),
    source_path TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    count INTEGER NOT NULL
  );
  -- Keyed by the external id: a patch may name examples this project does not hold.
  CREATE TABLE reference_labels (
    set_id INTEGER NOT NULL REFERENCES reference_sets(id),
    ext_id TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (set_id, ext_id)
  ) WITHOUT ROWID;
  `,
  // 3: the current decision of each example, derived from the append-only log by a trigger
  // (the log stays the truth; this table only makes filtering and sorting by state cheap).
  `
  CREATE TABLE decision_state (
    example_id INTEGER PRIMARY KEY REFERENCES examples(id),
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    action TEXT NOT NULL CHECK (action IN ('keep', 'eliminate', 'reannotate')),
    label_id INTEGER REFERENCES labels(id)
  );
  CREATE INDEX decision_state_action ON decision_state(action);
  CREATE INDEX decisions_batch ON decisions(batch_id);
  CREATE TRIGGER decisions_state_upsert AFTER INSERT ON decisions WHEN NEW.action <> 'clear'
    BEGIN
      INSERT INTO decision_state (example_id, decision_id, action, label_id) VALUES (NEW.example_id, NEW.id, NEW.action, NEW.label_id)
        ON CONFLICT(example_id) DO UPDATE SET decision_id = excluded.decision_id, action = excluded.action, label_id = excluded.label_id;
    END;
  CREATE TRIGGER decisions_state_clear AFTER INSERT ON decisions WHEN NEW.action = 'clear'
    BEGIN
      DELETE FROM decision_state WHERE example_id = NEW.example_id;
    END;
  INSERT INTO decision_state (example_id, decision_id, action, label_id)
    SELECT d.example_id, d.id, d.action, d.label_id FROM decisions d
    WHERE d.id IN (SELECT max(id) FROM decisions GROUP BY example_id) AND d.action <> 'clear';
  `,
  // 4: the exports written from this project. A row is 'writing' while an export stages its
  // files and 'committing' while they are renamed into place; one left so by a killed process
  // names the folder to recover (finish the commit, remove temporary files).
  `
  CREATE TABLE exports (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    split TEXT NOT NULL,
    dataset TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT,
    records INTEGER,
    manifest_sha256 TEXT,
    state TEXT NOT NULL CHECK (state IN ('writing', 'committing', 'done', 'abandoned'))
  );
  CREATE INDEX exports_state ON exports(state);
  `,
  // 5: long writes commit in small batches into rows that nobody reads until one tiny
  // transaction publishes them, so a job holds the write lock only briefly. Splits and runs
  // get a state ('importing' / 'saving' until published) and the process that writes them;
  // the tables move to *_rows and views with the old names show published rows only, so
  // every reader sees a split or a run whole or not at all. (Renaming a table rewrites the
  // foreign keys that point at it; the planner's statistics follow by hand.)
  `
  ALTER TABLE splits RENAME TO split_rows;
  ALTER TABLE split_rows ADD COLUMN state TEXT NOT NULL DEFAULT 'published' CHECK (state IN ('importing', 'published'));
  ALTER TABLE split_rows ADD COLUMN owner_pid INTEGER;
  ALTER TABLE examples RENAME TO example_rows;
  ALTER TABLE runs RENAME TO run_rows;
  ALTER TABLE run_rows ADD COLUMN state TEXT NOT NULL DEFAULT 'published' CHECK (state IN ('saving', 'published'));
  ALTER TABLE run_rows ADD COLUMN owner_pid INTEGER;
  -- likelihood(..., 1.0) tells the planner that the filters keep (nearly) every row, so the
  -- grid's query plans stay exactly those chosen without them; NOT IN (never IN) cannot drive
  -- an index either. The first test is computed once per query: while no import runs (nearly
  -- always) it is true and each row costs one comparison instead of a lookup in the list.
  CREATE VIEW splits AS SELECT * FROM split_rows WHERE likelihood(state = 'published', 1.0);
  CREATE VIEW examples AS SELECT * FROM example_rows
    WHERE likelihood((SELECT count(*) FROM split_rows WHERE state <> 'published') = 0
                     OR split_id NOT IN (SELECT id FROM split_rows WHERE state <> 'published'), 1.0);
  CREATE VIEW runs AS SELECT * FROM run_rows WHERE likelihood(state = 'published', 1.0);
  -- Analysing the one-row meta table creates sqlite_stat1 where no ANALYZE ran yet.
  ANALYZE meta;
  UPDATE sqlite_stat1 SET tbl = 'example_rows' WHERE tbl = 'examples';
  UPDATE sqlite_stat1 SET tbl = 'split_rows' WHERE tbl = 'splits';
  UPDATE sqlite_stat1 SET tbl = 'run_rows' WHERE tbl = 'runs';
  `,
  // 6: each run's model-quality readout (JSON, see shared/quality.ts; null for runs saved
  // before it, which get it computed from their predictions), and the retraining comparisons
  // (does cleaning help?) with their parameters and results, kept with the run they used.
  // (A foreign key names the table, never the view of published runs.)
  `
  ALTER TABLE run_rows ADD COLUMN quality TEXT;
  CREATE TABLE comparisons (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    run_id INTEGER REFERENCES run_rows(id),
    params TEXT NOT NULL,
    result TEXT NOT NULL
  );
  CREATE INDEX comparisons_run ON comparisons(run_id, id);
  `,
  // 7: the negative label each run ranked with. A project may change its negative label;
  // its earlier runs keep the one they used (and are shown as invalidated). The runs view
  // (SELECT *) shows the new column.
  `
  ALTER TABLE run_rows ADD COLUMN negative_label TEXT NOT NULL DEFAULT 'no_relation';
  UPDATE run_rows SET negative_label = coalesce((SELECT value FROM meta WHERE key = 'negative_label'), 'no_relation');
  `,
  // 8: teams. Every decision gets a stable unique id (uid), the annotator whose decisions it
  // sets (owner: the annotator, or for an undo or redo the owner of the record it reverts) and
  // whether it is an adjudication. State is derived per annotator (annotator_state) and per
  // adjudication (adjudication_state); decision_state becomes the example's resolved
  // decision: the adjudication, else what every annotator who decided agrees on, else
  // 'conflict'. Existing records get uids derived from their batch and row, so that copies of
  // one project made before this migration give their shared records the same uids. And the
  // assignment of a run's queue to annotators.
  teamMigrationStep,
  // 9: the file format a split came from and, for Parquet, its schema (columns, types,
  // key-value metadata, how the relation was encoded) so that it can be exported back as an
  // equal file. `format` keeps saying how the records are stored (a Parquet row is kept as one
  // JSON object's text: 'jsonl'); its CHECK constraint cannot be widened without rebuilding the
  // table, which the examples' foreign keys forbid inside a migration's transaction.
  `
  ALTER TABLE split_rows ADD COLUMN source_format TEXT CHECK (source_format IN ('json', 'jsonl', 'parquet'));
  ALTER TABLE split_rows ADD COLUMN source_schema TEXT;
  UPDATE split_rows SET source_format = format;
  -- A view's * is fixed when it is created: make the published-splits view see the new columns.
  DROP VIEW splits;
  CREATE VIEW splits AS SELECT * FROM split_rows WHERE likelihood(state = 'published', 1.0);
  `,
  // 10: the text search index (store/search-index.ts): FTS5 trigrams of each example's sentence
  // and id, contentless (the text lives in examples), filled after import up to the mark in
  // meta, and the examples whose text is not all ASCII (where FTS5's Unicode case folding and
  // LIKE's ASCII-only folding can disagree, so LIKE checks them). Deleting an example removes
  // its entries and keeps the mark at or below the last example, so a reused id is indexed afresh.
  `
  CREATE VIRTUAL TABLE example_search USING fts5(sentence, ext_id, tokenize = 'trigram case_sensitive 0', content = '', contentless_delete = 1);
  CREATE TABLE example_search_unicode (example_id INTEGER PRIMARY KEY);
  INSERT INTO meta (key, value) VALUES ('search_indexed_upto', '0');
  CREATE TRIGGER examples_search_delete AFTER DELETE ON example_rows
    BEGIN
      DELETE FROM example_search WHERE rowid = OLD.id;
      DELETE FROM example_search_unicode WHERE example_id = OLD.id;
      UPDATE meta SET value = CAST(min(CAST(value AS INTEGER), (SELECT coalesce(max(id), 0) FROM example_rows)) AS TEXT)
        WHERE key = 'search_indexed_upto';
    END;
  `,
  // 11: indexes for the grid at a million examples. A label with an entity type (the
  // "positive label + subject type" filter) read every example of the label to test its type
  // (31,214 rows for 236 matches, 100 ms): examples_label_types answers it from the index. A
  // sort by length or an entity type sorted every example to break its ties in file order
  // (0.4 to 0.7 s a page): those indexes end in the file order now, so a page is an index
  // walk; the subject type's ties go by object type first, so that one index also serves a
  // filter on both types. (Each index an import fills costs it a few percent; the label and
  // type index leaves out the object type, whose groups would double the pages it rewrites
  // per batch.) Statistics come at once, so that the planner never guesses until the next ANALYZE.
  `
  CREATE INDEX examples_label_types ON example_rows(label_id, subj_type);
  DROP INDEX examples_length;
  CREATE INDEX examples_length ON example_rows(token_count, split_id, position);
  DROP INDEX examples_types;
  CREATE INDEX examples_types ON example_rows(subj_type, obj_type, split_id, position);
  DROP INDEX examples_obj_type;
  CREATE INDEX examples_obj_type ON example_rows(obj_type, split_id, position);
  ANALYZE examples_label_types;
  ANALYZE examples_length;
  ANALYZE examples_types;
  ANALYZE examples_obj_type;
  `,
];

/** Exported so that tests can build a project as it was just before it. */
export function teamMigrationStep(db: Db): void {
  teamMigration(db);
}

/** A name-based UUID (RFC 4122 version 5) under a fixed namespace: the same name always gives the same id. */
function legacyUid(name: string): string {
  const namespace = Buffer.from('6d1f2c8e4b9a4f0e8a3c5e7b9d1f3a5c', 'hex');
  const bytes = crypto.createHash('sha1').update(namespace).update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function teamMigration(db: Db): void {
  db.exec(`
    DROP TRIGGER decisions_no_update;
    DROP TRIGGER decisions_state_upsert;
    DROP TRIGGER decisions_state_clear;
    ALTER TABLE decisions ADD COLUMN uid TEXT;
    ALTER TABLE decisions ADD COLUMN owner TEXT;
    ALTER TABLE decisions ADD COLUMN adjudication INTEGER NOT NULL DEFAULT 0 CHECK (adjudication IN (0, 1));
  `);
  // Before this migration an undo by one annotator could revert another's batch (a bug): the
  // undo then belongs to the reverted record's owner, which keeps every example's state as it was.
  const owners = new Map<number, string>();
  const update = db.prepare('UPDATE decisions SET uid = ?, owner = ? WHERE id = ?');
  // All rows first: a statement cannot run while another is still iterating on the connection.
  const rows = db.prepare('SELECT id, batch_id AS batch, annotator, undoes FROM decisions ORDER BY id').all() as { id: number; batch: string | null; annotator: string; undoes: number | null }[];
  for (const row of rows) {
    const owner = (row.undoes === null ? undefined : owners.get(row.undoes)) ?? row.annotator;
    owners.set(row.id, owner);
    update.run(legacyUid(`${row.batch ?? ''}/${row.id}`), owner, row.id);
  }
  db.exec(`
    CREATE UNIQUE INDEX decisions_uid ON decisions(uid);
    CREATE INDEX decisions_owner ON decisions(owner, id);
    CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
      BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
    CREATE TRIGGER decisions_identified BEFORE INSERT ON decisions WHEN NEW.uid IS NULL OR NEW.owner IS NULL
      BEGIN SELECT RAISE(ABORT, 'a decision needs a uid and an owner'); END;

    -- Each annotator's current decision per example (adjudications apart).
    CREATE TABLE annotator_state (
      example_id INTEGER NOT NULL REFERENCES example_rows(id),
      annotator TEXT NOT NULL,
      decision_id INTEGER NOT NULL REFERENCES decisions(id),
      action TEXT NOT NULL CHECK (action IN ('keep', 'eliminate', 'reannotate')),
      label_id INTEGER REFERENCES labels(id),
      PRIMARY KEY (example_id, annotator)
    ) WITHOUT ROWID;
    CREATE INDEX annotator_state_annotator ON annotator_state(annotator, example_id);
    -- The current adjudication per example.
    CREATE TABLE adjudication_state (
      example_id INTEGER PRIMARY KEY REFERENCES example_rows(id),
      decision_id INTEGER NOT NULL REFERENCES decisions(id),
      action TEXT NOT NULL CHECK (action IN ('keep', 'eliminate', 'reannotate')),
      label_id INTEGER REFERENCES labels(id)
    );
    DROP TABLE decision_state;
    CREATE TABLE decision_state (
      example_id INTEGER PRIMARY KEY REFERENCES example_rows(id),
      decision_id INTEGER NOT NULL REFERENCES decisions(id),
      action TEXT NOT NULL CHECK (action IN ('keep', 'eliminate', 'reannotate', 'conflict')),
      label_id INTEGER REFERENCES labels(id),
      -- The annotators' current outcomes differ (whether or not an adjudication settles it).
      disagreement INTEGER NOT NULL CHECK (disagreement IN (0, 1)),
      adjudicated INTEGER NOT NULL CHECK (adjudicated IN (0, 1)),
      CHECK ((action = 'reannotate') = (label_id IS NOT NULL))
    );
    CREATE INDEX decision_state_action ON decision_state(action);
    CREATE INDEX decision_state_disagreement ON decision_state(example_id) WHERE disagreement = 1;

    -- A run's queue split among annotators (winnow assign); one plan at a time.
    CREATE TABLE assignment_plan (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      run_id INTEGER NOT NULL REFERENCES run_rows(id),
      seed INTEGER NOT NULL,
      overlap REAL NOT NULL,
      annotators TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE assignments (
      annotator TEXT NOT NULL,
      example_id INTEGER NOT NULL REFERENCES example_rows(id),
      PRIMARY KEY (annotator, example_id)
    ) WITHOUT ROWID;
    CREATE INDEX assignments_example ON assignments(example_id);

    INSERT INTO annotator_state (example_id, annotator, decision_id, action, label_id)
      SELECT d.example_id, d.owner, d.id, d.action, d.label_id FROM decisions d
      WHERE d.id IN (SELECT max(id) FROM decisions WHERE adjudication = 0 GROUP BY example_id, owner) AND d.action <> 'clear';
    INSERT INTO decision_state (example_id, decision_id, action, label_id, disagreement, adjudicated)
      SELECT example_id, max(decision_id),
             CASE WHEN count(DISTINCT action || '/' || coalesce(label_id, '')) = 1 THEN min(action) ELSE 'conflict' END,
             CASE WHEN count(DISTINCT action || '/' || coalesce(label_id, '')) = 1 THEN min(label_id) END,
             count(DISTINCT action || '/' || coalesce(label_id, '')) > 1, 0
      FROM annotator_state GROUP BY example_id;

    -- One trigger, so that its steps run in this order: the owner's state (or the
    -- adjudication), then the example's resolved state from both.
    CREATE TRIGGER decisions_derive_state AFTER INSERT ON decisions
    BEGIN
      DELETE FROM annotator_state WHERE NEW.adjudication = 0 AND example_id = NEW.example_id AND annotator = NEW.owner;
      INSERT INTO annotator_state (example_id, annotator, decision_id, action, label_id)
        SELECT NEW.example_id, NEW.owner, NEW.id, NEW.action, NEW.label_id WHERE NEW.adjudication = 0 AND NEW.action <> 'clear';
      DELETE FROM adjudication_state WHERE NEW.adjudication = 1 AND example_id = NEW.example_id;
      INSERT INTO adjudication_state (example_id, decision_id, action, label_id)
        SELECT NEW.example_id, NEW.id, NEW.action, NEW.label_id WHERE NEW.adjudication = 1 AND NEW.action <> 'clear';
      DELETE FROM decision_state WHERE example_id = NEW.example_id;
      INSERT INTO decision_state (example_id, decision_id, action, label_id, disagreement, adjudicated)
        SELECT a.example_id, a.decision_id, a.action, a.label_id,
               (SELECT count(DISTINCT s.action || '/' || coalesce(s.label_id, '')) > 1 FROM annotator_state s WHERE s.example_id = NEW.example_id), 1
        FROM adjudication_state a WHERE a.example_id = NEW.example_id;
      INSERT INTO decision_state (example_id, decision_id, action, label_id, disagreement, adjudicated)
        SELECT NEW.example_id, max(s.decision_id),
               CASE WHEN count(DISTINCT s.action || '/' || coalesce(s.label_id, '')) = 1 THEN min(s.action) ELSE 'conflict' END,
               CASE WHEN count(DISTINCT s.action || '/' || coalesce(s.label_id, '')) = 1 THEN min(s.label_id) END,
               count(DISTINCT s.action || '/' || coalesce(s.label_id, '')) > 1, 0
        FROM annotator_state s
        WHERE s.example_id = NEW.example_id AND NOT EXISTS (SELECT 1 FROM adjudication_state a WHERE a.example_id = NEW.example_id)
        HAVING count(*) > 0;
    END;
  `);
}

export const LATEST_SCHEMA_VERSION = migrations.length;
