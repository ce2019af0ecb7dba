import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { exportDataset, type ExportDatasetOptions } from '../../../src/main/core/export/export-modes';
import type { ExportManifest } from '../../../src/main/core/export/manifest';
import { importSplit } from '../../../src/main/core/store/import-split';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { applyDecisions } from '../../../src/main/core/store/decisions';
import { LabelTable } from '../../../src/main/core/store/labels';
import { record, writeJson, writeJsonl } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

/**
 * A hand-checked case: eight examples, one run whose flags are written directly, so that the
 * expected E and R datasets of every strategy can be read off the table below.
 */
const GIVEN: Record<string, string> = {
  a: 'per:title',
  b: 'no_relation',
  c: 'no_relation',
  d: 'org:founded_by',
  e: 'no_relation',
  f: 'per:title',
  g: 'no_relation',
  h: 'no_relation',
};
const IDS = Object.keys(GIVEN);
const FLAGS: [strategy: string, id: string, suggested: string, score: number][] = [
  ['is', 'b', 'per:title', 0.9],
  ['is', 'c', 'org:founded_by', 0.8],
  ['es', 'b', 'per:title', 0.7],
  ['es', 'e', 'per:employee_of', 0.6],
  ['esp', 'b', 'per:title', 0.7],
  ['esp', 'f', 'no_relation', 0.5],
  ['cl', 'a', 'no_relation', 0.4],
  ['cl', 'g', 'per:title', 0.3],
  ['knn', 'h', 'org:founded_by', 0.75],
  ['knn', 'c', 'per:title', 0.65],
];
/** Written out by hand from FLAGS: E drops, R relabels. */
const EXPECTED: Record<string, { eliminate: string[]; reannotate: Record<string, string> }> = {
  is: { eliminate: ['b', 'c'], reannotate: { b: 'per:title', c: 'org:founded_by' } },
  es: { eliminate: ['b', 'e'], reannotate: { b: 'per:title', e: 'per:employee_of' } },
  esp: { eliminate: ['b', 'f'], reannotate: { b: 'per:title', f: 'no_relation' } },
  cl: { eliminate: ['a', 'g'], reannotate: { a: 'no_relation', g: 'per:title' } },
  knn: { eliminate: ['h', 'c'], reannotate: { h: 'org:founded_by', c: 'per:title' } },
};

let dir: string;
let db: Db;
let runId: number;
let source: string;
let row: Record<string, number>;

function insertRun(strategies: string[], flags: typeof FLAGS): number {
  const labels = new LabelTable(db);
  const id = Number(
    db
      .prepare(
        `INSERT INTO run_rows (created_at, model_kind, model_name, model_hash, provider, providers_skipped, params, timings, label_order, summary)
         VALUES (?, 'predictions', 'hand.jsonl', ?, 'cpu', '[]', ?, '{"total": 1}', '[]', '{}')`,
      )
      .run('2024-05-01T10:00:00.000Z', 'ab'.repeat(32), JSON.stringify({ strategies, k: 3, clean: null })).lastInsertRowid,
  );
  const predict = db.prepare("INSERT INTO predictions (run_id, example_id, predicted_label_id, predicted_prob, given_prob, probs) VALUES (?, ?, ?, 1, 1, x'00000000')");
  for (const ext of IDS) predict.run(id, row[ext], labels.idFor(GIVEN[ext]!));
  const flag = db.prepare("INSERT INTO flags (run_id, example_id, strategy, score, suggested_label_id, evidence) VALUES (?, ?, ?, ?, ?, '{}')");
  for (const [strategy, ext, suggested, score] of flags) flag.run(id, row[ext], strategy, score, labels.idFor(suggested));
  const queue = db.prepare("INSERT INTO queue (run_id, example_id, rank, agreement, top_score, suggested_label_id, strategies) VALUES (?, ?, ?, 1, 0, ?, '{}')");
  [...new Set(flags.map((f) => f[1]))].forEach((ext, rank) => queue.run(id, row[ext], rank, labels.idFor(GIVEN[ext]!)));
  return id;
}

