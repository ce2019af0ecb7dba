/**
 * The team workflow end to end through the CLI: a project with a ranked queue is assigned to
 * annotators, each decides in a copy of the project, their logs are merged into the
 * coordinator's project (and into each other's), agreement and conflicts are computed, an
 * adjudicator settles a conflict, and exports resolve the decisions by policy.
 *
 * The decisions are chosen so that every figure can be worked out by hand (below). Outcomes:
 * K keep, E eliminate, T relabel to per:title.
 *
 *   example  given        alice  bob               dave
 *   e01      no_relation  K      .                 .
 *   e02      no_relation  E      .                 .
 *   e03      no_relation  E      E                 E
 *   e04      no_relation  K      K                 K
 *   e05      no_relation  K      T                 T      <- conflict
 *   e06      no_relation  E      K                 K      <- conflict (carol adjudicates: E)
 *   e07      no_relation  .      E                 .
 *   e08      no_relation  .      per:employee_of   .
 *   e10      per:title    .      E, then undone    .
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/main/core/store/database';
import { importSplit } from '../../src/main/core/store/import-split';
import { LabelTable } from '../../src/main/core/store/labels';
import type { AgreementReport } from '../../src/shared/team';
import type { ExportManifest } from '../../src/main/core/export/manifest';
import { winnow, winnowOk } from '../helpers/cli';
import { record, writeJson } from '../helpers/records';
import { tableCounts } from './reliability/support';
import { withDb } from '../helpers/project-db';
import { previewExport } from '../../src/main/core/export/export-preview';

const ids = Array.from({ length: 12 }, (_, i) => `e${String(i + 1).padStart(2, '0')}`);
const given = (id: string) => (Number(id.slice(1)) >= 9 ? 'per:title' : 'no_relation');

let dir: string;
let project: string;


/** A run whose queue is e01..e10 in that order (a run stored as `winnow rank` stores one). */
function addRun(file: string): void {
  withDb(file, (db) => {
    const labels = new LabelTable(db);
    const run = Number(
      db
        .prepare(
          `INSERT INTO run_rows (created_at, model_kind, model_name, model_hash, provider, providers_skipped, params, timings, label_order, summary)
           VALUES ('2024-05-01T10:00:00.000Z', 'predictions', 'p', 'ef', 'cpu', '[]', '{"strategies": ["is"]}', '{}', '[]', '{"examples": 12, "flags": {"is": 10}}')`,
        )
        .run().lastInsertRowid,
    );
    ids.slice(0, 10).forEach((id, rank) => {
      const example = db.prepare('SELECT id FROM examples WHERE ext_id = ?').pluck().get(id) as number;
      const suggested = labels.idFor(given(id) === 'no_relation' ? 'per:title' : 'no_relation');
      db.prepare("INSERT INTO flags (run_id, example_id, strategy, score, suggested_label_id, evidence) VALUES (?, ?, 'is', ?, ?, '{}')").run(run, example, 1 - rank / 10, suggested);
      db.prepare("INSERT INTO queue (run_id, example_id, rank, agreement, top_score, suggested_label_id, strategies) VALUES (?, ?, ?, 1, ?, ?, '{}')").run(run, example, rank, 1 - rank / 10, suggested);
    });
  });
}

const decide = (copy: string, annotator: string, id: string, action: string, ...more: string[]) => winnowOk('decide', copy, '--id', id, '--action', action, '--annotator', annotator, ...more);
const log = async (file: string, ...more: string[]) => (await winnowOk('decisions', 'list', file, '--all', ...more)).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
const copyOf = (annotator: string) => path.join(dir, 'copies', `p.${annotator}.winnow`);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  // One folder for the whole story: each test builds on the previous one's projects.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-team-'));
  project = path.join(dir, 'p.winnow');
  const db = openDatabase(project, { create: true });
  await importSplit(db, { filePath: writeJson(path.join(dir, 'train.json'), ids.map((id) => record(id, { relation: given(id) }))), split: 'train' });
  db.close();
  addRun(project);
});

