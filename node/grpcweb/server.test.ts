/**
 * gRPC-web through real clients: nice-grpc-web (fetch and node:http transports) with
 * ts-proto generated definitions, plus protocol checks (text mode, CORS, bad input).
 */
import { ClientError, Metadata, NodeHttpTransport, FetchTransport, Status, createChannel, createClient } from 'nice-grpc-web';
import type { ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import { QueryDefinition, QueryValueRequest, QueryValueResponse } from '../../test/fixtures/gen/sekai/rpctest/v1/query';
import { RpcTestNode } from '../../test/fixtures/rpcNode';
import { frame, startGrpcWebServer, encodeGrpcMessage, type GrpcWebServer } from './server';
import { grpcStatusOf } from '../http/status';

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

function testNode(): RpcTestNode {
  return new RpcTestNode({
    // The app side of the route: decode the request, answer from the state at the height.
    onQuery: (req, state, height): ResponseQuery | undefined => {
      if (req.path !== '/sekai.rpctest.v1.Query/Value') return undefined;
      const base = { info: '', index: 0n, key: new Uint8Array(), value: new Uint8Array(), height: BigInt(height) };
      let key: string;
      try {
        key = QueryValueRequest.decode(req.data).key;
      } catch {
        return { ...base, code: 18, codespace: 'sdk', log: 'invalid request: cannot decode QueryValueRequest' };
      }
      const value = state.get(key);
      if (value === undefined) {
        return { ...base, code: 22, codespace: 'sdk', log: `rpc error: code = NotFound desc = key ${key} not found: key not found` };
      }
      return { ...base, code: 0, codespace: '', log: '', value: QueryValueResponse.encode({ value, height: BigInt(height) }).finish() };
    },
  });
}

describe('gRPC-web server', () => {
  let node: RpcTestNode;
  let server: GrpcWebServer;

  beforeAll(async () => {
    node = testNode();
    node.produceBlock([utf8('color=red')]);
    node.produceBlock([utf8('color=blue'), utf8('size=9')]);
    server = await startGrpcWebServer(node, { laddr: 'tcp://127.0.0.1:0', corsAllowedOrigins: ['https://wallet.example'] });
  });
  afterAll(() => server.close());

  for (const [name, transport] of [
    ['fetch', () => FetchTransport()],
    ['node http', () => NodeHttpTransport()],
  ] as const) {
    it(`answers queries at the latest and a past height (${name} transport)`, async () => {
      const client = createClient(QueryDefinition, createChannel(server.url, transport()));
      let header: string | undefined;
      const latest = await client.value({ key: 'color' }, { onHeader: (h) => (header = h.get('x-cosmos-block-height')) });
      expect(latest.value).toBe('blue');
      // State after block 2 answers at height 2; the app's state at height 1 still says red.
      expect(latest.height).toBe(2n);
      expect(header).toBe('2');

      let pastHeader: string | undefined;
      const past = await client.value(
        { key: 'color' },
        { metadata: Metadata({ 'x-cosmos-block-height': '1' }), onHeader: (h) => (pastHeader = h.get('x-cosmos-block-height')) },
      );
      expect(past.value).toBe('red');
      expect(past.height).toBe(1n);
      expect(pastHeader).toBe('1');

      const missing = client.value({ key: 'size' }, { metadata: Metadata({ 'x-cosmos-block-height': '1' }) });
      await expect(missing).rejects.toBeInstanceOf(ClientError);
      await expect(missing).rejects.toMatchObject({ code: Status.NOT_FOUND, details: expect.stringContaining('key size not found') });
    });
  }

  it('maps failures to grpc-status codes', async () => {
    const client = createClient(QueryDefinition, createChannel(server.url));
    await expect(client.value({ key: 'x' }, { metadata: Metadata({ 'x-cosmos-block-height': '99' }) })).rejects.toMatchObject({
      code: Status.INVALID_ARGUMENT,
    });
    await expect(client.value({ key: 'x' }, { metadata: Metadata({ 'x-cosmos-block-height': 'abc' }) })).rejects.toMatchObject({
      code: Status.INVALID_ARGUMENT,
      details: expect.stringContaining('x-cosmos-block-height'),
    });
    const other = createClient(
      { ...QueryDefinition, fullName: 'sekai.rpctest.v1.Nothing', methods: { value: { ...QueryDefinition.methods.value, path: undefined } } } as unknown as typeof QueryDefinition,
      createChannel(server.url),
    );
    await expect(other.value({ key: 'x' })).rejects.toMatchObject({ code: Status.UNIMPLEMENTED });
  });

  it('speaks grpc-web-text and checks frames', async () => {
    const msg = frame(0, QueryValueRequest.encode({ key: 'size' }).finish());
    const res = await fetch(`${server.url}/sekai.rpctest.v1.Query/Value`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web-text', 'x-grpc-web': '1' },
      body: msg.toString('base64'),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/grpc-web-text+proto');
    const bytes = Buffer.from(await res.text(), 'base64');
    expect(bytes[0]).toBe(0);
    const len = bytes.readUInt32BE(1);
    expect(QueryValueResponse.decode(bytes.subarray(5, 5 + len)).value).toBe('9');
    const trailer = bytes.subarray(5 + len);
    expect(trailer[0]).toBe(0x80);
    expect(trailer.subarray(5).toString()).toBe('grpc-status:0\r\n');

    // Two frames in a unary call, a truncated frame, a compressed frame: refused, no crash.
    for (const body of [Buffer.concat([msg, msg]), msg.subarray(0, 7), Buffer.from([1, 0, 0, 0, 0])]) {
      const r = await fetch(`${server.url}/sekai.rpctest.v1.Query/Value`, {
        method: 'POST',
        headers: { 'content-type': 'application/grpc-web+proto' },
        body,
      });
      const b = Buffer.from(await r.arrayBuffer());
      expect(b[0]).toBe(0x80);
      expect(b.subarray(5).toString()).toMatch(/^grpc-status:(3|12)\r\ngrpc-message:/);
    }
    const wrongType = await fetch(`${server.url}/sekai.rpctest.v1.Query/Value`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(wrongType.status).toBe(415);
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const pre = await fetch(`${server.url}/sekai.rpctest.v1.Query/Value`, {
      method: 'OPTIONS',
      headers: { origin: 'https://wallet.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://wallet.example');
    expect(pre.headers.get('access-control-allow-headers')).toContain('x-cosmos-block-height');
    expect(pre.headers.get('access-control-expose-headers')).toContain('grpc-status');
    const denied = await fetch(`${server.url}/sekai.rpctest.v1.Query/Value`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('maps ABCI codes and encodes messages', () => {
    expect(grpcStatusOf(22, 'sdk', 'rpc error: code = NotFound desc = account x not found')).toBe(Status.NOT_FOUND);
    expect(grpcStatusOf(18, 'sdk', 'bad')).toBe(Status.INVALID_ARGUMENT);
    expect(grpcStatusOf(7, 'gov', 'whatever')).toBe(Status.UNKNOWN);
    expect(encodeGrpcMessage('a%b\né')).toBe('a%25b%0A%C3%A9');
  });
});