beforeEach(async () => {
  dir = tempDir();
  db = openDatabase(path.join(dir, 'p.winnow'), { create: true });
  source = writeJson(path.join(dir, 'train.json'), IDS.map((id) => record(id, { relation: GIVEN[id] })));
  await importSplit(db, { filePath: source, split: 'train' });
  row = Object.fromEntries((db.prepare('SELECT ext_id AS id, id AS row FROM examples').all() as { id: string; row: number }[]).map((r) => [r.id, r.row]));
  runId = insertRun(['is', 'es', 'esp', 'cl', 'knn'], FLAGS);
  return () => db.close();
});

function base(overrides: Partial<ExportDatasetOptions>): ExportDatasetOptions {
  return { split: 'train', mode: 'reviewed', apply: 'both', format: 'json', outPath: path.join(dir, 'out.json'), appVersion: '9.9.9-test', ...overrides };
}

/** id -> relation of the exported file, in file order. */
function exported(file: string): [string, string][] {
  const text = fs.readFileSync(file, 'utf8');
  const records = (file.endsWith('.jsonl') ? text.trim().split('\n').map((l) => JSON.parse(l)) : JSON.parse(text)) as { id: string; relation: string }[];
  return records.map((r) => [r.id, r.relation]);
}

function expectedFile(drop: string[], relabel: Record<string, string>): [string, string][] {
  return IDS.filter((id) => !drop.includes(id)).map((id) => [id, relabel[id] ?? GIVEN[id]!]);
}

