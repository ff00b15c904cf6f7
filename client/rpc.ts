/**
 * Connecting to a node's CometBFT RPC through @cosmjs/tendermint-rpc, so the same code talks
 * to the embedded engine and to a real CometBFT node. `--node` accepts CometBFT's own
 * `tcp://host:port` form as well as http(s):// and ws(s)://.
 */
import {
  Comet1Client,
  Comet38Client,
  HttpClient,
  Tendermint37Client,
  WebsocketClient,
  connectComet,
  type CometClient,
} from '@cosmjs/tendermint-rpc';
import { CodedError } from '../types/errors';
import { ErrNodeUnreachable, ErrRpc, withMessage } from './errors';

/** The URL cosmjs connects to for a `--node` value. */
export function rpcUrl(node: string): string {
  if (/^tcp:\/\//i.test(node)) return 'http://' + node.slice('tcp://'.length);
  if (/^(https?|wss?):\/\//i.test(node)) return node;
  return 'http://' + node;
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/** The network-level reason inside a fetch/ws error, or undefined when it is not one. */
export function networkReason(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && REASONS[code]) return REASONS[code];
    const inner = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(inner) && inner.length > 0) {
      const r = networkReason(inner[0]);
      if (r) return r;
    }
    const msg = (e as { message?: unknown }).message;
    if (typeof msg === 'string' && /^(fetch failed|bad port|socket hang up)$/.test(msg) && !(e as { cause?: unknown }).cause) return msg;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Rewrites network failures as ErrNodeUnreachable naming the node; other errors pass through. */
export function nodeError(node: string, err: unknown): unknown {
  if (err instanceof CodedError) return err;
  const reason = networkReason(err);
  if (reason) return withMessage(ErrNodeUnreachable, `cannot reach node at ${node}: ${reason}`);
  const msg = err instanceof Error ? err.message : String(err);
  // cosmjs reports JSON-RPC errors as `Error: {"code":-32603,"message":"Internal error","data":"…"}`.
  const m = /^\s*\{.*"code"\s*:\s*-?\d+.*\}\s*$/s.exec(msg);
  if (m) {
    try {
      const j = JSON.parse(msg) as { message?: string; data?: string };
      return withMessage(ErrRpc, `node at ${node}: ${j.data || j.message || msg}`);
    } catch {
      // not JSON after all
    }
  }
  return err;
}

/** A connection to one node; every call's network failure becomes ErrNodeUnreachable. */
export interface NodeConnection {
  /** The --node value as the user gave it (used in messages). */
  readonly node: string;
  readonly comet: CometClient;
  /** Runs `fn` against the client, mapping network failures to one clear error. */
  call<T>(fn: (c: CometClient) => Promise<T>): Promise<T>;
  /** A raw JSON-RPC call (cosmjs HttpClient) returning CometBFT's `result` JSON untouched. */
  raw(method: string, params?: Record<string, unknown>): Promise<unknown>;
  disconnect(): void;
}

let nextId = 1;

/**
 * cosmjs's `connectComet` (the client for the node's version, from `status`), except that over
 * ws(s):// the version is read on the one WebSocket that is returned: connectComet probes on a
 * socket of its own and closes it with disconnect(), which leaks it (see `disconnectComet`).
 */
export async function connectCometClient(url: string): Promise<CometClient> {
  if (!/^wss?:\/\//i.test(url)) return connectComet(url);
  const ws = new WebsocketClient(url);
  try {
    const version = (await Tendermint37Client.create(ws).status()).nodeInfo.version;
    if (version.startsWith('0.38.')) return Comet38Client.create(ws);
    if (version.startsWith('1.')) return Comet1Client.create(ws);
    return Tendermint37Client.create(ws);
  } catch (err) {
    closeWebsocket(ws);
    throw err;
  }
}

/** The parts of @cosmjs/socket's ReconnectingSocket (a WebsocketClient's `socket`) used below. */
interface ReconnectingSocketInternals {
  reconnectTimeout?: ReturnType<typeof setTimeout> | null;
  socket?: { reconnect(): void };
}

/**
 * Closes a cosmjs WebSocket client for good. cosmjs 0.39's ReconnectingSocket takes its own
 * disconnect() for a dropped connection and schedules a reconnect; the new socket then retries
 * (backing off to every 5 s) as long as the process lives, so neither a CLI run nor a jest
 * worker exits. Cancel that reconnect and make any later one a no-op. The fields used are
 * cosmjs internals, hence the checks.
 */
function closeWebsocket(ws: WebsocketClient): void {
  const socket = (ws as unknown as { socket?: ReconnectingSocketInternals }).socket;
  // An unclean close after disconnect() would schedule another reconnect: make it do nothing.
  if (socket?.socket) socket.socket.reconnect = () => undefined;
  ws.disconnect();
  if (socket?.reconnectTimeout) {
    clearTimeout(socket.reconnectTimeout);
    socket.reconnectTimeout = null;
  }
}

/** Disconnects a client; over ws(s):// use this, not `comet.disconnect()`, or the socket reconnects. */
export function disconnectComet(comet: CometClient): void {
  const rpc = (comet as unknown as { client?: unknown }).client;
  if (rpc instanceof WebsocketClient) closeWebsocket(rpc);
  else comet.disconnect();
}

/** Connects with `connectCometClient` (which picks the Comet 0.38 client from `status`). */
export async function connectNode(node: string): Promise<NodeConnection> {
  const url = rpcUrl(node);
  let comet: CometClient;
  try {
    comet = await connectCometClient(url);
  } catch (err) {
    throw nodeError(node, err);
  }
  let http: HttpClient | undefined;
  const conn: NodeConnection = {
    node,
    comet,
    async call(fn) {
      try {
        return await fn(comet);
      } catch (err) {
        throw nodeError(node, err);
      }
    },
    async raw(method, params = {}) {
      http ??= new HttpClient(url.replace(/^ws/i, 'http'));
      try {
        const res = await http.execute({ jsonrpc: '2.0', id: nextId++, method, params: params as Record<string, string> });
        return res.result;
      } catch (err) {
        throw nodeError(node, err);
      }
    },
    disconnect() {
      disconnectComet(comet);
      http?.disconnect();
    },
  };
  return conn;
}

/** Opens a connection, runs `fn`, and always disconnects. */
export async function withNode<T>(node: string, fn: (c: NodeConnection) => Promise<T>): Promise<T> {
  const c = await connectNode(node);
  try {
    return await fn(c);
  } finally {
    c.disconnect();
  }
}
