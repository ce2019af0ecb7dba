/**
 * Browser-mode security (issue #6, part 4), beyond test/unit/server/browser-server.test.ts:
 * where the token may come from, Host and Origin checks, path traversal in static serving,
 * upload name sanitisation, downloads, oversize bodies, and loopback binding over IPv6.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../../src/shared/contract';
import { WinnowCore } from '../../../src/main/core/app/winnow-core';
import { CapabilityRegistry } from '../../../src/main/core/platform/capabilities';
import { WebPlatform } from '../../../src/main/core/platform/web-platform';
import { isLoopback, startBrowserServer, type BrowserServer, type BrowserServerOptions } from '../../../src/main/core/server/browser-server';

const SECRET = 'winnow-secret-7f3a9c: must never be served';
const INDEX = '<!doctype html><title>Winnow</title>';
let dir: string;
let servers: BrowserServer[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'winnow-sec-'));
  const renderer = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), INDEX);
  fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log("app");');
  // Outside the renderer folder: beside it, in a sibling whose name extends it, and above it.
  fs.writeFileSync(path.join(dir, 'secret.txt'), SECRET);
  fs.mkdirSync(path.join(dir, 'renderer-private'));
  fs.writeFileSync(path.join(dir, 'renderer-private', 'secret.txt'), SECRET);
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function start(options: Partial<BrowserServerOptions> = {}): Promise<BrowserServer> {
  let server: BrowserServer | null = null;
  const platform = new WebPlatform({ dataDir: path.join(dir, 'data'), about: { version: 't', platform: 'test' }, registerDownload: (file) => server!.registerDownload(file) });
  const core = new WinnowCore({ dataDir: path.join(dir, 'data'), jobs: { mode: 'inline' }, emit: () => undefined, platform });
  server = await startBrowserServer({ handlers: core.handlers(), capabilities: platform.capabilities, rendererDir: path.join(dir, 'renderer'), uploadDir: path.join(dir, 'uploads'), ...options });
  servers.push(server);
  return server;
}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: the path goes on the wire exactly as given (no client-side normalisation). */
function request(
  port: number,
  options: { path: string; method?: string; headers?: Record<string, string>; body?: string | Buffer; host?: string; noHost?: boolean; agent?: http.Agent },
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const address = options.host ?? '127.0.0.1';
    const hostHeader = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
    const headers = { ...(options.noHost ? {} : { host: hostHeader }), ...options.headers };
    // A fresh connection per request unless an agent is given, so one test's connection state
    // never leaks into the next request.
    const agent = options.agent ?? false;
    const req = http.request({ host: address, port, path: options.path, method: options.method ?? 'GET', headers, setHost: !options.noHost, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Sends bytes over a plain socket (for requests http.request refuses to build) and returns the status line. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (data += c));
    socket.on('end', () => resolve(data.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

const auth = (server: BrowserServer) => ({ 'x-winnow-token': server.token });

async function alive(server: BrowserServer): Promise<void> {
  const res = await request(server.port, { path: '/api/call/app:info', method: 'POST', headers: auth(server), body: '{}' });
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body)).toMatchObject({ ok: true });
}

describe('where the token is accepted from', () => {
  it('not from a Referer, an Origin, another header or cookie name, or a near miss', async () => {
    const server = await start();
    const t = server.token;
    const attempts: Record<string, string>[] = [
      { referer: `http://127.0.0.1:${server.port}/?token=${t}` },
      { origin: `http://127.0.0.1:${server.port}/?token=${t}` },
      { authorization: `Bearer ${t}` },
      { 'x-winnow-token': t.toUpperCase() === t ? t.toLowerCase() : t.toUpperCase() },
      { 'x-winnow-token': t.slice(0, -1) },
      { cookie: `other_token=${t}` },
      { cookie: `winnow_token=${t.slice(1)}` },
    ];
    for (const headers of attempts) {
      for (const target of [{ path: '/' }, { path: '/api/call/app:info', method: 'POST', body: '{}' }, { path: '/api/events' }]) {
        const res = await request(server.port, { ...target, headers });
        expect(res.status, `${JSON.stringify(headers)} ${target.path}`).toBe(401);
        expect(res.body).not.toContain(t);
      }
    }
    const upload = await request(server.port, { path: '/api/upload?name=x.json', method: 'POST', headers: { referer: `http://127.0.0.1:${server.port}/?token=${t}` }, body: '[]' });
    expect(upload.status).toBe(401);
    expect(fs.existsSync(path.join(dir, 'uploads')) ? fs.readdirSync(path.join(dir, 'uploads')) : []).toEqual([]);
  });

  it('refuses Host headers that are not this server, even with the token', async () => {
    const server = await start();
    for (const host of ['127.0.0.1', `127.0.0.1:${server.port + 1}`, `127.0.0.1:${server.port}.evil.example`, `evil.example:${server.port}`, `LOCALHOST:${server.port}`]) {
      const res = await request(server.port, { path: '/api/call/app:info', method: 'POST', headers: { ...auth(server), host }, body: '{}' });
      expect(res.status, `Host: ${host}`).toBe(403);
    }
    // HTTP/1.0 lets a client leave the Host header out altogether.
    expect(await rawRequest(server.port, `GET /?token=${server.token} HTTP/1.0\r\n\r\n`)).toMatch(/^HTTP\/1\.[01] 403/);
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
      const res = await request(server.port, { path: '/api/call/app:info', method: 'POST', headers: { ...auth(server), host }, body: '{}' });
      expect(res.status, `Host: ${host}`).toBe(200);
    }
  });

  it('sends no CORS headers, to a preflight or to a call with a foreign Origin', async () => {
    const server = await start();
    const preflight = await request(server.port, {
      path: '/api/call/app:info',
      method: 'OPTIONS',
      headers: { ...auth(server), origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    const call = await request(server.port, { path: '/api/call/app:info', method: 'POST', headers: { ...auth(server), origin: 'http://evil.example' }, body: '{}' });
    for (const res of [preflight, call]) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    }
  });

  // KNOWN BUG (reported, src/main/core/server/browser-server.ts): the server never looks at
  // Origin (or Sec-Fetch-Site) and parses any body as JSON whatever its Content-Type. Cookies
  // are not port-specific and SameSite treats every port of 127.0.0.1 as the same site, so a
  // page served by ANY other local web server (http://127.0.0.1:<other port>) can POST
  // `fetch(url, {method: 'POST', mode: 'no-cors', credentials: 'include', body: '{...}'})`
  // (a simple request: no preflight) and the browser attaches the winnow_token cookie: the
  // call runs (decisions:apply, export:start or report:save with any outPath ...). Fix: refuse
  // /api/* requests whose Origin is present and not this server's origin, and/or require
  // Content-Type: application/json (which forces a preflight that fails without CORS).
  it('refuses a cookie-authenticated call from another origin (CSRF from another local port)', async () => {
    const server = await start();
    const login = await request(server.port, { path: `/?token=${server.token}` });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const res = await request(server.port, {
      path: '/api/call/app:info',
      method: 'POST',
      headers: { cookie, origin: 'http://127.0.0.1:9', 'sec-fetch-site': 'same-site', 'content-type': 'text/plain;charset=UTF-8' },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });
});

describe('static serving', () => {
  it('never serves a file outside the renderer folder, however the path is spelled', async () => {
    const server = await start();
    const headers = auth(server);
    const attempts = [
      '/../secret.txt',
      '/../../../../../../etc/passwd',
      '/%2e%2e/secret.txt',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/.%2e/secret.txt',
      '/..%2fsecret.txt',
      '/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/%252e%252e%252fsecret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '//etc/passwd',
      '/%2fetc%2fpasswd',
      `/${encodeURIComponent(path.join(dir, 'secret.txt'))}`,
      '/secret.txt%00.html',
      '/%c0%ae%c0%ae/secret.txt',
    ];
    const passwd = fs.existsSync('/etc/passwd') ? fs.readFileSync('/etc/passwd', 'utf8').split('\n')[0]! : SECRET;
    for (const attempt of attempts) {
      const res = await request(server.port, { path: attempt, headers });
      expect(res.body, attempt).not.toContain(SECRET);
      expect(res.body, attempt).not.toContain(passwd);
      // 500 comes from malformed escapes such as the overlong %c0%ae (URIError): refused, if loudly.
      expect([200, 400, 403, 404, 500], `${attempt} -> ${res.status}`).toContain(res.status);
      // A path that names no file gets the app's page (client-side routing), nothing else.
      if (res.status === 200) expect(res.body, attempt).toBe(INDEX);
    }
    await alive(server);
  });

  it('survives malformed percent-encoding and NUL bytes in the path', async () => {
    const server = await start();
    for (const attempt of ['/%E0%A4%A', '/%', '/%zz', '/a%00b', '/%ff%fe']) {
      const res = await request(server.port, { path: attempt, headers: auth(server) });
      expect(res.body, attempt).not.toContain(SECRET);
      expect(res.status, attempt).not.toBe(0);
    }
    await alive(server);
  });

  it('serves the renderer with its security headers', async () => {
    const server = await start();
    const res = await request(server.port, { path: '/assets/app.js', headers: auth(server) });
    expect(res.status).toBe(200);
    expect(res.body).toBe('console.log("app");');
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['content-security-policy']).toMatch(/default-src/);
    for (const method of ['PUT', 'DELETE', 'PATCH']) expect((await request(server.port, { path: '/', method, headers: auth(server) })).status).toBe(405);
  });

  // KNOWN BUG (reported, browser-server.ts serveStatic): the containment check is
  // `file.startsWith(root)` without a separator, so `/..%2frenderer-private/secret.txt`
  // (decoded after URL normalisation) resolves to <root>-private/secret.txt, which passes.
  // Any sibling folder whose name starts with the renderer folder's name is readable.
  it('does not serve a file from a sibling folder whose name starts with the renderer folder name', async () => {
    const server = await start();
    const res = await request(server.port, { path: '/..%2frenderer-private%2fsecret.txt', headers: auth(server) });
    expect(res.body).not.toContain(SECRET);
  });
});

describe('uploads and downloads', () => {
  it('keeps every upload inside the upload folder under a sanitised name, whatever name is given', async () => {
    const server = await start();
    const uploads = path.join(dir, 'uploads');
    const names = ['../../evil.json', '..', '.', '', '....//....//x.json', '..\\..\\win.json', '%2e%2e%2fx.json', 'a\u0000b.json', '<script>alert(1)</script>.json', '/etc/passwd', 'résumé 東京.jsonl', ' .json', 'CON'];
    for (const [i, name] of names.entries()) {
      const body = `[${i}]`;
      const res = await request(server.port, { path: `/api/upload?name=${encodeURIComponent(name)}`, method: 'POST', headers: auth(server), body });
      expect(res.status, name).toBe(200);
      // The answer is a token and the name as given; where the server keeps it stays there.
      const answer = JSON.parse(res.body) as { token: string; name: string };
      expect(Object.keys(answer).sort(), name).toEqual(['name', 'token']);
      expect(res.body, name).not.toContain(uploads);
      const stored = fs.readdirSync(uploads).filter((f) => fs.readFileSync(path.join(uploads, f), 'utf8') === body);
      expect(stored, name).toHaveLength(1);
      expect(stored[0], name).toMatch(/^[0-9a-f-]{36}-[\w.-]*$/);
    }
    // A missing name parameter gets a default.
    const unnamed = await request(server.port, { path: '/api/upload', method: 'POST', headers: auth(server), body: '[]' });
    expect(JSON.parse(unnamed.body)).toMatchObject({ name: 'upload' });
    expect(fs.readdirSync(uploads)).toHaveLength(names.length + 1);
    expect(fs.readdirSync(dir).sort()).toEqual(['data', 'renderer', 'renderer-private', 'secret.txt', 'uploads'].filter((f) => fs.existsSync(path.join(dir, f))).sort());
  });

  it('serves only registered downloads, only with the token, and nothing once the file is gone', async () => {
    const server = await start();
    const file = path.join(dir, 'export-1.json');
    fs.writeFileSync(file, '[1, 2]');
    const url = server.registerDownload(file);
    expect(url).toMatch(/^\/api\/download\/[0-9a-f-]{36}$/);
    for (const attempt of ['/api/download/', '/api/download/x', '/api/download/..%2f..%2fsecret.txt', '/api/download/%2e%2e%2fsecret.txt', `/api/download/${encodeURIComponent(file)}`, `${url}x`, `${url.toUpperCase()}`]) {
      const res = await request(server.port, { path: attempt, headers: auth(server) });
      expect(res.body, attempt).not.toContain(SECRET);
      expect(res.body, attempt).not.toBe('[1, 2]');
    }
    expect((await request(server.port, { path: url })).status).toBe(401);
    const ok = await request(server.port, { path: url, headers: auth(server) });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('[1, 2]');
    expect(ok.headers['content-disposition']).toMatch(/^attachment; filename="export-1.json"; filename\*=UTF-8''export-1.json$/);
    fs.rmSync(file);
    expect((await request(server.port, { path: url, headers: auth(server) })).status).toBe(404);
  });

  it('refuses an oversize API body with an error and keeps serving', async () => {
    const server = await start();
    const big = Buffer.alloc(3 << 20, 0x20);
    big.write('{"a": "', 0);
    let status = 0;
    try {
      status = (await request(server.port, { path: '/api/call/app:info', method: 'POST', headers: { ...auth(server), 'content-type': 'application/json' }, body: big })).status;
    } catch (error) {
      // The server may answer and close before the client has sent everything.
      expect(['ECONNRESET', 'EPIPE']).toContain((error as NodeJS.ErrnoException).code);
    }
    if (status !== 0) expect(status).toBe(400);
    // Just under the limit is read and answered.
    const under = await request(server.port, { path: '/api/call/app:info', method: 'POST', headers: auth(server), body: `{"pad": "${'x'.repeat((1 << 20) - 20)}"}` });
    expect(under.status).toBe(200);
    await alive(server);
  });

  // After refusing an oversize body the server has not read the rest of it, so that connection
  // cannot carry another request: the 400 says `Connection: close` and the socket is ended.
  // (Left open, a keep-alive client's next call on it was never answered.)
  it('answers the next call on the same keep-alive connection after an oversize body', async () => {
    const server = await start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const big = Buffer.alloc(3 << 20, 0x20);
      big.write('{"a": "', 0);
      const refused = await request(server.port, { path: '/api/call/app:info', method: 'POST', headers: auth(server), body: big, agent }).catch((error: NodeJS.ErrnoException) => error);
      // The server may end the socket before the client has sent everything.
      if (refused instanceof Error) expect(['ECONNRESET', 'EPIPE']).toContain(refused.code);
      else expect({ status: refused.status, connection: refused.headers.connection }).toEqual({ status: 400, connection: 'close' });
      const next = await request(server.port, { path: '/api/call/app:info', method: 'POST', headers: auth(server), body: '{}', agent });
      expect(next.status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('answers unknown and prototype-named channels with an error value', async () => {
    const server = await start();
    for (const channel of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'app:info%00', 'app%3ainfo%20']) {
      const res = await request(server.port, { path: `/api/call/${channel}`, method: 'POST', headers: auth(server), body: '{}' });
      expect(res.status, channel).toBe(200);
      expect(JSON.parse(res.body), channel).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
    await alive(server);
  });

  // KNOWN BUG (reported, browser-server.ts download): the file name goes into
  // Content-Disposition as is; a name with characters outside Latin-1 (a split or project
  // named in another script) makes writeHead throw ERR_INVALID_CHAR and the download is a 500.
  // Fix: `filename*=UTF-8''${encodeURIComponent(name)}` with an ASCII fallback.
  it('downloads a file whose name is not Latin-1', async () => {
    const server = await start();
    const file = path.join(dir, '東京.reviewed.both.json');
    fs.writeFileSync(file, '[]');
    const res = await request(server.port, { path: server.registerDownload(file), headers: auth(server) });
    expect(res.status).toBe(200);
  });

  // KNOWN BUG (reported, browser-server.ts upload): the stored name is `<uuid>-<name>` with the
  // name uncut, so a file whose name is 219-255 bytes (allowed by every file system) fails
  // with ENAMETOOLONG: a 500 "Internal error" instead of an upload.
  it('accepts an upload whose file name is 240 characters long', async () => {
    const server = await start();
    const name = `${'a'.repeat(235)}.json`;
    const res = await request(server.port, { path: `/api/upload?name=${name}`, method: 'POST', headers: auth(server), body: '[]' });
    expect(res.status).toBe(200);
  });
});

describe('binding', () => {
  it('binds the IPv6 loopback when available, with a bracketed URL and the same Host checks', async (context) => {
    let server: BrowserServer;
    try {
      server = await start({ host: '::1' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A machine without IPv6 cannot bind ::1; the IPv4 tests above cover the same checks.
      if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') return context.skip();
      throw error;
    }
    expect(server.url).toBe(`http://[::1]:${server.port}/?token=${server.token}`);
    const ok = await request(server.port, { host: '::1', path: '/api/call/app:info', method: 'POST', headers: auth(server), body: '{}' });
    expect(ok.status).toBe(200);
    const foreign = await request(server.port, { host: '::1', path: '/api/call/app:info', method: 'POST', headers: { ...auth(server), host: `evil.example:${server.port}` }, body: '{}' });
    expect(foreign.status).toBe(403);
    expect((await request(server.port, { host: '::1', path: '/' })).status).toBe(401);
    // Not reachable over IPv4 when bound to ::1 only.
    await expect(request(server.port, { path: '/', headers: auth(server) })).rejects.toThrow();
  });

  it('refuses every non-loopback address without allowRemote', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', '::ffff:192.168.1.10', 'example.com']) {
      await expect(startBrowserServer({ handlers: {} as Handlers, capabilities: new CapabilityRegistry(), rendererDir: dir, uploadDir: path.join(dir, 'never'), host }), host).rejects.toThrow(/only loopback/);
    }
    for (const host of ['127.0.0.1', '::1', 'localhost', '127.0.0.2']) expect(isLoopback(host), host).toBe(true);
  });

  // KNOWN BUG (reported, browser-server.ts isLoopback): `/^127\./` also matches host NAMES such
  // as "127.attacker.example", which DNS may resolve to any address; `--host 127.x.example`
  // then binds a public interface without --allow-remote. Check net.isIP() first.
  it('does not take a host name that starts with "127." for loopback', () => {
    expect(isLoopback('127.attacker.example')).toBe(false);
  });
});
