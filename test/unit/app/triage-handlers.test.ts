import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChannelInput, ChannelOutput, Channel } from '../../../src/shared/contract';
import { dispatch } from '../../../src/main/core/app/dispatch';
import { iterateDecisions } from '../../../src/main/core/store/decisions';
import { openDatabase } from '../../../src/main/core/store/database';
import type { JobFinished } from '../../../src/shared/domain';
import { testCore } from '../../helpers/core';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

/** A project of six examples (a..f, in file order) through the same handlers the app calls. */
async function setup() {
  const dir = tempDir();
  const { core, handlers, grant } = testCore(dir);
  async function call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
    const result = await dispatch(handlers, channel, input);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as ChannelOutput<C>;
  }
  const projectPath = path.join(dir, 'p.winnow');
  await call('project:create', { token: grant(projectPath, 'project') });
  await call('settings:set', { annotator: 'ann' });
  const file = writeJson(
    path.join(dir, 'in.json'),
    ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) => record(id, { relation: i % 2 ? 'no_relation' : 'per:title' })),
  );
  const { jobId } = await call('import:start', { file: grant(file), split: 'train' });
  expect(((await core.jobs.wait(jobId)) as JobFinished).status).toBe('done');
  const current = async () => {
    const page = await call('examples:query', { limit: 100 });
    return Object.fromEntries(page.rows.map((r) => [r.id, r.decision ? r.decision.action : '-']));
  };
  const csvNotes = () => {
    const db = openDatabase(projectPath);
    try {
      return Object.fromEntries([...iterateDecisions(db)].map((l) => [l.id, l.note]));
    } finally {
      db.close();
    }
  };
  return { call, current, csvNotes, core };
}

describe('notes', () => {
  it('never decide: a note on an undecided example waits for its next decision', async () => {
    const { call, current, csvNotes } = await setup();
    expect(await call('decisions:note', { id: 'a', note: 'looks like a title' })).toMatchObject({ attachedTo: 'next' });
    expect((await current()).a).toBe('-');
    expect((await call('examples:query', { filter: { decision: 'decided' } })).total).toBe(0);
    await call('decisions:apply', { target: { ids: ['a'] }, action: 'reannotate', label: 'per:employee_of' });
    expect(csvNotes().a).toBe('looks like a title');
  });

  it('attach to the current decision, and survive later decisions, undo and redo', async () => {
    const { call, csvNotes } = await setup();
    await call('decisions:apply', { target: { ids: ['b'] }, action: 'keep' });
    expect(await call('decisions:note', { id: 'b', note: 'checked the source' })).toMatchObject({ attachedTo: 'current' });
    expect(csvNotes().b).toBe('checked the source');
    await call('decisions:apply', { target: { ids: ['b'] }, action: 'eliminate' });
    expect(csvNotes().b).toBe('checked the source');
    await call('decisions:undo', {});
    await call('decisions:redo', {});
    expect(csvNotes().b).toBe('checked the source');
    // A note of the decision's own replaces it; an empty note removes it.
    await call('decisions:apply', { target: { ids: ['b'] }, action: 'keep', note: 'second look' });
    expect(csvNotes().b).toBe('second look');
    await call('decisions:note', { id: 'b', note: '' });
    expect(csvNotes().b).toBeNull();
  });

  it('are undone like any action, and show in the history as notes', async () => {
    const { call } = await setup();
    await call('decisions:note', { id: 'c', note: 'first' });
    await call('decisions:apply', { target: { ids: ['c'] }, action: 'keep' });
    await call('decisions:undo', {});
    // The decision is gone; the note it had picked up is still waiting.
    const history = await call('decisions:history', { id: 'c' });
    expect(history.map((h) => [h.kind, h.action, h.note])).toEqual([
      ['note', 'clear', 'first'],
      ['decision', 'keep', 'first'],
      ['undo', 'clear', 'first'],
    ]);
    await call('decisions:undo', {});
    expect((await call('decisions:history', { id: 'c' })).at(-1)).toMatchObject({ kind: 'undo', note: null });
  });
});

