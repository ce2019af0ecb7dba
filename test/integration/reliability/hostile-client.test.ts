/**
 * A path the client names is never trusted (issue 10, part 2). A hostile page that holds the
 * browser-mode token (or runs in a compromised Electron renderer) tries to write, create and
 * read files outside Winnow's places; every attempt is refused with a clear error, nothing is
 * written, and no file content is echoed back.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/core/app/dispatch';
import { serve, type ServeHandle } from '../../../src/main/core/server/serve';
import { record } from '../../helpers/records';
import { testCore } from '../../helpers/core';
import { parseOptions } from '../../../src/main/cli/shared-options';
import { ExportOptions } from '../../../src/shared/exporting';

const SECRET = 'root:x:0:0:hostile-test-secret';
let dir: string;
let outside: string;
let victim: string;
let handle: ServeHandle;
const appRoot = path.resolve(__dirname, '../../..');

/** Everything outside the data folder, with its bytes, so that any change shows. */
function snapshot(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(folder, file)] = fs.readFileSync(file, 'utf8');
  }
  return out;
}

function call(channel: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(input);
    const req = http.request(
      { host: '127.0.0.1', port: handle.server.port, path: `/api/call/${channel}`, method: 'POST', headers: { 'x-winnow-token': handle.server.token, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(JSON.parse(text)));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function upload(name: string, body: string | Buffer, query = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: handle.server.port, path: `/api/upload?name=${encodeURIComponent(name)}${query}`, method: 'POST', headers: { 'x-winnow-token': handle.server.token } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || (error as NodeJS.ErrnoException).code === 'EPIPE' ? resolve({ status: 413, body: '' }) : reject(error)));
    req.end(body);
  });
}

async function waitForJob(jobId: string) {
  return handle.core.jobs.wait(jobId);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-hostile-'));
  outside = path.join(dir, 'home');
  fs.mkdirSync(path.join(outside, '.config'), { recursive: true });
  victim = path.join(outside, '.bashrc');
  fs.writeFileSync(victim, 'alias ls="ls --color"\n');
  fs.writeFileSync(path.join(outside, 'passwd'), `${SECRET}\nbin:x:1:1\n`);
  fs.writeFileSync(path.join(outside, 'train.json'), JSON.stringify([record('a'), record('b')]));
  const served = path.join(outside, 'served.winnow');
  const seed = testCore(path.join(dir, 'seed'));
  seed.core.openProject(served, true);
  seed.core.closeProject();
  handle = await serve({ dataDir: path.join(dir, 'data'), appRoot, jobs: { mode: 'inline' }, projectPath: served, version: 'test', maxUploadBytes: 64 * 1024 });
});

