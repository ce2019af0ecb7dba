/**
 * Crash tests (issue #6, part 1): import, ranking, decision bursts and export run in a child
 * process that is SIGKILLed at seeded random points. After each kill the project must be
 * sound (integrity_check ok, a split or run is there whole or not at all, decision state
 * matches the log), every acknowledged decision must be in the log, no export file may be
 * half-written under its final name, and the interrupted job must run again and complete.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticTacred, type TacredLikeRecord } from '../../../src/main/core/demo/synthetic-tacred';
import { exportDataset, type ExportDatasetOptions } from '../../../src/main/core/export/export-modes';
import type { ExportManifest } from '../../../src/main/core/export/manifest';
import { importSplit } from '../../../src/main/core/io/import-split';
import { rankProject } from '../../../src/main/core/ranking/rank-project';
import type { RankOptionsInput } from '../../../src/main/core/ranking/rank-options';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { applyDecisions, undoLast } from '../../../src/main/core/store/decisions';
import { checkProject, rng, runChild, sha256, SOUND, writePredictions, type ChildResult } from './support';

/** Several child processes per test; generous for a loaded 2-core CI runner. */
const SLOW = { timeout: 180_000 };
const N_TRAIN = 4000;
const N_DEV = 10_000;
const N_SMALL = 300;
let dir: string;
let train: TacredLikeRecord[];
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

function describeRun(seed: number, result: ChildResult): string {
  return `seed ${seed}: code ${result.code}, signal ${result.signal}, last lines ${JSON.stringify(result.lines.slice(-3))}, stderr ${result.stderr.slice(-800)}`;
}

