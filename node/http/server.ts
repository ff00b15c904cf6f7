/**
 * The one way the node runs an HTTP server (CometBFT RPC, gRPC-web, REST, metrics, UI): a
 * listen address, the shared limits (connection caps inside the process descriptor budget,
 * timeouts: node/http/limits.ts), an async handler whose unexpected failures are logged and
 * answered instead of escaping to the process, and a `close()` that drops open connections.
 * CORS (node/http/cors.ts) and body reads (`readBody`) stay per route, since each server
 * accepts different methods and sizes.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createLimitedServer, listen, type ServerLimits } from './limits';

/** A listening server as the node and the tests see it. */
export interface ListeningServer {
  /** `http://host:port` of the bound listener (IPv6 hosts in brackets). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface HttpServerOptions extends Omit<ServerLimits, 'logger'> {
  /** `tcp://host:port` or `host:port`; port 0 picks a free one. */
  laddr: string;
  logger?: Pick<Logger, 'warn' | 'error'> & Partial<Pick<Logger, 'info'>>;
  /**
   * Answers a request whose handler threw before the response started (the server's own error
   * shape); without it, or once headers are out, the connection is dropped.
   */
  onError?(res: http.ServerResponse, err: Error): void;
  /** Wires the raw server (WebSocket upgrades, CONNECT tunnels) before it listens. */
  setup?(server: http.Server): void;
  /** Runs first in `close()` (subscriptions, upstream agents, client connections). */
  beforeClose?(): void | Promise<void>;
  /** Logs `<name> server listening` at info when true. */
  announce?: boolean;
}

/** Parses `tcp://host:port` (or `host:port`); an empty host listens on every interface. */
export function parseLaddr(laddr: string): { host: string; port: number } {
  const m = /^(?:tcp:\/\/)?\[?([^\]]*?)\]?:(\d+)$/.exec(laddr);
  if (!m) throw new Error(`invalid listen address ${JSON.stringify(laddr)}: expected tcp://host:port`);
  return { host: m[1] || '0.0.0.0', port: Number(m[2]) };
}

/** Starts a limited HTTP server on `opts.laddr` that runs `handler` for every request. */
export async function startHttpServer(
  opts: HttpServerOptions,
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void,
): Promise<ListeningServer> {
  const { host, port } = parseLaddr(opts.laddr);
  const log = opts.logger;
  const server = createLimitedServer({ ...opts, logger: log }, (req, res) => {
    let pending: Promise<void> | void;
    try {
      pending = handler(req, res);
    } catch (e) {
      pending = Promise.reject(e);
    }
    Promise.resolve(pending).catch((e: Error) => {
      log?.error({ err: e?.message ?? String(e) }, `${opts.name} request failed`);
      if (!res.headersSent && opts.onError) opts.onError(res, e);
      else res.destroy();
    });
  });
  opts.setup?.(server);
  await listen(server, port, host);
  const bound = (server.address() as AddressInfo).port;
  if (opts.announce) log?.info?.({ laddr: `tcp://${host}:${bound}` }, `${opts.name} server listening`);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    async close() {
      await opts.beforeClose?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes a JSON answer with its length (`headers` add to or override the defaults). */
export function sendJson(res: http.ServerResponse, status: number, text: string, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
