/**
 * Protocol-level behaviour of the RPC server seen from raw HTTP and WebSocket: URI
 * arguments, JSON-RPC batches and notifications, CometBFT's error objects, malformed input,
 * CORS, and the wait for a first block in `status`.
 */
import WebSocket from 'ws';
import { startRpcServer, type RpcServer } from './server';
import { RpcTestNode } from '../../test/fixtures/rpcNode';

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

async function getJson(url: string): Promise<any> {
  return (await fetch(url)).json();
}

async function post(url: string, body: unknown, raw = false): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ? (body as string) : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe('RPC server protocol', () => {
  let node: RpcTestNode;
  let server: RpcServer;

  beforeAll(async () => {
    node = new RpcTestNode();
    node.produceBlock([utf8('a=1')]);
    node.produceBlock([utf8('b=2'), utf8('c=3')]);
    server = await startRpcServer(node, { laddr: 'tcp://127.0.0.1:0', corsAllowedOrigins: ['https://app.example'] });
  });
  afterAll(() => server.close());

  it("serves Keplr's GET /status with cmtjson conventions", async () => {
    const res = await fetch(`${server.url}/status`);
    expect(res.status).toBe(200);
    const body: any = await res.json();
    expect(body).toMatchObject({ jsonrpc: '2.0', id: -1 });
    const { node_info, sync_info, validator_info } = body.result;
    expect(node_info.network).toBe('sekai-rpc-test');
    expect(node_info.version).toBe('0.38.17');
    expect(node_info.protocol_version).toEqual({ p2p: '8', block: '11', app: '1' });
    expect(sync_info.latest_block_height).toBe('2');
    expect(sync_info.latest_block_hash).toMatch(/^[0-9A-F]{64}$/);
    expect(sync_info.latest_app_hash).toMatch(/^[0-9A-F]{64}$/);
    expect(sync_info.latest_block_time).toBe('2023-11-14T22:13:30.246914Z');
    expect(sync_info.catching_up).toBe(false);
    expect(validator_info.voting_power).toBe('10');
    expect(validator_info.pub_key.type).toBe('tendermint/PubKeyEd25519');
  });

  it('reads URI arguments as CometBFT does: bare ints, quoted strings, 0x bytes', async () => {
    const block = await getJson(`${server.url}/block?height=1`);
    expect(block.result.block.header.height).toBe('1');
    expect(block.result.block.data.txs).toEqual([Buffer.from('a=1').toString('base64')]);
    expect(block.result.block.last_commit).toEqual({
      height: '0',
      round: 0,
      block_id: { hash: '', parts: { total: 0, hash: '' } },
      signatures: [],
    });

    const q = await getJson(`${server.url}/abci_query?path="/store/kv/key"&data=0x${Buffer.from('b').toString('hex')}`);
    expect(q.result.response).toMatchObject({ code: 0, value: Buffer.from('2').toString('base64'), height: '2', index: '0', proofOps: null });

    const hash = Buffer.from((await node.blocks.block(2))!.blockId.hash).toString('hex');
    const byHash = await getJson(`${server.url}/block_by_hash?hash=0x${hash}`);
    expect(byHash.result.block.header.height).toBe('2');
    const unknown = await getJson(`${server.url}/block_by_hash?hash=0x${'00'.repeat(32)}`);
    expect(unknown.result.block).toBeNull();

    const unquoted = await fetch(`${server.url}/abci_query?path=/store/kv/key`);
    expect(unquoted.status).toBe(500);
    expect(((await unquoted.json()) as any).error).toMatchObject({ code: -32602, message: 'Invalid params' });

    const future = await fetch(`${server.url}/block?height=99`);
    expect(future.status).toBe(500);
    expect(((await future.json()) as any).error).toEqual({
      code: -32603,
      message: 'Internal error',
      data: 'height 99 must be less than or equal to the current blockchain height 2',
    });
  });

  it('prints block_results, consensus params and unconfirmed txs in CometBFT shapes', async () => {
    const { json } = await post(server.url, { jsonrpc: '2.0', id: 'r', method: 'block_results', params: { height: '2' } });
    const r = json.result;
    expect(r.height).toBe('2');
    expect(r.txs_results[0]).toEqual({
      code: 0,
      data: null,
      log: '',
      info: '',
      gas_wanted: '1000',
      gas_used: '500',
      events: expect.any(Array),
      codespace: '',
    });
    expect(r.txs_results[0].events[1].attributes[2]).toEqual({ key: 'hidden', value: '2', index: false });
    expect(r.app_hash).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(r.consensus_param_updates).toBeNull();

    const params = (await post(server.url, { jsonrpc: '2.0', id: 1, method: 'consensus_params', params: {} })).json.result;
    expect(params.consensus_params.block).toEqual({ max_bytes: '22020096', max_gas: '-1' });
    expect(params.consensus_params.evidence.max_age_duration).toBe('172800000000000');

    const pending = (await post(server.url, { jsonrpc: '2.0', id: 2, method: 'unconfirmed_txs', params: { limit: '5' } })).json.result;
    expect(pending).toEqual({ n_txs: '0', total: '0', total_bytes: '0', txs: [] });
    const net = (await post(server.url, { jsonrpc: '2.0', id: 3, method: 'net_info' })).json.result;
    expect(net.n_peers).toBe('0');
    const chunk = (await post(server.url, { jsonrpc: '2.0', id: 4, method: 'genesis_chunked', params: { chunk: '0' } })).json.result;
    expect(JSON.parse(Buffer.from(chunk.data, 'base64').toString()).chain_id).toBe('sekai-rpc-test');
    expect(chunk.total).toBe('1');
  });

  it('answers positional params, batches and notifications', async () => {
    const positional = await post(server.url, { jsonrpc: '2.0', id: 7, method: 'header', params: ['1'] });
    expect(positional.json.result.header.height).toBe('1');

    const batch = await post(server.url, [
      { jsonrpc: '2.0', id: 1, method: 'health' },
      { jsonrpc: '2.0', method: 'health' },
      { jsonrpc: '2.0', id: 'x', method: 'no_such_method' },
      { jsonrpc: '2.0', id: 3, method: 'validators', params: { page: '2' } },
    ]);
    expect(batch.status).toBe(200);
    expect(batch.json).toEqual([
      { jsonrpc: '2.0', id: 1, result: {} },
      { jsonrpc: '2.0', id: 'x', error: { code: -32601, message: 'Method not found', data: '' } },
      { jsonrpc: '2.0', id: 3, error: { code: -32603, message: 'Internal error', data: 'page should be within [1, 1] range, given 2' } },
    ]);
    const onlyNotification = await post(server.url, { jsonrpc: '2.0', method: 'health' });
    expect(onlyNotification.json).toBeUndefined();
  });

  it('never crashes on malformed requests', async () => {
    const cases: [unknown, boolean, number, number][] = [
      ['{not json', true, 500, -32700],
      ['[]', true, 200, -32600],
      ['"text"', true, 200, -32600],
      [{ jsonrpc: '1.0', id: 1, method: 'health' }, false, 200, -32600],
      [{ jsonrpc: '2.0', id: 1, method: 5 }, false, 200, -32600],
      [{ jsonrpc: '2.0', id: 1, method: 'block', params: { height: 'tall' } }, false, 200, -32602],
      [{ jsonrpc: '2.0', id: 1, method: 'tx', params: { hash: '%%%' } }, false, 200, -32602],
      [{ jsonrpc: '2.0', id: 1, method: 'abci_query', params: { path: '/x', data: 'zz' } }, false, 200, -32602],
      [{ jsonrpc: '2.0', id: 1, method: 'subscribe', params: { query: "tm.event='Tx'" } }, false, 200, -32601],
      [{ jsonrpc: '2.0', id: 1, method: 'tx_search', params: { query: 'a=' } }, false, 200, -32603],
      [{ jsonrpc: '2.0', id: 1, method: 'tx_search', params: { query: "a='b'", order_by: 'sideways' } }, false, 200, -32603],
      [{ jsonrpc: '2.0', id: 1, method: 'broadcast_tx_sync', params: {} }, false, 200, -32603],
      [{ jsonrpc: '2.0', id: 1, method: 'constructor' }, false, 200, -32601],
      [{ jsonrpc: '2.0', id: 1, method: 'block', params: 7 }, false, 200, -32602],
    ];
    for (const [body, raw, status, code] of cases) {
      const res = await post(server.url, body, raw);
      expect({ body, status: res.status, code: res.json.error?.code }).toEqual({ body, status, code });
    }
    const big = await fetch(server.url, { method: 'POST', body: 'x'.repeat(1_100_000) }).catch(() => undefined);
    if (big) expect(big.status).toBe(413);
    const health = await post(server.url, { jsonrpc: '2.0', id: 1, method: 'health' });
    expect(health.json.result).toEqual({});
  });

  it('sends CORS headers to allowed origins only', async () => {
    const ok = await fetch(`${server.url}/health`, { headers: { origin: 'https://app.example' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const no = await fetch(`${server.url}/health`, { headers: { origin: 'https://other.example' } });
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(server.url, { method: 'OPTIONS', headers: { origin: 'https://app.example' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('handles subscribe errors and garbage over WebSocket', async () => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/websocket`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const replies: any[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
    const next = async (n: number) => {
      for (let i = 0; i < 100 && replies.length < n; i++) await new Promise((r) => setTimeout(r, 10));
      return replies[n - 1];
    };
    ws.send('not json');
    expect((await next(1)).error.code).toBe(-32700);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'subscribe', params: { query: "tm.event='NewBlock'" } }));
    expect(await next(2)).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'subscribe', params: { query: "tm.event='NewBlock'" } }));
    expect((await next(3)).error.data).toContain('already subscribed');
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'subscribe', params: { query: 'tm.event=' } }));
    expect((await next(4)).error.data).toContain('invalid query');
    node.produceBlock([utf8('d=4')]);
    const event = await next(5);
    expect(event.id).toBe(1);
    expect(event.result.query).toBe("tm.event='NewBlock'");
    expect(event.result.data.type).toBe('tendermint/event/NewBlock');
    expect(event.result.data.value.block.header.height).toBe('3');
    expect(event.result.data.value.result_finalize_block.tx_results[0].code).toBe(0);
    expect(event.result.events['tm.event']).toEqual(['NewBlock']);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'unsubscribe', params: { query: "tm.event='NewBlock'" } }));
    expect(await next(6)).toEqual({ jsonrpc: '2.0', id: 4, result: {} });
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'unsubscribe_all', params: {} }));
    expect((await next(7)).error.data).toContain('subscription not found');
    ws.close();
  });
});

describe('status before the first block', () => {
  it('waits for a block with an app hash, then answers', async () => {
    const node = new RpcTestNode();
    const server = await startRpcServer(node, { laddr: 'tcp://127.0.0.1:0', statusWaitMs: 2000 });
    try {
      const pending = post(server.url, { jsonrpc: '2.0', id: 1, method: 'status' });
      await new Promise((r) => setTimeout(r, 100));
      node.produceBlock([]);
      const { json } = await pending;
      expect(json.result.sync_info.latest_block_height).toBe('1');
    } finally {
      await server.close();
    }
  });

  it('answers a timeout error when no block comes', async () => {
    const node = new RpcTestNode();
    const server = await startRpcServer(node, { laddr: 'tcp://127.0.0.1:0', statusWaitMs: 100 });
    try {
      const { json } = await post(server.url, { jsonrpc: '2.0', id: 1, method: 'status' });
      expect(json.error).toMatchObject({ code: -32603, data: expect.stringContaining('no block with an app hash yet') });
    } finally {
      await server.close();
    }
  });
});
