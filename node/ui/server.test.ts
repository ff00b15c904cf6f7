import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import WebSocket, { WebSocketServer } from 'ws';
import { startUiServer, type UiServer } from './server';

/** GET with a raw path (fetch would normalise `..` away). */
function rawGet(url: string, path: string, headers: http.OutgoingHttpHeaders = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    http
      .get({ host: hostname, port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('UI server', () => {
  let dir: string;
  let upstream: http.Server;
  let wss: WebSocketServer;
  let ui: UiServer;
  const seen: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sekai-ui-'));
    mkdirSync(join(dir, 'site'));
    writeFileSync(join(dir, 'site', 'index.html'), '<!doctype html><p>ranking</p>');
    writeFileSync(join(dir, 'site', 'app-ABC.js'), 'console.log("app")');
    writeFileSync(join(dir, 'site', 'app-ABC.js.gz'), gzipSync('console.log("app")'));
    writeFileSync(join(dir, 'secret.txt'), 'outside the site');
    // A stand-in RPC: echoes the path and body of each request, and each WebSocket message.
    upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url}`);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ path: req.url, body }));
      });
    });
    wss = new WebSocketServer({ server: upstream, path: '/websocket' });
    wss.on('connection', (ws) => ws.on('message', (m) => ws.send(`echo ${m.toString()}`)));
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const rpcUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    ui = await startUiServer({ laddr: '127.0.0.1:0', rpcUrl, staticDir: join(dir, 'site') });
  });

  afterAll(async () => {
    await ui.close();
    wss.close();
    upstream.closeAllConnections();
    await new Promise<void>((r) => upstream.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page revalidated and hashed assets cached, gzipped when accepted', async () => {
    const page = await rawGet(ui.url, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body.toString()).toContain('ranking');
    const gz = await rawGet(ui.url, '/app-ABC.js', { 'accept-encoding': 'gzip, br' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toContain('immutable');
    const plain = await rawGet(ui.url, '/app-ABC.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe('console.log("app")');
  });

  it('never serves a file outside its directory', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const r = await rawGet(ui.url, path);
      expect(r.status).toBe(404);
      expect(r.body.toString()).not.toContain('outside the site');
    }
    expect((await rawGet(ui.url, '/missing.js')).status).toBe(404);
    expect((await fetch(`${ui.url}/`, { method: 'DELETE' })).status).toBe(405);
  });

  it('passes /rpc through to the RPC: JSON-RPC POST, URI GET and the WebSocket', async () => {
    const post = await fetch(`${ui.url}/rpc`, { method: 'POST', body: '{"method":"status"}' });
    expect(await post.json()).toEqual({ path: '/', body: '{"method":"status"}' });
    const get = await fetch(`${ui.url}/rpc/block?height=3`);
    expect(await get.json()).toEqual({ path: '/block?height=3', body: '' });
    expect(seen).toEqual(expect.arrayContaining(['POST /', 'GET /block?height=3']));

    const ws = new WebSocket(`${ui.url.replace('http', 'ws')}/rpc/websocket`);
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('subscribe'));
      ws.on('message', (m) => resolve(m.toString()));
      ws.on('error', reject);
    });
    ws.close();
    expect(reply).toBe('echo subscribe');
  });

  it('answers 502 when the RPC is down, and a build hint when the UI is not built', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = http.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const lonely = await startUiServer({ laddr: '127.0.0.1:0', rpcUrl: `http://127.0.0.1:${port}`, staticDir: join(dir, 'not-built') });
    try {
      const down = await fetch(`${lonely.url}/rpc`, { method: 'POST', body: '{}' });
      expect(down.status).toBe(502);
      expect(await down.text()).toMatch(/node RPC unreachable/);
      const page = await fetch(`${lonely.url}/`);
      expect(page.status).toBe(503);
      expect(await page.text()).toMatch(/npm run build/);
    } finally {
      await lonely.close();
    }
  });
});
