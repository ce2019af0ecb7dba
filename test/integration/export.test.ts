import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticTacred, writeSyntheticTacredFile, type SyntheticRecord } from '../../tools/demo-generator/synthetic-tacred';
import { exportDataset } from '../../src/main/core/export/export-modes';
import type { ExportManifest } from '../../src/main/core/export/manifest';
import { importSplit } from '../../src/main/core/store/import-split';
import { rankProject } from '../../src/main/core/ranking/rank-project';
import { iterateFlags } from '../../src/main/core/ranking/run-queries';
import { openDatabase, type Db } from '../../src/main/core/store/database';
import { processIsAlive } from '../../src/main/core/io/commit-journal';
import { applyDecisions, redoLast, undoLast } from '../../src/main/core/store/decisions';

const ROOT = path.resolve(__dirname, '../..');
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-export-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function readRecords(file: string): SyntheticRecord[] {
  const text = fs.readFileSync(file, 'utf8');
  return file.endsWith('.jsonl') ? text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as SyntheticRecord) : (JSON.parse(text) as SyntheticRecord[]);
}

function rowIds(db: Db, split = 'train'): Map<string, number> {
  const rows = db.prepare('SELECT e.ext_id AS id, e.id AS row FROM examples e JOIN splits s ON s.id = e.split_id WHERE s.name = ?').all(split) as { id: string; row: number }[];
  return new Map(rows.map((r) => [r.id, r.row]));
}

describe('reviewed export round trip', () => {
  it('re-imports with the expected examples and labels', async () => {
    const { records } = generateSyntheticTacred({ n: 2000, seed: 31, idPrefix: 'rt' });
    const input = path.join(dir, 'rt.json');
    fs.writeFileSync(input, JSON.stringify(records));
    const db = openDatabase(path.join(dir, 'rt.winnow'), { create: true });
    await importSplit(db, { filePath: input, split: 'train' });
    const rows = rowIds(db);
    const labels = [...new Set(records.map((r) => r.relation))].sort();
    const expected = new Map<string, string | null>();
    records.forEach((r, i) => {
      const row = rows.get(r.id)!;
      if (i % 11 === 0) {
        applyDecisions(db, { examples: [row], action: 'eliminate', annotator: 'ann' });
        expected.set(r.id, null);
      } else if (i % 13 === 0) {
        const label = labels[(i * 7) % labels.length]!;
        applyDecisions(db, { examples: [row], action: 'reannotate', label, annotator: 'ann' });
        expected.set(r.id, label);
      } else {
        if (i % 17 === 0) applyDecisions(db, { examples: [row], action: 'keep', annotator: 'ann' });
        expected.set(r.id, r.relation);
      }
    });
    const out = path.join(dir, 'rt-out.jsonl');
    const summary = await exportDataset(db, { split: 'train', mode: 'reviewed', apply: 'both', format: 'jsonl', outPath: out, appVersion: 'test' });
    db.close();

    const again = openDatabase(path.join(dir, 'rt-again.winnow'), { create: true });
    const imported = await importSplit(again, { filePath: out, split: 'train' });
    const kept = [...expected].filter(([, label]) => label !== null);
    expect(imported.imported).toBe(kept.length);
    expect(summary.count).toBe(kept.length);
    expect(summary.eliminated).toBe(records.length - kept.length);
    const back = again
      .prepare('SELECT e.ext_id AS id, l.name AS label FROM examples e JOIN labels l ON l.id = e.label_id ORDER BY e.position')
      .all() as { id: string; label: string }[];
    expect(back.map((r) => [r.id, r.label])).toEqual(kept);
    const counts = again.prepare('SELECT l.name, count(*) AS n FROM examples e JOIN labels l ON l.id = e.label_id GROUP BY l.name').all() as { name: string; n: number }[];
    const manifest = JSON.parse(fs.readFileSync(`${out}.manifest.json`, 'utf8')) as ExportManifest;
    expect(Object.fromEntries(counts.map((c) => [c.name, c.n]))).toEqual(manifest.counts.after.labels);
    expect(imported.sha256).toBe(summary.sha256);
    // Everything but the relation is byte-identical to the input record's serialisation.
    const original = new Map(records.map((r) => [r.id, r]));
    for (const r of readRecords(out)) expect(JSON.stringify(r)).toBe(JSON.stringify({ ...original.get(r.id)!, relation: expected.get(r.id) }));
    again.close();
  });
});

