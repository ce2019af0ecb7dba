/**
 * The grid's text search at scale: an FTS5 trigram index over each example's sentence and id,
 * built after import in small transactions (so it never holds the write lock for long, and the
 * import's own figure is unchanged), and used by the search once it covers the examples.
 *
 * Semantics stay exactly those of the scan it replaces, a case-insensitive (ASCII, as SQLite's
 * LIKE) substring of the sentence or the id. A phrase query of trigrams matches exactly the
 * texts that contain the query once both are case-folded; FTS5 folds Unicode case, LIKE only
 * ASCII, so the two agree on texts and queries that are all ASCII. Examples whose text is not
 * (kept in example_search_unicode while indexing) are checked with LIKE, and so is every
 * candidate of a query that is not all ASCII; the index's answer is a superset of LIKE's in
 * both cases (folding both sides keeps every equality). Measured at 1M examples: checking
 * every candidate with LIKE cost 25-100 ms of row reads; this reads only the few non-ASCII ones.
 *
 * Examples are indexed in ascending id up to a mark kept in `meta`; a search uses the index
 * for ids up to the mark and scans the rest, so it is exact at every moment of the build. A
 * trigger removes a deleted example's entry and pulls the mark back below the last example, so
 * an id SQLite hands out again (after rows at the top were removed) is indexed afresh.
 * Texts shorter than a trigram always scan.
 */
import type { Db } from './database';
import { openDatabase } from './database';

export const SEARCH_INDEX_MARK = 'search_indexed_upto';
export const SEARCH_INDEX_MIN_CHARS = 3;
/** Rows per indexing transaction: about 10 ms of work, so a decision never waits long. */
export const SEARCH_INDEX_BATCH = 2000;

export interface SearchIndexState {
  /** Examples with id <= indexedUpto are in the index. */
  indexedUpto: number;
  maxId: number;
  ready: boolean;
}

export function searchIndexState(db: Db): SearchIndexState {
  const mark = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(SEARCH_INDEX_MARK) as string | undefined;
  const maxId = (db.prepare('SELECT max(id) FROM examples').pluck().get() as number | null) ?? 0;
  // The examples_search_delete trigger keeps the mark at or below the last example; min() only
  // guards a project whose rows were removed with triggers off.
  const indexedUpto = Math.min(mark === undefined ? 0 : Number(mark), maxId);
  return { indexedUpto, maxId, ready: indexedUpto >= maxId };
}

/** Indexes the next examples after the mark in one short transaction; returns how many. */
export function indexSearchBatch(db: Db, limit = SEARCH_INDEX_BATCH): number {
  return db.transaction(() => {
    const { indexedUpto } = searchIndexState(db);
    // Never past a split still being imported: its rows are not published yet, and a mark
    // beyond them would leave them out of the index once they are. (A split's first row has
    // its smallest id; a split without rows yet gets ids above every row there is.)
    const bound =
      (db.prepare("SELECT min(e.id) FROM split_rows s CROSS JOIN example_rows e ON e.split_id = s.id AND e.position = 0 WHERE s.state <> 'published'").pluck().get() as number | null) ??
      Number.MAX_SAFE_INTEGER;
    const rows = db.prepare('SELECT id, sentence, ext_id AS extId FROM examples WHERE id > ? AND id < ? ORDER BY id LIMIT ?').all(indexedUpto, bound, limit) as { id: number; sentence: string; extId: string }[];
    if (!rows.length) return 0;
    const insert = db.prepare('INSERT INTO example_search (rowid, sentence, ext_id) VALUES (?, ?, ?)');
    const unicode = db.prepare('INSERT OR IGNORE INTO example_search_unicode (example_id) VALUES (?)');
    for (const row of rows) {
      insert.run(row.id, row.sentence, row.extId);
      if (!isAscii(row.sentence) || !isAscii(row.extId)) unicode.run(row.id);
    }
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(SEARCH_INDEX_MARK, String(rows[rows.length - 1]!.id));
    return rows.length;
  }).immediate();
}

/** Builds the whole index now (CLI, benchmarks, tests), batch by batch. */
export function buildSearchIndex(db: Db, options: { batch?: number; onProgress?: (state: SearchIndexState) => void } = {}): SearchIndexState {
  while (indexSearchBatch(db, options.batch) > 0) options.onProgress?.(searchIndexState(db));
  return searchIndexState(db);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\u0000-\u007f]/;
