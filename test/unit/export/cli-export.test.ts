import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkExportFlags, runExportCli, runReportCli, type ExportCliOptions } from '../../../src/main/core/export/cli-export';
import { importSplit } from '../../../src/main/core/store/import-split';
import { openDatabase } from '../../../src/main/core/store/database';
import { LabelTable } from '../../../src/main/core/store/labels';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

let dir: string;
let project: string;

function addRun(flagged: string): number {
  const db = openDatabase(project);
  try {
    const labels = new LabelTable(db);
    const id = Number(
      db
        .prepare(
          `INSERT INTO runs (created_at, model_kind, model_name, model_hash, provider, providers_skipped, params, timings, label_order, summary)
           VALUES ('2024-05-01T10:00:00.000Z', 'predictions', 'p', 'ef', 'cpu', '[]', '{"strategies": ["is", "cl"]}', '{}', '[]', '{}')`,
        )
        .run().lastInsertRowid,
    );
    for (const e of db.prepare('SELECT id, ext_id, label_id FROM examples').all() as { id: number; ext_id: string; label_id: number }[]) {
      db.prepare("INSERT INTO predictions (run_id, example_id, predicted_label_id, predicted_prob, given_prob, probs) VALUES (?, ?, ?, 1, 1, x'00000000')").run(id, e.id, e.label_id);
      if (e.ext_id === flagged) {
        db.prepare("INSERT INTO flags (run_id, example_id, strategy, score, suggested_label_id, evidence) VALUES (?, ?, 'is', 0.5, ?, '{}')").run(id, e.id, labels.idFor('per:title'));
        db.prepare("INSERT INTO queue (run_id, example_id, rank, agreement, top_score, suggested_label_id, strategies) VALUES (?, ?, 0, 1, 0.5, ?, '{}')").run(id, e.id, labels.idFor('per:title'));
      }
    }
    return id;
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  dir = tempDir();
  project = path.join(dir, 'p.winnow');
  const db = openDatabase(project, { create: true });
  await importSplit(db, { filePath: writeJson(path.join(dir, 'train.json'), ['x', 'y', 'z'].map((id) => record(id, { relation: 'no_relation' }))), split: 'train' });
  db.close();
});

const opts = (o: Partial<ExportCliOptions>): ExportCliOptions => ({ split: 'train', mode: 'reviewed', apply: 'both', out: path.join(dir, 'out.json'), format: 'json', appVersion: '0.1.0', ...o });

describe('export CLI', () => {
  it('names the offending flag for every bad combination', () => {
    const cases: [Partial<ExportCliOptions>, string][] = [
      [{ mode: 'auto' }, '--mode auto needs --strategy'],
      [{ mode: 'auto', strategy: 'is', apply: 'both' }, '--mode auto needs --apply eliminate'],
      [{ strategy: 'is' }, '--strategy only applies to --mode auto (got --mode reviewed)'],
      [{ decisionsOverride: true }, '--decisions-override only applies to --mode auto'],
      [{ mode: 'original', run: 1 }, '--run does not apply to --mode original'],
      [{ mode: 'original', patch: 'tacrev' }, '--patch needs --mode reviewed or auto'],
      [{ mode: 'auto', strategy: 'xyz', apply: 'eliminate' }, '--strategy takes is, es, esp, cl or knn, not "xyz"'],
      [{ mode: 'sideways' as 'auto' }, '--mode takes original, reviewed or auto'],
      [{ apply: 'all' as 'both' }, '--apply takes eliminate, reannotate or both'],
      [{ format: 'csv' as 'json' }, '--format takes json or jsonl'],
      [{ patch: 'git' as 'tacrev' }, '--patch takes tacrev or retacred'],
      [{ run: 0 }, '--run takes a run number'],
    ];
    for (const [o, message] of cases) expect(() => checkExportFlags(opts(o)), message).toThrow(message);
    expect(() => checkExportFlags(opts({ mode: 'auto', strategy: 'KNN', apply: 'reannotate', decisionsOverride: true }))).not.toThrow();
  });

  it('uses the latest run for --mode auto unless --run names one', async () => {
    await expect(runExportCli(project, opts({ mode: 'auto', strategy: 'is', apply: 'eliminate' }))).rejects.toThrow(/no ranking run yet/);
    const first = addRun('x');
    const latest = addRun('y');
    const a = await runExportCli(project, opts({ mode: 'auto', strategy: 'IS', apply: 'eliminate', out: dir }));
    expect(a).toMatchObject({ runId: latest, strategy: 'is', count: 2 });
    expect(path.basename(a.path)).toBe('train.is.eliminate.json');
    expect((JSON.parse(fs.readFileSync(a.path, 'utf8')) as { id: string }[]).map((r) => r.id)).toEqual(['x', 'z']);
    const b = await runExportCli(project, opts({ mode: 'auto', strategy: 'is', apply: 'eliminate', run: first, out: path.join(dir, 'b.json') }));
    expect((JSON.parse(fs.readFileSync(b.path, 'utf8')) as { id: string }[]).map((r) => r.id)).toEqual(['y', 'z']);
    await expect(runExportCli(project, opts({ run: 7 }))).rejects.toThrow('No run 7 in this project');
    await expect(runExportCli(project, opts({ mode: 'auto', strategy: 'esp', apply: 'eliminate' }))).rejects.toThrow(`run ${latest} did not run esp (it ran is, cl)`);
  });

  it('writes the report for the latest run atomically', async () => {
    await expect(runReportCli(project, { out: path.join(dir, 'r.html'), appVersion: '0.1.0' })).rejects.toThrow(/no ranking run yet/);
    const id = addRun('z');
    const out = path.join(dir, 'reports', 'r.html');
    const written = await runReportCli(project, { out, appVersion: '0.1.0' });
    expect(written).toMatchObject({ path: out, runId: id });
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^<!doctype html>[\s\S]*Winnow report: run 1[\s\S]*<\/html>\n$/);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['r.html']);
  });
});
