/**
 * Serves the web UI (the validator ranking and network explorer built from web/ into
 * dist/ui by `npm run build`) and the node's CometBFT RPC under /rpc on the same origin, so
 * the page needs no CORS rule: `POST /rpc`, `GET /rpc/<method>?…` and the WebSocket at
 * `/rpc/websocket` are passed through to the RPC listener unchanged.
 *
 * Static files: hashed assets are cached for a year, index.html is revalidated; a `.gz`
 * beside a file (written by the build) is sent to clients that accept gzip.
 */
import { existsSync, promises as fsp } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { Logger } from 'pino';
import { startHttpServer, type ListeningServer } from '../http/server';

export interface UiServerOptions {
  /** `tcp://host:port` or `host:port`; port 0 picks a free one. */
  laddr: string;
  /** The RPC the page talks to through /rpc, e.g. http://127.0.0.1:26657. */
  rpcUrl: string;
  /** The built UI (default: dist/ui of this checkout). */
  staticDir?: string;
  logger?: Pick<Logger, 'warn' | 'error' | 'debug'>;
  /** Most open connections (default 200: a browser holds about 6 plus one WebSocket per tab). */
  maxOpenConnections?: number;
}

export type UiServer = ListeningServer;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

/** dist/ui beside this file: node/ui → dist/ui from source, dist/node/ui → dist/ui when built. */
export function defaultUiDir(): string {
  const candidates = [resolve(__dirname, '..', '..', 'dist', 'ui'), resolve(__dirname, '..', '..', 'ui')];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? candidates[0];
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>sekai-ts UI not built</title>
<p>The web UI has not been built in this checkout. Run <code>npm run build</code> (or <code>npm run build:ui</code>) and reload.</p>
<p>The node's RPC is served under <a href="/rpc/">/rpc/</a>.</p>\n`;

export async function startUiServer(opts: UiServerOptions): Promise<UiServer> {
  const root = opts.staticDir ?? defaultUiDir();
  const rpc = new URL(opts.rpcUrl);
  const rpcHost = rpc.hostname.replace(/^\[|\]$/g, '');
  const rpcPort = Number(rpc.port || 80);

  // Proxied requests reuse a few kept-alive connections to the RPC instead of one per request.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const handler = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    if (url === '/rpc' || url.startsWith('/rpc/') || url.startsWith('/rpc?')) {
      proxyHttp(req, res, agent, rpcHost, rpcPort, url.slice(4) || '/');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    try {
      await serveStatic(root, req, res);
    } catch (err) {
      opts.logger?.warn({ err: String(err), url }, 'UI: serving a file failed');
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('internal error\n');
    }
  };
  // The RPC WebSocket: the upgrade request goes to the RPC listener as is (path without /rpc),
  // then bytes flow both ways untouched.
  const tunnelWebSocket = (req: http.IncomingMessage, socket: net.Socket, head: Buffer): void => {
    const url = req.url ?? '/';
    if (!url.startsWith('/rpc/')) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    // A subscription may stay quiet for long: the idle timeout is for HTTP requests only.
    socket.setTimeout(0);
    const upstream = net.connect(rpcPort, rpcHost, () => {
      const lines = [`${req.method} ${url.slice(4)} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    const drop = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', () => {
      if (socket.writable && !upstream.readable) socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n');
      drop();
    });
    socket.on('error', drop);
    socket.on('close', drop);
    upstream.on('close', drop);
  };

  return startHttpServer(
    {
      laddr: opts.laddr.includes('://') ? opts.laddr : `tcp://${opts.laddr}`,
      maxOpenConnections: opts.maxOpenConnections ?? 200,
      logger: opts.logger,
      name: 'ui',
      setup: (server) => server.on('upgrade', tunnelWebSocket),
      beforeClose: () => agent.destroy(),
    },
    handler,
  );
}

function proxyHttp(req: http.IncomingMessage, res: http.ServerResponse, agent: http.Agent, host: string, port: number, path: string): void {
  const headers = { ...req.headers, host: `${host}:${port}` };
  delete headers.connection;
  const upstream = http.request({ host, port, path, method: req.method, headers, agent }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
    res.end(`node RPC unreachable: ${err.message}\n`);
  });
  req.pipe(upstream);
}

async function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end('bad path\n');
    return;
  }
  if (path.endsWith('/')) path += 'index.html';
  const file = resolve(root, `.${path}`);
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return;
  }
  const isIndex = path === '/index.html';
  const gzipOk = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  let body: Buffer;
  let gzipped = false;
  try {
    if (gzipOk && existsSync(`${file}.gz`)) {
      body = await fsp.readFile(`${file}.gz`);
      gzipped = true;
    } else body = await fsp.readFile(file);
  } catch {
    if (isIndex) {
      res.writeHead(503, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' }).end(req.method === 'HEAD' ? undefined : NOT_BUILT);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    return;
  }
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    // Asset names carry a content hash (esbuild's [hash]); the page itself must be revalidated.
    'Cache-Control': isIndex ? 'no-cache' : 'public, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
    Vary: 'Accept-Encoding',
  };
  if (gzipped) headers['Content-Encoding'] = 'gzip';
  res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
}
