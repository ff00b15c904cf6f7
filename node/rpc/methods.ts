/**
 * The CometBFT v0.38 RPC methods (rpc/core/routes.go) over a NodeHandle, producing the JSON
 * CometBFT produces. Parameters arrive already converted (see `ArgType`); handlers throw
 * CodedErrors whose message becomes the JSON-RPC error's `data`, as CometBFT's do.
 */
import type { ResponseCheckTx } from 'cosmjs-types/tendermint/abci/types';
import type { NodeHandle } from '../types';
import {
  blockIdJson,
  blockJson,
  blockMetaJson,
  commitJson,
  consensusParamsJson,
  ed25519PubKeyJson,
  eventsJson,
  headerJson,
  hexUpper,
  queryResponseJson,
  rfc3339Nano,
  toBase64,
  txResultJson,
  validatorJson,
  validatorUpdateJson,
  type Json,
} from './encoding';
import { ErrHeightUnavailable, ErrInvalidParams, ErrMempool, ErrNotFound, ErrTimeout } from './errors';
import { parseQuery } from './query';
import { searchBlocks, searchTxs, sha256 } from './search';
import { txProofJson } from './txProof';
import { isIndexed, loadBlock, orderBy, page, perPage, resolveHeight } from './params';

/** How a parameter is read: ints from strings or numbers, bytes from base64, hex from hex. */
export type ArgType = 'int' | 'string' | 'bytes' | 'hex' | 'bool';

export type Args = Record<string, number | string | Uint8Array | boolean | undefined>;

export interface RpcContext {
  node: NodeHandle;
  /** The RPC listen address, reported in node_info.other.rpc_address. */
  rpcAddress: string;
  /** CometBFT's timeout_broadcast_tx_commit. */
  broadcastTxCommitTimeoutMs: number;
  /** How long `status` waits for the first block with an app hash before answering an error. */
  statusWaitMs: number;
  /** Where abci_query latencies are recorded, if anywhere. */
  metrics?: { recordQuery(path: string, ms: number): void; recordMempoolFailure?(): void };
  /** Aborts when the client leaves or the request's time budget runs out. */
  signal?: AbortSignal;
}

export interface MethodSpec {
  /** Parameter names in positional order, with their types. */
  args: [string, ArgType][];
  handler(ctx: RpcContext, args: Args): Promise<Json>;
}

/** The CometBFT release whose RPC we reproduce; @cosmjs/tendermint-rpc picks its Comet38 client from "0.38.". */
export const COMET_VERSION = '0.38.17';
/** p2p protocol 8 and block protocol 11 are CometBFT v0.38's. */
export const P2P_PROTOCOL = 8;
export const BLOCK_PROTOCOL = 11;
/** Genesis documents above this size are served only through genesis_chunked (CometBFT: 16 MiB). */
export const GENESIS_CHUNK_SIZE = 16 * 1024 * 1024;
/** Paging: CometBFT's defaultPerPage and maxPerPage. */
/** Longest abci_query path: the app's longest route is ~70 characters, a store key path far less. */
export const MAX_QUERY_PATH_LENGTH = 256;
/** Blockchain info returns at most 20 metas per call. */
const BLOCKCHAIN_LIMIT = 20;

const num = (a: Args, k: string) => a[k] as number | undefined;
const str = (a: Args, k: string) => a[k] as string | undefined;
const bytes = (a: Args, k: string) => a[k] as Uint8Array | undefined;
const bool = (a: Args, k: string) => (a[k] as boolean | undefined) ?? false;

/**
 * Resolves with the first defined value of `check`, tried now and after every committed
 * block; rejects with ErrTimeout after `ms`, or when `signal` aborts.
 */
