/**
 * Serves `Metrics` on GET /metrics in the Prometheus text format (default 127.0.0.1:26660).
 * A failed scrape answers 500 and is logged; it never reaches the process.
 */
import type { Logger } from 'pino';
import { startHttpServer, type ListeningServer } from '../http/server';
import type { Metrics } from './metrics';
import { applyCors, CLOSED_CORS, type CorsPolicy } from '../http/cors';

export type MetricsServer = ListeningServer;

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricsServerOptions {
  laddr?: string;
  logger?: Pick<Logger, 'warn' | 'error'>;
  /** CometBFT's instrumentation.max_open_connections (default 3). */
  maxOpenConnections?: number;
  cors?: CorsPolicy;
}

export async function startMetricsServer(metrics: Metrics, opts: MetricsServerOptions = {}): Promise<MetricsServer> {
  return startHttpServer(
    { laddr: opts.laddr ?? 'tcp://127.0.0.1:26660', maxOpenConnections: opts.maxOpenConnections ?? 3, requestTimeoutMs: 10_000, logger: opts.logger, name: 'metrics' },
    async (req, res) => {
      if (applyCors(opts.cors ?? CLOSED_CORS, { methods: ['GET', 'HEAD'], allowHeaders: ['Accept'] }, req, res)) return;
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: metrics are served on GET /metrics\n');
        return;
      }
      let body: string;
      try {
        body = await metrics.render();
      } catch (err) {
        opts.logger?.error({ err: String(err) }, 'metrics scrape failed');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('metrics scrape failed; see the node log\n');
        return;
      }
      res.writeHead(200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  );
}
