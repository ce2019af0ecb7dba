/**
 * The store under load (issue #6, part 3): bursts of 10k decisions from one connection while a
 * second connection fetches grid pages, as the UI's main thread and the job workers share a
 * project file; then a second process writing at the same time. No write may be lost, the
 * derived decision state must match the log, readers must always see a consistent current
 * state, and SQLITE_BUSY must never reach the caller (openDatabase sets busy_timeout 5000).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExampleQuery } from '../../../src/shared/domain';
import { generateSyntheticTacred } from '../../../tools/demo-generator/synthetic-tacred';
import { importSplit } from '../../../src/main/core/store/import-split';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { applyDecisions } from '../../../src/main/core/store/decisions';
import { queryExamples } from '../../../src/main/core/store/example-query';
import { checkProject, decisionStateMismatches, runChild, SOUND, writePredictions, type ChildResult } from './support';
import { mulberry32 } from '../../helpers/seeded';
import { withDb } from '../../helpers/project-db';

/** Several child processes per test; generous for a loaded 2-core CI runner. */
const SLOW = { timeout: 180_000 };
const N = 2000;
const BURST = 10_000;
let dir: string;
let base: string;
let labels: string[];
let counter = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-load-'));
  const { records } = generateSyntheticTacred({ n: N, seed: 21, idPrefix: 'ld' });
  labels = [...new Set(records.map((r) => r.relation))].sort();
  fs.writeFileSync(path.join(dir, 'train.json'), JSON.stringify(records));
  base = path.join(dir, 'base.winnow');
  const db = openDatabase(base, { create: true });
  await importSplit(db, { filePath: path.join(dir, 'train.json'), split: 'train' });
  db.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function freshProject(): string {
  const file = path.join(dir, `load-${++counter}.winnow`);
  fs.copyFileSync(base, file);
  return file;
}

const decidedPage = (offset: number) =>
  ExampleQuery.parse({ filter: { decision: 'decided' }, sort: [{ column: 'decision', direction: 'asc' }], offset, limit: 50 });

