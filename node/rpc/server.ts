/**
 * CometBFT v0.38-compatible RPC server: JSON-RPC 2.0 over HTTP POST (single and batch),
 * URI requests (`GET /<method>?arg=…`) and WebSocket at `/websocket` with event
 * subscriptions. Answers carry CometBFT's JSON shapes and error objects, so existing clients
 * (@cosmjs/tendermint-rpc, Keplr, explorers) cannot tell it from a CometBFT node.
 *
 * Errors follow CometBFT: -32700 Parse error, -32600 Invalid Request, -32601 Method not found,
 * -32602 Invalid params, -32603 Internal error with the cause in `data`. JSON-RPC over POST
 * answers HTTP 200 even for errors; URI requests answer 500 with the error object.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { CodedError } from '../../types/errors';
import { BodyTooLargeError, nestedDeeperThan, readBody, requestSignal } from '../http/limits';
import { startHttpServer, type ListeningServer } from '../http/server';
import type { NodeHandle } from '../types';
import { applyCors, type CorsPolicy, type CorsRoutes } from '../http/cors';
import type { Json } from './encoding';
import { methods, type ArgType, type Args, type RpcContext } from './methods';
import { SubscriptionHub, type PublishedEvent, type Subscriber } from './subscriptions';
import { ErrTimeout } from './errors';

/** Defaults of the limits below: CometBFT v0.38's where it has the setting. */
export const RPC_LIMITS = {
  maxOpenConnections: 900,
  maxRequestBatchSize: 10,
  maxBodyBytes: 1_000_000,
  /** One HTTP request or WebSocket call: CometBFT's timeout_broadcast_tx_commit plus margin. */
  requestTimeoutMs: 15_000,
  /** Largest JSON response; a bigger answer is an error (a full 21 MiB block is ~30 MB as JSON). */
  maxResponseBytes: 64 * 1024 * 1024,
  /** Deepest params nesting: no method takes more than 1. */
  maxParamsDepth: 32,
  maxSubscriptionClients: 100,
  maxSubscriptionsPerClient: 5,
  /** Events queued for one WebSocket client before it counts as slow. */
  subscriptionBufferSize: 200,
  /** Bytes queued for one WebSocket client before it counts as slow. */
  wsWriteBufferBytes: 4 * 1024 * 1024,
  closeOnSlowClient: false,
};

export interface RpcServerOptions {
  /** `tcp://host:port`; port 0 picks a free one. Default tcp://127.0.0.1:26657. */
  laddr?: string;
  /** Origins allowed by the CORS rule (node/http/cors.ts); `*` allows any; empty (default) is closed. */
  corsAllowedOrigins?: string[];
  logger?: Pick<Logger, 'info' | 'warn' | 'debug' | 'error'>;
  /** CometBFT's max_body_bytes (default 1 000 000). */
  maxBodyBytes?: number;
  /** CometBFT's max_open_connections (default 900; 0 = only the process descriptor budget). */
  maxOpenConnections?: number;
  /** CometBFT's max_request_batch_size (default 10; 0 = no limit). */
  maxRequestBatchSize?: number;
  /** Time budget of one request (default 15 s); work stops when it runs out or the client leaves. */
  requestTimeoutMs?: number;
  /** Largest JSON response in bytes (default 64 MiB). */
  maxResponseBytes?: number;
  /** CometBFT's max_subscription_clients (default 100). */
  maxSubscriptionClients?: number;
  /** CometBFT's max_subscriptions_per_client (default 5). */
  maxSubscriptionsPerClient?: number;
  /** CometBFT's experimental_subscription_buffer_size: events queued per client before it is slow (default 200). */
  subscriptionBufferSize?: number;
  /** Bytes queued per WebSocket client before it is slow (default 4 MiB). */
  wsWriteBufferBytes?: number;
  /** CometBFT's experimental_close_on_slow_client: close a slow client's connection, not only its subscriptions. */
  closeOnSlowClient?: boolean;
  /** CometBFT's timeout_broadcast_tx_commit (default 10 s). */
  broadcastTxCommitTimeoutMs?: number;
  /** How long `status` waits for the first block with an app hash (default 10 s). */
  statusWaitMs?: number;
  /** WebSocket keep-alive ping period (CometBFT: ~27 s). */
  wsPingIntervalMs?: number;
  /** Records abci_query latency (node/metrics Metrics). */
  metrics?: RpcContext['metrics'];
}

