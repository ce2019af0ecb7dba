import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/core/app/dispatch';
import { testCore } from '../../helpers/core';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

/** A core with a project of four examples, and the annotator set to `annotator`. */
async function projectWith(dir: string, name: string, annotator: string) {
  const session = testCore(path.join(dir, `data-${name}`));
  const file = writeJson(path.join(dir, 'train.json'), ['a', 'b', 'c', 'd'].map((id) => record(id)));
  await session.handlers['project:create']({ token: session.grant(path.join(dir, `${name}.winnow`), 'project') });
  const { jobId } = await session.handlers['import:start']({ file: session.grant(file), split: 'train', format: 'auto', skipInvalid: false });
  expect(await session.finished(jobId)).toMatchObject({ status: 'done' });
  await session.handlers['settings:set']({ annotator });
  return session;
}

describe('team channels', () => {
  it('export a log where the platform puts outputs, merge it into another copy by token, and undo only the own batch', async () => {
    const dir = tempDir();
    const alice = await projectWith(dir, 'alice', 'alice');
    const bob = await projectWith(dir, 'bob', 'bob');
    await alice.handlers['decisions:apply']({ target: { ids: ['a', 'b'] }, action: 'eliminate' });
    await bob.handlers['decisions:apply']({ target: { ids: ['a'] }, action: 'keep' });
    const exported = await dispatch(alice.handlers, 'decisions:export', { annotator: 'alice' });
    expect(exported).toMatchObject({ ok: true, value: { records: 2, annotator: 'alice', output: { role: 'decisions-log', downloadUrl: null } } });
    const logPath = (exported as { value: { path: string } }).value.path;
    expect(path.dirname(logPath)).toBe(path.join(dir, 'alice-exports'));
    expect(fs.existsSync(logPath)).toBe(true);

    // The page names the file by a token from a dialog or an upload; a path, or a token for writing, is refused.
    expect(await dispatch(bob.handlers, 'decisions:import', { file: logPath })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(bob.handlers, 'decisions:import', { file: bob.grant(logPath, 'write-file') })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const merged = await dispatch(bob.handlers, 'decisions:import', { file: bob.grant(logPath) });
    expect(merged).toMatchObject({ ok: true, value: { records: 2, imported: 2, alreadyPresent: 0, annotators: ['alice'] } });
    expect(bob.events.some((e) => e.event === 'decisions:changed')).toBe(true);
    const query = async (filter: Record<string, unknown>) => {
      const answer = await dispatch(bob.handlers, 'examples:query', { filter });
      if (!answer.ok) throw new Error(answer.error.message);
      return answer.value as { rows: { id: string; decision: { action: string } | null; team?: { votes: { annotator: string; action: string }[] } | null }[] };
    };
    const page = await query({ conflicts: true });
    expect(page.rows.map((r) => [r.id, r.team?.votes.map((v) => `${v.annotator}:${v.action}`)])).toEqual([['a', ['alice:eliminate', 'bob:keep']]]);

    // Bob's undo (the app's: the settings' annotator) reverts bob's keep, not alice's merged eliminate.
    expect(await bob.handlers['decisions:undo']({})).toMatchObject({ count: 1 });
    expect((await query({ ids: ['a', 'b'] })).rows.map((r) => r.decision?.action)).toEqual(['eliminate', 'eliminate']);
    expect(await bob.handlers['decisions:undo']({})).toMatchObject({ count: 0 });

    // Adjudication through the contract is marked in the history.
    await bob.handlers['decisions:apply']({ target: { ids: ['c'] }, action: 'keep', adjudicate: true });
    expect((await bob.handlers['decisions:history']({ id: 'c' })).map((h) => [h.annotator, h.adjudication])).toEqual([['bob', true]]);
    expect(await bob.handlers['team:assignment']({})).toBeNull();
  });
});