describe('relabelling as a team, through the CLI', () => {
  it('assigns the queue with a known overlap and writes one copy per annotator', async () => {
    const summary = JSON.parse(await winnowOk('assign', project, '--annotators', 'alice,bob,dave', '--overlap', '0.3', '--seed', '7', '--out-dir', path.join(dir, 'copies'), '--json')) as {
      examples: number;
      shared: number;
      annotators: { name: string; assigned: number }[];
      pairs: { a: string; b: string; shared: number }[];
      copies: { annotator: string; path: string }[];
    };
    // 10 queued examples, round(0.3 x 10) = 3 of them to two annotators: 13 assignments.
    expect(summary.examples).toBe(10);
    expect(summary.shared).toBe(3);
    expect(summary.annotators.reduce((n, a) => n + a.assigned, 0)).toBe(13);
    expect(summary.pairs.reduce((n, p) => n + p.shared, 0)).toBe(3);
    expect(summary.copies.map((c) => c.path)).toEqual(['alice', 'bob', 'dave'].map(copyOf));
    // Each copy holds the data and the assignment: "assigned to me" works there.
    for (const annotator of ['alice', 'bob', 'dave']) {
      const mine = (await winnowOk('flags', copyOf(annotator), '--assigned-to', annotator)).trim().split('\n');
      expect(mine).toHaveLength(summary.annotators.find((a) => a.name === annotator)!.assigned);
    }
    // A copy is never overwritten: it may hold someone's work.
    expect((await winnow('assign', project, '--annotators', 'alice,bob', '--out-dir', path.join(dir, 'copies'))).error).toMatch(/p\.alice\.winnow exists already/);
  });

  it('merges the copies\' logs idempotently, keeping every history intact', async () => {
    const [alice, bob, dave] = ['alice', 'bob', 'dave'].map(copyOf) as [string, string, string];
    await decide(alice, 'alice', 'e01', 'keep');
    await decide(alice, 'alice', 'e02', 'eliminate');
    await decide(alice, 'alice', 'e03', 'eliminate');
    await decide(alice, 'alice', 'e04', 'keep');
    await decide(alice, 'alice', 'e05', 'keep');
    await decide(alice, 'alice', 'e06', 'eliminate');
    await decide(bob, 'bob', 'e03', 'eliminate');
    await decide(bob, 'bob', 'e04', 'keep');
    await decide(bob, 'bob', 'e05', 'accept');
    await decide(bob, 'bob', 'e06', 'keep');
    await decide(bob, 'bob', 'e07', 'eliminate');
    await decide(bob, 'bob', 'e08', 'reannotate', '--label', 'per:employee_of');
    await decide(bob, 'bob', 'e10', 'eliminate');
    await winnowOk('decide', bob, '--action', 'undo', '--annotator', 'bob');
    for (const [id, action] of [['e03', 'eliminate'], ['e04', 'keep'], ['e06', 'keep']] as const) await decide(dave, 'dave', id, action);
    await decide(dave, 'dave', 'e05', 'reannotate', '--label', 'per:title');

    for (const annotator of ['alice', 'bob', 'dave']) await winnowOk('decisions', 'export', copyOf(annotator), '--out', path.join(dir, `${annotator}.jsonl`), '--annotator', annotator);
    const merged = JSON.parse(await winnowOk('decisions', 'import', project, path.join(dir, 'bob.jsonl'), '--json')) as { records: number; imported: number; alreadyPresent: number };
    // Bob's 7 decisions and his undo.
    expect(merged).toMatchObject({ records: 8, imported: 8, alreadyPresent: 0 });
    await winnowOk('decisions', 'import', project, path.join(dir, 'alice.jsonl'));
    await winnowOk('decisions', 'import', project, path.join(dir, 'dave.jsonl'));
    const before = withDb(project, tableCounts);
    const listed = await winnowOk('decisions', 'list', project, '--all');
    // Importing again changes nothing.
    for (const annotator of ['alice', 'bob', 'dave']) {
      const again = JSON.parse(await winnowOk('decisions', 'import', project, path.join(dir, `${annotator}.jsonl`), '--json')) as { imported: number; alreadyPresent: number };
      expect(again.imported).toBe(0);
      expect(again.alreadyPresent).toBeGreaterThan(0);
    }
    expect(withDb(project, tableCounts)).toEqual(before);
    expect(await winnowOk('decisions', 'list', project, '--all')).toBe(listed);
    // Every record of every copy is in the merged log with the same uid, annotator, time, action and label, and what it reverts.
    const mergedLog = await log(project);
    expect(mergedLog).toHaveLength(6 + 8 + 4);
    const byUid = new Map(mergedLog.map((l) => [l.uid, l]));
    for (const annotator of ['alice', 'bob', 'dave']) {
      for (const line of await log(copyOf(annotator))) {
        const { seq: _seq, ...rest } = line;
        expect(byUid.get(line.uid)).toMatchObject(rest);
      }
    }
    // Merging the other way round: bob's log into alice's copy gives alice's copy both histories.
    await winnowOk('decisions', 'import', alice, path.join(dir, 'bob.jsonl'));
    expect((await log(alice)).map((l) => l.uid).sort()).toEqual([...(await log(alice, '--annotator', 'alice')), ...(await log(bob, '--annotator', 'bob'))].map((l) => l.uid).sort());
  });

  it('measures agreement as computed by hand and lists exactly the disagreements as conflicts', async () => {
    const report = JSON.parse(await winnowOk('agreement', project, '--json')) as AgreementReport;
    // alice / bob over e03..e06: (E,E) (K,K) (K,T) (E,K). p_o = 2/4 = 1/2.
    // alice: E 2, K 2, T 0 of 4; bob: E 1, K 2, T 1 of 4.
    // p_e = (2/4)(1/4) + (2/4)(2/4) + (0)(1/4) = 2/16 + 4/16 = 3/8.
    // kappa = (1/2 - 3/8) / (1 - 3/8) = (1/8) / (5/8) = 1/5. alice / dave: dave decided exactly as bob, so 1/5 too.
    // bob / dave: the same outcome on all four: p_o = 1, p_e = (1/4)^2 + (2/4)^2 + (1/4)^2 = 6/16, kappa = (1 - 3/8) / (5/8) = 1.
    expect(report.pairs).toEqual([
      { a: 'alice', b: 'bob', overlap: 4, kappa: 0.2 },
      { a: 'alice', b: 'dave', overlap: 4, kappa: 0.2 },
      { a: 'bob', b: 'dave', overlap: 4, kappa: 1 },
    ]);
    // Fleiss over e03..e06, three raters each. P_i = (sum_j n_ij^2 - 3) / (3 x 2):
    // e03 EEE: (9 - 3)/6 = 1; e04 KKK: 1; e05 KTT: (1 + 4 - 3)/6 = 1/3; e06 EKK: 1/3. P = (1 + 1 + 1/3 + 1/3)/4 = 2/3.
    // Of the 12 ratings: E 4, K 6, T 2, so P_e = (16 + 36 + 4)/144 = 7/18.
    // kappa = (2/3 - 7/18) / (1 - 7/18) = (5/18) / (11/18) = 5/11.
    expect(report.fleiss).toBeCloseTo(5 / 11, 10);
    expect(report.conflicts).toEqual([
      { id: 'e05', decisions: { alice: 'keep', bob: 'per:title', dave: 'per:title' } },
      { id: 'e06', decisions: { alice: 'eliminate', bob: 'keep', dave: 'keep' } },
    ]);
    // All four shared examples are negatives; two agree.
    expect(report.labels).toEqual([{ label: 'no_relation', examples: 4, agreed: 2, conflicts: 2 }]);
    // Alice's copy after merging only bob's log: one pair, and the conflicts between the two of them.
    const inAlice = JSON.parse(await winnowOk('agreement', copyOf('alice'), '--json')) as AgreementReport;
    expect(inAlice.pairs).toEqual([{ a: 'alice', b: 'bob', overlap: 4, kappa: 0.2 }]);
    expect(inAlice.fleiss).toBeNull();
    expect(inAlice.conflicts.map((c) => c.id)).toEqual(['e05', 'e06']);
  });

  it('undoes only the annotator\'s own batch in the merged project', async () => {
    const othersBefore = [await log(project, '--annotator', 'alice'), await log(project, '--annotator', 'dave')];
    const currentOf = async (annotator: string) => (await winnowOk('decisions', project, '--annotator', annotator)).trim().split('\n').map((l) => JSON.parse(l) as { id: string; action: string });
    const aliceBefore = await currentOf('alice');
    // Bob's last batch in his own history is the relabel of e08 (his e10 was undone already).
    expect(JSON.parse(await winnowOk('decide', project, '--action', 'undo', '--annotator', 'bob', '--json'))).toMatchObject({ count: 1 });
    expect((await currentOf('bob')).map((d) => d.id)).toEqual(['e03', 'e04', 'e05', 'e06', 'e07']);
    expect(await currentOf('alice')).toEqual(aliceBefore);
    // The undo appended one record of bob's; nobody else's history changed.
    expect([await log(project, '--annotator', 'alice'), await log(project, '--annotator', 'dave')]).toEqual(othersBefore);
    expect(JSON.parse(await winnowOk('decide', project, '--action', 'redo', '--annotator', 'bob', '--json'))).toMatchObject({ count: 1 });
    expect((await currentOf('bob')).map((d) => d.id)).toEqual(['e03', 'e04', 'e05', 'e06', 'e07', 'e08']);
    expect((await winnow('decide', project, '--id', 'e01', '--action', 'undo', '--annotator', 'bob')).error).toMatch(/--id does not apply to --action undo/);
  });

  it('applies adjudications with --resolve adjudicated, majorities with majority, and only agreement with unanimous', async () => {
    expect(await winnowOk('decide', project, '--id', 'e06', '--action', 'eliminate', '--annotator', 'carol', '--adjudicate')).toMatch(/as adjudication/);
    const agreement = await winnowOk('agreement', project);
    expect(agreement).toMatch(/Conflicts: 2 \(1 adjudicated\)/);
    expect(agreement).toMatch(/e06\talice: eliminate\tbob: keep\tdave: keep\tadjudicated by carol: eliminate/);
    const exported = async (resolve: string) => {
      const out = path.join(dir, `out-${resolve}.json`);
      await winnowOk('export', project, '--split', 'train', '--mode', 'reviewed', '--out', out, '--resolve', resolve);
      const records = JSON.parse(fs.readFileSync(out, 'utf8')) as { id: string; relation: string }[];
      const manifest = JSON.parse(fs.readFileSync(`${out}.manifest.json`, 'utf8')) as ExportManifest;
      const kept = new Map(records.map((r) => [r.id, r.relation]));
      return {
        eliminated: ids.filter((id) => !kept.has(id)),
        relabelled: Object.fromEntries([...kept].filter(([id, label]) => label !== given(id))),
        unresolved: manifest.decisions.unresolved,
        resolution: manifest.decisions.resolution,
      };
    };
    // adjudicated: e06 follows carol (eliminate); e05 has no adjudication and no agreement: left as it was, listed.
    expect(await exported('adjudicated')).toEqual({
      eliminated: ['e02', 'e03', 'e06', 'e07'],
      relabelled: { e08: 'per:employee_of' },
      unresolved: [{ id: 'e05', decisions: { alice: 'keep', bob: 'per:title', dave: 'per:title' } }],
      resolution: { policy: 'adjudicated', annotators: ['alice', 'bob', 'dave'], single: 4, unanimous: 2, majority: 0, adjudication: 1, unresolved: 1 },
    });
    // majority: e05 goes to per:title (bob and dave); e06 still follows the adjudication, not the majority's keep.
    expect(await exported('majority')).toMatchObject({ eliminated: ['e02', 'e03', 'e06', 'e07'], relabelled: { e05: 'per:title', e08: 'per:employee_of' }, unresolved: [] });
    // unanimous: no adjudication, no majority: both conflicts stay as they were.
    expect(await exported('unanimous')).toMatchObject({ eliminated: ['e02', 'e03', 'e07'], relabelled: { e08: 'per:employee_of' }, unresolved: [{ id: 'e05' }, { id: 'e06' }] });
    expect((await winnow('export', project, '--split', 'train', '--out', path.join(dir, 'o.json'), '--resolve', 'everyone')).error).toMatch(/--resolve/);
    // The export dialog offers the policy only where it decides something: the preview counts
    // the disagreements (e05, and e06 although adjudicated) when decisions are read.
    withDb(project, (db) => {
      expect(previewExport(db, { split: 'train', mode: 'reviewed' }).disagreements).toBe(2);
      expect(previewExport(db, { split: 'train', mode: 'original' }).disagreements).toBeNull();
    });
    withDb(copyOf('dave'), (db) => expect(previewExport(db, { split: 'train', mode: 'reviewed' }).disagreements).toBe(0));
  });

  it('refuses a log recorded on other data, naming what differs, and changes nothing', async () => {
    const other = path.join(dir, 'other.winnow');
    const db = openDatabase(other, { create: true });
    // The same ids, one sentence changed: another file.
    await importSplit(db, { filePath: writeJson(path.join(dir, 'other-train.json'), ids.map((id) => record(id, { relation: given(id), ...(id === 'e12' ? { token: ['Another', 'sentence', 'here', 'a', 'b', '.'] } : {}) }))), split: 'train' });
    await importSplit(db, { filePath: writeJson(path.join(dir, 'dev.json'), [record('d1')]), split: 'dev' });
    db.close();
    const before = withDb(other, tableCounts);
    const refused = await winnow('decisions', 'import', other, path.join(dir, 'bob.jsonl'));
    expect(refused.error).toMatch(/bob\.jsonl: recorded on other data than this project: split "train" was imported here from a file with sha256 [0-9a-f]{12}…, in the log's project from [0-9a-f]{12}…; nothing was imported/);
    expect(withDb(other, tableCounts)).toEqual(before);
    // The other way: a log naming a split this project lacks.
    await winnowOk('decisions', 'export', other, '--out', path.join(dir, 'other.jsonl'));
    expect((await winnow('decisions', 'import', project, path.join(dir, 'other.jsonl'))).error).toMatch(/split "train" was imported here from a file with sha256 .*; split "dev" \(1 examples\) is not in this project/);
  });
});
