/**
 * Crash tests: import, ranking, decision bursts and export run in a child process that is
 * SIGKILLed at exact points (the child freezes at a chosen marker or statement count, so no
 * kill depends on timing). After each kill the project must be
 * sound (integrity_check ok, a split or run is there whole or not at all, decision state
 * matches the log), every acknowledged decision must be in the log, no export file may be
 * half-written under its final name, and the interrupted job must run again and complete.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticTacred, type SyntheticRecord } from '../../../tools/demo-generator/synthetic-tacred';
import { exportDataset, type ExportDatasetOptions } from '../../../src/main/core/export/export-modes';
import type { ExportManifest } from '../../../src/main/core/export/manifest';
import { importSplit } from '../../../src/main/core/store/import-split';
import { rankProject } from '../../../src/main/core/ranking/rank-project';
import type { RankOptionsInput } from '../../../src/main/core/ranking/rank-options';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { applyDecisions, undoLast } from '../../../src/main/core/store/decisions';
import { exportDecisionLog, importDecisionLog } from '../../../src/main/core/store/decision-exchange';
import { testCore } from '../../helpers/core';
import type { PausePoint } from './children/crash-child';
import { checkProject, NOTHING_UNPUBLISHED, runChild, sha256, SOUND, tableCounts, unpublishedRows, writePredictions, type ChildResult } from './support';
import { mulberry32 } from '../../helpers/seeded';

/** Several child processes per test; generous for a loaded 2-core CI runner. */
const SLOW = { timeout: 180_000 };
const N_TRAIN = 4000;
// Enough records for four progress reports (one after a commit, at most every 2,000 records)
// even when every batch is the largest (4,096): a fast machine reported only twice on 10k,
// and the kill at the third report never came.
const N_DEV = 20_000;
const N_SMALL = 300;
let dir: string;
let train: SyntheticRecord[];
let labels: string[];
const SIZES = { train: N_TRAIN, dev: N_DEV };

/** A copy of a closed project file under a new name. */
function copyProject(from: string, name: string): string {
  const to = path.join(dir, name);
  fs.copyFileSync(from, to);
  return to;
}

