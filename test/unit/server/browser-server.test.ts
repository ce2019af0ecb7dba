import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Handlers } from '../../../src/shared/contract';
import { WinnowCore } from '../../../src/main/core/app/winnow-core';
import { CapabilityRegistry } from '../../../src/main/core/platform/capabilities';
import { WebPlatform } from '../../../src/main/core/platform/web-platform';
import { startBrowserServer, type BrowserServer } from '../../../src/main/core/server/browser-server';
import { tempDir } from '../../helpers/temp-dir';
import { record } from '../../helpers/records';
import type { JobFinished } from '../../../src/shared/jobs';

let server: BrowserServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start() {
  const dir = tempDir();
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Winnow</title>');
  const platform = new WebPlatform({ dataDir: dir, about: { version: 't', platform: 'test' }, registerDownload: (file) => server!.registerDownload(file) });
  const core = new WinnowCore({ dataDir: dir, jobs: { mode: 'inline' }, emit: (e, p) => server?.broadcast(e, p), platform });
  server = await startBrowserServer({ handlers: core.handlers(), capabilities: platform.capabilities, rendererDir, uploadDir: path.join(dir, 'uploads') });
  return { dir, server, platform, core };
}

/** Raw requests, so the Host header can be anything (fetch would not allow that). */
function request(port: number, options: { path: string; method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: options.path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser-mode server', () => {
  it('binds loopback and prints a URL with the token', async () => {
    const { server } = await start();
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=${server.token}$`));
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers 401 without a token or with a wrong one', async () => {
    const { server } = await start();
    expect((await request(server.port, { path: '/' })).status).toBe(401);
    expect((await request(server.port, { path: '/api/call/app:info', method: 'POST', body: '{}', headers: { 'x-winnow-token': 'wrong' } })).status).toBe(401);
    expect((await request(server.port, { path: '/api/events', headers: { cookie: 'winnow_token=nope' } })).status).toBe(401);
  });

  it('answers 403 to a foreign Host header even with the token (DNS rebinding)', async () => {
    const { server } = await start();
    const res = await request(server.port, { path: `/?token=${server.token}`, headers: { host: 'evil.example:80' } });
    expect(res.status).toBe(403);
  });

  it('trades the URL token for a same-site HttpOnly cookie and serves the page with a CSP', async () => {
    const { server } = await start();
    const first = await request(server.port, { path: `/?token=${server.token}` });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await request(server.port, { path: '/', headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('validates API input the same way as IPC', async () => {
    const { server } = await start();
    const headers = { 'x-winnow-token': server.token, 'content-type': 'application/json' };
    const ok = await request(server.port, { path: '/api/call/app:info', method: 'POST', headers, body: '{}' });
    expect(JSON.parse(ok.body)).toEqual({ ok: true, value: { version: 't', mode: 'browser', platform: 'test' } });
    const bad = await request(server.port, { path: '/api/call/examples:query', method: 'POST', headers, body: '{"limit":-1}' });
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const junk = await request(server.port, { path: '/api/call/app:info', method: 'POST', headers, body: '{not json' });
    expect(junk.status).toBe(400);
  });

  it('refuses a non-loopback address unless allowed explicitly', async () => {
    await expect(startBrowserServer({ handlers: {} as Handlers, capabilities: new CapabilityRegistry(), rendererDir: '.', uploadDir: '.', host: '0.0.0.0' })).rejects.toThrow(/only loopback/);
  });

  it('stores uploads behind a token and serves only registered downloads', async () => {
    const { server, dir, platform } = await start();
    const headers = { 'x-winnow-token': server.token };
    const up = await request(server.port, { path: '/api/upload?name=' + encodeURIComponent('../../evil name.json'), method: 'POST', headers, body: '[1]' });
    const choice = JSON.parse(up.body) as { token: string; name: string };
    expect(choice.name).toBe('evil name.json');
    const stored = platform.capabilities.resolve(choice.token, 'read-file');
    expect(path.dirname(stored)).toBe(path.join(dir, 'uploads'));
    expect(path.basename(stored)).toMatch(/evil_name\.json$/);
    expect(fs.readFileSync(stored, 'utf8')).toBe('[1]');
    expect((await request(server.port, { path: '/api/download/not-registered', headers })).status).toBe(404);
    const url = server.registerDownload(stored);
    const down = await request(server.port, { path: url, headers });
    expect(down.status).toBe(200);
    expect(down.body).toBe('[1]');
  });

  it('puts the report of rejected records with the outputs, named as the user named the file, and offers it as a download', async () => {
    const { dir, server, core } = await start();
    const headers = { 'x-winnow-token': server.token, 'content-type': 'application/json' };
    const call = async (channel: string, input: unknown) => {
      const answer = JSON.parse((await request(server.port, { path: `/api/call/${channel}`, method: 'POST', headers, body: JSON.stringify(input) })).body) as { ok: boolean; value: unknown };
      expect(answer, channel).toMatchObject({ ok: true });
      return answer.value;
    };
    await call('project:create', { name: 'p' });
    const body = JSON.stringify([record('a'), record('b', { obj_end: 99 }), record('c')]);
    const upload = JSON.parse((await request(server.port, { path: '/api/upload?name=bad.json', method: 'POST', headers, body })).body) as { token: string };
    const { jobId } = (await call('import:start', { file: upload.token, split: 'train', skipInvalid: true })) as { jobId: string };
    const finished = (await core.jobs.wait(jobId)) as JobFinished;
    if (finished.status !== 'done' || finished.kind !== 'import') throw new Error(`import ${finished.status}`);
    expect(finished.result).toMatchObject({ imported: 2, rejected: 1, reportPath: path.join(dir, 'exports', 'p', 'bad.json.rejected.jsonl'), reportDownloadUrl: expect.stringMatching(/^\/api\/download\//) });
    expect(fs.readdirSync(path.join(dir, 'uploads')).filter((f) => f.includes('rejected'))).toEqual([]);
    const download = await request(server.port, { path: finished.result.reportDownloadUrl!, headers: { 'x-winnow-token': server.token } });
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toContain('filename="bad.json.rejected.jsonl"');
    expect(JSON.parse(download.body.trim())).toMatchObject({ index: 1, id: 'b', field: 'obj_end' });
  });
});
