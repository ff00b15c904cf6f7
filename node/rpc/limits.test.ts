/**
 * The RPC server's limits seen from a client: batch size, body size, nesting, connection
 * caps, subscription caps and slow WebSocket clients. Each limit answers a clear error and
 * the server keeps serving.
 */
import net from 'node:net';
import WebSocket from 'ws';
import { startRpcServer, type RpcServer } from './server';
import { RpcTestNode } from '../../test/fixtures/rpcNode';

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

async function post(url: string, body: string): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function until(cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function openWs(url: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/websocket`);
  return new Promise((resolve, reject) => ws.once('open', () => resolve(ws)).once('error', reject));
}

function call(ws: WebSocket, id: number, method: string, params: unknown): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString());
      if (msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  });
}

describe('RPC limits', () => {
  let node: RpcTestNode;
  let server: RpcServer;

  beforeAll(async () => {
    node = new RpcTestNode();
    node.produceBlock([utf8('a=1')]);
    server = await startRpcServer(node, {
      laddr: 'tcp://127.0.0.1:0',
      maxRequestBatchSize: 3,
      maxBodyBytes: 10_000,
      maxOpenConnections: 20,
      maxSubscriptionClients: 2,
      subscriptionBufferSize: 5,
    });
  });
  afterAll(() => server.close());

  it('refuses a batch over max_request_batch_size and serves one at the limit', async () => {
    const req = (id: number) => ({ jsonrpc: '2.0', id, method: 'health' });
    const over = await post(server.url, JSON.stringify([1, 2, 3, 4].map(req)));
    expect(over.json.error).toMatchObject({ code: -32600, data: 'batch request exceeds maximum (3) allowed number of requests' });
    const at = await post(server.url, JSON.stringify([1, 2, 3].map(req)));
    expect(at.json).toHaveLength(3);
  });

  it('answers an oversized body with 413 and a JSON-RPC error, not a reset', async () => {
    const res = await post(server.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'health', params: { pad: 'x'.repeat(50_000) } }));
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe(-32600);
    expect(res.json.error.data).toMatch(/request body too large \(max 10000 bytes\)/);
  });

  it('refuses deeply nested params with Invalid Request', async () => {
    const deep = '['.repeat(2000) + ']'.repeat(2000);
    const res = await post(server.url, `{"jsonrpc":"2.0","id":1,"method":"block","params":${deep}}`);
    expect(res.status).toBe(200);
    expect(res.json.error).toMatchObject({ code: -32600, data: 'params nest deeper than 32 levels' });
  });

  it('closes connections over max_open_connections and serves again once they go', async () => {
    const { port } = new URL(server.url);
    const sockets: net.Socket[] = [];
    for (let i = 0; i < 40; i++) {
      const s = net.connect(Number(port), '127.0.0.1');
      s.on('error', () => undefined);
      sockets.push(s);
    }
    await until(() => sockets.filter((s) => s.destroyed || s.readyState === 'closed').length >= 20);
    for (const s of sockets) s.destroy();
    await until(async () => (await fetch(`${server.url}/health`).then((r) => r.status, () => 0)) === 200);
  });

  it('caps subscription clients and drops the subscriptions of a client that stops reading', async () => {
    const slow = await openWs(server.url);
    const other = await openWs(server.url);
    const third = await openWs(server.url);
    try {
      expect((await call(slow, 1, 'subscribe', { query: "tm.event='NewBlock'" })).result).toEqual({});
      expect((await call(other, 1, 'subscribe', { query: "tm.event='NewBlock'" })).result).toEqual({});
      const refused = await call(third, 1, 'subscribe', { query: "tm.event='NewBlock'" });
      expect(refused.error.data).toMatch(/max_subscription_clients 2 reached/);
      // The slow client stops reading: its socket buffers fill, then its events queue up.
      (slow as unknown as { _socket: net.Socket })._socket.pause();
      let otherEvents = 0;
      other.on('message', () => otherEvents++);
      const pad = 'v'.repeat(200_000);
      // Blocks come at an interval, as a node makes them (the reading client drains in between).
      for (let i = 0; i < 60; i++) {
        node.produceBlock([utf8(`k${i}=${pad}`)]);
        await new Promise((r) => setTimeout(r, 25));
      }
      // The reading client got every block; the slow one was cut off, so the third may subscribe.
      await until(() => otherEvents >= 60);
      await until(async () => (await call(third, 2, 'subscribe', { query: "tm.event='NewBlock'" })).result !== undefined);
    } finally {
      for (const ws of [slow, other, third]) ws.terminate();
    }
  });
});