function withProject<T>(file: string, work: (db: Db) => T): T {
  const db = openDatabase(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

async function withProjectAsync<T>(file: string, work: (db: Db) => Promise<T>): Promise<T> {
  const db = openDatabase(file);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

function describeRun(seed: number, result: ChildResult): string {
  return `seed ${seed}: code ${result.code}, signal ${result.signal}, last lines ${JSON.stringify(result.lines.slice(-3))}, stderr ${result.stderr.slice(-800)}`;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-crash-'));
  train = generateSyntheticTacred({ n: N_TRAIN, seed: 11, idPrefix: 'tr' }).records;
  const dev = generateSyntheticTacred({ n: N_DEV, seed: 12, idPrefix: 'dv' }).records;
  fs.writeFileSync(path.join(dir, 'train.json'), JSON.stringify(train));
  fs.writeFileSync(path.join(dir, 'dev.json'), JSON.stringify(dev, null, 1));
  fs.writeFileSync(path.join(dir, 'dev.jsonl'), dev.map((r) => JSON.stringify(r)).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'small.json'), JSON.stringify(generateSyntheticTacred({ n: N_SMALL, seed: 5, idPrefix: 'sm' }).records));
  labels = [...new Set([...train, ...dev].map((r) => r.relation))].sort();
  writePredictions(path.join(dir, 'predictions.jsonl'), train.map((r) => ({ id: r.id, label: r.relation })), labels, 3);

  const base = openDatabase(path.join(dir, 'base.winnow'), { create: true });
  await importSplit(base, { filePath: path.join(dir, 'train.json'), split: 'train' });
  base.close();
  const small = openDatabase(path.join(dir, 'small.winnow'), { create: true });
  await importSplit(small, { filePath: path.join(dir, 'small.json'), split: 'train' });
  small.close();
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the child until it freezes at `pause`, then kills it there. */
async function killAt(mode: string, config: Record<string, unknown>, pause: PausePoint, env?: NodeJS.ProcessEnv): Promise<ChildResult> {
  const result = await runChild('crash-child.ts', [mode, JSON.stringify({ ...config, pause })], {
    ...(env ? { env } : {}),
    onLine: (line, kill) => {
      if (line === 'paused') kill(0);
    },
  });
  expect(result.killed && result.signal === 'SIGKILL' && result.lines.includes('paused'), `stopped at ${JSON.stringify(pause)}: ${describeRun(0, result)}`).toBe(true);
  return result;
}

/** Removes what a killed job left unpublished the way the app does at open: in the background. */
async function reopenInApp(project: string, n: string): Promise<void> {
  const { core } = testCore(path.join(dir, `data-${n}`));
  core.openProject(project);
  await core.whenIdle();
  core.closeProject();
}

describe('a killed import', () => {
  it('never shows a half-imported split, whatever the kill point; what it left is removed at the next open or import, which then completes', SLOW, async () => {
    const random = mulberry32(1);
    // The import commits in batches into an unpublished split and publishes it at the end.
    const points: { pause: PausePoint; batches: boolean }[] = [
      // Right after the unpublished split's row is written, before any batch.
      { pause: { marker: 'start', afterRuns: 1 }, batches: false },
      // Progress is reported right after a commit: these stop between two batches.
      { pause: { marker: 'progress reading records', occurrence: 1 }, batches: true },
      { pause: { marker: 'progress reading records', occurrence: 2 + Math.floor(random() * 2) }, batches: true },
      // Inside a batch's transaction, a seeded number of inserts after a commit.
      { pause: { marker: 'progress reading records', occurrence: 1, afterRuns: 1 + Math.floor(random() * 300) }, batches: true },
      { pause: { marker: 'progress reading records', occurrence: 2, afterRuns: 1 + Math.floor(random() * 3000) }, batches: true },
      // Every batch committed, the one publishing update not yet run.
      { pause: { marker: 'progress committing' }, batches: true },
    ];
    for (const [seed, { pause, batches }] of points.entries()) {
      const file = path.join(dir, seed % 2 ? 'dev.json' : 'dev.jsonl');
      const project = copyProject(path.join(dir, 'base.winnow'), `import-${seed}.winnow`);
      const result = await killAt('import', { project, file, split: 'dev' }, pause);
      withProject(project, (db) => {
        expect(checkProject(db, SIZES), describeRun(seed, result)).toEqual(SOUND);
        // Killed before publishing: no reader sees the split or any of its examples.
        expect(db.prepare("SELECT count(*) FROM splits WHERE name = 'dev'").pluck().get()).toBe(0);
        expect(db.prepare('SELECT count(*) FROM examples').pluck().get()).toBe(N_TRAIN);
        // ...although the batches it committed are in the file, unpublished.
        const left = unpublishedRows(db);
        expect(left.splits, describeRun(seed, result)).toBe(1);
        if (batches) expect(left.examples).toBeGreaterThan(0);
        expect(left.records).toBe(left.examples);
      });
      // Alternately the app's open (in the background) and the next import remove them.
      if (seed % 2 === 0) {
        await reopenInApp(project, `import-${seed}`);
        withProject(project, (db) => expect(unpublishedRows(db)).toEqual(NOTHING_UNPUBLISHED));
      }
      const db = openDatabase(project);
      try {
        const again = await importSplit(db, { filePath: file, split: 'dev' });
        expect(again.imported).toBe(N_DEV);
        expect(checkProject(db, SIZES)).toEqual(SOUND);
        expect(unpublishedRows(db)).toEqual(NOTHING_UNPUBLISHED);
        expect(db.prepare('SELECT count(*) FROM example_rows').pluck().get()).toBe(N_TRAIN + N_DEV);
      } finally {
        db.close();
      }
    }
  });
});

describe('a killed ranking run', () => {
  const predictionsOptions = (): RankOptionsInput => ({
    model: { kind: 'predictions', file: path.join(dir, 'predictions.jsonl') },
    strategies: ['is', 'cl', 'knn'],
  });

  it('(imported predictions) never shows a run without all its predictions, flags and queue; the next ranking removes what it left and completes', SLOW, async () => {
    const random = mulberry32(101);
    const points: { pause: PausePoint; rows: boolean }[] = [
      // While a strategy runs: nothing written yet.
      { pause: { marker: 'phase strategy CL' }, rows: false },
      // Inside the transaction that writes the unpublished run's row.
      { pause: { marker: 'phase saving', afterRuns: 1 }, rows: false },
      // Between two batches ("saved" is printed after each commit), early and later.
      { pause: { marker: 'saved', occurrence: 1 }, rows: true },
      { pause: { marker: 'saved', occurrence: 2 + Math.floor(random() * 3) }, rows: true },
      // Inside a batch, a seeded number of rows after a commit.
      { pause: { marker: 'saved', occurrence: 1, afterRuns: 1 + Math.floor(random() * 400) }, rows: true },
    ];
    for (const [seed, { pause, rows }] of points.entries()) {
      const project = copyProject(path.join(dir, 'base.winnow'), `rank-${seed}.winnow`);
      const result = await killAt('rank', { project, options: predictionsOptions() }, pause);
      withProject(project, (db) => {
        expect(checkProject(db, SIZES), describeRun(seed, result)).toEqual(SOUND);
        expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0);
        const left = unpublishedRows(db);
        if (rows) expect(left.runs === 1 && left.runRows > 0, `${describeRun(seed, result)}: ${JSON.stringify(left)}`).toBe(true);
      });
      if (seed % 2 === 1) {
        await reopenInApp(project, `rank-${seed}`);
        withProject(project, (db) => expect(unpublishedRows(db)).toEqual(NOTHING_UNPUBLISHED));
      }
      const db = openDatabase(project);
      try {
        const again = await rankProject(db, predictionsOptions());
        expect(again.examples).toBe(N_TRAIN);
        expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(1);
        expect(db.prepare('SELECT count(*) FROM predictions WHERE run_id = ?').pluck().get(again.runId)).toBe(N_TRAIN);
        expect(checkProject(db, SIZES)).toEqual(SOUND);
        expect(unpublishedRows(db)).toEqual(NOTHING_UNPUBLISHED);
        expect(db.prepare('SELECT count(*) FROM predictions').pluck().get()).toBe(N_TRAIN);
      } finally {
        db.close();
      }
    }
  });

  it('(built-in model, small set) stores nothing when killed while training or inferring, and its temporary model folder goes at the next ranking', SLOW, async () => {
    const options: RankOptionsInput = { model: { kind: 'builtin' }, strategies: ['is', 'cl', 'knn'], folds: 2 };
    for (const [i, marker] of ['phase training: fold 2 of 2', 'phase inference'].entries()) {
      const tmp = path.join(dir, `builtin-tmp-${i}`);
      fs.mkdirSync(tmp);
      const project = copyProject(path.join(dir, 'small.winnow'), `builtin-${i}.winnow`);
      const result = await killAt('rank', { project, options }, { marker }, { TMPDIR: tmp });
      withProject(project, (db) => {
        expect(checkProject(db, { train: N_SMALL }), describeRun(i, result)).toEqual(SOUND);
        expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0);
      });
      const leftover = () => fs.readdirSync(tmp).filter((name) => name.startsWith('winnow-builtin-'));
      // Killed while inferring, the model packages it was running are still on disk.
      if (marker === 'phase inference') expect(leftover().length).toBe(1);
      const db = openDatabase(project);
      const previousTmp = process.env.TMPDIR;
      process.env.TMPDIR = tmp;
      try {
        const again = await rankProject(db, options);
        expect(again.examples).toBe(N_SMALL);
        expect(checkProject(db, { train: N_SMALL })).toEqual(SOUND);
        expect(leftover()).toEqual([]);
      } finally {
        if (previousTmp === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = previousTmp;
        db.close();
      }
    }
  });
});

describe('a killed burst of decisions', () => {
  it('keeps every acknowledged decision and a state that matches the log', SLOW, async () => {
    for (const seed of [1, 2, 3]) {
      const random = mulberry32(200 + seed);
      const project = copyProject(path.join(dir, 'base.winnow'), `decide-${seed}.winnow`);
      const killAfterAcks = 200 + Math.floor(random() * 1500);
      const result = await runChild('crash-child.ts', ['decide', JSON.stringify({ project, seed, count: 1_000_000 })], {
        onLine: (line, kill) => {
          if (line.startsWith(`ack ${killAfterAcks} `)) kill(Math.floor(random() * 5));
        },
      });
      expect(result.killed && result.signal === 'SIGKILL', describeRun(seed, result)).toBe(true);
      // Every ack the child managed to write before it died counts, also those still in the
      // pipe when the kill was sent; a line cut short by the kill is no ack.
      const acked = new Map<string, number>();
      let lastAck = 0;
      for (const line of result.lines) {
        const match = /^ack (\d+) (\S+) (\d+)$/.exec(line);
        if (!match) continue;
        lastAck = Number(match[1]);
        if (match[2] !== '-') acked.set(match[2]!, Number(match[3]));
      }
      expect(lastAck).toBeGreaterThanOrEqual(killAfterAcks);
      const db = openDatabase(project);
      try {
        expect(checkProject(db, SIZES), describeRun(seed, result)).toEqual(SOUND);
        const inBatch = db.prepare('SELECT count(*) FROM decisions WHERE batch_id = ?').pluck();
        const missing = [...acked].filter(([batch, count]) => inBatch.get(batch) !== count);
        expect(missing, `acknowledged batches missing after the kill (last ack ${lastAck})`).toEqual([]);
        const batches = db.prepare('SELECT count(DISTINCT batch_id) FROM decisions').pluck().get() as number;
        // At most the one batch in flight when the kill came is there without its ack.
        expect(batches - acked.size).toBeGreaterThanOrEqual(0);
        expect(batches - acked.size).toBeLessThanOrEqual(1);
        // Deciding goes on where it stopped.
        const id = db.prepare('SELECT id FROM examples LIMIT 1').pluck().get() as number;
        expect(applyDecisions(db, { examples: [id], action: 'eliminate', annotator: 'after' }).count).toBe(1);
        expect(undoLast(db, 'after').count).toBe(1);
        expect(checkProject(db, SIZES)).toEqual(SOUND);
      } finally {
        db.close();
      }
    }
  });
});

describe('a killed merge of a decision log', () => {
  it('leaves the project exactly as it was at any kill point, and the merge runs again to completion', SLOW, async () => {
    // Three annotators' work (decisions, undos, redos, an adjudication) in one copy, merged into another.
    const source = copyProject(path.join(dir, 'small.winnow'), 'merge-source.winnow');
    const log = path.join(dir, 'merge.jsonl');
    const records = await withProjectAsync(source, async (db) => {
      const ids = db.prepare('SELECT id FROM examples ORDER BY id').pluck().all() as number[];
      const random = mulberry32(31);
      for (let n = 0; n < 900; n++) {
        const annotator = ['ann', 'ben', 'cat'][n % 3]!;
        if (random() < 0.1) undoLast(db, annotator);
        else {
          const action = (['keep', 'eliminate', 'reannotate'] as const)[Math.floor(random() * 3)]!;
          applyDecisions(db, { examples: [ids[Math.floor(random() * ids.length)]!], action, label: labels[Math.floor(random() * labels.length)], annotator, adjudication: n % 50 === 0 });
        }
      }
      return (await exportDecisionLog(db, { outPath: log, appVersion: 'crash-test', projectName: 'source' })).records;
    });
    const base = copyProject(path.join(dir, 'small.winnow'), 'merge-base.winnow');
    // The target has decisions of its own, which the merge must keep.
    withProject(base, (db) => applyDecisions(db, { examples: [1, 2, 3], action: 'eliminate', annotator: 'own' }));
    const before = withProject(base, (db) => ({ counts: tableCounts(db), log: db.prepare('SELECT * FROM decisions ORDER BY id').all(), state: db.prepare('SELECT * FROM decision_state ORDER BY example_id').all() }));
    const random = mulberry32(41);
    // Statements the merge runs: one insert per record, one per label the target lacks, then
    // the derived state recomputed in 7 statements (a merge this large sets the trigger aside).
    const newLabels = withProject(base, (db) => {
      const known = new Set(db.prepare('SELECT name FROM labels').pluck().all() as string[]);
      const inLog = fs.readFileSync(log, 'utf8').trim().split('\n').slice(1).map((l) => (JSON.parse(l) as { label: string | null }).label);
      return new Set(inLog.filter((l): l is string => l !== null && !known.has(l))).size;
    });
    const statements = records + newLabels + 7;
    // Inside the one transaction: after the first insert, after a seeded number of them, after
    // the last insert, and after the last statement (the trigger dropped, not yet put back).
    const points: PausePoint[] = [
      { marker: 'start', afterRuns: 1 },
      ...[0, 1, 2].map(() => ({ marker: 'start', afterRuns: 1 + Math.floor(random() * records) })),
      { marker: 'start', afterRuns: records + newLabels },
      { marker: 'start', afterRuns: statements },
    ];
    for (const [seed, pause] of points.entries()) {
      const project = copyProject(base, `merge-${seed}.winnow`);
      await killAt('import-decisions', { project, file: log }, pause);
      withProject(project, (db) => {
        expect(checkProject(db, { train: N_SMALL })).toEqual(SOUND);
        expect({ counts: tableCounts(db), log: db.prepare('SELECT * FROM decisions ORDER BY id').all(), state: db.prepare('SELECT * FROM decision_state ORDER BY example_id').all() }, `killed at ${JSON.stringify(pause)}`).toEqual(before);
        expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'decisions_derive_state'").pluck().get()).toBe(1);
      });
      const again = await withProjectAsync(project, (db) => importDecisionLog(db, log));
      expect(again).toMatchObject({ records, imported: records, alreadyPresent: 0 });
      withProject(project, (db) => {
        expect(checkProject(db, { train: N_SMALL })).toEqual(SOUND);
        expect(db.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(records + 3);
        // The trigger that keeps the state is there, killed merge or not.
        expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'decisions_derive_state'").pluck().get()).toBe(1);
      });
    }
  });
});

describe('a killed export', () => {
  const ROLES = ['', '.tacrev.json', '.eliminated.json', '.decisions.csv', '.manifest.json'];
  let exportProject: string;
  let previousDir: string;
  let referenceDir: string;
  const exportOptions = (outPath: string): ExportDatasetOptions => ({
    split: 'train',
    mode: 'reviewed',
    apply: 'both',
    format: 'jsonl',
    patch: 'tacrev',
    outPath,
    appVersion: 'crash-test',
  });
  const files = (folder: string) => ROLES.map((suffix) => path.join(folder, `train.jsonl${suffix}`));

  beforeAll(async () => {
    // The previous export comes from a first round of decisions, the new one from a second.
    exportProject = copyProject(path.join(dir, 'base.winnow'), 'export.winnow');
    previousDir = path.join(dir, 'export-previous');
    referenceDir = path.join(dir, 'export-reference');
    const db = openDatabase(exportProject);
    try {
      const ids = db.prepare('SELECT id FROM examples ORDER BY id').pluck().all() as number[];
      const random = mulberry32(7);
      const decide = (n: number) => {
        for (let i = 0; i < n; i++) {
          const example = ids[Math.floor(random() * ids.length)]!;
          if (random() < 0.5) applyDecisions(db, { examples: [example], action: 'eliminate', annotator: 'x' });
          else applyDecisions(db, { examples: [example], action: 'reannotate', label: labels[Math.floor(random() * labels.length)], annotator: 'x' });
        }
      };
      decide(150);
      await exportDataset(db, exportOptions(`${previousDir}/train.jsonl`));
      decide(150);
      await exportDataset(db, exportOptions(`${referenceDir}/train.jsonl`));
    } finally {
      db.close();
    }
  });

  /** The outputs a manifest lists, by bare file name. */
  function listed(manifestFile: string): Map<string, string> {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as ExportManifest;
    return new Map(manifest.outputs.map((o) => [o.file, o.sha256]));
  }

  /** Which version each final name holds: 'previous', 'new', 'absent', or 'other' (a part, a mix). */
  function versions(folder: string): string[] {
    const previous = files(previousDir).map((f) => sha256(f));
    const reference = files(referenceDir).map((f) => sha256(f));
    return files(folder).map((file, i) => {
      if (!fs.existsSync(file)) return 'absent';
      const hash = sha256(file);
      if (hash === previous[i]) return 'previous';
      if (i < 4) return hash === reference[i] ? 'new' : 'other';
      // A manifest differs run to run only in createdAt; it is new if it lists the new set.
      return JSON.stringify([...listed(file)]) === JSON.stringify([...listed(files(referenceDir)[4]!)]) ? 'new' : 'other';
    });
  }

  const leftovers = (folder: string) => fs.readdirSync(folder).filter((name) => name.startsWith('.'));

  // Every point of the export at which a kill can land: each progress phase, the commit
  // journal's own rename (the commit point), and between any two renames of the outputs.
  const POINTS: PausePoint[] = [
    ...['planning', 'writing', 'decisions', 'manifest', 'committing'].map((phase) => ({ marker: `progress ${phase}` })),
    { marker: 'renamed .train.jsonl.commit-journal.json' },
    ...ROLES.map((suffix) => ({ marker: `renamed train.jsonl${suffix}` })),
  ];

  it('leaves the whole previous unit (or nothing) or the whole new unit after a kill at any point', SLOW, async () => {
    const cases = [...POINTS.map((pause) => ({ pause, hadPrevious: true })), ...POINTS.slice(4, 8).map((pause) => ({ pause, hadPrevious: false }))];
    for (const [n, { pause, hadPrevious }] of cases.entries()) {
      const context = `kill at "${pause.marker}"${hadPrevious ? '' : ' (no previous export)'}`;
      const project = copyProject(exportProject, `export-${n}.winnow`);
      const folder = path.join(dir, `export-${n}`);
      fs.mkdirSync(folder);
      if (hadPrevious) for (const [i, file] of files(previousDir).entries()) fs.copyFileSync(file, files(folder)[i]!);
      const before = hadPrevious ? 'previous' : 'absent';
      await killAt('export', { project, options: exportOptions(`${folder}/train.jsonl`) }, pause);

      // Before any recovery: every final name holds a whole file, and without a journal the
      // unit is not mixed (a journal marks a commit in progress, which recovery finishes).
      const seen = versions(folder);
      expect(seen, `${context}: a final name holds a partial file`).not.toContain('other');
      const journal = fs.existsSync(path.join(folder, '.train.jsonl.commit-journal.json'));
      if (!journal) expect(new Set(seen).size, `${context}: mixed unit without a journal: ${seen.join(', ')}`).toBe(1);

      // Opening the project finishes the interrupted commit and sweeps the temporary files.
      const { core } = testCore(path.join(dir, `data-${n}`));
      core.openProject(project);
      core.closeProject();
      const after = versions(folder);
      const whole = after.every((v) => v === before) || after.every((v) => v === 'new');
      expect(whole, `${context}: after recovery the unit is ${after.join(', ')}`).toBe(true);
      if (journal) expect(after.every((v) => v === 'new'), `${context}: a journal means the new unit`).toBe(true);
      expect(leftovers(folder), `${context}: temporary files left`).toEqual([]);
      withProject(project, (db) => {
        expect(checkProject(db, SIZES)).toEqual(SOUND);
        expect(db.prepare("SELECT count(*) FROM exports WHERE state = 'committing'").pluck().get()).toBe(0);
      });

      // Exporting again completes and replaces everything with a consistent set.
      const db = openDatabase(project);
      try {
        await exportDataset(db, exportOptions(`${folder}/train.jsonl`));
      } finally {
        db.close();
      }
      expect(versions(folder)).toEqual(ROLES.map(() => 'new'));
      const manifest = listed(files(folder)[4]!);
      for (const file of files(folder).slice(0, 4)) expect(manifest.get(path.basename(file))).toBe(sha256(file));
      expect(leftovers(folder)).toEqual([]);
    }
  });

  it('finishes an interrupted commit before the next export into the same folder', SLOW, async () => {
    const project = copyProject(exportProject, 'export-again.winnow');
    const folder = path.join(dir, 'export-again');
    fs.mkdirSync(folder);
    for (const [i, file] of files(previousDir).entries()) fs.copyFileSync(file, files(folder)[i]!);
    await killAt('export', { project, options: exportOptions(`${folder}/train.jsonl`) }, { marker: 'renamed train.jsonl.tacrev.json' });
    expect(fs.existsSync(path.join(folder, '.train.jsonl.commit-journal.json'))).toBe(true);
    // A different export into the folder: the journal's renames land first, then the new file.
    const db = openDatabase(project);
    try {
      await exportDataset(db, { ...exportOptions(`${folder}/other.jsonl`), patch: undefined });
    } finally {
      db.close();
    }
    expect(versions(folder)).toEqual(ROLES.map(() => 'new'));
    expect(leftovers(folder)).toEqual([]);
  });
});
