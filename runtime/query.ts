/**
 * ABCI Query routing:
 * - `/<proto package>.Query/<Method>` (and other gRPC services) → module query routes;
 * - `/cosmos.tx.v1beta1.Service/Simulate` → a dry run of a tx on the check state;
 * - `/store/<name>/key` → a raw read, with ICS23 proofs (`ics23:iavl` + `ics23:simple`)
 *   when `prove` is set;
 * - `/app/version` → the code version;
 * - `/app/chain_version` → JSON `{chain_version, upgrade_plan}` at the height: the version the
 *   chain runs (the code version of this node until an upgrade has switched it) and the
 *   pending plan, or null;
 * - `/p2p/filter/…` → accepted (CometBFT asks when `filter_peers` is on).
 *
 * `height` 0 means the latest committed version; any other height is served from that
 * version if it is retained. ResponseQuery.height is always the version served.
 */
import type { RequestQuery, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import type { KVReader } from '../store/types';
import type { QueryContext } from './context';
import { ErrInvalidRequest, ErrUnknownRequest, errorResult } from './errors';
import type { CommitMultiStore } from './multistore';
import type { QueryRoute } from './module';
import { RUNTIME_STORE, readChainVersion, readUpgradePlan } from './upgrade';

export const SIMULATE_PATH = '/cosmos.tx.v1beta1.Service/Simulate';
export const CHAIN_VERSION_PATH = '/app/chain_version';

/** What the query router needs from the application. */
export interface QueryHost {
  readonly store: CommitMultiStore;
  readonly codeVersion: string;
  chainId(): string;
  queryRoute(path: string): QueryRoute | undefined;
  /** Runs a tx in simulation; throws a registered error when the tx fails. */
  simulate(txBytes: Uint8Array): SimulateResponse;
}

function emptyResponse(height: number): ResponseQuery {
  return {
    code: 0,
    log: '',
    info: '',
    index: 0n,
    key: new Uint8Array(),
    value: new Uint8Array(),
    proofOps: undefined,
    height: BigInt(height),
    codespace: '',
  };
}

/** Picks the version a query reads; throws ErrInvalidRequest for future or pruned heights. */
export function queryVersion(store: CommitMultiStore, requested: bigint): number {
  const latest = store.lastCommitId().version;
  if (requested < 0n) throw ErrInvalidRequest.wrap(`height ${requested} must not be negative`);
  if (requested === 0n) {
    if (latest === 0) throw ErrInvalidRequest.wrap('no block has been committed yet');
    return latest;
  }
  if (requested > BigInt(latest)) {
    throw ErrInvalidRequest.wrap(`cannot query with height in the future; latest height is ${latest}, got ${requested}`);
  }
  const v = Number(requested);
  if (!store.versionExists(v)) throw ErrInvalidRequest.wrap(`version ${v} is not available; it was pruned or never existed`);
  return v;
}

/**
 * Whether `path` names something this app answers (a module route, a store, simulate, the
 * version), without running it: the node labels query metrics only with such paths.
 */
export function servesQueryPath(host: Pick<QueryHost, 'queryRoute'>, path: string, storeNames: readonly string[]): boolean {
  if (path === '/app/version' || path === CHAIN_VERSION_PATH || path === SIMULATE_PATH || path === '/app/simulate') return true;
  const store = /^\/store\/([^/]+)\/key$/.exec(path);
  if (store) return storeNames.includes(store[1]);
  return host.queryRoute(path) !== undefined;
}

/** Answers one ABCI query; never throws (internal errors become code 1). */
export function handleQuery(host: QueryHost, req: RequestQuery): ResponseQuery {
  let height = 0;
  try {
    const path = req.path;
    if (path.startsWith('/p2p/filter/')) return emptyResponse(host.store.lastCommitId().version);
    if (path === '/app/version') {
      height = host.store.lastCommitId().version;
      return { ...emptyResponse(height), value: new TextEncoder().encode(host.codeVersion) };
    }
    if (path === SIMULATE_PATH || path === '/app/simulate') {
      height = host.store.lastCommitId().version;
      const sreq = decodeSimulateRequest(req.data);
      const res = host.simulate(sreq);
      return { ...emptyResponse(height), value: SimulateResponse.encode(res).finish() };
    }
    height = queryVersion(host.store, req.height);
    if (path === CHAIN_VERSION_PATH) {
      const runtime = host.store.readerAt(RUNTIME_STORE, height);
      const json = { chain_version: readChainVersion(runtime) ?? host.codeVersion, upgrade_plan: readUpgradePlan(runtime) ?? null };
      return { ...emptyResponse(height), value: new TextEncoder().encode(JSON.stringify(json)) };
    }
    if (path.startsWith('/store/')) return storeQuery(host.store, path, req, height);
    const route = host.queryRoute(path);
    if (!route) throw ErrUnknownRequest.wrap(`unknown query path ${JSON.stringify(path)}`);
    const ctx = readContext(host, height);
    let qreq;
    try {
      qreq = route.decode(req.data);
    } catch (err) {
      // An undecodable request is the client's error (gRPC InvalidArgument), not the app's.
      throw ErrInvalidRequest.wrap(`cannot decode the request of ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const value = route.encode(route.handle(ctx, qreq));
    return { ...emptyResponse(height), value };
  } catch (err) {
    const r = errorResult(err);
    return { ...emptyResponse(height), code: r.code, codespace: r.codespace, log: r.log };
  }
}

function decodeSimulateRequest(data: Uint8Array): Uint8Array {
  let sreq: SimulateRequest;
  try {
    sreq = SimulateRequest.decode(data);
  } catch {
    throw ErrInvalidRequest.wrap('malformed SimulateRequest');
  }
  if (sreq.txBytes.length === 0) throw ErrInvalidRequest.wrap('SimulateRequest.tx_bytes is empty');
  return sreq.txBytes;
}

/** A read-only context over every store at `height`. */
export function readContext(host: QueryHost, height: number): QueryContext {
  const readers = new Map<string, KVReader>();
  return {
    height,
    chainId: host.chainId(),
    store(key: string): KVReader {
      let r = readers.get(key);
      if (!r) {
        r = host.store.readerAt(key, height);
        readers.set(key, r);
      }
      return r;
    },
  };
}

function storeQuery(store: CommitMultiStore, path: string, req: RequestQuery, height: number): ResponseQuery {
  const parts = path.split('/'); // ['', 'store', name, 'key']
  if (parts.length !== 4 || parts[3] !== 'key' || parts[2] === '') {
    throw ErrUnknownRequest.wrap(`unsupported store query ${JSON.stringify(path)}; use /store/<name>/key`);
  }
  const name = parts[2];
  if (req.prove) {
    const res = store.queryWithProof(name, req.data, height);
    return {
      ...emptyResponse(res.height),
      key: req.data,
      value: res.value ?? new Uint8Array(),
      proofOps: res.proofOps,
    };
  }
  const value = store.readerAt(name, height).get(req.data);
  return { ...emptyResponse(height), key: req.data, value: value ?? new Uint8Array() };
}
