import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EventName, EventPayload, Handlers } from '../../../shared/contract';
import { dispatch } from '../app/dispatch';
import type { CapabilityRegistry } from '../platform/capabilities';
import { portableFileName } from '../io/portable-file-name';
import { contentSecurityPolicy } from './content-security-policy';

class UploadTooLarge extends Error {}

const UPLOAD_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(-|$)/;

/**
 * Uploads of earlier sessions can no longer be named by anyone (their tokens died with the
 * session), so they go. Only names this server gives uploads are touched.
 */
async function sweepUploads(uploadDir: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.promises.readdir(uploadDir);
  } catch {
    return;
  }
  for (const name of names.filter((n) => UPLOAD_NAME.test(n))) await fs.promises.rm(path.join(uploadDir, name), { recursive: true, force: true });
}

export interface BrowserServerOptions {
  handlers: Handlers;
  /** Where an upload's token is granted: the page names uploaded files by token only. */
  capabilities: CapabilityRegistry;
  rendererDir: string;
  /** Emptied at start: uploads never outlive the session that received them. */
  uploadDir: string;
  /** Largest upload accepted, in bytes (default 2 GiB). */
  maxUploadBytes?: number | undefined;
  host?: string;
  port?: number;
  /** Binding to anything but loopback exposes the user's data; it needs this explicit flag. */
  allowRemote?: boolean;
  token?: string;
}

export interface BrowserServer {
  url: string;
  token: string;
  port: number;
  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void;
  registerDownload(filePath: string): string;
  close(): Promise<void>;
}

// Cookies are not port-specific: each server names its cookie after its port, so two
// `winnow serve` instances never overwrite each other's token.
const tokenCookie = (port: number) => `winnow_token_${port}`;
const MAX_CALL_BODY = 1 << 20;
export const DEFAULT_MAX_UPLOAD = 2 * 1024 ** 3;
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  // Only a literal IPv4 address in 127.0.0.0/8; "127.example.org" is a host name.
  return net.isIPv4(host) && host.startsWith('127.');
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