type Op =
  | { kind: 'decide'; examples: number[]; action: 'keep' | 'eliminate' | 'reannotate'; label: number }
  | { kind: 'undo' }
  | { kind: 'redo' };
type State = { action: 'keep' | 'eliminate' | 'reannotate'; label: string | null } | null;

describe('reviewed export equals the original minus eliminations with relabels applied', () => {
  const N = 24;
  const { records } = generateSyntheticTacred({ n: N, seed: 77, idPrefix: 'pp' });
  const labels = [...new Set(records.map((r) => r.relation)), 'per:title', 'org:founded_by'];

  it('for random decision sequences with undo and redo (property)', async () => {
    const input = path.join(dir, 'prop.json');
    fs.writeFileSync(input, JSON.stringify(records, null, 1));
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('decide' as const), examples: fc.uniqueArray(fc.nat({ max: N - 1 }), { minLength: 1, maxLength: 5 }), action: fc.constantFrom('keep' as const, 'eliminate' as const, 'reannotate' as const), label: fc.nat({ max: labels.length - 1 }) }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'undo' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'redo' as const }) },
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 14 }), fc.constantFrom('eliminate' as const, 'reannotate' as const, 'both' as const), fc.constantFrom('json' as const, 'jsonl' as const), async (ops, apply, format) => {
        const db = openDatabase(':memory:', { create: true });
        try {
          await importSplit(db, { filePath: input, split: 'train' });
          const rows = [...rowIds(db).values()].sort((a, b) => a - b);
          // The model: current state per example, with undo/redo stacks of batches.
          const state: State[] = records.map(() => null);
          const undo: { i: number; before: State; after: State }[][] = [];
          let redo: typeof undo = [];
          for (const o of ops) {
            if (o.kind === 'decide') {
              const label = labels[o.label]!;
              applyDecisions(db, { examples: o.examples.map((i) => rows[i]!), action: o.action, label, annotator: 'p' });
              const batch = o.examples.map((i) => {
                const keepInstead = o.action === 'reannotate' && label === records[i]!.relation;
                const after: State = o.action === 'reannotate' && !keepInstead ? { action: 'reannotate', label } : { action: keepInstead ? 'keep' : o.action, label: null };
                const entry = { i, before: state[i]!, after };
                state[i] = after;
                return entry;
              });
              undo.push(batch);
              redo = [];
            } else if (o.kind === 'undo') {
              undoLast(db, 'p');
              const batch = undo.pop();
              if (batch) {
                for (const e of [...batch].reverse()) state[e.i] = e.before;
                redo.push(batch);
              }
            } else {
              redoLast(db, 'p');
              const batch = redo.pop();
              if (batch) {
                for (const e of batch) state[e.i] = e.after;
                undo.push(batch);
              }
            }
          }
          const out = path.join(dir, `prop-${run++}.${format}`);
          await exportDataset(db, { split: 'train', mode: 'reviewed', apply, format, outPath: out, appVersion: 'p' });
          const expected = records.flatMap((r, i) => {
            const s = state[i];
            if (s?.action === 'eliminate' && apply !== 'reannotate') return [];
            if (s?.action === 'reannotate' && apply !== 'eliminate') return [{ ...r, relation: s.label! }];
            return [r];
          });
          // String comparison: key order counts too.
          expect(readRecords(out).map((r) => JSON.stringify(r))).toEqual(expected.map((r) => JSON.stringify(r)));
          for (const suffix of ['', '.manifest.json', '.decisions.csv']) fs.rmSync(out + suffix);
        } finally {
          db.close();
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});