describe('automatic export (hand-checked)', () => {
  for (const strategy of ['is', 'es', 'esp', 'cl', 'knn'] as const) {
    it(`${strategy}: E drops and R relabels exactly the flagged examples, named after the paper`, async () => {
      const e = await exportDataset(db, base({ mode: 'auto', run: runId, strategy, apply: 'eliminate', outPath: dir + path.sep }));
      expect(path.basename(e.path)).toBe(`train.${strategy}.eliminate.json`);
      expect(exported(e.path)).toEqual(expectedFile(EXPECTED[strategy]!.eliminate, {}));
      expect(e).toMatchObject({ count: 6, before: 8, eliminated: 2, relabelled: 0 });
      const r = await exportDataset(db, base({ mode: 'auto', run: runId, strategy, apply: 'reannotate', format: 'jsonl', outPath: dir }));
      expect(path.basename(r.path)).toBe(`train.${strategy}.reannotate.jsonl`);
      expect(exported(r.path)).toEqual(expectedFile([], EXPECTED[strategy]!.reannotate));
      expect(r).toMatchObject({ count: 8, eliminated: 0, relabelled: 2 });
      const names: Record<string, [string, string]> = {
        is: ['TACRED-E', 'TACRED-R'],
        es: ['TACRED-EN', 'TACRED-RN'],
        esp: ['TACRED-ENP', 'TACRED-RNP'],
        cl: ['TACRED-E-CL', 'TACRED-R-CL'],
        knn: ['TACRED-E-KNN', 'TACRED-R-KNN'],
      };
      expect([e.dataset, r.dataset]).toEqual(names[strategy]);
    });
  }

  it('lets human decisions override the flags when asked, and only then', async () => {
    applyDecisions(db, { examples: [row.b!], action: 'keep', annotator: 'ann' });
    applyDecisions(db, { examples: [row.c!], action: 'eliminate', annotator: 'ann' });
    applyDecisions(db, { examples: [row.a!], action: 'reannotate', label: 'per:city_of_birth', annotator: 'ann' });
    const plainE = await exportDataset(db, base({ mode: 'auto', run: runId, strategy: 'is', apply: 'eliminate', outPath: path.join(dir, 'plain.json') }));
    expect(exported(plainE.path)).toEqual(expectedFile(['b', 'c'], {}));
    const e = await exportDataset(db, base({ mode: 'auto', run: runId, strategy: 'is', apply: 'eliminate', decisionsOverride: true, outPath: dir }));
    expect(path.basename(e.path)).toBe('train.is.eliminate.override.json');
    // E never relabels: the reannotated a is dropped (the person says its label is wrong), the kept b stays.
    expect(exported(e.path)).toEqual(expectedFile(['a', 'c'], {}));
    expect(e).toMatchObject({ eliminated: 2, relabelled: 0, changedByDecisions: 2 });
    const eManifest = JSON.parse(fs.readFileSync(`${e.path}.manifest.json`, 'utf8')) as ExportManifest;
    // b (kept instead of dropped) and a (dropped instead of kept); c's decision agrees with its flag.
    expect(eManifest.automatic).toEqual({ strategy: 'is', flagged: 2, applied: 0, overriddenByDecisions: 2 });
    const r = await exportDataset(db, base({ mode: 'auto', run: runId, strategy: 'is', apply: 'reannotate', decisionsOverride: true, outPath: dir }));
    expect(exported(r.path)).toEqual(expectedFile(['c'], { a: 'per:city_of_birth' }));
    const manifest = JSON.parse(fs.readFileSync(`${r.path}.manifest.json`, 'utf8')) as ExportManifest;
    // b kept instead of relabelled, c dropped instead of relabelled, a relabelled though nobody flagged it.
    expect(manifest.automatic).toEqual({ strategy: 'is', flagged: 2, applied: 0, overriddenByDecisions: 3 });
    expect(r.changedByDecisions).toBe(3);
    expect(plainE.changedByDecisions).toBeNull();
    expect(manifest.export.dataset).toBe('TACRED-R with human decisions');
    const csv = fs.readFileSync(`${r.path}.decisions.csv`, 'utf8').trim().split('\r\n');
    expect(csv.slice(1)).toEqual([
      'b,train,human,keep,yes,no_relation,,ann,' + csv[1]!.split(',')[8] + ',,,1,0.9,0.7,0.7,,',
      'c,train,human,eliminate,yes,no_relation,,ann,' + csv[2]!.split(',')[8] + ',,,1,0.8,,,,0.65',
      'a,train,human,reannotate,yes,per:title,per:city_of_birth,ann,' + csv[3]!.split(',')[8] + ',,,1,,,,0.4,',
      'b,train,auto:is,reannotate,no,no_relation,per:title,winnow:is,2024-05-01T10:00:00.000Z,a human decision overrides this flag,1,1,0.9,0.7,0.7,,',
      'c,train,auto:is,reannotate,no,no_relation,org:founded_by,winnow:is,2024-05-01T10:00:00.000Z,a human decision overrides this flag,1,1,0.8,,,,0.65',
    ]);
  });

  it('counts only the records the decisions change, and an E export never relabels', async () => {
    // Decisions that agree with the flags, or keep examples nobody flagged, change nothing.
    applyDecisions(db, { examples: [row.b!, row.c!], action: 'eliminate', annotator: 'ann' });
    applyDecisions(db, { examples: [row.d!, row.h!], action: 'keep', annotator: 'ann' });
    const quiet = await exportDataset(db, base({ mode: 'auto', run: runId, strategy: 'is', apply: 'eliminate', decisionsOverride: true, outPath: path.join(dir, 'quiet.json') }));
    expect(quiet.changedByDecisions).toBe(0);
    expect(exported(quiet.path)).toEqual(expectedFile(['b', 'c'], {}));
    // Every kind of decision on flagged and unflagged examples: no E dataset holds a relabelled record.
    applyDecisions(db, { examples: [row.a!, row.e!], action: 'reannotate', label: 'per:city_of_birth', annotator: 'ann' });
    applyDecisions(db, { examples: [row.g!], action: 'reannotate', label: 'org:founded_by', annotator: 'ann' });
    for (const strategy of ['is', 'es', 'esp', 'cl', 'knn'] as const) {
      const e = await exportDataset(db, base({ mode: 'auto', run: runId, strategy, apply: 'eliminate', decisionsOverride: true, outPath: path.join(dir, `${strategy}.json`) }));
      expect(e.relabelled, strategy).toBe(0);
      for (const [id, label] of exported(e.path)) expect(label, `${strategy}: ${id}`).toBe(GIVEN[id]);
      const reviewedE = await exportDataset(db, base({ mode: 'reviewed', apply: 'eliminate', outPath: path.join(dir, `reviewed-${strategy}.json`) }));
      for (const [id, label] of exported(reviewedE.path)) expect(label, `reviewed: ${id}`).toBe(GIVEN[id]);
    }
  });

  it('refuses combinations that make no dataset, naming the option', async () => {
    await expect(exportDataset(db, base({ mode: 'auto', run: runId, apply: 'eliminate' }))).rejects.toThrow('export option "strategy": mode "auto" needs a strategy');
    await expect(exportDataset(db, base({ mode: 'auto', strategy: 'is', apply: 'eliminate' }))).rejects.toThrow('export option "run"');
    await expect(exportDataset(db, base({ mode: 'auto', run: runId, strategy: 'is', apply: 'both' }))).rejects.toThrow(/export option "apply".*not "both"/);
    await expect(exportDataset(db, base({ mode: 'reviewed', strategy: 'is' }))).rejects.toThrow('export option "strategy": only applies to mode "auto"');
    await expect(exportDataset(db, base({ mode: 'reviewed', decisionsOverride: true }))).rejects.toThrow(/"decisionsOverride": only applies/);
    await expect(exportDataset(db, base({ mode: 'original', patch: 'tacrev' }))).rejects.toThrow(/"patch": needs mode "reviewed" or "auto"/);
    await expect(exportDataset(db, base({ mode: 'original', run: runId }))).rejects.toThrow(/"run": does not apply to mode "original"/);
    await expect(exportDataset(db, base({ mode: 'auto', run: 99, strategy: 'is', apply: 'eliminate' }))).rejects.toThrow('no run 99');
    await expect(exportDataset(db, base({ split: 'dev' }))).rejects.toThrow('No split named "dev" in this project (splits: train)');
    await expect(exportDataset(db, base({ format: 'xml' as 'json' }))).rejects.toThrow(/export option "format"/);
    await expect(exportDataset(db, base({ outPath: source }))).rejects.toThrow(/is the file split "train" was imported from/);
    const narrow = insertRun(['cl'], []);
    await expect(exportDataset(db, base({ mode: 'auto', run: narrow, strategy: 'is', apply: 'eliminate' }))).rejects.toThrow(`run ${narrow} did not run is (it ran cl)`);
    await importSplit(db, { filePath: writeJson(path.join(dir, 'dev.json'), [record('z1')]), split: 'dev' });
    await expect(exportDataset(db, base({ split: 'dev', mode: 'auto', run: runId, strategy: 'is', apply: 'eliminate' }))).rejects.toThrow(`run ${runId} did not rank split "dev"`);
    expect(fs.readdirSync(dir).sort()).toEqual(['dev.json', 'p.winnow', 'p.winnow-shm', 'p.winnow-wal', 'train.json']);
  });
});