function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/** The text as one FTS5 phrase (its trigrams in a row), so FTS5 syntax in it is searched for, not obeyed. */
export function phraseQuery(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * Row ids of the examples whose sentence or id contains `text` (ASCII case-insensitively, as
 * LIKE), ascending: through the index where it is built, by scanning where it is not yet.
 */
export function searchExampleIds(db: Db, text: string): number[] {
  const pattern = `%${escapeLike(text)}%`;
  const like = `(e.sentence LIKE ? ESCAPE '\\' OR e.ext_id LIKE ? ESCAPE '\\')`;
  const { indexedUpto } = searchIndexState(db);
  if ([...text].length < SEARCH_INDEX_MIN_CHARS || indexedUpto === 0) {
    return db.prepare(`SELECT e.id FROM examples e WHERE ${like} ORDER BY e.id`).pluck().all(pattern, pattern) as number[];
  }
  const phrase = phraseQuery(text);
  let indexed: number[];
  if (isAscii(text)) {
    indexed = db.prepare('SELECT rowid FROM example_search WHERE example_search MATCH ? AND rowid <= ? ORDER BY rowid').pluck().all(phrase, indexedUpto) as number[];
    const unsure = db
      .prepare(`SELECT f.rowid FROM example_search f JOIN example_search_unicode u ON u.example_id = f.rowid JOIN examples e ON e.id = f.rowid WHERE example_search MATCH ? AND f.rowid <= ? AND NOT ${like}`)
      .pluck()
      .all(phrase, indexedUpto, pattern, pattern) as number[];
    if (unsure.length) {
      const drop = new Set(unsure);
      indexed = indexed.filter((id) => !drop.has(id));
    }
  } else {
    indexed = db
      .prepare(`SELECT e.id FROM example_search f JOIN examples e ON e.id = f.rowid WHERE example_search MATCH ? AND f.rowid <= ? AND ${like} ORDER BY e.id`)
      .pluck()
      .all(phrase, indexedUpto, pattern, pattern) as number[];
  }
  const rest = db.prepare(`SELECT e.id FROM examples e WHERE e.id > ? AND ${like} ORDER BY e.id`).pluck().all(indexedUpto, pattern, pattern) as number[];
  return rest.length ? indexed.concat(rest) : indexed;
}

export interface SearchIndexer {
  stop(): void;
  /** Settles when the index covers every example, or the indexer is stopped. */
  readonly done: Promise<SearchIndexState | null>;
}

/**
 * Builds the index at idle time: one batch per turn of the event loop on its own connection
 * with no busy wait, so a job holding the write lock (an import) only postpones it, and a
 * request never waits behind it for more than one batch.
 */
export function startSearchIndexer(projectPath: string, options: { batch?: number; pauseMs?: number; onReady?: (state: SearchIndexState) => void } = {}): SearchIndexer {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let finish: (state: SearchIndexState | null) => void = () => undefined;
  const done = new Promise<SearchIndexState | null>((resolve) => (finish = resolve));
  let db: Db | null = null;
  const close = (state: SearchIndexState | null) => {
    stopped = true;
    if (timer) clearTimeout(timer);
    db?.close();
    db = null;
    finish(state);
  };
  const step = () => {
    timer = null;
    if (stopped) return;
    try {
      db ??= openDatabase(projectPath);
      db.pragma('busy_timeout = 0');
      const indexed = indexSearchBatch(db, options.batch);
      if (indexed === 0) {
        const state = searchIndexState(db);
        close(state);
        options.onReady?.(state);
        return;
      }
      timer = setTimeout(step, options.pauseMs ?? 1).unref();
    } catch (error) {
      // Busy (another connection writes): try again a little later. Anything else ends the
      // indexer; searches keep scanning, so nothing is lost but speed.
      if ((error as { code?: string }).code === 'SQLITE_BUSY') timer = setTimeout(step, 200).unref();
      else close(null);
    }
  };
  // Unreferenced: an unfinished index never keeps a CLI or a test process alive.
  timer = setTimeout(step, options.pauseMs ?? 1).unref();
  return { stop: () => close(null), done };
}