describe('automatic export from a real run', () => {
  let db: Db;
  let runId: number;
  let train: SyntheticRecord[];

  beforeAll(async () => {
    const t = generateSyntheticTacred({ n: 500, seed: 41, idPrefix: 'at' });
    const d = generateSyntheticTacred({ n: 150, seed: 42, idPrefix: 'ad', noise: { falseNegativeRate: 0, randomRate: 0 } });
    train = t.records;
    fs.writeFileSync(path.join(dir, 'at.json'), JSON.stringify(t.records));
    fs.writeFileSync(path.join(dir, 'ad.jsonl'), d.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    db = openDatabase(path.join(dir, 'at.winnow'), { create: true });
    await importSplit(db, { filePath: path.join(dir, 'at.json'), split: 'train' });
    await importSplit(db, { filePath: path.join(dir, 'ad.jsonl'), split: 'dev' });
    // Predictions from "elsewhere": a model that mostly believes the true label, and an
    // embedding near the true label's corner, so that every strategy has something to flag.
    const truth = new Map([...t.trueLabels, ...d.trueLabels]);
    const labels = [...new Set([...truth.values(), ...t.records.map((r) => r.relation)])].sort();
    const lines = [JSON.stringify({ labels })];
    [...t.records, ...d.records].forEach((r, i) => {
      const believed = truth.get(r.id)!;
      const probs = labels.map((l) => (l === believed ? 0.8 : 0.2 / (labels.length - 1)));
      const embedding = labels.map((l, k) => (l === believed ? 1 : 0) + 0.05 * Math.sin(i * (k + 1)));
      lines.push(JSON.stringify({ id: r.id, probs, embedding }));
    });
    const file = path.join(dir, 'at-preds.jsonl');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    // This stand-in model is equally sure of everything (0.8), so every anchor and CL issue is
    // kept; it believes the negatives IS flags are negative, so IS runs by the paper's rule.
    runId = (await rankProject(db, { model: { kind: 'predictions', file }, strategies: ['is', 'es', 'esp', 'cl', 'knn'], clean: { kind: 'split', name: 'dev' }, isAnchors: 'all', isMinMargin: -1, clMinMargin: 0 })).runId;
  }, 120_000);
  afterAll(() => db.close());

  for (const strategy of ['is', 'es', 'esp', 'cl', 'knn'] as const) {
    it(`${strategy}: E and R follow the run's flags, and the manifest names the run`, async () => {
      const flags = new Map([...iterateFlags(db, runId, strategy)].filter((f) => f.split === 'train').map((f) => [f.id, f.suggested]));
      expect(flags.size, `${strategy} flags something`).toBeGreaterThan(0);
      const e = await exportDataset(db, { split: 'train', mode: 'auto', run: runId, strategy, apply: 'eliminate', format: 'json', outPath: dir, appVersion: 'a' });
      expect(readRecords(e.path).map((r) => r.id)).toEqual(train.filter((r) => !flags.has(r.id)).map((r) => r.id));
      const r = await exportDataset(db, { split: 'train', mode: 'auto', run: runId, strategy, apply: 'reannotate', format: 'jsonl', outPath: dir, patch: 'tacrev', appVersion: 'a' });
      expect(readRecords(r.path).map((x) => JSON.stringify(x))).toEqual(train.map((x) => JSON.stringify(flags.has(x.id) ? { ...x, relation: flags.get(x.id) } : x)));
      const manifest = JSON.parse(fs.readFileSync(`${r.path}.manifest.json`, 'utf8')) as ExportManifest;
      expect(manifest.run).toMatchObject({ id: runId, modelKind: 'predictions', params: { strategies: ['is', 'es', 'esp', 'cl', 'knn'], clean: [{ kind: 'split', name: 'dev' }] }, negativeLabel: 'no_relation' });
      expect(manifest.inputs.splits.map((s) => [s.name, s.role])).toEqual([['train', 'exported'], ['dev', 'clean']]);
      expect(manifest.automatic).toMatchObject({ strategy, flagged: flags.size });
    });
  }
});

describe('a killed export', () => {
  let project: string;

  beforeAll(async () => {
    const input = path.join(dir, 'big.json');
    await writeSyntheticTacredFile(input, { n: 12000, seed: 5, idPrefix: 'bg', format: 'json' });
    project = path.join(dir, 'big.winnow');
    const db = openDatabase(project, { create: true });
    await importSplit(db, { filePath: input, split: 'train' });
    applyDecisions(db, { examples: [1, 2, 3], action: 'eliminate', annotator: 'ann' });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }, 60_000);

  /** A child that exports and, once part of the data is on disk, stalls until it is killed. */
  async function killMidway(out: string): Promise<void> {
    const script = path.join(dir, 'slow-export.mts');
    const src = (p: string) => JSON.stringify(path.join(ROOT, 'src/main/core', p));
    fs.writeFileSync(
      script,
      `import fs from 'node:fs';
import { openDatabase } from ${src('store/database')};
import { exportDataset } from ${src('export/export-modes')};
const [project, out] = process.argv.slice(2);
const db = openDatabase(project);
await exportDataset(db, {
  split: 'train', mode: 'reviewed', apply: 'both', format: 'json', outPath: out, patch: 'tacrev', appVersion: 'kill',
  onProgress: (p) => {
    if (p.phase === 'writing' && p.done > 0) {
      fs.writeSync(1, 'stalled ' + process.pid + '\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
    }
  },
});
fs.writeSync(1, 'finished\\n');
`,
    );
    // Its own process group, so that npx, tsx and the node process doing the export all die
    // together (killing npx alone would orphan the exporter).
    const child = spawn('npx', ['tsx', script, project, out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const exporter = await new Promise<number>((resolve, reject) => {
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const match = /stalled (\d+)/.exec(stdout);
        if (match) resolve(Number(match[1]));
      });
      void exited.then(() => reject(new Error(`the export child ended before stalling: ${stderr}`)));
    });
    // The export is mid-way: the exporter's temporary file holds part of the data.
    const temps = fs.readdirSync(path.dirname(out)).filter((f) => f.startsWith(`.${path.basename(out)}.${exporter}.`) && f.endsWith('.tmp'));
    expect(temps).toHaveLength(1);
    expect(fs.statSync(path.join(path.dirname(out), temps[0]!)).size).toBeGreaterThan(1 << 20);
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    // Orphaned by the kill, the exporter may stay a zombie where nothing reaps it (a container
    // without an init): a zombie counts as gone.
    const alive = () => processIsAlive(exporter);
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(), 'the exporting process is gone').toBe(false);
  }

  it('leaves no file under the final name, and the previous export intact', async () => {
    const fresh = path.join(dir, 'killed', 'first.json');
    fs.mkdirSync(path.dirname(fresh));
    await killMidway(fresh);
    const left = fs.readdirSync(path.dirname(fresh));
    expect(left.filter((f) => !f.endsWith('.tmp'))).toEqual([]);

    const out = path.join(dir, 'killed', 'again.json');
    const db = openDatabase(project);
    const previous = await exportDataset(db, { split: 'train', mode: 'reviewed', apply: 'both', format: 'json', outPath: out, patch: 'tacrev', appVersion: 'before' });
    db.close();
    const finals = [out, `${out}.manifest.json`, `${out}.decisions.csv`, `${out}.tacrev.json`, `${out}.eliminated.json`];
    // Hashes, not buffers: a deep equality over 9 MB of bytes takes most of a minute.
    const digest = () => finals.map((f) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex'));
    const before = digest();
    await killMidway(out);
    expect(digest()).toEqual(before);
    expect(previous.count).toBe(11997);
    expect(readRecords(out)).toHaveLength(11997);
  }, 90_000);
});
