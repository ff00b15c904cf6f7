/** Serves `Metrics` on GET /metrics in the Prometheus text format (default 127.0.0.1:26660). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseLaddr } from '../rpc/server';
import type { Metrics } from './metrics';
import { applyCors, CLOSED_CORS, type CorsPolicy } from '../http/cors';

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export async function startMetricsServer(metrics: Metrics, opts: { laddr?: string; cors?: CorsPolicy } = {}): Promise<MetricsServer> {
  const { host, port } = parseLaddr(opts.laddr ?? 'tcp://127.0.0.1:26660');
  const cors = opts.cors ?? CLOSED_CORS;
  const server = http.createServer((req, res) => {
    if (applyCors(cors, { methods: ['GET', 'HEAD'], allowHeaders: ['Accept'] }, req, res)) return;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: metrics are served on GET /metrics\n');
      return;
    }
    const body = metrics.render();
    res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