export type RpcServer = ListeningServer;

type Id = string | number | null;

interface RpcError {
  code: number;
  message: string;
  data: string;
}

type RpcResponse = { jsonrpc: '2.0'; id: Id; result: Json } | { jsonrpc: '2.0'; id: Id; error: RpcError };

const err = (id: Id, code: number, message: string, data = ''): RpcResponse => ({ jsonrpc: '2.0', id, error: { code, message, data } });

export const parseError = (data: string) => err(-1, -32700, 'Parse error', data);
const invalidRequest = (id: Id, data: string) => err(id, -32600, 'Invalid Request', data);
const methodNotFound = (id: Id) => err(id, -32601, 'Method not found');
const invalidParams = (id: Id, data: string) => err(id, -32602, 'Invalid params', data);
const internalError = (id: Id, data: string) => err(id, -32603, 'Internal error', data);

class ParamError extends Error {}

function toInt(v: unknown, name: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw new ParamError(`${name}: expected an integer, got ${JSON.stringify(v)}`);
  return n;
}

/** A JSON-RPC parameter (JSON value) converted to the method's type, as cmtjson decodes it. */
function fromJson(v: unknown, type: ArgType, name: string): Args[string] {
  if (v === null || v === undefined) return undefined;
  switch (type) {
    case 'int':
      return toInt(v, name);
    case 'bool':
      if (typeof v !== 'boolean') throw new ParamError(`${name}: expected a boolean, got ${JSON.stringify(v)}`);
      return v;
    case 'string':
      if (typeof v !== 'string') throw new ParamError(`${name}: expected a string, got ${JSON.stringify(v)}`);
      return v;
    case 'bytes':
      if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 === 1) {
        throw new ParamError(`${name}: expected base64, got ${JSON.stringify(v)}`);
      }
      return new Uint8Array(Buffer.from(v, 'base64'));
    case 'hex':
      if (typeof v !== 'string' || !/^([0-9A-Fa-f]{2})*$/.test(v)) throw new ParamError(`${name}: expected hex, got ${JSON.stringify(v)}`);
      return new Uint8Array(Buffer.from(v, 'hex'));
  }
}

/**
 * A URI argument as CometBFT reads it: integers bare, `0x…` hex for bytes and strings,
 * quoted strings (for bytes: the string's UTF-8), anything else decoded as JSON.
 */
function fromUri(raw: string, type: ArgType, name: string): Args[string] {
  if (raw === '') return undefined;
  if (type === 'int' && /^-?\d+$/.test(raw)) return toInt(raw, name);
  if (/^0x/i.test(raw)) {
    if (type !== 'string' && type !== 'bytes' && type !== 'hex') throw new ParamError(`${name}: got a hex string arg, but expected '${type}'`);
    const hex = raw.slice(2);
    if (!/^([0-9A-Fa-f]{2})*$/.test(hex)) throw new ParamError(`${name}: invalid hex ${JSON.stringify(raw)}`);
    const b = Buffer.from(hex, 'hex');
    return type === 'string' ? b.toString('utf8') : new Uint8Array(b);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ParamError(`${name}: invalid argument ${JSON.stringify(raw)} (strings must be quoted, bytes 0x-prefixed hex)`);
  }
  if ((type === 'bytes' || type === 'hex') && typeof parsed === 'string' && raw.startsWith('"')) {
    return new Uint8Array(Buffer.from(parsed, 'utf8'));
  }
  return fromJson(parsed, type, name);
}

function argsFromParams(params: unknown, spec: [string, ArgType][]): Args {
  const args: Args = {};
  if (params === undefined || params === null) return args;
  if (Array.isArray(params)) {
    if (params.length > spec.length) throw new ParamError(`expected at most ${spec.length} parameters, got ${params.length}`);
    spec.forEach(([name, type], i) => (args[name] = fromJson(params[i], type, name)));
    return args;
  }
  if (typeof params !== 'object') throw new ParamError('params must be an object or an array');
  const obj = params as Record<string, unknown>;
  for (const [name, type] of spec) args[name] = fromJson(obj[name], type, name);
  return args;
}