/** The child did not fail on its own: it finished, or it was killed by the harness. */
function expectKilledOrDone(seed: number, result: ChildResult): void {
  const ok = (result.killed && result.signal === 'SIGKILL') || (result.done && result.code === 0);
  expect(ok, describeRun(seed, result)).toBe(true);
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

describe('a killed import', () => {
  it('leaves no half-imported split, and the import runs again to completion', SLOW, async () => {
    let interrupted = 0;
    for (const seed of [1, 2, 3, 4]) {
      const random = rng(seed);
      const file = path.join(dir, seed % 2 ? 'dev.json' : 'dev.jsonl');
      const project = copyProject(path.join(dir, 'base.winnow'), `import-${seed}.winnow`);
      // Kill after the k-th progress marker (seed 4: just as the commit starts).
      const killOn = seed === 4 ? 'progress committing' : 'progress reading records';
      let seen = 0;
      const target = 1 + Math.floor(random() * 3);
      const delay = Math.floor(random() * (seed === 4 ? 15 : 60));
      const result = await runChild('crash-child.ts', ['import', JSON.stringify({ project, file, split: 'dev' })], {
        onLine: (line, kill) => {
          if (line.startsWith(killOn) && ++seen === target) kill(delay);
        },
      });
      expectKilledOrDone(seed, result);
      if (result.killed) interrupted++;

      withProject(project, (db) => {
        expect(checkProject(db, SIZES), describeRun(seed, result)).toEqual(SOUND);
        const dev = db.prepare("SELECT count FROM splits WHERE name = 'dev'").pluck().get() as number | undefined;
        // The split is absent or whole (checkProject compared it with the file); "done" means it is there.
        if (result.done) expect(dev).toBe(N_DEV);
      });
      // Run the import again when the kill left the split out.
      const absent = withProject(project, (db) => db.prepare("SELECT 1 FROM splits WHERE name = 'dev'").get() === undefined);
      if (absent) {
        const db = openDatabase(project);
        try {
          const again = await importSplit(db, { filePath: file, split: 'dev' });
          expect(again.imported).toBe(N_DEV);
          expect(checkProject(db, SIZES)).toEqual(SOUND);
        } finally {
          db.close();
        }
      }
      withProject(project, (db) => expect(db.prepare('SELECT count(*) FROM examples').pluck().get()).toBe(N_TRAIN + N_DEV));
    }
    expect(interrupted, 'at least one import was killed before it finished').toBeGreaterThan(0);
  });
});

describe('a killed ranking run', () => {
  const predictionsOptions = (): RankOptionsInput => ({
    model: { kind: 'predictions', file: path.join(dir, 'predictions.jsonl') },
    strategies: ['is', 'cl', 'knn'],
  });

  it('(imported predictions) stores no run without all its predictions, flags and queue, and ranks again', SLOW, async () => {
    let interrupted = 0;
    for (const seed of [1, 2, 3]) {
      const random = rng(100 + seed);
      const project = copyProject(path.join(dir, 'base.winnow'), `rank-${seed}.winnow`);
      // Mostly while the run is being saved (the one transaction that matters), once earlier.
      const killOn = seed === 3 ? 'phase strategy CL' : 'phase saving';
      const delay = Math.floor(random() * 45);
      const result = await runChild('crash-child.ts', ['rank', JSON.stringify({ project, options: predictionsOptions() })], {
        onLine: (line, kill) => {
          if (line === killOn) kill(delay);
        },
      });
      expectKilledOrDone(seed, result);
      if (result.killed) interrupted++;
      const runsBefore = withProject(project, (db) => {
        expect(checkProject(db, SIZES), describeRun(seed, result)).toEqual(SOUND);
        const runs = db.prepare('SELECT count(*) FROM runs').pluck().get() as number;
        if (result.done) expect(runs).toBe(1);
        return runs;
      });
      const db = openDatabase(project);
      try {
        const again = await rankProject(db, predictionsOptions());
        expect(again.examples).toBe(N_TRAIN);
        expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(runsBefore + 1);
        expect(db.prepare('SELECT count(*) FROM predictions WHERE run_id = ?').pluck().get(again.runId)).toBe(N_TRAIN);
        expect(checkProject(db, SIZES)).toEqual(SOUND);
      } finally {
        db.close();
      }
    }
    expect(interrupted, 'at least one ranking was killed before it finished').toBeGreaterThan(0);
  });

  it('(built-in model, small set) stores nothing when killed while training or inferring', SLOW, async () => {
    const tmp = path.join(dir, 'builtin-tmp');
    fs.mkdirSync(tmp);
    const project = copyProject(path.join(dir, 'small.winnow'), 'builtin.winnow');
    const options: RankOptionsInput = { model: { kind: 'builtin' }, strategies: ['is', 'cl', 'knn'], folds: 2 };
    const result = await runChild('crash-child.ts', ['rank', JSON.stringify({ project, options })], {
      env: { TMPDIR: tmp },
      onLine: (line, kill) => {
        if (line === 'phase training: fold 2 of 2' || line === 'phase inference') kill(line === 'phase inference' ? 20 : 0);
      },
    });
    expectKilledOrDone(0, result);
    withProject(project, (db) => {
      expect(checkProject(db, { train: N_SMALL }), describeRun(0, result)).toEqual(SOUND);
      if (result.killed) expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0);
    });
    const db = openDatabase(project);
    try {
      const again = await rankProject(db, options);
      expect(again.examples).toBe(N_SMALL);
      expect(checkProject(db, { train: N_SMALL })).toEqual(SOUND);
    } finally {
      db.close();
    }
  });
});

