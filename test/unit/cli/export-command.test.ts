import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runExport } from '../../../src/main/cli/commands/exporting';
import { errorLine } from '../../../src/main/cli/errors';
import { saveReport } from '../../../src/main/core/export/report-save';
import { resolveRunId } from '../../../src/main/core/ranking/run-queries';
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
          `INSERT INTO run_rows (created_at, model_kind, model_name, model_hash, provider, providers_skipped, params, timings, label_order, summary)
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

type Flags = Parameters<typeof runExport>[1];
const opts = (o: Partial<Flags>): Flags => ({ split: 'train', mode: 'reviewed', out: path.join(dir, 'out.json'), format: 'json', decisionsOverride: false, ...o });

/** What the CLI prints for a failed export: one line naming the flag. */
async function cliError(o: Partial<Flags>): Promise<string> {
  try {
    await runExport(project, opts(o), '0.1.0', true);
  } catch (error) {
    return errorLine(error, ['node', 'winnow', 'export']);
  }
  return 'no error';
}

describe('export CLI', () => {
  it('names the offending flag for every bad value or combination', async () => {
    addRun('x');
    const cases: [Partial<Flags>, string][] = [
      [{ mode: 'auto' }, '--strategy: mode "auto" needs a strategy'],
      [{ mode: 'auto', strategy: 'is', apply: 'both' }, '--apply: mode "auto" writes either the E dataset'],
      [{ strategy: 'is' }, '--strategy: only applies to mode "auto" (mode is "reviewed")'],
      [{ decisionsOverride: true }, '--decisions-override: only applies to mode "auto"'],
      [{ mode: 'original', run: 1 }, '--run: does not apply to mode "original"'],
      [{ mode: 'original', patch: 'tacrev' }, '--patch: needs mode "reviewed" or "auto"'],
      [{ mode: 'auto', strategy: 'xyz', apply: 'eliminate' }, '--strategy: Invalid option'],
      [{ mode: 'sideways' }, '--mode: Invalid option'],
      [{ apply: 'all' }, '--apply: Invalid option'],
      [{ format: 'csv' }, '--format: Invalid option'],
      [{ patch: 'git' }, '--patch: Invalid option'],
      [{ run: 0 }, '--run: Too small'],
      [{ split: '../../../x' }, '--split: split names use letters, digits'],
    ];
    for (const [o, message] of cases) expect(await cliError(o), JSON.stringify(o)).toContain(message);
    for (const [o] of cases) expect((await cliError(o)).split('\n'), JSON.stringify(o)).toHaveLength(1);
  });

  it('uses the latest run for --mode auto unless --run names one', async () => {
    await expect(runExport(project, opts({ mode: 'auto', strategy: 'is', apply: 'eliminate' }), '0.1.0', true)).rejects.toThrow(/no ranking run yet/);
    const first = addRun('x');
    const latest = addRun('y');
    const a = await runExport(project, opts({ mode: 'auto', strategy: 'is', apply: 'eliminate', out: dir }), '0.1.0', true);
    expect(a).toMatchObject({ runId: latest, strategy: 'is', count: 2 });
    expect(path.basename(a.path)).toBe('train.is.eliminate.json');
    expect((JSON.parse(fs.readFileSync(a.path, 'utf8')) as { id: string }[]).map((r) => r.id)).toEqual(['x', 'z']);
    const b = await runExport(project, opts({ mode: 'auto', strategy: 'is', apply: 'eliminate', run: first, out: path.join(dir, 'b.json') }), '0.1.0', true);
    expect((JSON.parse(fs.readFileSync(b.path, 'utf8')) as { id: string }[]).map((r) => r.id)).toEqual(['y', 'z']);
    await expect(runExport(project, opts({ run: 7 }), '0.1.0', true)).rejects.toThrow('No run 7 in this project');
    await expect(runExport(project, opts({ mode: 'auto', strategy: 'esp', apply: 'eliminate' }), '0.1.0', true)).rejects.toThrow(`run ${latest} did not run esp (it ran is, cl)`);
  });

  it('writes the report for the latest run atomically', async () => {
    const db = openDatabase(project);
    try {
      expect(() => resolveRunId(db)).toThrow(/no ranking run yet/);
    } finally {
      db.close();
    }
    const id = addRun('z');
    const out = path.join(dir, 'reports', 'r.html');
    const report = openDatabase(project);
    try {
      expect(await saveReport(report, out, { runId: resolveRunId(report), appVersion: '0.1.0' })).toBe(out);
    } finally {
      report.close();
    }
    expect(id).toBe(1);
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^<!doctype html>[\s\S]*Winnow report: run 1[\s\S]*<\/html>\n$/);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['r.html']);
  });
});
