import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/core/app/dispatch';
import { applyDecisions } from '../../../src/main/core/store/decisions';
import { compareProject } from '../../helpers/compare-project';
import { testCore } from '../../helpers/core';

let dir: string;
let runId: number;
let session: ReturnType<typeof testCore>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-compare-handlers-'));
  const project = await compareProject(dir, { train: 300, test: 100 });
  runId = project.runId;
  // Two decisions: one that agrees with an IS flag, one on an example nobody flagged.
  const flagged = project.db.prepare("SELECT example_id FROM flags WHERE run_id = ? AND strategy = 'is' LIMIT 1").pluck().get(runId) as number;
  const unflagged = project.db.prepare("SELECT e.id FROM examples e JOIN splits s ON s.id = e.split_id WHERE s.name = 'train' AND e.id NOT IN (SELECT example_id FROM flags) LIMIT 1").pluck().get() as number;
  applyDecisions(project.db, { examples: [flagged], action: 'eliminate', annotator: 'ann' });
  applyDecisions(project.db, { examples: [unflagged], action: 'reannotate', label: 'per:title', annotator: 'ann' });
  project.db.close();
  session = testCore(dir);
  expect(await dispatch(session.handlers, 'project:open', { token: session.grant(project.file, 'project') })).toMatchObject({ ok: true });
}, 60_000);

afterAll(() => {
  session.core.closeProject();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('compare channels', () => {
  it('run a comparison as a job with progress, and list it with the run', async () => {
    const started = await dispatch(session.handlers, 'compare:start', { train: 'train', evals: ['test'], variants: ['original', 'E', 'KNN-E'], seeds: 1 });
    expect(started).toMatchObject({ ok: true });
    const finished = await session.finished((started as { value: { jobId: string } }).value.jobId);
    expect(finished).toMatchObject({ kind: 'compare', status: 'done', result: { runId, variants: [{ name: 'original' }, { name: 'E' }], skipped: [{ name: 'KNN-E' }] } });
    const progress = session.events.filter((e) => e.event === 'job:progress').map((e) => e.payload as { kind: string; phase: string; done: number; total: number });
    expect(progress.some((p) => p.kind === 'compare' && p.phase.startsWith('training E, seed 1 (2 of 2)'))).toBe(true);
    const listed = await dispatch(session.handlers, 'compare:list', { run: runId });
    expect(listed).toEqual({ ok: true, value: [(finished as { result: unknown }).result] });
  });

  it('refuse a trainer command or an output folder from a client', async () => {
    for (const extra of [{ trainer: 'sh -c "id" {train} {eval} {out}' }, { predictionsDir: '/tmp/x' }]) {
      const answer = await dispatch(session.handlers, 'compare:start', { train: 'train', evals: ['test'], ...extra });
      expect(answer).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: `compare:start: ${Object.keys(extra)[0]}: not a field of this channel` } });
    }
  });
});

describe('export preview', () => {
  it("counts what an export would write and how many records the decisions change", async () => {
    const plain = await dispatch(session.handlers, 'export:preview', { split: 'train', mode: 'auto', run: runId, strategy: 'is', apply: 'eliminate' });
    const withDecisions = await dispatch(session.handlers, 'export:preview', { split: 'train', mode: 'auto', run: runId, strategy: 'is', apply: 'eliminate', decisionsOverride: true });
    expect(plain).toMatchObject({ ok: true, value: { dataset: 'TACRED-E', before: 300, relabelled: 0, changedByDecisions: null } });
    const p = (plain as { value: { eliminated: number; flagged: number; count: number } }).value;
    expect(p.eliminated).toBe(p.flagged);
    expect(p.count).toBe(300 - p.eliminated);
    // The eliminate agrees with its flag; the reannotation drops an example the flags kept (E never relabels).
    expect(withDecisions).toMatchObject({ ok: true, value: { dataset: 'TACRED-E with human decisions', eliminated: p.eliminated + 1, relabelled: 0, changedByDecisions: 1 } });
  });
});