export function waitForBlock<T>(
  ctx: RpcContext,
  check: () => Promise<T | undefined>,
  ms: number,
  what: string,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (err: Error | undefined, value?: T) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ctx.node.events.off('block', onBlock);
      if (err) reject(err);
      else resolve(value as T);
    };
    const attempt = () =>
      check().then(
        (v) => v !== undefined && finish(undefined, v),
        (err: Error) => finish(err),
      );
    const onBlock = () => void attempt();
    const timer = setTimeout(() => finish(ErrTimeout.wrap(what)), ms);
    signal?.addEventListener('abort', () => finish(ErrTimeout.wrap(`${what} (cancelled)`)), { once: true });
    ctx.node.events.on('block', onBlock);
    void attempt();
  });
}

async function txResultAt(ctx: RpcContext, height: number, index: number, hash: Uint8Array, prove: boolean): Promise<Json> {
  const stored = await loadBlock(ctx, height);
  const results = await ctx.node.blocks.results(height);
  const tx = stored.block.data.txs[index];
  const result = results?.txResults[index];
  if (!tx || !result) throw ErrNotFound.wrap(`tx (${hexUpper(hash)}) not found`);
  const out: { [k: string]: Json } = {
    hash: hexUpper(hash),
    height: String(height),
    index,
    tx_result: txResultJson(result),
    tx: toBase64(tx),
  };
  if (prove) out.proof = txProofJson(stored.block.data.txs, index);
  return out;
}

async function status(ctx: RpcContext): Promise<Json> {
  const { node } = ctx;
  // CometBFT answers empty hashes before the first block, which clients reject
  // (@cosmjs requires non-empty latest_block_hash and latest_app_hash): wait for a block
  // whose header carries an app hash instead, bounded by statusWaitMs.
  const latest = await waitForBlock(
    ctx,
    async () => {
      const h = node.blocks.height();
      if (h === 0) return undefined;
      const b = await node.blocks.block(h);
      return b && b.block.header.appHash.length > 0 ? b : undefined;
    },
    ctx.statusWaitMs,
    'no block with an app hash yet',
  );
  const base = node.blocks.base();
  const earliest = base === Number(latest.block.header.height) ? latest : await node.blocks.block(base);
  const info = await node.appInfo();
  const val = node.validatorInfo();
  return {
    node_info: {
      protocol_version: { p2p: String(P2P_PROTOCOL), block: String(BLOCK_PROTOCOL), app: String(info.appVersion) },
      id: node.nodeId,
      listen_addr: 'tcp://0.0.0.0:26656',
      network: node.chainId,
      version: COMET_VERSION,
      // Reactor channel ids of a CometBFT v0.38 node (consensus, mempool, evidence, pex, …).
      channels: '40202122233038606100',
      moniker: node.moniker,
      other: { tx_index: 'on', rpc_address: ctx.rpcAddress },
    },
    sync_info: {
      latest_block_hash: hexUpper(latest.blockId.hash),
      latest_app_hash: hexUpper(latest.block.header.appHash),
      latest_block_height: String(latest.block.header.height),
      latest_block_time: rfc3339Nano(latest.block.header.time),
      earliest_block_hash: hexUpper(earliest?.blockId.hash),
      earliest_app_hash: hexUpper(earliest?.block.header.appHash),
      earliest_block_height: String(earliest?.block.header.height ?? base),
      earliest_block_time: rfc3339Nano(earliest?.block.header.time),
      catching_up: false,
    },
    validator_info: val
      ? { address: hexUpper(val.address), pub_key: ed25519PubKeyJson(val.pubKey), voting_power: String(val.power) }
      : { address: '', pub_key: null, voting_power: '0' },
  };
}

/**
 * The genesis document as CometBFT serves it after ValidateAndComplete: a validator given
 * without an address gets the address of its key (sha256(ed25519 pubkey)[:20], upper hex).
 */