function send(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`request body too large (over ${limit} bytes)`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Browser mode: the real renderer in any Chromium against the real core, over HTTP on the
 * loopback interface. Every request needs the per-launch token (query on first load, then a
 * same-site cookie or header), and the Host header must name this server, which defeats DNS
 * rebinding. No CORS headers are ever sent, so other origins cannot read responses.
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.allowRemote) {
    throw new Error(`Refusing to listen on ${host}: only loopback addresses are allowed without --allow-remote`);
  }
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  const maxUpload = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;
  const uploadDir = path.resolve(options.uploadDir);
  await sweepUploads(uploadDir);
  const sseClients = new Set<http.ServerResponse>();
  const downloads = new Map<string, string>();
  let port = 0;

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${host}:${port}`]);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, `Internal error: ${(error as Error).message}`);
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!req.headers.host || !allowedHosts().has(req.headers.host)) return send(res, 403, 'Forbidden: unexpected Host header');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const queryToken = url.searchParams.get('token');
    const presented = queryToken ?? (req.headers['x-winnow-token'] as string | undefined) ?? readCookie(req.headers.cookie, tokenCookie(port));
    if (!presented || !safeEqual(presented, token)) return send(res, 401, 'Unauthorized: open the URL with the token that `winnow serve` printed');

    if (queryToken && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
      // Trade the token in the address bar for a cookie, then drop it from the URL.
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': `${tokenCookie(port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      });
      return void res.end();
    }

    if (url.pathname.startsWith('/api/')) {
      // SameSite cookies still travel between ports of one host, so another local page could
      // post to the API: browsers always send Origin on such requests, so refuse foreign
      // origins; and refuse form and text bodies, the types a page can post without a
      // preflight (which this server never answers).
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts().has(origin.replace(/^https?:\/\//, ''))) return send(res, 403, 'Forbidden: foreign origin');
      const type = req.headers['content-type'];
      if (req.method === 'POST' && url.pathname.startsWith('/api/call/') && type !== undefined && !/^application\/json\b/i.test(type)) {
        return send(res, 415, 'API calls need Content-Type: application/json');
      }
    }
    if (url.pathname.startsWith('/api/call/') && req.method === 'POST') {
      const channel = decodeURIComponent(url.pathname.slice('/api/call/'.length));
      let input: unknown;
      try {
        input = JSON.parse((await readBody(req, MAX_CALL_BODY)) || '{}');
      } catch (error) {
        // The rest of the body was not read: this connection cannot carry another request.
        res.setHeader('Connection', 'close');
        send(res, 400, JSON.stringify({ ok: false, error: { code: 'INVALID_INPUT', message: (error as Error).message } }), 'application/json');
        req.destroy();
        return;
      }
      const result = await dispatch(options.handlers, channel, input);
      return send(res, 200, JSON.stringify(result), 'application/json');
    }
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    if (url.pathname === '/api/upload' && req.method === 'POST') return receiveUpload(req, res, url);
    if (url.pathname.startsWith('/api/download/') && req.method === 'GET') {
      const file = downloads.get(url.pathname.slice('/api/download/'.length));
      if (!file || !fs.existsSync(file)) return send(res, 404, 'No such download');
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        // An ASCII fallback plus the RFC 5987 UTF-8 name: header values must be Latin-1.
        'Content-Disposition': `attachment; filename="${path.basename(file).replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(path.basename(file))}`,
        'Cache-Control': 'no-store',
      });
      await pipeline(fs.createReadStream(file), res);
      return;
    }
    if (req.method !== 'GET') return send(res, 405, 'Method not allowed');
    return serveStatic(url.pathname, res);
  }

  /**
   * One file per request. `folder=new` starts an upload folder (a model package's files) and
   * `folder=<token>` adds to it; otherwise the file stands alone. The answer is a token and
   * the name the user gave; the server's path never leaves it.
   */
  async function receiveUpload(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const originalName = (url.searchParams.get('name') ?? 'upload').slice(0, 255);
    const safeName = portableFileName(originalName);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxUpload) {
      res.setHeader('Connection', 'close');
      send(res, 413, `Upload too large: ${declared} bytes (the limit is ${maxUpload}; see winnow serve --max-upload)`);
      req.destroy();
      return;
    }
    const folderParam = url.searchParams.get('folder');
    let target: string;
    let folder: string | null = null;
    if (folderParam === null) {
      target = path.join(uploadDir, `${crypto.randomUUID()}-${safeName}`);
    } else {
      folder = folderParam === 'new' ? path.join(uploadDir, crypto.randomUUID()) : options.capabilities.resolve(folderParam, 'read-folder');
      if (!folder.startsWith(uploadDir + path.sep)) throw new Error('not an upload folder');
      target = path.join(folder, safeName);
    }
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    let received = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        if (received > maxUpload) done(new UploadTooLarge());
        else done(null, chunk);
      },
    });
    try {
      await pipeline(req, limit, fs.createWriteStream(target, { flags: 'wx' }));
    } catch (error) {
      // An aborted or oversize upload leaves nothing behind.
      await fs.promises.rm(target, { force: true });
      if (error instanceof UploadTooLarge) {
        res.setHeader('Connection', 'close');
        send(res, 413, `Upload too large: over ${maxUpload} bytes (see winnow serve --max-upload)`);
        req.destroy();
        return;
      }
      throw error;
    }
    const choice = folder ? options.capabilities.grant(folder, 'read-folder', 'model package') : options.capabilities.grant(target, 'read-file', path.basename(originalName));
    return send(res, 200, JSON.stringify(choice), 'application/json');
  }

  async function serveStatic(pathname: string, res: http.ServerResponse): Promise<void> {
    const root = path.resolve(options.rendererDir);
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return send(res, 400, 'Bad request: malformed path');
    }
    let file = path.resolve(root, '.' + decoded);
    if (file !== root && !file.startsWith(root + path.sep)) return send(res, 403, 'Forbidden');
    if (pathname === '/' || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
    if (!fs.existsSync(file)) return send(res, 500, `The renderer is not built (${file} missing): run npm run build`);
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': file.endsWith('.html') ? 'no-store' : 'max-age=3600',
    });
    await pipeline(fs.createReadStream(file), res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const heartbeat = setInterval(() => {
    for (const client of sseClients) client.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    token,
    port,
    broadcast(event, payload) {
      const data = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const client of sseClients) client.write(data);
    },
    registerDownload(filePath) {
      const id = crypto.randomUUID();
      downloads.set(id, filePath);
      return `/api/download/${id}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        for (const client of sseClients) client.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
