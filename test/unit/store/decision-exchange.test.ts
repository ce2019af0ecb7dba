import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { assignQueue, readAssignment } from '../../../src/main/core/store/assignments';
import { openDatabase, type Db } from '../../../src/main/core/store/database';
import { exportDecisionLog, importDecisionLog } from '../../../src/main/core/store/decision-exchange';
import { applyDecisions, iterateDecisions, undoLast } from '../../../src/main/core/store/decisions';
import { importSplit } from '../../../src/main/core/store/import-split';
import { LabelTable } from '../../../src/main/core/store/labels';
import { derivedStateMismatches } from '../../helpers/decision-state';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';
import { tableCounts } from '../../integration/reliability/support';

let dir: string;
let base: string;

beforeEach(async () => {
  dir = tempDir();
  base = path.join(dir, 'base.winnow');
  const db = openDatabase(base, { create: true });
  await importSplit(db, { filePath: writeJson(path.join(dir, 'in.json'), Array.from({ length: 30 }, (_, i) => record(`x${i}`, { relation: i % 3 ? 'no_relation' : 'per:title' }))), split: 'train' });
  db.close();
});

function copy(name: string): Db {
  const file = path.join(dir, name);
  fs.copyFileSync(base, file);
  return openDatabase(file);
}

const rowsOf = (db: Db) => db.prepare('SELECT id FROM examples ORDER BY id').pluck().all() as number[];
const withoutSeq = (db: Db) => [...iterateDecisions(db, { all: true })].map(({ seq: _seq, ...line }) => line);