function completeGenesis(genesis: unknown): Json {
  const doc = genesis as { validators?: unknown } | null;
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.validators)) return genesis as Json;
  const validators = doc.validators.map((v: { address?: string; pub_key?: { type?: string; value?: string } }) => {
    if (v.address || v.pub_key?.type !== 'tendermint/PubKeyEd25519' || typeof v.pub_key.value !== 'string') return v;
    return { address: hexUpper(sha256(Buffer.from(v.pub_key.value, 'base64')).subarray(0, 20)), ...v };
  });
  return { ...(doc as object), validators } as Json;
}

async function broadcastSync(ctx: RpcContext, tx: Uint8Array): Promise<{ check: ResponseCheckTx; hash: Uint8Array }> {
  let check: ResponseCheckTx;
  try {
    check = await ctx.node.mempool.add(tx);
  } catch (err) {
    ctx.metrics?.recordMempoolFailure?.();
    throw ErrMempool.wrap(err instanceof Error ? err.message : String(err));
  }
  if (check.code !== 0) ctx.metrics?.recordMempoolFailure?.();
  return { check, hash: sha256(tx) };
}

function requireBytes(a: Args, k: string): Uint8Array {
  const v = bytes(a, k);
  if (!v) throw ErrInvalidParams.wrap(`missing parameter ${k}`);
  return v;
}

function requireString(a: Args, k: string): string {
  const v = str(a, k);
  if (v === undefined) throw ErrInvalidParams.wrap(`missing parameter ${k}`);
  return v;
}

