import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ChannelOutput, Handlers } from '../../../src/shared/contract';
import { channels, contract } from '../../../src/shared/contract';
import { dispatch } from '../../../src/main/core/app/dispatch';
import { WinnowCore } from '../../../src/main/core/app/winnow-core';
import type { JobFinished } from '../../../src/shared/domain';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

function setup() {
  const dir = tempDir();
  const events: { event: string; payload: unknown }[] = [];
  const core = new WinnowCore({ dataDir: dir, jobs: { mode: 'inline' }, emit: (event, payload) => events.push({ event, payload }) });
  const handlers: Handlers = {
    ...core.handlers(),
    'app:info': () => ({ version: 'test', mode: 'browser', platform: 'test' }),
    'dialog:openFile': () => ({ path: null }),
    'dialog:saveFile': () => ({ path: null }),
  };
  const finished = (jobId: string) => core.jobs.wait(jobId) as Promise<JobFinished>;
  return { dir, core, handlers, events, finished };
}

describe('contract', () => {
  it('types every channel: outputs are inferred from the schemas', () => {
    expectTypeOf<ChannelOutput<'examples:query'>['rows'][number]['tokens']>().toEqualTypeOf<string[]>();
    expectTypeOf<Parameters<Handlers['import:start']>[0]['skipInvalid']>().toEqualTypeOf<boolean>();
    expect(channels).toEqual(Object.keys(contract));
    for (const channel of channels) expect(channel).toMatch(/^[a-z]+:[a-zA-Z]+$/);
  });

  it('rejects invalid input with the channel and field, before any handler runs', async () => {
    const { handlers } = setup();
    expect(await dispatch(handlers, 'examples:query', { limit: 5000 })).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^examples:query: limit: /) },
    });
    expect(await dispatch(handlers, 'import:start', { path: '/x', split: 'bad name!' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/split/) } });
    expect(await dispatch(handlers, 'no:such', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('returns handler errors as values with their codes', async () => {
    const { handlers } = setup();
    expect(await dispatch(handlers, 'examples:query', {})).toMatchObject({ ok: false, error: { code: 'NO_PROJECT' } });
    expect(await dispatch(handlers, 'project:open', { path: '/definitely/not/here.winnow' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('core handlers', () => {
  it('create a project, import as a job, query pages with filter and sort, export', async () => {
    const { dir, handlers, events, finished } = setup();
    const projectPath = path.join(dir, 'p.winnow');
    const created = await dispatch(handlers, 'project:create', { path: projectPath });
    expect(created).toMatchObject({ ok: true, value: { name: 'p', exampleCount: 0 } });
    const file = writeJson(path.join(dir, 'in.json'), [
      record('a', { relation: 'no_relation', token: ['Zed', 'met', 'Bob', 'at', 'noon', '.'] }),
      record('b', { relation: 'per:title' }),
      record('c', { relation: 'org:founded_by', subj_type: 'ORGANIZATION', obj_type: 'PERSON' }),
    ]);
    const started = await dispatch(handlers, 'import:start', { path: file, split: 'train' });
    if (!started.ok) throw new Error(started.error.message);
    const done = await finished((started.value as { jobId: string }).jobId);
    expect(done).toMatchObject({ status: 'done', result: { imported: 3 } });
    expect(events.map((e) => e.event)).toContain('project:changed');

    const page = await dispatch(handlers, 'examples:query', { filter: { labels: ['per:title', 'org:founded_by'] }, sort: [{ column: 'label', direction: 'asc' }], limit: 10 });
    expect(page).toMatchObject({ ok: true, value: { total: 2, rows: [{ id: 'c', label: 'org:founded_by' }, { id: 'b', label: 'per:title' }] } });
    const text = await dispatch(handlers, 'examples:query', { filter: { text: 'met bob' } });
    expect(text).toMatchObject({ ok: true, value: { total: 1, rows: [{ id: 'a', tokens: ['Zed', 'met', 'Bob', 'at', 'noon', '.'] }] } });
    const types = await dispatch(handlers, 'examples:query', { filter: { subjTypes: ['ORGANIZATION'] } });
    expect(types).toMatchObject({ ok: true, value: { total: 1 } });
    const paged = await dispatch(handlers, 'examples:query', { sort: [{ column: 'id', direction: 'desc' }], offset: 1, limit: 1 });
    expect(paged).toMatchObject({ ok: true, value: { total: 3, rows: [{ id: 'b' }] } });
    const percent = await dispatch(handlers, 'examples:query', { filter: { text: '%' } });
    expect(percent).toMatchObject({ ok: true, value: { total: 0 } });

    const facets = await dispatch(handlers, 'examples:facets', {});
    expect(facets).toMatchObject({ ok: true, value: { splits: ['train'], labels: ['no_relation', 'org:founded_by', 'per:title'] } });

    const exportStart = await dispatch(handlers, 'export:start', { split: 'train', format: 'jsonl' });
    if (!exportStart.ok) throw new Error(exportStart.error.message);
    const exported = await finished((exportStart.value as { jobId: string }).jobId);
    expect(exported).toMatchObject({ status: 'done', result: { count: 3, downloadUrl: null } });
    const out = (exported.result as { path: string }).path;
    expect(fs.readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(3);

    const recent = await dispatch(handlers, 'project:recent', {});
    expect(recent).toMatchObject({ ok: true, value: [{ path: projectPath }] });
  });

  it('a failed import job reports the record and leaves the project as it was', async () => {
    const { dir, handlers, finished } = setup();
    await dispatch(handlers, 'project:create', { path: path.join(dir, 'p.winnow') });
    const file = writeJson(path.join(dir, 'bad.json'), [record('a'), record('b', { subj_end: 40 })]);
    const started = await dispatch(handlers, 'import:start', { path: file, split: 'train' });
    const done = await finished((started as { value: { jobId: string } }).value.jobId);
    expect(done).toMatchObject({ status: 'failed', error: { code: 'INVALID_FILE', message: expect.stringMatching(/record 1 id "b", field "subj_end"/) } });
    expect(await dispatch(handlers, 'project:current', {})).toMatchObject({ ok: true, value: { exampleCount: 0, splits: [] } });
  });

  it('refuses to create over an existing file', async () => {
    const { dir, handlers } = setup();
    const existing = path.join(dir, 'x.winnow');
    fs.writeFileSync(existing, 'keep me');
    expect(await dispatch(handlers, 'project:create', { path: existing })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');
  });
});

describe('triage filters', () => {
  it('filter a run by suggested label, score range and decision state', async () => {
    const { dir, handlers, finished } = setup();
    await dispatch(handlers, 'project:create', { path: path.join(dir, 'p.winnow') });
    const labels = ['no_relation', 'per:title'];
    const ids = Array.from({ length: 12 }, (_, i) => `r${i}`);
    const file = writeJson(path.join(dir, 'in.json'), ids.map((id, i) => record(id, { relation: labels[i % 2] })));
    await finished(((await dispatch(handlers, 'import:start', { path: file, split: 'train' })) as { value: { jobId: string } }).value.jobId);
    // Predictions that contradict every second label: CL flags those, suggesting the other label.
    const predictions = path.join(dir, 'p.jsonl');
    fs.writeFileSync(
      predictions,
      [JSON.stringify({ labels }), ...ids.map((id, i) => JSON.stringify({ id, probs: i % 4 === 0 ? [0.02, 0.98] : i % 2 === 0 ? [0.95, 0.05] : [0.05, 0.95] }))].join('\n'),
    );
    const rank = await dispatch(handlers, 'ranking:start', { model: { kind: 'predictions', file: predictions }, strategies: ['cl'] });
    const done = await finished((rank as { value: { jobId: string } }).value.jobId);
    expect(done).toMatchObject({ status: 'done' });
    const run = (done.result as { runId: number }).runId;
    const flagged = await dispatch(handlers, 'examples:query', { run, filter: { flaggedOnly: true, suggestedLabels: ['per:title'] } });
    expect(flagged).toMatchObject({ ok: true, value: { total: 3, rows: [{ flag: { suggested: 'per:title' } }, {}, {}] } });
    const high = await dispatch(handlers, 'examples:query', { run, filter: { flaggedOnly: true, scoreMin: 0.5 } });
    const none = await dispatch(handlers, 'examples:query', { run, filter: { flaggedOnly: true, scoreMax: 0.5 } });
    expect((high as { value: { total: number } }).value.total).toBe(3);
    expect((none as { value: { total: number } }).value.total).toBe(0);
    await dispatch(handlers, 'decisions:apply', { target: { ids: ['r0'] }, action: 'accept', run });
    const decided = await dispatch(handlers, 'examples:query', { run, filter: { decision: 'reannotate' } });
    expect(decided).toMatchObject({ ok: true, value: { total: 1, rows: [{ id: 'r0', decision: { action: 'reannotate', label: 'per:title' } }] } });
    const stale = await dispatch(handlers, 'decisions:apply', { target: { filter: { decision: 'undecided' }, expectedCount: 99 }, action: 'keep' });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});