afterAll(async () => {
  await handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('browser mode, against a client holding the token', () => {
  it('refuses every channel that is handed a path, and writes nothing outside the data folder', async () => {
    const before = snapshot(outside);
    const attempts: [string, unknown][] = [
      ['export:start', { split: 'train', outPath: victim }],
      ['export:start', { split: 'train', destination: 'A'.repeat(24) }],
      ['report:save', { run: 1, outPath: victim }],
      ['project:create', { path: path.join(outside, 'new.winnow') }],
      ['project:create', { token: 'A'.repeat(24) }],
      ['project:create', { name: '../../home/evil' }],
      ['project:open', { path: victim }],
      ['project:open', { token: 'B'.repeat(24) }],
      ['import:start', { path: path.join(outside, 'passwd'), split: 'x' }],
      ['import:start', { file: path.join(outside, 'passwd'), split: 'x' }],
      ['import:start', { file: 'C'.repeat(24), split: 'x' }],
      ['reference:import', { path: path.join(outside, 'passwd'), name: 'x' }],
      ['reference:import', { file: 'C'.repeat(24), name: 'x' }],
      ['ranking:start', { model: { kind: 'predictions', file: path.join(outside, 'passwd') }, strategies: ['cl'] }],
      ['ranking:start', { model: { kind: 'package', dir: outside }, strategies: ['cl'] }],
      ['ranking:start', { model: { kind: 'package', dir: 'D'.repeat(24) }, strategies: ['cl'] }],
      ['dialog:openFile', {}],
      ['dialog:saveFile', {}],
      ['project:saveCopy', { destination: 'E'.repeat(24) }],
      ['project:saveCopy', { path: victim }],
    ];
    for (const [channel, input] of attempts) {
      const result = await call(channel, input);
      expect(result.ok, `${channel} ${JSON.stringify(input)}`).toBe(false);
      expect(['INVALID_INPUT', 'FORBIDDEN', 'UNSUPPORTED'], `${channel}: ${result.error?.message}`).toContain(result.error?.code);
      expect(result.error?.message, channel).not.toContain(SECRET);
    }
    expect(snapshot(outside)).toEqual(before);
  });

  it('does not let an upload token stand for a project, a folder or a destination', async () => {
    const uploaded = JSON.parse((await upload('passwd.winnow', `${SECRET}\n`)).body) as { token: string };
    for (const [channel, input] of [
      ['project:open', { token: uploaded.token }],
      ['project:create', { token: uploaded.token }],
      ['export:start', { split: 'train', destination: uploaded.token }],
      ['ranking:start', { model: { kind: 'package', dir: uploaded.token }, strategies: ['cl'] }],
    ] as const) {
      const result = await call(channel, input);
      expect(result, channel).toMatchObject({ ok: false });
      expect(['FORBIDDEN', 'INVALID_INPUT']).toContain(result.error?.code);
    }
  });

  it('imports an uploaded file, naming it as the user named it, never by the server path', async () => {
    const good = JSON.parse((await upload('train.json', fs.readFileSync(path.join(outside, 'train.json')))).body) as { token: string; name: string };
    const started = await call('import:start', { file: good.token, split: 'train' });
    expect(started.ok).toBe(true);
    expect(await waitForJob((started.value as { jobId: string }).jobId)).toMatchObject({ status: 'done', result: { imported: 2 } });
    const bad = JSON.parse((await upload('broken.json', '[{"id": "x"}]')).body) as { token: string };
    const failed = await waitForJob(((await call('import:start', { file: bad.token, split: 'broken' })).value as { jobId: string }).jobId);
    expect(failed).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/^broken\.json: record 0/) } });
    expect(JSON.stringify(failed)).not.toContain(path.join(dir, 'data', 'uploads'));
  });

  it('writes exports and reports under the data folder and offers every output for download', async () => {
    const started = await call('export:start', { split: 'train', mode: 'reviewed', patch: 'tacrev' });
    const done = await waitForJob((started.value as { jobId: string }).jobId);
    if (!done || done.status !== 'done' || done.kind !== 'export') throw new Error(JSON.stringify(done));
    const exportsDir = path.join(dir, 'data', 'exports', 'served');
    expect(path.dirname(done.result.path)).toBe(exportsDir);
    expect(done.result.outputs.map((o) => o.role)).toEqual(['data', 'patch', 'eliminated-ids', 'decisions-csv', 'manifest']);
    for (const output of done.result.outputs) {
      expect(output.downloadUrl, output.role).toMatch(/^\/api\/download\//);
      expect(path.dirname(output.path)).toBe(exportsDir);
    }
  });

  it('saves a copy of the project under the data folder, offered for download', async () => {
    const saved = await call('project:saveCopy', {});
    expect(saved.ok, JSON.stringify(saved.error)).toBe(true);
    const copy = saved.value as { role: string; path: string; downloadUrl: string };
    expect(copy.role).toBe('project-copy');
    expect(path.dirname(copy.path)).toBe(path.join(dir, 'data', 'exports', 'served'));
    expect(copy.downloadUrl).toMatch(/^\/api\/download\//);
    expect(fs.readFileSync(copy.path).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
  });

  it('creates projects by name inside the data folder only', async () => {
    const created = await call('project:create', { name: 'fresh' });
    expect(created).toMatchObject({ ok: true, value: { path: path.join(dir, 'data', 'projects', 'fresh.winnow') } });
    const recent = (await call('project:recent', {})) as { value: { path: string; token: string }[] };
    const served = recent.value.find((r) => r.path.endsWith('served.winnow'))!;
    // The project named on the command line may be reopened by its token, and nothing else outside.
    expect(await call('project:open', { token: served.token })).toMatchObject({ ok: true });
  });

  it('caps uploads and keeps nothing of one that is too large', async () => {
    const uploads = path.join(dir, 'data', 'uploads');
    const before = fs.readdirSync(uploads).length;
    const result = await upload('big.json', Buffer.alloc(65 * 1024, 0x20));
    expect(result.status).toBe(413);
    expect(fs.readdirSync(uploads)).toHaveLength(before);
  });
});

describe('Electron IPC, against a compromised renderer', () => {
  it('resolves only tokens from this session\'s dialogs, each for what it was granted', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-ipc-'));
    try {
      const { handlers, grant } = testCore(path.join(work, 'data'));
      const projectToken = grant(path.join(work, 'p.winnow'), 'project');
      expect(await dispatch(handlers, 'project:create', { token: projectToken })).toMatchObject({ ok: true });
      const readToken = grant(path.join(outside, 'train.json'));
      const before = snapshot(outside);
      const attempts: [string, unknown][] = [
        ['project:open', { path: victim }],
        ['project:open', { token: readToken }],
        ['project:create', { name: 'x' }],
        ['export:start', { split: 'train', outPath: victim }],
        ['export:start', { split: 'train', destination: readToken }],
        ['report:save', { run: 1, destination: readToken }],
        ['import:start', { file: 'E'.repeat(24), split: 'x' }],
        ['ranking:start', { model: { kind: 'package', dir: readToken }, strategies: ['cl'] }],
      ];
      for (const [channel, input] of attempts) {
        const result = await dispatch(handlers, channel, input);
        expect(result.ok, `${channel} ${JSON.stringify(input)}`).toBe(false);
      }
      expect(snapshot(outside)).toEqual(before);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('names, everywhere with one rule', () => {
  it('refuses a split name that would leave its folder, in the CLI as in the contract', async () => {
    for (const split of ['../../../x', '..', '.hidden', 'a/b', 'a\\b', '']) {
      expect(() => parseOptions(ExportOptions, { split }), split).toThrow(/split/);
      const result = await call('export:start', { split });
      expect(result, split).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
  });
});