describe('exchanging decision logs', () => {
  it('round-trips every record (ids, annotators, times, batches, undo and redo, adjudications) into another copy', async () => {
    const alice = copy('alice.winnow');
    const merged = copy('merged.winnow');
    try {
      const rows = rowsOf(alice);
      applyDecisions(alice, { examples: [rows[0]!, rows[1]!], action: 'eliminate', annotator: 'alice', note: 'dupes' });
      applyDecisions(alice, { examples: [rows[2]!], action: 'reannotate', label: 'org:brand_new_label', annotator: 'alice' });
      undoLast(alice, 'alice');
      applyDecisions(alice, { examples: [rows[3]!], action: 'keep', annotator: 'alice', adjudication: true });
      const file = path.join(dir, 'alice.jsonl');
      const written = await exportDecisionLog(alice, { outPath: file, appVersion: 't', projectName: 'alice' });
      expect(written.records).toBe(5);
      const result = await importDecisionLog(merged, file);
      expect(result).toEqual({ file, records: 5, imported: 5, alreadyPresent: 0, annotators: ['alice'] });
      expect(withoutSeq(merged)).toEqual(withoutSeq(alice));
      // The undo stack travels too: alice's last batch in the merged copy is her adjudication, as in hers.
      expect(undoLast(merged, 'alice').count).toBe(1);
      expect(derivedStateMismatches(merged)).toEqual([]);
      // A label only the log knew is now in this project.
      expect(merged.prepare("SELECT count(*) FROM labels WHERE name = 'org:brand_new_label'").pluck().get()).toBe(1);
    } finally {
      alice.close();
      merged.close();
    }
  });

  it('merges a large log (derived state recomputed at once) into a project with decisions of its own, exactly as record by record', async () => {
    const source = copy('large-source.winnow');
    const target = copy('large-target.winnow');
    try {
      const rows = rowsOf(source);
      let n = 0;
      // 3 annotators, 400 actions: decisions, undos, redos, adjudications, on 30 examples.
      for (let i = 0; i < 400; i++) {
        const who = ['ann', 'ben', 'cat'][i % 3]!;
        if (i % 11 === 0) undoLast(source, who);
        else applyDecisions(source, { examples: [rows[(i * 7) % rows.length]!, rows[(i * 13) % rows.length]!], action: (['keep', 'eliminate', 'reannotate'] as const)[i % 3]!, label: `l:${i % 4}`, annotator: who, adjudication: i % 17 === 0 });
        n++;
      }
      expect(n).toBe(400);
      applyDecisions(target, { examples: rows.slice(0, 10), action: 'eliminate', annotator: 'ann' });
      applyDecisions(target, { examples: rows.slice(5, 15), action: 'keep', annotator: 'dee' });
      const file = path.join(dir, 'large.jsonl');
      const { records } = await exportDecisionLog(source, { outPath: file, appVersion: 't', projectName: 'large' });
      expect(records).toBeGreaterThan(200);
      expect((await importDecisionLog(target, file)).imported).toBe(records);
      expect(derivedStateMismatches(target)).toEqual([]);
      // The trigger is back: a new decision updates the state at once.
      expect(target.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'decisions_derive_state'").pluck().get()).toBe(1);
      applyDecisions(target, { examples: [rows[20]!], action: 'eliminate', annotator: 'zed', adjudication: true });
      undoLast(target, 'ben');
      expect(derivedStateMismatches(target)).toEqual([]);
    } finally {
      source.close();
      target.close();
    }
  });

  it('exports one annotator\'s records only, and keeps run ids only for the same run', async () => {
    const db = copy('team.winnow');
    try {
      const runId = Number(
        db
          .prepare(
            "INSERT INTO run_rows (created_at, model_kind, model_name, model_hash, provider, providers_skipped, params, timings, label_order, summary) VALUES ('2024-01-01T00:00:00Z', 'predictions', 'p', 'h', 'cpu', '[]', '{}', '{}', '[]', '{}')",
          )
          .run().lastInsertRowid,
      );
      const rows = rowsOf(db);
      applyDecisions(db, { examples: [rows[0]!], action: 'keep', annotator: 'alice', runId });
      applyDecisions(db, { examples: [rows[0]!], action: 'eliminate', annotator: 'bob' });
      const file = path.join(dir, 'alice-only.jsonl');
      expect((await exportDecisionLog(db, { outPath: file, annotator: 'alice', appVersion: 't', projectName: 'team' })).records).toBe(1);
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines[0]).toMatchObject({ format: 'winnow-decisions/1', annotator: 'alice', records: 1, fingerprint: { splits: [{ name: 'train', count: 30, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }] } });
      expect(lines[1]).toMatchObject({ annotator: 'alice', action: 'keep', run: { id: runId, createdAt: '2024-01-01T00:00:00Z' } });
      // A project without that run keeps the decision and drops the run it cannot know.
      const other = copy('other.winnow');
      try {
        await importDecisionLog(other, file);
        expect([...iterateDecisions(other, { all: true })].map((l) => l.run)).toEqual([null]);
      } finally {
        other.close();
      }
    } finally {
      db.close();
    }
  });

  it('names the file, the line and the field of a bad log, and changes nothing', async () => {
    const source = copy('source.winnow');
    const target = copy('target.winnow');
    try {
      const rows = rowsOf(source);
      applyDecisions(source, { examples: [rows[0]!], action: 'keep', annotator: 'alice' });
      applyDecisions(source, { examples: [rows[1]!], action: 'eliminate', annotator: 'alice' });
      const good = path.join(dir, 'good.jsonl');
      await exportDecisionLog(source, { outPath: good, appVersion: 't', projectName: 's' });
      const [header, first, second] = fs.readFileSync(good, 'utf8').trim().split('\n') as [string, string, string];
      const variant = (name: string, lines: string[]) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, lines.join('\n') + '\n');
        return file;
      };
      const entry = (line: string, change: Record<string, unknown>) => JSON.stringify({ ...(JSON.parse(line) as object), ...change });
      const before = tableCounts(target);
      const cases: [string, RegExp][] = [
        [variant('empty.jsonl', []), /empty\.jsonl: is empty/],
        [variant('csv.jsonl', ['id,action', 'x0,keep']), /csv\.jsonl: line 1 is not JSON/],
        [variant('other.jsonl', [JSON.stringify({ id: 'x0', relation: 'per:title' })]), /other\.jsonl: not a Winnow decision log/],
        [variant('action.jsonl', [header, entry(first, { action: 'maybe' }), second]), /action\.jsonl: line 2 \(record "[0-9a-f-]+"\), field "action": /],
        [variant('label.jsonl', [header, entry(first, { action: 'reannotate' }), second]), /label\.jsonl: line 2 .*field "label": a label is given exactly when the action is reannotate/],
        [variant('cut.jsonl', [header, first]), /cut\.jsonl: holds 1 records but its header announces 2; the file is incomplete/],
        [variant('twice.jsonl', [header, first, first]), /twice\.jsonl: line 3 .* repeats the uid of line 2/],
        [variant('unknown.jsonl', [header, first, entry(second, { example: 'nope' })]), /unknown\.jsonl: line 3 .*: no example "nope" in this project/],
        [variant('orphan.jsonl', [header, first, entry(second, { undoes: '00000000-0000-4000-8000-000000000000' })]), /orphan\.jsonl: line 3 .*reverts record "00000000-0000-4000-8000-000000000000", which is neither in this project nor earlier in the log/],
        [variant('extra.jsonl', [header, entry(first, { confidence: 0.9 }), second]), /extra\.jsonl: line 2 .*confidence/],
      ];
      for (const [file, message] of cases) {
        await expect(importDecisionLog(target, file), path.basename(file)).rejects.toThrow(message);
        expect(tableCounts(target), path.basename(file)).toEqual(before);
      }
      // A record whose uid this project holds with other content: the logs contradict each other.
      await importDecisionLog(target, good);
      const after = tableCounts(target);
      const forged = variant('forged.jsonl', [header, entry(first, { action: 'eliminate' }), second]);
      await expect(importDecisionLog(target, forged)).rejects.toThrow(/forged\.jsonl: line 2 .*already has a record with this uid that says something else; nothing was imported/);
      expect(tableCounts(target)).toEqual(after);
    } finally {
      source.close();
      target.close();
    }
  });
});

