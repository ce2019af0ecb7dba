import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { ChannelOutput, ChannelParsedInput, Handlers } from '../../../src/shared/contract';
import type { JobFinished } from '../../../src/shared/jobs';
import type { ExportDatasetOptions } from '../../../src/main/core/export/export-modes';
import type { RankOptions } from '../../../src/main/core/ranking/rank-options';
import { channels, contract } from '../../../src/shared/contract';
import { dispatch } from '../../../src/main/core/app/dispatch';
import { testCore } from '../../helpers/core';
import { record, writeJson } from '../../helpers/records';
import { tempDir } from '../../helpers/temp-dir';

function setup() {
  const dir = tempDir();
  return { dir, ...testCore(dir) };
}

describe('contract', () => {
  it('types every channel: outputs are inferred from the schemas', () => {
    expectTypeOf<ChannelOutput<'examples:query'>['rows'][number]['tokens']>().toEqualTypeOf<string[]>();
    expectTypeOf<Parameters<Handlers['import:start']>[0]['skipInvalid']>().toEqualTypeOf<boolean>();
    expect(channels).toEqual(Object.keys(contract));
    for (const channel of channels) expect(channel).toMatch(/^[a-z]+:[a-zA-Z]+$/);
  });

  it('takes its rank and export options from the engine\'s own definitions: only the file references differ', () => {
    type ContractRank = ChannelParsedInput<'ranking:start'>;
    expectTypeOf<Omit<ContractRank, 'model'>>().toEqualTypeOf<Omit<RankOptions, 'model'>>();
    expectTypeOf<ContractRank['model']['kind']>().toEqualTypeOf<RankOptions['model']['kind']>();
    type EngineExport = z.output<typeof ExportDatasetOptions>;
    expectTypeOf<Omit<ChannelParsedInput<'export:start'>, 'destination'>>().toEqualTypeOf<Omit<EngineExport, 'outPath' | 'appVersion'>>();
    // A finished job's result is typed by its kind.
    expectTypeOf<Extract<JobFinished, { kind: 'rank'; status: 'done' }>['result']['runId']>().toEqualTypeOf<number>();
  });

  it('rejects invalid input with the channel and field, before any handler runs', async () => {
    const { handlers } = setup();
    expect(await dispatch(handlers, 'examples:query', { limit: 5000 })).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^examples:query: limit: /) },
    });
    expect(await dispatch(handlers, 'import:start', { file: 'A'.repeat(24), split: 'bad name!' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/split/) } });
    expect(await dispatch(handlers, 'no:such', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('returns handler errors as values with their codes', async () => {
    const { handlers, grant } = setup();
    expect(await dispatch(handlers, 'examples:query', {})).toMatchObject({ ok: false, error: { code: 'NO_PROJECT' } });
    expect(await dispatch(handlers, 'project:open', { token: grant('/definitely/not/here.winnow', 'project') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('core handlers', () => {
  it('create a project, import as a job, query pages with filter and sort, export', async () => {
    const { dir, handlers, events, finished, grant } = setup();
    const projectPath = path.join(dir, 'p.winnow');
    const created = await dispatch(handlers, 'project:create', { token: grant(projectPath, 'project') });
    expect(created).toMatchObject({ ok: true, value: { name: 'p', exampleCount: 0 } });
    const file = writeJson(path.join(dir, 'in.json'), [
      record('a', { relation: 'no_relation', token: ['Zed', 'met', 'Bob', 'at', 'noon', '.'] }),
      record('b', { relation: 'per:title' }),
      record('c', { relation: 'org:founded_by', subj_type: 'ORGANIZATION', obj_type: 'PERSON' }),
    ]);
    const started = await dispatch(handlers, 'import:start', { file: grant(file), split: 'train' });
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
    expect(exported).toMatchObject({ status: 'done', result: { count: 3 } });
    if (exported.status !== 'done' || exported.kind !== 'export') throw new Error('export failed');
    const out = exported.result.path;
    // Beside the project, since no file was chosen; every output listed, none downloadable on the desktop.
    expect(path.dirname(out)).toBe(path.join(dir, 'p-exports'));
    expect(exported.result.outputs.map((o) => [o.role, o.downloadUrl])).toEqual([['data', null], ['decisions-csv', null], ['manifest', null]]);
    expect(fs.readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(3);

    const recent = await dispatch(handlers, 'project:recent', {});
    expect(recent).toMatchObject({ ok: true, value: [{ path: projectPath, name: 'p.winnow', token: expect.any(String) }] });
  });

  it('a failed import job reports the record and leaves the project as it was', async () => {
    const { dir, handlers, finished, grant } = setup();
    await dispatch(handlers, 'project:create', { token: grant(path.join(dir, 'p.winnow'), 'project') });
    const file = writeJson(path.join(dir, 'bad.json'), [record('a'), record('b', { subj_end: 40 })]);
    const started = await dispatch(handlers, 'import:start', { file: grant(file), split: 'train' });
    const done = await finished((started as { value: { jobId: string } }).value.jobId);
    expect(done).toMatchObject({ status: 'failed', error: { code: 'INVALID_FILE', message: expect.stringMatching(/record 1 id "b", field "subj_end"/) } });
    expect(await dispatch(handlers, 'project:current', {})).toMatchObject({ ok: true, value: { exampleCount: 0, splits: [] } });
  });

  it('refuses to create over an existing file', async () => {
    const { dir, handlers, grant } = setup();
    const existing = path.join(dir, 'x.winnow');
    fs.writeFileSync(existing, 'keep me');
    expect(await dispatch(handlers, 'project:create', { token: grant(existing, 'project') })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');
  });
});

describe('triage filters', () => {
  it('filter a run by suggested label, score range and decision state', async () => {
    const { dir, handlers, finished, grant } = setup();
    await dispatch(handlers, 'project:create', { token: grant(path.join(dir, 'p.winnow'), 'project') });
    const labels = ['no_relation', 'per:title'];
    const ids = Array.from({ length: 12 }, (_, i) => `r${i}`);
    const file = writeJson(path.join(dir, 'in.json'), ids.map((id, i) => record(id, { relation: labels[i % 2] })));
    await finished(((await dispatch(handlers, 'import:start', { file: grant(file), split: 'train' })) as { value: { jobId: string } }).value.jobId);
    // Predictions that contradict every second label: CL flags those, suggesting the other label.
    const predictions = path.join(dir, 'p.jsonl');
    fs.writeFileSync(
      predictions,
      [JSON.stringify({ labels }), ...ids.map((id, i) => JSON.stringify({ id, probs: i % 4 === 0 ? [0.02, 0.98] : i % 2 === 0 ? [0.95, 0.05] : [0.05, 0.95] }))].join('\n'),
    );
    const rank = await dispatch(handlers, 'ranking:start', { model: { kind: 'predictions', file: grant(predictions) }, strategies: ['cl'] });
    const done = await finished((rank as { value: { jobId: string } }).value.jobId);
    expect(done).toMatchObject({ status: 'done' });
    if (done.status !== 'done' || done.kind !== 'rank') throw new Error('rank failed');
    const run = done.result.runId;
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