export const methods: Record<string, MethodSpec> = {
  health: { args: [], handler: async () => ({}) },

  status: { args: [], handler: (ctx) => status(ctx) },

  net_info: {
    args: [],
    // A single embedded validator has no peers.
    handler: async () => ({ listening: true, listeners: ['Listener(@)'], n_peers: '0', peers: [] }),
  },

  abci_info: {
    args: [],
    handler: async (ctx) => {
      const i = await ctx.node.appInfo();
      // ResponseInfo is plain cmtjson with omitempty fields.
      const r: { [k: string]: Json } = {};
      if (i.data) r.data = i.data;
      if (i.version) r.version = i.version;
      if (i.appVersion !== 0n) r.app_version = String(i.appVersion);
      if (i.lastBlockHeight !== 0n) r.last_block_height = String(i.lastBlockHeight);
      if (i.lastBlockAppHash.length > 0) r.last_block_app_hash = toBase64(i.lastBlockAppHash);
      return { response: r };
    },
  },

  abci_query: {
    args: [
      ['path', 'string'],
      ['data', 'hex'],
      ['height', 'int'],
      ['prove', 'bool'],
    ],
    handler: async (ctx, a) => {
      const height = num(a, 'height') ?? 0;
      if (height < 0) throw ErrInvalidParams.wrap(`height must be non-negative, but got ${height}`);
      const path = str(a, 'path') ?? '';
      if (path.length > MAX_QUERY_PATH_LENGTH) {
        throw ErrInvalidParams.wrap(`path is ${path.length} characters long; the limit is ${MAX_QUERY_PATH_LENGTH}`);
      }
      const started = performance.now();
      const res = await ctx.node.query({
        path,
        data: bytes(a, 'data') ?? new Uint8Array(),
        height: BigInt(height),
        prove: bool(a, 'prove'),
      });
      ctx.metrics?.recordQuery(path, performance.now() - started);
      return { response: queryResponseJson(res) };
    },
  },

  check_tx: {
    args: [['tx', 'bytes']],
    handler: async (ctx, a) => txResultJson(await ctx.node.checkTx(requireBytes(a, 'tx'))),
  },

  broadcast_tx_async: {
    args: [['tx', 'bytes']],
    handler: async (ctx, a) => {
      const tx = requireBytes(a, 'tx');
      // Fire and forget, as CometBFT: refusals surface only in the logs and in the mempool.
      ctx.node.mempool.add(tx).then(
        (check) => check.code !== 0 && ctx.metrics?.recordMempoolFailure?.(),
        () => ctx.metrics?.recordMempoolFailure?.(),
      );
      return { code: 0, data: '', log: '', codespace: '', hash: hexUpper(sha256(tx)) };
    },
  },

  broadcast_tx_sync: {
    args: [['tx', 'bytes']],
    handler: async (ctx, a) => {
      const { check, hash } = await broadcastSync(ctx, requireBytes(a, 'tx'));
      // ResultBroadcastTx.Data is HexBytes in CometBFT (the Cosmos SDK leaves it empty).
      return { code: check.code, data: hexUpper(check.data), log: check.log, codespace: check.codespace, hash: hexUpper(hash) };
    },
  },

  broadcast_tx_commit: {
    args: [['tx', 'bytes']],
    handler: async (ctx, a) => {
      const tx = requireBytes(a, 'tx');
      const hash = sha256(tx);
      // Listen before adding so a block produced right after CheckTx is not missed.
      const cancel = new AbortController();
      const included = waitForBlock(
        ctx,
        () => ctx.node.blocks.txByHash(hash),
        ctx.broadcastTxCommitTimeoutMs,
        'timed out waiting for tx to be included in a block',
        ctx.signal ? AbortSignal.any([cancel.signal, ctx.signal]) : cancel.signal,
      );
      included.catch(() => undefined);
      let check: ResponseCheckTx;
      try {
        ({ check } = await broadcastSync(ctx, tx));
      } catch (err) {
        cancel.abort();
        throw err;
      }
      if (check.code !== 0) {
        cancel.abort();
        return {
          check_tx: txResultJson(check),
          tx_result: txResultJson({ code: 0, data: new Uint8Array(), log: '', info: '', gasWanted: 0n, gasUsed: 0n, events: [], codespace: '' }),
          hash: hexUpper(hash),
          height: '0',
        };
      }
      const loc = await included;
      const results = await ctx.node.blocks.results(loc.height);
      const result = results?.txResults[loc.index];
      if (!result) throw ErrNotFound.wrap(`results of tx (${hexUpper(hash)}) not found`);
      return { check_tx: txResultJson(check), tx_result: txResultJson(result), hash: hexUpper(hash), height: String(loc.height) };
    },
  },

  block: {
    args: [['height', 'int']],
    handler: async (ctx, a) => {
      const b = await loadBlock(ctx, resolveHeight(ctx, num(a, 'height')));
      return { block_id: blockIdJson(b.blockId), block: blockJson(b.block) };
    },
  },

  block_by_hash: {
    args: [['hash', 'bytes']],
    handler: async (ctx, a) => {
      const b = await ctx.node.blocks.blockByHash(requireBytes(a, 'hash'));
      // CometBFT answers an empty block id and a null block for an unknown hash.
      if (!b) return { block_id: blockIdJson(undefined), block: null };
      return { block_id: blockIdJson(b.blockId), block: blockJson(b.block) };
    },
  },

  header: {
    args: [['height', 'int']],
    handler: async (ctx, a) => {
      const b = await loadBlock(ctx, resolveHeight(ctx, num(a, 'height')));
      return { header: headerJson(b.block.header) };
    },
  },

  header_by_hash: {
    args: [['hash', 'bytes']],
    handler: async (ctx, a) => {
      const b = await ctx.node.blocks.blockByHash(requireBytes(a, 'hash'));
      return { header: b ? headerJson(b.block.header) : null };
    },
  },

  block_results: {
    args: [['height', 'int']],
    handler: async (ctx, a) => {
      const height = resolveHeight(ctx, num(a, 'height'));
      const r = await ctx.node.blocks.results(height);
      if (!r) throw ErrHeightUnavailable.wrap(`could not find results for height #${height}`);
      return {
        height: String(height),
        txs_results: r.txResults.length > 0 ? r.txResults.map(txResultJson) : null,
        finalize_block_events: eventsJson(r.events),
        validator_updates: r.validatorUpdates.map(validatorUpdateJson),
        consensus_param_updates: consensusParamsJson(r.consensusParamUpdates),
        app_hash: toBase64(r.appHash),
      };
    },
  },

  blockchain: {
    args: [
      ['minHeight', 'int'],
      ['maxHeight', 'int'],
    ],
    handler: async (ctx, a) => {
      const base = ctx.node.blocks.base();
      const latest = ctx.node.blocks.height();
      let min = num(a, 'minHeight') ?? 0;
      let max = num(a, 'maxHeight') ?? 0;
      if (min < 0 || max < 0) throw ErrInvalidParams.wrap('heights must be non-negative');
      max = max === 0 ? latest : Math.min(latest, max);
      min = min === 0 ? 1 : min;
      min = Math.max(base, min, max - BLOCKCHAIN_LIMIT + 1);
      if (min > max) throw ErrInvalidParams.wrap(`min height ${min} can't be greater than max height ${max}`);
      const metas: Json[] = [];
      for (let h = max; h >= min; h--) {
        const b = await ctx.node.blocks.block(h);
        if (b) metas.push(blockMetaJson(b));
      }
      return { last_height: String(latest), block_metas: metas };
    },
  },

  commit: {
    args: [['height', 'int']],
    handler: async (ctx, a) => {
      const height = resolveHeight(ctx, num(a, 'height'));
      const b = await loadBlock(ctx, height);
      // The latest block's commit is this node's seen commit (not canonical yet); older ones
      // come from the next block's last_commit.
      if (height === ctx.node.blocks.height()) {
        return { signed_header: { header: headerJson(b.block.header), commit: commitJson(b.seenCommit) }, canonical: false };
      }
      const next = await ctx.node.blocks.block(height + 1);
      return {
        signed_header: { header: headerJson(b.block.header), commit: commitJson(next?.block.lastCommit ?? b.seenCommit) },
        canonical: true,
      };
    },
  },

  validators: {
    args: [
      ['height', 'int'],
      ['page', 'int'],
      ['per_page', 'int'],
    ],
    handler: async (ctx, a) => {
      const height = resolveHeight(ctx, num(a, 'height'));
      const vals = await ctx.node.blocks.validators(height);
      if (!vals) throw ErrHeightUnavailable.wrap(`could not find validator set for height #${height}`);
      const per = perPage(num(a, 'per_page'));
      const p = page(num(a, 'page'), per, vals.length);
      const slice = vals.slice((p - 1) * per, p * per);
      return {
        block_height: String(height),
        validators: slice.map(validatorJson),
        count: String(slice.length),
        total: String(vals.length),
      };
    },
  },

  genesis: {
    args: [],
    handler: async (ctx) => {
      const text = JSON.stringify(ctx.node.genesisJson);
      if (text.length > GENESIS_CHUNK_SIZE) {
        throw ErrInvalidParams.wrap('genesis response is large, please use the genesis_chunked API instead');
      }
      return { genesis: completeGenesis(ctx.node.genesisJson) };
    },
  },

  genesis_chunked: {
    args: [['chunk', 'int']],
    handler: async (ctx, a) => {
      const data = Buffer.from(JSON.stringify(ctx.node.genesisJson));
      const total = Math.max(1, Math.ceil(data.length / GENESIS_CHUNK_SIZE));
      const chunk = num(a, 'chunk') ?? 0;
      if (chunk < 0 || chunk > total - 1) throw ErrInvalidParams.wrap(`there are ${total} chunks, ${chunk} is invalid`);
      return {
        chunk: String(chunk),
        total: String(total),
        data: data.subarray(chunk * GENESIS_CHUNK_SIZE, (chunk + 1) * GENESIS_CHUNK_SIZE).toString('base64'),
      };
    },
  },

  consensus_params: {
    args: [['height', 'int']],
    handler: async (ctx, a) => {
      const height = resolveHeight(ctx, num(a, 'height'));
      const p = await ctx.node.blocks.consensusParams(height);
      if (!p) throw ErrHeightUnavailable.wrap(`could not find consensus params for height #${height}`);
      const params = consensusParamsJson(p) as { [k: string]: Json };
      params.abci ??= { vote_extensions_enable_height: '0' };
      return { block_height: String(height), consensus_params: params };
    },
  },

  unconfirmed_txs: {
    args: [['limit', 'int']],
    handler: async (ctx, a) => {
      const limit = perPage(num(a, 'limit'));
      const txs = ctx.node.mempool.txs(limit);
      return {
        n_txs: String(txs.length),
        total: String(ctx.node.mempool.size()),
        total_bytes: String(ctx.node.mempool.sizeBytes()),
        txs: txs.map(toBase64),
      };
    },
  },

  num_unconfirmed_txs: {
    args: [],
    handler: async (ctx) => ({
      n_txs: String(ctx.node.mempool.size()),
      total: String(ctx.node.mempool.size()),
      total_bytes: String(ctx.node.mempool.sizeBytes()),
      txs: null,
    }),
  },

  tx: {
    args: [
      ['hash', 'bytes'],
      ['prove', 'bool'],
    ],
    handler: async (ctx, a) => {
      const hash = requireBytes(a, 'hash');
      const loc = await ctx.node.blocks.txByHash(hash);
      if (!loc) throw ErrNotFound.wrap(`tx (${hexUpper(hash)}) not found`);
      return txResultAt(ctx, loc.height, loc.index, hash, bool(a, 'prove'));
    },
  },

  tx_search: {
    args: [
      ['query', 'string'],
      ['prove', 'bool'],
      ['page', 'int'],
      ['per_page', 'int'],
      ['order_by', 'string'],
    ],
    handler: async (ctx, a) => {
      const text = requireString(a, 'query');
      const q = parseQuery(text);
      const order = orderBy(str(a, 'order_by'), 'asc');
      const per = perPage(num(a, 'per_page'));
      let total: number;
      let locs: { height: number; index: number }[];
      const blocks = ctx.node.blocks;
      if (isIndexed(blocks)) {
        ({ total, txs: locs } = await blocks.txSearch(q, { page: num(a, 'page'), perPage: per, orderBy: order, signal: ctx.signal }));
      } else {
        const all = await searchTxs(blocks, q);
        if (order === 'desc') all.reverse();
        const p = page(num(a, 'page'), per, all.length);
        total = all.length;
        locs = all.slice((p - 1) * per, p * per);
      }
      const txs: Json[] = [];
      for (const loc of locs) {
        const stored = await loadBlock(ctx, loc.height);
        txs.push(await txResultAt(ctx, loc.height, loc.index, sha256(stored.block.data.txs[loc.index]), bool(a, 'prove')));
      }
      return { txs, total_count: String(total) };
    },
  },

  block_search: {
    args: [
      ['query', 'string'],
      ['page', 'int'],
      ['per_page', 'int'],
      ['order_by', 'string'],
    ],
    handler: async (ctx, a) => {
      const text = requireString(a, 'query');
      const q = parseQuery(text);
      const order = orderBy(str(a, 'order_by'), 'desc');
      const per = perPage(num(a, 'per_page'));
      let total: number;
      let heights: number[];
      const store = ctx.node.blocks;
      if (isIndexed(store)) {
        ({ total, heights } = await store.blockSearch(q, { page: num(a, 'page'), perPage: per, orderBy: order, signal: ctx.signal }));
      } else {
        const all = await searchBlocks(store, q);
        if (order === 'desc') all.reverse();
        const p = page(num(a, 'page'), per, all.length);
        total = all.length;
        heights = all.slice((p - 1) * per, p * per);
      }
      const blocks: Json[] = [];
      for (const h of heights) {
        const b = await loadBlock(ctx, h);
        blocks.push({ block_id: blockIdJson(b.blockId), block: blockJson(b.block) });
      }
      return { blocks, total_count: String(total) };
    },
  },
};
