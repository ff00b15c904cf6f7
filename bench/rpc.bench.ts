/**
 * RPC serving cost: JSON-RPC `block` (100 txs, cmtjson encoding from the stored protobuf
 * block) and gRPC-web unary queries, each against a bare node:http server that answers the
 * same bytes without parsing or encoding (the HTTP floor of this machine), measured in this
 * run with the same client (fetch, keep-alive, 16 requests in flight).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startRpcServer } from '../node/rpc/server';
import { frame, startGrpcWebServer } from '../node/grpcweb/server';
import { RpcTestNode } from '../test/fixtures/rpcNode';
import { median, type BenchSection } from './harness';

const IN_FLIGHT = 16;
const TXS_PER_BLOCK = 100;

async function bareServer(body: Buffer, contentType: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': body.length }).end(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Requests per second with IN_FLIGHT concurrent loops, median of 3 runs of `ms`. */
async function reqRate(send: () => Promise<void>, ms = 700): Promise<number> {
  const once = async (duration: number) => {
    let n = 0;
    const end = performance.now() + duration;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (performance.now() < end) {
          await send();
          n++;
        }
      }),
    );
    return (n * 1000) / (performance.now() - start);
  };
  await once(200);
  return median([await once(ms), await once(ms), await once(ms)]);
}

export async function run(): Promise<BenchSection> {
  const node = new RpcTestNode({
    onQuery: (req, state, height) =>
      req.path === '/bench.Query/Get'
        ? { code: 0, log: '', info: '', index: 0n, key: req.data, value: Buffer.from(state.get('k1') ?? ''), height: BigInt(height), codespace: '' }
        : undefined,
  });
  node.produceBlock(Array.from({ length: TXS_PER_BLOCK }, (_, i) => new Uint8Array(Buffer.from(`k${i}=${'v'.repeat(200)}`))));
  const rpc = await startRpcServer(node, { laddr: 'tcp://127.0.0.1:0' });
  const grpc = await startGrpcWebServer(node, { laddr: 'tcp://127.0.0.1:0' });
  const blockReq = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'block', params: { height: '1' } });
  const blockBody = Buffer.from(await (await fetch(rpc.url, { method: 'POST', body: blockReq })).arrayBuffer());
  const bareRpc = await bareServer(blockBody, 'application/json');
  const grpcReq = frame(0, Buffer.from('k1'));
  const grpcHeaders = { 'content-type': 'application/grpc-web+proto' };
  const grpcBody = Buffer.from(await (await fetch(`${grpc.url}/bench.Query/Get`, { method: 'POST', headers: grpcHeaders, body: grpcReq })).arrayBuffer());
  const bareGrpc = await bareServer(grpcBody, 'application/grpc-web+proto');
  try {
    const post = (url: string) => async () => void (await (await fetch(url, { method: 'POST', body: blockReq })).arrayBuffer());
    const grpcPost = (url: string) => async () =>
      void (await (await fetch(`${url}/bench.Query/Get`, { method: 'POST', headers: grpcHeaders, body: grpcReq })).arrayBuffer());
    const blockRate = await reqRate(post(rpc.url));
    const bareBlockRate = await reqRate(post(bareRpc.url));
    const grpcRate = await reqRate(grpcPost(grpc.url));
    const bareGrpcRate = await reqRate(grpcPost(bareGrpc.url));
    return {
      title: 'RPC servers (fetch client, keep-alive, 16 in flight, one process)',
      figures: [
        { name: `JSON-RPC block, ${TXS_PER_BLOCK} txs (${blockBody.length} B answer)`, measured: blockRate, unit: 'req/s', limit: bareBlockRate, goal: '>= 0.3' },
        { name: 'gRPC-web unary query through ABCI Query', measured: grpcRate, unit: 'req/s', limit: bareGrpcRate, goal: '>= 0.5' },
      ],
      notes: [
        'Limits: a bare node:http server answering the same bytes without parsing or encoding, measured in this run.',
        'The block answer is re-encoded from the stored protobuf block on every request (no response cache).',
      ],
    };
  } finally {
    await Promise.all([rpc.close(), grpc.close(), bareRpc.close(), bareGrpc.close()]);
  }
}
