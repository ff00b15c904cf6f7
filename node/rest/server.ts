/**
 * REST (LCD) server, the Cosmos SDK's API server convention (default tcp://127.0.0.1:1317):
 *  - the query services the app serves, at their grpc-gateway paths: the request is built from
 *    the path fields and query parameters (`pagination.key|limit|offset|count_total|reverse`),
 *    sent as an ABCI query (at the `x-cosmos-block-height` header's height, echoed back) and
 *    the answer written as gateway JSON (node/rest/json.ts);
 *  - `cosmos.tx.v1beta1.Service` (broadcast sync/async, simulate, get by hash, search by
 *    events) and `cosmos.base.tendermint.v1beta1.Service` (node info, syncing, blocks,
 *    validator sets), read from this node's CometBFT RPC, so they work with the embedded
 *    engine and behind a real CometBFT alike.
 * Errors are the gateway's `{code, message, details}` with the gRPC code's HTTP status. CORS
 * is the node's one rule (node/http/cors.ts).
 */
import type http from 'node:http';
import type { Logger } from 'pino';
import type { RequestQuery, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { connectNode, type NodeConnection } from '../../client/rpc';
import { broadcastResponse } from '../../client/txResponse';
import { findTx, searchTxs } from '../../client/broadcast';
import { decodeTx, txHash, txToJson } from '../../client/tx';
import { encodeBech32 } from '../../crypto/bech32';
import { applyCors, CLOSED_CORS, type CorsPolicy, type CorsRoutes } from '../http/cors';
import { BodyTooLargeError, readBody } from '../http/limits';
import { startHttpServer, type ListeningServer } from '../http/server';
import { BLOCK_HEIGHT_HEADER, GrpcStatus, grpcStatusOf, HTTP_STATUS, StatusError, statusOfThrown } from '../http/status';
import { messageJson, requestObject, restTypes, type Json } from './json';
import { COSMOS_QUERY_ROUTES, matchPattern, type QueryRoute } from './routes';
import { gatewayRoutes, type GatewayRoute } from './gateway';
import { blockResponseJson, hexToBase64, type CometBlockJson } from './blocks';

export interface RestServerOptions {
  /** Default tcp://127.0.0.1:1317 (the Cosmos SDK's API port). */
  laddr?: string;
  cors?: CorsPolicy;
  /** CometBFT RPC of this node (the embedded engine's or CometBFT's), for txs, blocks and status. */
  rpcUrl: string;
  /** Query routes beyond the Cosmos ones and the `google.api.http` rules of the sekai services. */
  routes?: (QueryRoute | GatewayRoute)[];
  logger?: Pick<Logger, 'info' | 'warn' | 'debug' | 'error'>;
  /** Largest accepted request body (default 1 MiB: a tx is at most CometBFT's 1 MiB max_tx_bytes, base64 adds a third). */
  maxBodyBytes?: number;
  /** Most open connections (default 900, CometBFT's RPC default). */
  maxOpenConnections?: number;
}

export type RestServer = ListeningServer;

const REST_CORS: CorsRoutes = {
  methods: ['GET', 'POST'],
  allowHeaders: ['Content-Type', 'Accept', BLOCK_HEIGHT_HEADER],
  exposeHeaders: [BLOCK_HEIGHT_HEADER],
};

interface Call {
  req: http.IncomingMessage;
  url: URL;
  fields: [string, string][];
  height: bigint;
  body(): Promise<Record<string, unknown>>;
}

interface Answer {
  json: Json | Record<string, unknown>;
  height?: bigint;
}

type Handler = (call: Call) => Promise<Answer>;

interface Route {
  method: 'GET' | 'POST';
  pattern: string;
  handle: Handler;
}

const BROADCAST_MODES: Record<string, 'sync' | 'async'> = {
  BROADCAST_MODE_SYNC: 'sync',
  BROADCAST_MODE_ASYNC: 'async',
  '2': 'sync',
  '3': 'async',
};

function base64Bytes(v: unknown, field: string): Uint8Array {
  if (typeof v !== 'string' || v === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw new StatusError(GrpcStatus.InvalidArgument, `${field} must be non-empty base64`);
  return new Uint8Array(Buffer.from(v, 'base64'));
}

export async function startRestServer(node: { query(req: RequestQuery): Promise<ResponseQuery> }, opts: RestServerOptions): Promise<RestServer> {
  const cors = opts.cors ?? CLOSED_CORS;
  const maxBody = opts.maxBodyBytes ?? 1024 * 1024;
  const log = opts.logger;
  const types = restTypes();

  let conn: NodeConnection | undefined;
  async function rpc(): Promise<NodeConnection> {
    if (!conn) {
      try {
        conn = await connectNode(opts.rpcUrl);
      } catch (err) {
        throw new StatusError(GrpcStatus.Unavailable, `node RPC ${opts.rpcUrl} is not reachable: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return conn;
  }
  async function raw<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    try {
      return (await (await rpc()).raw(method, params)) as T;
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (/must be less than or equal to the current blockchain height|is not available|height .* must be/i.test(msg)) throw new StatusError(GrpcStatus.InvalidArgument, msg);
      throw err;
    }
  }

  async function abciQuery(path: string, data: Uint8Array, height: bigint): Promise<ResponseQuery> {
    const res = await node.query({ path, data, height, prove: false });
    if (res.code !== 0) throw new StatusError(grpcStatusOf(res.code, res.codespace, res.log), res.log || `query failed with code ${res.code}`);
    return res;
  }

  function queryHandler(route: QueryRoute | GatewayRoute): Handler {
    return async (call) => {
      const params = [...call.url.searchParams.entries()];
      let request: Uint8Array;
      try {
        request = 'encodeRequest' in route ? route.encodeRequest([...params, ...call.fields]) : route.request.encode(route.request.fromJSON!(requestObject([...params, ...call.fields]))).finish();
      } catch (err) {
        throw new StatusError(GrpcStatus.InvalidArgument, `invalid request: ${err instanceof Error ? err.message : String(err)}`);
      }
      const res = await abciQuery(route.grpcPath, request, call.height);
      if ('responseJson' in route) return { json: route.responseJson(res.value), height: res.height };
      return { json: messageJson(types, `/${route.grpcPath.slice(1).replace('/', '.')}Response`, route.response, res.value), height: res.height };
    };
  }

  // The Cosmos services' paths, then the google.api.http rules of every sekai service and of
  // the reflection service compiled from our own copy of its .proto.
  const routes: Route[] = [...COSMOS_QUERY_ROUTES, ...gatewayRoutes('sekai.'), ...gatewayRoutes('cosmos.base.reflection.v2alpha1.'), ...(opts.routes ?? [])].map((r) => ({ method: r.method, pattern: r.pattern, handle: queryHandler(r) }));

  // cosmos.tx.v1beta1.Service
  routes.push({
    method: 'POST',
    pattern: '/cosmos/tx/v1beta1/txs',
    handle: async (call) => {
      const body = await call.body();
      const tx = base64Bytes(body.tx_bytes, 'tx_bytes');
      const modeName = String(body.mode ?? 'BROADCAST_MODE_SYNC');
      const mode = BROADCAST_MODES[modeName];
      if (!mode) {
        throw new StatusError(GrpcStatus.InvalidArgument, `unsupported broadcast mode ${JSON.stringify(modeName)}: use BROADCAST_MODE_SYNC or BROADCAST_MODE_ASYNC`);
      }
      const hash = txHash(tx);
      if (mode === 'async') {
        await raw('broadcast_tx_async', { tx: Buffer.from(tx).toString('base64') });
        return { json: { tx_response: broadcastResponse({ hash }) } };
      }
      const r = await raw<{ code: number; codespace: string; log: string; hash: string }>('broadcast_tx_sync', { tx: Buffer.from(tx).toString('base64') });
      return { json: { tx_response: broadcastResponse({ hash, code: r.code, codespace: r.codespace, log: r.log }) } };
    },
  });
  routes.push({
    method: 'POST',
    pattern: '/cosmos/tx/v1beta1/simulate',
    handle: async (call) => {
      const body = await call.body();
      const tx = base64Bytes(body.tx_bytes, 'tx_bytes');
      const res = await abciQuery('/cosmos.tx.v1beta1.Service/Simulate', SimulateRequest.encode({ txBytes: tx }).finish(), 0n);
      return { json: messageJson(types, '/cosmos.tx.v1beta1.SimulateResponse', SimulateResponse as never, res.value), height: res.height };
    },
  });
  routes.push({
    method: 'GET',
    pattern: '/cosmos/tx/v1beta1/txs/{hash}',
    handle: async (call) => {
      const hash = call.fields[0][1];
      if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw new StatusError(GrpcStatus.InvalidArgument, `tx hash ${JSON.stringify(hash)} must be 64 hex characters`);
      const found = await findTx(await rpc(), types, hash.toUpperCase());
      if (!found) throw new StatusError(GrpcStatus.NotFound, `tx not found: ${hash.toUpperCase()}`);
      const { '@type': _t, ...tx } = found.tx!;
      return { json: { tx, tx_response: found } };
    },
  });
  routes.push({
    method: 'GET',
    pattern: '/cosmos/tx/v1beta1/txs',
    handle: async (call) => {
      const p = call.url.searchParams;
      const events = p.getAll('events');
      const query = p.get('query') ?? '';
      if ((events.length === 0) === (query === '')) throw new StatusError(GrpcStatus.InvalidArgument, 'give either events (repeated, type.attribute=value) or query');
      const terms = events.map((e) => {
        const m = /^([\w.-]+)\s*=\s*(.+)$/.exec(e);
        if (!m) throw new StatusError(GrpcStatus.InvalidArgument, `invalid event ${JSON.stringify(e)}: expected type.attribute=value`);
        return /^'.*'$/.test(m[2]) || /^\d+$/.test(m[2]) ? `${m[1]}=${m[2]}` : `${m[1]}='${m[2]}'`;
      });
      const num = (name: string, dflt: number, max: number) => {
        const v = p.get(name) ?? p.get(`pagination.${name}`);
        if (v === null || v === '') return dflt;
        if (!/^\d{1,9}$/.test(v) || Number(v) > max) throw new StatusError(GrpcStatus.InvalidArgument, `${name} must be a whole number up to ${max}, got ${JSON.stringify(v)}`);
        return Number(v);
      };
      const limit = Math.max(1, num('limit', 100, 100));
      const page = Math.max(1, num('page', 1, 1_000_000));
      let r;
      try {
        r = await searchTxs(await rpc(), types, query || terms.join(' AND '), page, limit);
      } catch (err) {
        throw new StatusError(GrpcStatus.InvalidArgument, err instanceof Error ? err.message : String(err));
      }
      const txs = r.txs.map((t) => {
        const { '@type': _t, ...tx } = t.tx!;
        return tx;
      });
      return { json: { txs, tx_responses: r.txs, pagination: null, total: r.total_count } };
    },
  });

  routes.push({
    method: 'GET',
    pattern: '/cosmos/tx/v1beta1/txs/block/{height}',
    handle: async (call) => {
      const r = await raw<CometBlockJson>('block', { height: heightParam(call.fields[0][1]) });
      const all = r.block.data.txs ?? [];
      const p = call.url.searchParams;
      const offset = Number(p.get('pagination.offset') ?? '0');
      const limit = Number(p.get('pagination.limit') || '100');
      if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(limit) || limit < 1 || limit > 100) {
        throw new StatusError(GrpcStatus.InvalidArgument, 'pagination.offset must be a whole number and pagination.limit 1 to 100');
      }
      const txs = all.slice(offset, offset + limit).map((t) => txToJson(types, decodeTx(new Uint8Array(Buffer.from(t, 'base64')))));
      const { block_id, block } = blockResponseJson(r);
      return { json: { txs, block_id, block, pagination: { next_key: null, total: String(all.length) } } };
    },
  });

  // cosmos.base.tendermint.v1beta1.Service
  const heightParam = (v: string): string => {
    if (!/^\d{1,18}$/.test(v) || BigInt(v) < 1n) throw new StatusError(GrpcStatus.InvalidArgument, `height ${JSON.stringify(v)} must be a positive integer`);
    return v;
  };
  routes.push({
    method: 'GET',
    pattern: '/cosmos/base/tendermint/v1beta1/node_info',
    handle: async () => {
      const s = await raw<{ node_info: Record<string, unknown> & { protocol_version: Record<string, string>; other: Record<string, string> } }>('status');
      const info = await raw<{ response: { data?: string; version?: string } }>('abci_info');
      const n = s.node_info;
      return {
        json: {
          default_node_info: {
            protocol_version: n.protocol_version,
            default_node_id: n.id,
            listen_addr: n.listen_addr,
            network: n.network,
            version: n.version,
            channels: hexToBase64(n.channels as string),
            moniker: n.moniker,
            other: { tx_index: n.other.tx_index, rpc_address: n.other.rpc_address },
          },
          application_version: {
            name: info.response.data ?? '',
            app_name: 'sekaid-ts',
            version: info.response.version ?? '',
            git_commit: '',
            build_tags: '',
            go_version: `node ${process.version}`,
            build_deps: [],
            cosmos_sdk_version: '',
          },
        },
      };
    },
  });
  routes.push({
    method: 'GET',
    pattern: '/cosmos/base/tendermint/v1beta1/syncing',
    handle: async () => ({ json: { syncing: (await raw<{ sync_info: { catching_up: boolean } }>('status')).sync_info.catching_up } }),
  });
  routes.push({
    method: 'GET',
    pattern: '/cosmos/base/tendermint/v1beta1/blocks/latest',
    handle: async () => ({ json: blockResponseJson(await raw<CometBlockJson>('block')) }),
  });
  routes.push({
    method: 'GET',
    pattern: '/cosmos/base/tendermint/v1beta1/blocks/{height}',
    handle: async (call) => ({ json: blockResponseJson(await raw<CometBlockJson>('block', { height: heightParam(call.fields[0][1]) })) }),
  });
  const validatorSet = async (height?: string): Promise<Answer> => {
    const r = await raw<{ block_height: string; total: string; validators: { address: string; pub_key: { type: string; value: string }; voting_power: string; proposer_priority: string }[] }>(
      'validators',
      height ? { height, per_page: '100' } : { per_page: '100' },
    );
    return {
      json: {
        block_height: r.block_height,
        validators: r.validators.map((v) => ({
          address: encodeBech32('kiravalcons', Buffer.from(v.address, 'hex')),
          pub_key: { '@type': '/cosmos.crypto.ed25519.PubKey', key: v.pub_key.value },
          voting_power: v.voting_power,
          proposer_priority: v.proposer_priority,
        })),
        pagination: { next_key: null, total: r.total },
      },
    };
  };
  routes.push({
    method: 'GET',
    pattern: '/cosmos/base/tendermint/v1beta1/abci_query',
    handle: async (call) => {
      const p = call.url.searchParams;
      const path = p.get('path') ?? '';
      const height = p.get('height') ?? '0';
      const prove = p.get('prove') ?? 'false';
      if (path === '') throw new StatusError(GrpcStatus.InvalidArgument, 'path is required');
      if (!/^\d{1,18}$/.test(height)) throw new StatusError(GrpcStatus.InvalidArgument, `height ${JSON.stringify(height)} must be a non-negative integer`);
      if (prove !== 'true' && prove !== 'false') throw new StatusError(GrpcStatus.InvalidArgument, 'prove must be true or false');
      const data = p.get('data') ?? '';
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw new StatusError(GrpcStatus.InvalidArgument, 'data must be base64');
      const r = await node.query({ path, data: new Uint8Array(Buffer.from(data, 'base64')), height: BigInt(height), prove: prove === 'true' });
      const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
      return {
        json: {
          code: r.code,
          log: r.log,
          info: r.info,
          index: String(r.index),
          key: b64(r.key),
          value: b64(r.value),
          proof_ops: r.proofOps ? { ops: r.proofOps.ops.map((o) => ({ type: o.type, key: b64(o.key), data: b64(o.data) })) } : null,
          height: String(r.height),
          codespace: r.codespace,
        },
        height: r.height,
      };
    },
  });
  routes.push({ method: 'GET', pattern: '/cosmos/base/tendermint/v1beta1/validatorsets/latest', handle: () => validatorSet() });
  routes.push({ method: 'GET', pattern: '/cosmos/base/tendermint/v1beta1/validatorsets/{height}', handle: (call) => validatorSet(heightParam(call.fields[0][1])) });

  function send(res: http.ServerResponse, status: number, json: unknown, height?: bigint): void {
    const text = JSON.stringify(json, null, 2);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) };
    if (height !== undefined) headers[BLOCK_HEIGHT_HEADER] = String(height);
    res.writeHead(status, headers).end(text);
  }
  const fail = (res: http.ServerResponse, code: number, message: string) => send(res, HTTP_STATUS[code] ?? 500, { code, message, details: [] });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (applyCors(cors, REST_CORS, req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
    // A fixed path wins over a pattern (txs/{hash} vs txs/block…): try exact matches first.
    let matched: { route: Route; fields: [string, string][] } | undefined;
    let pathKnown = false;
    for (const exact of [true, false]) {
      for (const route of routes) {
        if (route.pattern.includes('{') === exact) continue;
        const fields = matchPattern(route.pattern, path);
        if (!fields) continue;
        pathKnown = true;
        if (route.method === req.method || (route.method === 'GET' && req.method === 'HEAD')) {
          matched = { route, fields };
          break;
        }
      }
      if (matched) break;
    }
    if (!matched) {
      if (pathKnown) fail(res, GrpcStatus.Unimplemented, `method ${req.method ?? ''} is not allowed on ${path}`);
      else fail(res, GrpcStatus.NotFound, `Not Found: no REST route ${path}`);
      return;
    }
    let height = 0n;
    const header = req.headers[BLOCK_HEIGHT_HEADER];
    if (typeof header === 'string' && header !== '') {
      if (!/^\d{1,18}$/.test(header)) {
        fail(res, GrpcStatus.InvalidArgument, `invalid ${BLOCK_HEIGHT_HEADER} ${JSON.stringify(header)}: expected a non-negative integer`);
        return;
      }
      height = BigInt(header);
    }
    const call: Call = {
      req,
      url,
      fields: matched.fields,
      height,
      async body() {
        let bytes: Buffer;
        try {
          bytes = await readBody(req, maxBody);
        } catch (err) {
          if (err instanceof BodyTooLargeError) throw new StatusError(GrpcStatus.ResourceExhausted, `request body larger than ${maxBody} bytes`);
          throw err;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(bytes.toString('utf8'));
        } catch (err) {
          throw new StatusError(GrpcStatus.InvalidArgument, `request body is not JSON: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new StatusError(GrpcStatus.InvalidArgument, 'request body must be a JSON object');
        return parsed as Record<string, unknown>;
      },
    };
    try {
      const answer = await matched.route.handle(call);
      send(res, 200, answer.json, answer.height);
    } catch (err) {
      const { status, message } = statusOfThrown(err, 'rest', path, log);
      fail(res, status, message);
    }
  }

  return startHttpServer(
    {
      laddr: opts.laddr ?? 'tcp://127.0.0.1:1317',
      maxOpenConnections: opts.maxOpenConnections ?? 900,
      logger: log,
      name: 'rest',
      announce: true,
      onError: (res, e) => fail(res, GrpcStatus.Internal, e.message),
      beforeClose: () => conn?.disconnect(),
    },
    handle,
  );
}