describe('assigning a queue', () => {
  function withQueue(db: Db, n: number): number {
    const labels = new LabelTable(db);
    const run = Number(
      db
        .prepare(
          "INSERT INTO run_rows (created_at, model_kind, model_name, model_hash, provider, providers_skipped, params, timings, label_order, summary) VALUES ('now', 'predictions', 'p', 'h', 'cpu', '[]', '{}', '{}', '[]', '{}')",
        )
        .run().lastInsertRowid,
    );
    rowsOf(db)
      .slice(0, n)
      .forEach((example, rank) => db.prepare("INSERT INTO queue (run_id, example_id, rank, agreement, top_score, suggested_label_id, strategies) VALUES (?, ?, ?, 1, 0.5, ?, '{}')").run(run, example, rank, labels.idFor('per:title')));
    return run;
  }

  it('gives every queued example to one annotator in turn and a seeded share to a second, balanced over pairs', () => {
    const db = copy('assign.winnow');
    try {
      const run = withQueue(db, 30);
      const summary = assignQueue(db, { run, annotators: ['ann', 'ben', 'cat'], overlap: 0.2, seed: 4 });
      // 30 examples, 10 each; round(0.2 x 30) = 6 shared, 2 per pair.
      expect(summary).toMatchObject({ run, seed: 4, overlap: 0.2, examples: 30, shared: 6 });
      expect(summary.pairs.map((p) => p.shared)).toEqual([2, 2, 2]);
      expect(summary.annotators.reduce((n, a) => n + a.assigned, 0)).toBe(36);
      const assigned = () => db.prepare('SELECT annotator, example_id FROM assignments ORDER BY example_id, annotator').all();
      const first = assigned();
      // The same seed gives the same assignment; another seed shares other examples.
      assignQueue(db, { run, annotators: ['ann', 'ben', 'cat'], overlap: 0.2, seed: 4 });
      expect(assigned()).toEqual(first);
      assignQueue(db, { run, annotators: ['ann', 'ben', 'cat'], overlap: 0.2, seed: 5 });
      expect(assigned()).not.toEqual(first);
      // Replacing: one plan at a time.
      assignQueue(db, { run, annotators: ['solo'], overlap: 0, seed: 1 });
      expect(readAssignment(db)).toMatchObject({ examples: 30, shared: 0, annotators: [{ name: 'solo', assigned: 30, shared: 0 }] });
      expect(() => assignQueue(db, { run, annotators: ['solo'], overlap: 0.1 })).toThrow(/overlap.*two or more annotators/);
      expect(() => assignQueue(db, { run: 99, annotators: ['a', 'b'] })).toThrow(/No run 99/);
    } finally {
      db.close();
    }
  });
});