describe('a killed burst of decisions', () => {
  it('keeps every acknowledged decision and a state that matches the log', SLOW, async () => {
    for (const seed of [1, 2, 3]) {
      const random = rng(200 + seed);
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
      const random = rng(7);
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

  /**
   * Each final name holds the previous file or the complete new one, never a part; a new
   * manifest (renamed last) means every output is new and matches it.
   */
  function checkOutputs(folder: string, hadPrevious: boolean, context: string): void {
    const previous = files(previousDir).map((f) => sha256(f));
    const reference = files(referenceDir).map((f) => sha256(f));
    const manifest = path.join(folder, 'train.jsonl.manifest.json');
    const manifestIsNew = fs.existsSync(manifest) && !(hadPrevious && sha256(manifest) === previous[4]);
    files(folder).forEach((file, i) => {
      if (!fs.existsSync(file)) {
        expect(hadPrevious, `${context}: ${path.basename(file)} vanished`).toBe(false);
        expect(manifestIsNew, `${context}: a new manifest without ${path.basename(file)}`).toBe(false);
        return;
      }
      const hash = sha256(file);
      if (i === 4) {
        // A manifest differs run to run only in createdAt; what it lists must be the new set.
        if (manifestIsNew) expect([...listed(file)]).toEqual([...listed(files(referenceDir)[4]!)]);
        return;
      }
      const complete = hash === reference[i] || (hadPrevious && hash === previous[i]);
      expect(complete, `${context}: ${path.basename(file)} is neither the previous nor the complete new file`).toBe(true);
      if (manifestIsNew) expect(hash, `${context}: ${path.basename(file)} does not match the new manifest`).toBe(reference[i]);
    });
  }

  it('leaves the previous export (or nothing) or the complete new one, and exports again', SLOW, async () => {
    let interrupted = 0;
    const markers = ['progress planning', 'progress writing', 'progress decisions', 'progress manifest', 'progress committing', 'progress committing'];
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = rng(300 + seed);
      const hadPrevious = seed !== 5;
      const project = copyProject(exportProject, `export-${seed}.winnow`);
      const folder = path.join(dir, `export-${seed}`);
      fs.mkdirSync(folder);
      if (hadPrevious) for (const [i, file] of files(previousDir).entries()) fs.copyFileSync(file, files(folder)[i]!);
      const marker = markers[Math.floor(random() * markers.length)]!;
      const delay = Math.floor(random() * 8);
      const result = await runChild('crash-child.ts', ['export', JSON.stringify({ project, options: exportOptions(`${folder}/train.jsonl`) })], {
        onLine: (line, kill) => {
          if (line.startsWith(marker)) kill(delay);
        },
      });
      expectKilledOrDone(seed, result);
      if (result.killed) interrupted++;
      const context = `seed ${seed} (kill ${delay} ms after "${marker}")`;
      checkOutputs(folder, hadPrevious, context);
      if (result.done) for (const [i, file] of files(folder).entries()) if (i < 4) expect(sha256(file)).toBe(sha256(files(referenceDir)[i]!));
      // The project itself is untouched by an export, killed or not.
      withProject(project, (db) => expect(checkProject(db, SIZES)).toEqual(SOUND));
      // Exporting again completes and replaces everything with a consistent set.
      const db = openDatabase(project);
      try {
        await exportDataset(db, exportOptions(`${folder}/train.jsonl`));
      } finally {
        db.close();
      }
      const manifest = listed(files(folder)[4]!);
      for (const [i, file] of files(folder).entries()) {
        if (i === 4) continue;
        expect(sha256(file)).toBe(sha256(files(referenceDir)[i]!));
        expect(manifest.get(path.basename(file))).toBe(sha256(file));
      }
    }
    expect(interrupted, 'at least one export was killed before it finished').toBeGreaterThan(0);
  });

  // StagedSet.commitAll syncs every output first and removes the previous manifest before the
  // first rename: a kill between renames must never leave a manifest describing other files.
  it('leaves no new data file beside the previous manifest when killed between the renames', SLOW, async () => {
    const project = copyProject(exportProject, 'export-window.winnow');
    const folder = path.join(dir, 'export-window');
    fs.mkdirSync(folder);
    for (const [i, file] of files(previousDir).entries()) fs.copyFileSync(file, files(folder)[i]!);
    const result = await runChild('crash-child.ts', ['export', JSON.stringify({ project, options: exportOptions(`${folder}/train.jsonl`), pauseAfterRename: 'train.jsonl' })], {
      onLine: (line, kill) => {
        if (line === 'renamed train.jsonl') kill(0);
      },
    });
    expect(result.killed).toBe(true);
    // The previous manifest is removed before the first rename: no manifest, or one that
    // describes the data file on disk.
    if (fs.existsSync(files(folder)[4]!)) {
      const manifest = listed(files(folder)[4]!);
      expect(manifest.get('train.jsonl'), 'the manifest on disk describes the data file on disk').toBe(sha256(files(folder)[0]!));
    }
  });
});