describe('bulk preview', () => {
  it('counts the examples that already have a decision, by action, and those a run cannot accept', async () => {
    const { call } = await setup();
    await call('decisions:apply', { target: { ids: ['a', 'b'] }, action: 'eliminate' });
    await call('decisions:apply', { target: { ids: ['c'] }, action: 'keep' });
    const preview = await call('decisions:preview', { target: { filter: {}, expectedCount: 6 } });
    expect(preview).toEqual({ count: 6, decided: { keep: 1, eliminate: 2, reannotate: 0 }, withoutSuggestion: null });
    const selection = await call('decisions:preview', { target: { ids: ['a', 'd'] } });
    expect(selection.decided).toEqual({ keep: 0, eliminate: 1, reannotate: 0 });
  });

  it('can leave the decided examples as they are', async () => {
    const { call, current } = await setup();
    await call('decisions:apply', { target: { ids: ['a'] }, action: 'eliminate' });
    const result = await call('decisions:apply', { target: { filter: {}, expectedCount: 6 }, action: 'keep', onlyUndecided: true });
    expect(result.count).toBe(5);
    expect(await current()).toEqual({ a: 'eliminate', b: 'keep', c: 'keep', d: 'keep', e: 'keep', f: 'keep' });
  });
});

describe('locating examples in the grid order', () => {
  it('finds an example, and the next undecided one from a position', async () => {
    const { call } = await setup();
    await call('decisions:apply', { target: { ids: ['a', 'b', 'd'] }, action: 'keep' });
    expect(await call('examples:locate', { target: { id: 'e' } })).toEqual({ index: 4 });
    expect(await call('examples:locate', { target: { nextUndecidedFrom: 0 } })).toEqual({ index: 2 });
    expect(await call('examples:locate', { target: { nextUndecidedFrom: 3 } })).toEqual({ index: 4 });
    // In another order and filter: labels per:title (a, c, e) sorted by id descending.
    const query = { filter: { labels: ['per:title'] }, sort: [{ column: 'id' as const, direction: 'desc' as const }] };
    expect(await call('examples:locate', { ...query, target: { id: 'a' } })).toEqual({ index: 2 });
    expect(await call('examples:locate', { ...query, target: { nextUndecidedFrom: 0 } })).toEqual({ index: 0 });
    expect(await call('examples:locate', { ...query, target: { id: 'b' } })).toEqual({ index: null });
    await call('decisions:apply', { target: { ids: ['c', 'e', 'f'] }, action: 'keep' });
    expect(await call('examples:locate', { target: { nextUndecidedFrom: 0 } })).toEqual({ index: null });
  });

  it('undo and redo name the examples they changed', async () => {
    const { call } = await setup();
    await call('decisions:apply', { target: { ids: ['d', 'b'] }, action: 'eliminate' });
    const undone = await call('decisions:undo', {});
    expect(undone.count).toBe(2);
    expect([...undone.exampleIds].sort()).toEqual(['b', 'd']);
    expect((await call('decisions:redo', {})).exampleIds.length).toBe(2);
    await call('decisions:undo', {});
    await call('decisions:undo', {});
    expect(await call('decisions:undo', {})).toEqual({ batchId: null, count: 0, exampleIds: [] });
  });
});

describe('the demo project', () => {
  it('opens from the app (built the first time), for an empty start screen to offer', async () => {
    const dir = tempDir();
    const { handlers } = testCore(dir, { resourcesDir: path.join(import.meta.dirname, '../../../resources') });
    const summary = await handlers['project:openDemo']({});
    expect(summary).toMatchObject({ name: 'demo', splits: [{ name: 'train' }, { name: 'dev' }, { name: 'test' }] });
    expect(summary.exampleCount).toBeGreaterThan(1000);
    const bare = testCore(tempDir());
    await expect(async () => bare.handlers['project:openDemo']({})).rejects.toThrow(/no demo data/);
  });
});