function errorCode(error: unknown): string {
  return `${(error as { code?: string }).code ?? (error as Error).name}: ${(error as Error).message}`;
}

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('the decision log under a burst of writes', () => {
  it('keeps all 10k single decisions and serves current pages from a second connection meanwhile', SLOW, () => {
    const file = freshProject();
    const writer = openDatabase(file);
    const reader = openDatabase(file);
    try {
      const examples = writer.prepare('SELECT e.id, e.ext_id AS extId, l.name AS label FROM examples e JOIN labels l ON l.id = e.label_id').all() as { id: number; extId: string; label: string }[];
      const model = new Map<string, { action: string; label: string | null }>();
      const random = mulberry32(1);
      const stale: string[] = [];
      let pages = 0;
      for (let i = 0; i < BURST; i++) {
        const example = examples[Math.floor(random() * examples.length)]!;
        const r = random();
        const action = r < 0.4 ? 'keep' : r < 0.7 ? 'eliminate' : 'reannotate';
        const label = labels[Math.floor(random() * labels.length)]!;
        applyDecisions(writer, { examples: [example.id], action, label, annotator: 'burst' });
        model.set(example.extId, action === 'reannotate' && label !== example.label ? { action, label } : { action: action === 'reannotate' ? 'keep' : action, label: null });
        if (i % 20 === 0) {
          // What the grid shows on the other connection is exactly the state just written.
          const page = queryExamples(reader, decidedPage(Math.floor(random() * Math.max(1, model.size - 50))));
          pages++;
          if (page.total !== model.size || page.decided !== model.size) stale.push(`after ${i + 1}: total ${page.total}, decided ${page.decided}, expected ${model.size}`);
          for (const row of page.rows) {
            const expected = model.get(row.id);
            if (JSON.stringify(row.decision) !== JSON.stringify(expected)) stale.push(`after ${i + 1}: ${row.id} shows ${JSON.stringify(row.decision)}, expected ${JSON.stringify(expected)}`);
          }
        }
      }
      expect(stale.slice(0, 5)).toEqual([]);
      expect(pages).toBe(BURST / 20);
      expect(reader.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(BURST);
      expect(reader.prepare('SELECT count(DISTINCT batch_id) FROM decisions').pluck().get()).toBe(BURST);
      expect(reader.prepare('SELECT count(*) FROM decision_state').pluck().get()).toBe(model.size);
      expect(decisionStateMismatches(reader)).toBe(0);
    } finally {
      reader.close();
      writer.close();
    }
  });

  it('loses nothing while another process writes 10k decisions and this one reads pages', SLOW, async () => {
    const file = freshProject();
    const child = runChild('load-writer.ts', ['decide', JSON.stringify({ project: file, count: BURST, annotator: 'child', stride: 7 })]);
    let result: ChildResult | null = null;
    void child.then((r) => (result = r));
    const reader = openDatabase(file);
    try {
      const readErrors: string[] = [];
      const backwards: string[] = [];
      let lastDecided = 0;
      let lastLog = 0;
      while (result === null) {
        try {
          const page = queryExamples(reader, decidedPage(0));
          // Only keep and eliminate are written, so what is decided only grows.
          if (page.decided < lastDecided) backwards.push(`${lastDecided} -> ${page.decided}`);
          lastDecided = page.decided;
          if (page.rows.some((row) => row.decision === null)) backwards.push('an undecided row under the "decided" filter');
          const log = reader.prepare('SELECT count(*) FROM decisions').pluck().get() as number;
          if (log < lastLog) backwards.push(`log ${lastLog} -> ${log}`);
          lastLog = log;
        } catch (error) {
          readErrors.push(errorCode(error));
        }
        await pause();
      }
      const finished = result as ChildResult;
      expect(readErrors).toEqual([]);
      expect(backwards).toEqual([]);
      expect(finished.lines.filter((l) => l.startsWith('error')).slice(0, 5), finished.stderr).toEqual([]);
      expect(finished.lines.at(-1)).toBe(`done ${BURST} 0`);
      expect(reader.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(BURST);
      expect(decisionStateMismatches(reader)).toBe(0);
    } finally {
      reader.close();
    }
  });

  it('never surfaces SQLITE_BUSY when this process and another both write decisions', SLOW, async () => {
    const file = freshProject();
    let started!: () => void;
    const ready = new Promise<void>((resolve) => (started = resolve));
    // Both writers leave the lock free for a moment after each decision, as a person deciding
    // does: two loops that never pause only starve each other (SQLite's busy handler keeps no
    // queue, so a waiter can lose every retry for the whole busy timeout on a loaded machine),
    // which no user's decisions do.
    const child = runChild('load-writer.ts', ['decide', JSON.stringify({ project: file, count: BURST / 2, annotator: 'child', stride: 3, pauseMs: 1 })], {
      onLine: (line) => {
        if (line === 'start') started();
      },
    });
    await ready;
    const writer = openDatabase(file);
    const errors: string[] = [];
    try {
      const ids = writer.prepare('SELECT id FROM examples ORDER BY id').pluck().all() as number[];
      for (let k = 0; k < BURST / 2; k++) {
        try {
          applyDecisions(writer, { examples: [ids[(k * 5) % ids.length]!], action: k % 3 ? 'eliminate' : 'keep', annotator: 'main' });
        } catch (error) {
          errors.push(errorCode(error));
        }
        await pause();
      }
      const finished = await child;
      expect(errors.slice(0, 5), `${errors.length} of this process's decisions failed`).toEqual([]);
      const childErrors = finished.lines.filter((l) => l.startsWith('error'));
      expect(childErrors.slice(0, 5), `${childErrors.length} of the other process's decisions failed`).toEqual([]);
      expect(writer.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(BURST);
      expect(writer.prepare("SELECT count(*) FROM decisions WHERE annotator = 'main'").pluck().get()).toBe(BURST / 2);
      expect(decisionStateMismatches(writer)).toBe(0);
    } finally {
      writer.close();
    }
  });

  it('never surfaces SQLITE_BUSY when the user decides while a job imports and ranks', SLOW, async () => {
    const file = freshProject();
    const extra = generateSyntheticTacred({ n: 4000, seed: 22, idPrefix: 'jb' }).records;
    const imports = [0, 1].map((i) => {
      const split = `job${i}`;
      const splitFile = path.join(dir, `${split}.json`);
      fs.writeFileSync(splitFile, JSON.stringify(extra.slice(i * 2000, (i + 1) * 2000)));
      return { file: splitFile, split };
    });
    const all = withDb(file, (db) => db.prepare('SELECT e.ext_id AS id, l.name AS label FROM examples e JOIN labels l ON l.id = e.label_id').all() as { id: string; label: string }[]);
    const predictions = path.join(dir, 'job-predictions.jsonl');
    const allLabels = [...new Set([...labels, ...extra.map((r) => r.relation)])].sort();
    writePredictions(predictions, [...all, ...extra.map((r) => ({ id: r.id, label: r.relation }))], allLabels, 9);

    let result: ChildResult | null = null;
    let started!: () => void;
    const ready = new Promise<void>((resolve) => (started = resolve));
    void runChild('load-writer.ts', ['job', JSON.stringify({ project: file, imports, predictions })], {
      onLine: (line) => {
        if (line === 'start') started();
      },
    }).then((r) => (result = r));
    await ready;
    const writer = openDatabase(file);
    const errors: string[] = [];
    let written = 0;
    try {
      const ids = writer.prepare('SELECT id FROM examples ORDER BY id').pluck().all() as number[];
      const random = mulberry32(5);
      while (result === null) {
        for (let k = 0; k < 20; k++) {
          try {
            applyDecisions(writer, { examples: [ids[Math.floor(random() * ids.length)]!], action: random() < 0.5 ? 'keep' : 'eliminate', annotator: 'user' });
            written++;
          } catch (error) {
            errors.push(errorCode(error));
          }
        }
        queryExamples(writer, decidedPage(0));
        await pause();
      }
      const finished = result as ChildResult;
      expect(errors.slice(0, 5), `${errors.length} decisions failed while the job ran`).toEqual([]);
      expect(finished.lines.filter((l) => l.startsWith('error')), finished.stderr).toEqual([]);
      expect(finished.lines.at(-1)).toBe('done 3 0');
      expect(writer.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(written);
      expect(checkProject(writer, { train: N, job0: 2000, job1: 2000 })).toEqual(SOUND);
      expect(writer.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(1);
    } finally {
      writer.close();
    }
  });
});