/** A table entry that is the object's own (a method named `toString` is no method). */
function own<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

/** A WebSocket-only method: it acts on the calling socket's subscriptions and answers `{}`. */
interface WsMethodSpec {
  args: [string, ArgType][];
  handler(hub: SubscriptionHub, ws: Subscriber, id: Id, args: Args): void;
}

const queryArg = (a: Args) => (typeof a.query === 'string' ? a.query : '');

/** The routes beside `methods` that only a WebSocket connection may call. */
const WS_METHODS: Record<string, WsMethodSpec> = {
  subscribe: { args: [['query', 'string']], handler: (hub, ws, id, a) => hub.subscribe(ws, id ?? -1, queryArg(a)) },
  unsubscribe: { args: [['query', 'string']], handler: (hub, ws, _id, a) => hub.unsubscribe(ws, queryArg(a)) },
  // Takes (and ignores) a query like the others, so a client sending one is not refused.
  unsubscribe_all: { args: [['query', 'string']], handler: (hub, ws) => hub.unsubscribeAll(ws) },
};

/** CometBFT's RPC CORS defaults: its methods and the headers its clients send. */
const RPC_CORS: CorsRoutes = {
  methods: ['HEAD', 'GET', 'POST'],
  allowHeaders: ['Origin', 'Accept', 'Content-Type', 'X-Requested-With', 'X-Server-Time'],
};

