/**
 * The one CORS rule, checked on each real server: closed by default, a listed origin allowed
 * (and only it), `enabled-unsafe-cors` opening all.
 */
import { RpcTestNode } from '../../test/fixtures/rpcNode';
import { parseAppConfig, renderAppConfig, defaultAppConfig } from '../config/appConfig';
import { startGrpcWebServer } from '../grpcweb/server';
import { Metrics } from '../metrics/metrics';
import { startMetricsServer } from '../metrics/server';
import { startRpcServer } from '../rpc/server';
import { corsPolicy, type CorsPolicy } from './cors';

const WALLET = 'https://wallet.example';

interface Server {
  url: string;
  close(): Promise<void>;
}

const servers: [string, (p: CorsPolicy) => Promise<Server>, string, string][] = [
  ['RPC', (p) => startRpcServer(new RpcTestNode(), { laddr: 'tcp://127.0.0.1:0', corsAllowedOrigins: [...p.origins] }), '/health', 'POST'],
  ['gRPC-web', (p) => startGrpcWebServer(new RpcTestNode(), { laddr: 'tcp://127.0.0.1:0', corsAllowedOrigins: [...p.origins] }), '/cosmos.bank.v1beta1.Query/Balance', 'POST'],
  ['metrics', (p) => startMetricsServer(new Metrics(), { laddr: 'tcp://127.0.0.1:0', cors: p }), '/metrics', 'GET'],
];

async function preflight(url: string, origin: string, method: string): Promise<Response> {
  return fetch(url, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'content-type' } });
}

describe('CORS rule', () => {
  it('is closed by default and built from app.toml and config.toml lists', () => {
    const config = parseAppConfig(renderAppConfig(defaultAppConfig()));
    expect(config.api['cors-allowed-origins']).toEqual([]);
    expect(config.api['enabled-unsafe-cors']).toBe(false);
    expect(corsPolicy({ unsafe: false, origins: config.api['cors-allowed-origins'], rpcOrigins: [] }).origins).toEqual([]);
    expect(corsPolicy({ unsafe: false, origins: [WALLET, ' '], rpcOrigins: [WALLET, 'http://b.example'] }).origins).toEqual([WALLET, 'http://b.example']);
    expect(corsPolicy({ unsafe: true, origins: [WALLET] }).origins).toEqual(['*']);
  });

  for (const [name, start, path, method] of servers) {
    it(`${name}: no CORS headers when closed, the listed origin only, any origin when unsafe`, async () => {
      for (const [policy, origin, expected] of [
        [corsPolicy({ unsafe: false }), WALLET, null],
        [corsPolicy({ unsafe: false, origins: [WALLET] }), WALLET, WALLET],
        [corsPolicy({ unsafe: false, origins: [WALLET] }), 'https://evil.example', null],
        [corsPolicy({ unsafe: true }), 'https://evil.example', '*'],
      ] as const) {
        const server = await start(policy);
        try {
          const pre = await preflight(server.url + path, origin, method);
          expect(pre.status).toBe(204);
          expect(pre.headers.get('access-control-allow-origin')).toBe(expected);
          if (expected) expect(pre.headers.get('access-control-allow-methods')).toContain(method);
          else expect(pre.headers.get('access-control-allow-methods')).toBeNull();
          const res = await fetch(server.url + path, { method: 'GET', headers: { Origin: origin } });
          expect(res.headers.get('access-control-allow-origin')).toBe(expected);
          await res.arrayBuffer();
        } finally {
          await server.close();
        }
      }
    });
  }
});