describe('reviewed export', () => {
  beforeEach(() => {
    applyDecisions(db, { examples: [row.a!, row.e!], action: 'eliminate', annotator: 'ann' });
    applyDecisions(db, { examples: [row.b!], action: 'reannotate', label: 'per:title', annotator: 'ann', note: 'clearly "a title", see token 3' });
    applyDecisions(db, { examples: [row.c!], action: 'keep', annotator: 'bob' });
  });

  it('applies eliminations, reannotations or both', async () => {
    const both = await exportDataset(db, base({ apply: 'both' }));
    expect(exported(both.path)).toEqual(expectedFile(['a', 'e'], { b: 'per:title' }));
    const onlyE = await exportDataset(db, base({ apply: 'eliminate', outPath: path.join(dir, 'e.json') }));
    expect(exported(onlyE.path)).toEqual(expectedFile(['a', 'e'], {}));
    const onlyR = await exportDataset(db, base({ apply: 'reannotate', outPath: dir }));
    expect(path.basename(onlyR.path)).toBe('train.reviewed.reannotate.json');
    expect(exported(onlyR.path)).toEqual(expectedFile([], { b: 'per:title' }));
    const original = await exportDataset(db, base({ mode: 'original', outPath: dir }));
    expect(path.basename(original.path)).toBe('train.original.json');
    expect(fs.readFileSync(original.path, 'utf8').replace(/\s/g, '')).toBe(fs.readFileSync(source, 'utf8').replace(/\s/g, ''));
  });

  it('writes a manifest that tells what went in and what came out', async () => {
    const summary = await exportDataset(db, base({ run: runId, patch: 'retacred' }));
    const manifest = JSON.parse(fs.readFileSync(`${summary.path}.manifest.json`, 'utf8')) as ExportManifest;
    const sourceSha = db.prepare('SELECT source_sha256 FROM splits').pluck().get() as string;
    expect(manifest).toMatchObject({
      kind: 'winnow-export-manifest',
      appVersion: '9.9.9-test',
      export: { split: 'train', mode: 'reviewed', apply: 'both', strategy: null, decisionsOverride: false, format: 'json', patchStyle: 'retacred' },
      inputs: { splits: [{ name: 'train', role: 'exported', sha256: sourceSha, sourcePath: source, count: 8, format: 'json' }], referenceSets: [] },
      run: { id: runId, modelKind: 'predictions', modelName: 'hand.jsonl', modelHash: 'ab'.repeat(32), provider: 'cpu', params: { strategies: ['is', 'es', 'esp', 'cl', 'knn'], k: 3 } },
      modelHash: 'ab'.repeat(32),
      decisions: { current: { keep: 1, eliminate: 2, reannotate: 1 }, logRecords: 4, applied: { eliminate: 2, reannotate: 1 } },
      automatic: null,
      counts: {
        before: { total: 8, labels: { no_relation: 5, 'org:founded_by': 1, 'per:title': 2 } },
        after: { total: 6, labels: { no_relation: 3, 'org:founded_by': 1, 'per:title': 2 } },
        eliminated: 2,
        relabelled: 1,
      },
    });
    expect(sourceSha).toMatch(/^[0-9a-f]{64}$/);
    const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    expect(manifest.outputs).toEqual([
      { role: 'data', file: 'out.json', sha256: sha(summary.path), bytes: fs.statSync(summary.path).size, records: 6 },
      { role: 'patch', file: 'out.json.retacred.json', sha256: sha(`${summary.path}.retacred.json`), bytes: fs.statSync(`${summary.path}.retacred.json`).size, records: 1 },
      { role: 'eliminated-ids', file: 'out.json.eliminated.json', sha256: sha(`${summary.path}.eliminated.json`), bytes: fs.statSync(`${summary.path}.eliminated.json`).size, records: 2 },
      { role: 'decisions-csv', file: 'out.json.decisions.csv', sha256: sha(`${summary.path}.decisions.csv`), bytes: fs.statSync(`${summary.path}.decisions.csv`).size, records: 4 },
    ]);
    expect(summary.sha256).toBe(sha(summary.path));
    expect(summary.manifest.sha256).toBe(sha(`${summary.path}.manifest.json`));
    expect(summary.labelsAfter).toEqual(manifest.counts.after.labels);
  });

  it('writes the decisions CSV with quoting, the run and its scores', async () => {
    const summary = await exportDataset(db, base({ apply: 'eliminate', run: runId }));
    const lines = fs.readFileSync(summary.decisionsCsv.path, 'utf8').split('\r\n');
    expect(lines[0]).toBe('id,split,source,action,applied,old_label,new_label,annotator,time,note,run,scores_run,score_is,score_es,score_esp,score_cl,score_knn');
    const cells = lines.slice(1, -1).map((l) => l.split(',').filter((_, i) => i !== 8));
    expect(cells.map((c) => c.slice(0, 8))).toEqual([
      ['a', 'train', 'human', 'eliminate', 'yes', 'per:title', '', 'ann'],
      ['e', 'train', 'human', 'eliminate', 'yes', 'no_relation', '', 'ann'],
      ['b', 'train', 'human', 'reannotate', 'no', 'no_relation', 'per:title', 'ann'],
      ['c', 'train', 'human', 'keep', 'yes', 'no_relation', '', 'bob'],
    ]);
    expect(lines[3]).toContain(',"clearly ""a title"", see token 3",,1,0.9,0.7,0.7,,');
    expect(lines[1]).toMatch(/,ann,\d{4}-\d\d-\d\dT[\d:.]+Z,,,1,,,,0\.4,$/);
    expect(summary.decisionsCsv.rows).toBe(4);
  });

  it('keeps key order, integer-like keys, unknown fields and number spelling, in JSON and JSON Lines', async () => {
    const raw = '{"10": "ten", "id": "k1", "relation": "no_relation", "token": ["Ada", "was", "here"], "subj_start": 0, "subj_end": 0, "obj_start": 2, "obj_end": 2, "subj_type": "PERSON", "obj_type": "LOCATION", "score": 1.50, "big": 1E2, "extra": {"relation": "inner", "2": [true, null]}}';
    const file = path.join(dir, 'odd.jsonl');
    fs.writeFileSync(file, `${raw}\n`);
    await importSplit(db, { filePath: file, split: 'odd' });
    const k1 = db.prepare("SELECT id FROM examples WHERE ext_id = 'k1'").pluck().get() as number;
    applyDecisions(db, { examples: [k1], action: 'reannotate', label: 'per:cities_of_residence', annotator: 'ann' });
    const expected = raw.replace('"relation": "no_relation"', '"relation": "per:cities_of_residence"');
    const jsonl = await exportDataset(db, base({ split: 'odd', format: 'jsonl', outPath: path.join(dir, 'odd-out.jsonl') }));
    expect(fs.readFileSync(jsonl.path, 'utf8')).toBe(`${expected}\n`);
    const json = await exportDataset(db, base({ split: 'odd', format: 'json', outPath: path.join(dir, 'odd-out.json') }));
    expect(fs.readFileSync(json.path, 'utf8')).toBe(`[\n${expected}\n]\n`);
    // Pretty-printed records (the JSON array import) become one line each in JSON Lines, order kept.
    const pretty = await exportDataset(db, base({ format: 'jsonl', outPath: path.join(dir, 'pretty.jsonl') }));
    const lines = fs.readFileSync(pretty.path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(6);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(Object.keys(record('b')));
    expect(first).toEqual(record('b', { relation: 'per:title' }));
  });

  it('reports progress and, when cancelled, leaves every previous file as it was', async () => {
    const out = path.join(dir, 'out.json');
    await exportDataset(db, base({ outPath: out }));
    const before = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
    applyDecisions(db, { examples: [row.h!], action: 'eliminate', annotator: 'ann' });
    for (const phase of ['writing', 'decisions', 'manifest']) {
      const controller = new AbortController();
      const seen: string[] = [];
      await expect(
        exportDataset(db, {
          ...base({ outPath: out }),
          signal: controller.signal,
          onProgress: (p) => {
            seen.push(p.phase);
            if (p.phase === phase) controller.abort();
          },
        }),
      ).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(seen).toContain(phase);
      for (const f of fs.readdirSync(dir)) if (!f.startsWith('p.winnow')) expect(fs.readFileSync(path.join(dir, f)), f).toEqual(before[f]);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }
    const progress: { phase: string; done: number; total: number }[] = [];
    await exportDataset(db, { ...base({ outPath: out }), onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => p.phase)).toEqual(['planning', 'writing', 'writing', 'decisions', 'manifest', 'committing', 'done']);
    expect(progress.at(-1)).toEqual({ phase: 'done', done: 8, total: 8 });
    expect(exported(out).map(([id]) => id)).toEqual(['b', 'c', 'd', 'f', 'g']);
  });

  it('writes an empty array when every example is eliminated, and JSON Lines from JSON Lines input verbatim', async () => {
    applyDecisions(db, { examples: Object.values(row), action: 'eliminate', annotator: 'ann' });
    // Bob kept c: until he eliminates it too, the two disagree and c stays (see the team tests).
    applyDecisions(db, { examples: [row.c!], action: 'eliminate', annotator: 'bob' });
    const empty = await exportDataset(db, base({}));
    expect(fs.readFileSync(empty.path, 'utf8')).toBe('[]\n');
    expect(empty.count).toBe(0);
    const records = [record('j1'), record('j2', { relation: 'no_relation' })];
    await importSplit(db, { filePath: writeJsonl(path.join(dir, 'dev.jsonl'), records), split: 'dev' });
    const out = await exportDataset(db, base({ split: 'dev', mode: 'original', format: 'jsonl', outPath: path.join(dir, 'dev-out.jsonl') }));
    expect(fs.readFileSync(out.path, 'utf8')).toBe(fs.readFileSync(path.join(dir, 'dev.jsonl'), 'utf8'));
  });
});