export async function startRpcServer(node: NodeHandle, opts: RpcServerOptions = {}): Promise<RpcServer> {
  const laddr = opts.laddr ?? 'tcp://127.0.0.1:26657';
  const maxBody = opts.maxBodyBytes ?? RPC_LIMITS.maxBodyBytes;
  const maxBatch = opts.maxRequestBatchSize ?? RPC_LIMITS.maxRequestBatchSize;
  const requestTimeoutMs = opts.requestTimeoutMs ?? RPC_LIMITS.requestTimeoutMs;
  const maxResponse = opts.maxResponseBytes ?? RPC_LIMITS.maxResponseBytes;
  const subscriptionBuffer = opts.subscriptionBufferSize ?? RPC_LIMITS.subscriptionBufferSize;
  const wsWriteBuffer = opts.wsWriteBufferBytes ?? RPC_LIMITS.wsWriteBufferBytes;
  const closeOnSlowClient = opts.closeOnSlowClient ?? RPC_LIMITS.closeOnSlowClient;
  const cors: CorsPolicy = { origins: opts.corsAllowedOrigins ?? [] };
  const log = opts.logger;
  const hub = new SubscriptionHub(node, {
    maxClients: opts.maxSubscriptionClients ?? RPC_LIMITS.maxSubscriptionClients,
    maxPerClient: opts.maxSubscriptionsPerClient ?? RPC_LIMITS.maxSubscriptionsPerClient,
  });
  const baseCtx: RpcContext = {
    node,
    rpcAddress: laddr,
    broadcastTxCommitTimeoutMs: opts.broadcastTxCommitTimeoutMs ?? 10_000,
    statusWaitMs: opts.statusWaitMs ?? 10_000,
    metrics: opts.metrics,
  };

  /** Runs one call; `ws` is the calling socket's subscriber for the ws-only methods. */
  async function call(id: Id, method: string, args: () => Args, signal: AbortSignal, ws?: Subscriber): Promise<RpcResponse> {
    const spec = own(methods, method);
    const wsSpec = own(WS_METHODS, method);
    if (!spec && !(wsSpec && ws)) return methodNotFound(id);
    let a: Args;
    try {
      a = args();
    } catch (e) {
      if (e instanceof ParamError) return invalidParams(id, `error converting json params to arguments: ${e.message}`);
      throw e;
    }
    if (signal.aborted) return internalError(id, ErrTimeout.wrap(abortReason(signal)).message);
    try {
      if (wsSpec && ws) {
        wsSpec.handler(hub, ws, id, a);
        return { jsonrpc: '2.0', id, result: {} };
      }
      return { jsonrpc: '2.0', id, result: await spec!.handler({ ...baseCtx, signal }, a) };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!(e instanceof CodedError)) {
        log?.warn({ method, err: message }, 'rpc method failed');
        return internalError(id, message);
      }
      // The RPC's own errors carry CometBFT's text ("height 3 is not available, lowest height
      // is 5") as context: send it bare, as CometBFT does, without the registered description.
      const suffix = `: ${e.description}`;
      const bare = e.codespace === 'rpc' && message.endsWith(suffix) && message.length > suffix.length;
      return internalError(id, bare ? message.slice(0, -suffix.length) : message);
    }
  }

  const specOf = (method: string) => own(methods, method)?.args ?? own(WS_METHODS, method)?.args ?? [];

  /** One JSON-RPC request object (from POST or WebSocket); undefined for notifications. */
  async function handleJsonRequest(req: unknown, signal: AbortSignal, ws?: Subscriber): Promise<RpcResponse | undefined> {
    if (typeof req !== 'object' || req === null || Array.isArray(req)) return invalidRequest(null, 'request must be an object');
    const r = req as Record<string, unknown>;
    const id = r.id;
    if (id === undefined) return undefined; // a notification: CometBFT skips it
    if (id !== null && typeof id !== 'string' && typeof id !== 'number') return invalidRequest(null, 'id must be a string or a number');
    if (r.jsonrpc !== '2.0') return invalidRequest(id, `jsonrpc must be "2.0", got ${JSON.stringify(r.jsonrpc)}`);
    if (typeof r.method !== 'string') return invalidRequest(id, 'method must be a string');
    const method = r.method;
    if (nestedDeeperThan(r.params, RPC_LIMITS.maxParamsDepth)) {
      return invalidRequest(id, `params nest deeper than ${RPC_LIMITS.maxParamsDepth} levels`);
    }
    return call(id, method, () => argsFromParams(r.params, specOf(method)), signal, ws);
  }

  function send(res: http.ServerResponse, status: number, body: unknown): void {
    let text = JSON.stringify(body);
    if (text.length > maxResponse) {
      const id = Array.isArray(body) ? null : ((body as { id?: Id }).id ?? null);
      text = JSON.stringify(internalError(id, `response of ${text.length} bytes exceeds the limit of ${maxResponse}; ask for less (smaller batch or page)`));
      status = 500;
    }
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }

  async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse, signal: AbortSignal): Promise<void> {
    if (applyCors(cors, RPC_CORS, req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = url.pathname.slice(1);
    if (url.pathname !== '/' && (req.method === 'GET' || req.method === 'HEAD' || req.method === 'POST')) {
      // URI request: GET /<method>?arg=…
      if (!Object.prototype.hasOwnProperty.call(methods, method)) {
        send(res, 404, methodNotFound(-1));
        return;
      }
      const spec = methods[method].args;
      const response = await call(
        -1,
        method,
        () => {
          const args: Args = {};
          for (const [name, type] of spec) args[name] = fromUri(url.searchParams.get(name) ?? '', type, name);
          return args;
        },
        signal,
      );
      send(res, 'error' in response ? 500 : 200, response);
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const list = Object.keys(methods).sort().map((m) => `/${m}?${methods[m].args.map(([n]) => `${n}=_`).join('&')}`);
      const text = `Available endpoints:\n${list.join('\n')}\n`;
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(text);
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'GET, POST, OPTIONS' });
      res.end();
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, maxBody);
    } catch (e) {
      if (e instanceof BodyTooLargeError) {
        res.setHeader('Connection', 'close');
        send(res, 413, invalidRequest(null, `${e.message}; max_body_bytes in config.toml sets the limit`));
      } else {
        res.destroy();
      }
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (e) {
      send(res, 500, parseError(`error unmarshaling request: ${(e as Error).message}`));
      return;
    }
    if (Array.isArray(parsed)) {
      if (parsed.length === 0) {
        send(res, 200, invalidRequest(null, 'empty batch'));
        return;
      }
      if (maxBatch > 0 && parsed.length > maxBatch) {
        send(res, 200, invalidRequest(null, `batch request exceeds maximum (${maxBatch}) allowed number of requests`));
        return;
      }
      // One after another: a batch is one client's work and must not outrun its time budget.
      const out: RpcResponse[] = [];
      for (const r of parsed) {
        const one = await handleJsonRequest(r, signal);
        if (one !== undefined) out.push(one);
      }
      if (signal.aborted) {
        if (!res.destroyed) send(res, 200, internalError(null, ErrTimeout.wrap(abortReason(signal)).message));
        return;
      }
      // CometBFT answers a one-element response list with the bare object.
      if (out.length === 0) res.writeHead(200).end();
      else send(res, 200, out.length === 1 ? out[0] : out);
      return;
    }
    const one = await handleJsonRequest(parsed, signal);
    if (res.destroyed) return;
    if (one === undefined) res.writeHead(200).end();
    else send(res, 200, one);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBody });
  const sockets = new Set<WebSocket>();
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/websocket') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  };

  function onConnection(ws: WebSocket): void {
    sockets.add(ws);
    // Messages handed to the socket and not yet written: a client that stops reading is
    // "slow" once it holds subscriptionBufferSize of them or wsWriteBufferBytes (100 such
    // clients grew the node by 4 GB in a minute when sends ignored the backlog).
    const closed = new AbortController();
    let queued = 0;
    let slow = false;
    const isSlow = () => queued >= subscriptionBuffer || ws.bufferedAmount > wsWriteBuffer;
    const sendWs = (msg: unknown) => {
      if (ws.readyState !== ws.OPEN || slow) return;
      queued++;
      ws.send(JSON.stringify(msg), () => queued--);
    };
    const subscriber: Subscriber = {
      // Checked when the next block's events are about to go out, so one block's burst (a
      // NewBlock and a Tx event per tx) is never held against a client that keeps up.
      beforeBlock() {
        if (slow || !isSlow()) return;
        // CometBFT cancels the subscriptions of a client that does not keep up, and with
        // close_on_slow_client also closes its connection.
        slow = true;
        hub.remove(subscriber);
        log?.warn({ queued, bufferedBytes: ws.bufferedAmount }, 'websocket client too slow: subscriptions cancelled');
        if (closeOnSlowClient) ws.terminate();
        else ws.send(JSON.stringify(internalError(null, 'subscription was cancelled (reason: client is not pulling messages fast enough)')));
      },
      deliver(id, query, event: PublishedEvent) {
        sendWs({ jsonrpc: '2.0', id, result: { query, data: event.data, events: sortedEvents(event.events) } });
      },
    };
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) {
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    }, opts.wsPingIntervalMs ?? 27_000);
    ws.on('pong', () => (alive = true));
    ws.on('message', (data) => {
      // A client that sends calls without reading the answers is cut off, not buffered for.
      if (isSlow()) {
        ws.terminate();
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch (e) {
        sendWs(parseError(`error unmarshaling request: ${(e as Error).message}`));
        return;
      }
      const signal = AbortSignal.any([closed.signal, AbortSignal.timeout(requestTimeoutMs)]);
      handleJsonRequest(parsed, signal, subscriber).then(
        (r) => r && sendWs(r),
        (e: Error) => sendWs(internalError(-1, e.message)),
      );
    });
    ws.on('close', () => {
      closed.abort(new Error('client disconnected'));
      clearInterval(ping);
      hub.remove(subscriber);
      sockets.delete(ws);
    });
    ws.on('error', () => ws.terminate());
  }

  return startHttpServer(
    {
      laddr,
      maxOpenConnections: opts.maxOpenConnections ?? RPC_LIMITS.maxOpenConnections,
      requestTimeoutMs: requestTimeoutMs + 5_000,
      logger: log,
      name: 'rpc',
      announce: true,
      onError: (res, e) => send(res, 500, internalError(-1, e.message)),
      setup: (server) => server.on('upgrade', onUpgrade),
      beforeClose() {
        hub.close();
        for (const ws of sockets) ws.terminate();
        wss.close();
      },
    },
    async (req, res) => {
      const budget = requestSignal(req, res, requestTimeoutMs);
      try {
        await handleHttp(req, res, budget.signal);
      } finally {
        budget.done();
      }
    },
  );
}

function abortReason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : 'request cancelled';
}

/** Event maps print with sorted keys, as Go marshals maps. */
function sortedEvents(events: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const k of Object.keys(events).sort()) out[k] = events[k];
  return out;
}
