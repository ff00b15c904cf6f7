/**
 * Broadcasting through CometBFT RPC. `sync` returns after CheckTx, `async` at once, `block`
 * after CheckTx and then waits until the tx is in a committed block (polling the `tx`
 * endpoint, which both the embedded node and CometBFT serve), like the SDK's old block mode.
 */
import { ErrNotFound, ErrTxTimeout, withMessage } from './errors';
import type { TypeRegistry } from './registry';
import type { NodeConnection } from './rpc';
import { txHash } from './tx';
import { broadcastResponse, committedResponse, type CometTxResult, type TxResponseJson } from './txResponse';

export type BroadcastMode = 'sync' | 'async' | 'block';
export const BROADCAST_MODES: readonly BroadcastMode[] = ['sync', 'async', 'block'];

export interface BroadcastOptions {
  mode: BroadcastMode;
  /** How long `block` mode waits for inclusion (default 60 s, as cosmjs). */
  timeoutMs?: number;
  /** Poll period of `block` mode (default 200 ms: blocks come about every second). */
  pollMs?: number;
}

export async function broadcastTx(conn: NodeConnection, types: TypeRegistry, txBytes: Uint8Array, opts: BroadcastOptions): Promise<TxResponseJson> {
  if (opts.mode === 'async') {
    const r = await conn.call((c) => c.broadcastTxAsync({ tx: txBytes }));
    return broadcastResponse({ hash: Buffer.from(r.hash).toString('hex') });
  }
  const r = await conn.call((c) => c.broadcastTxSync({ tx: txBytes }));
  const checked = broadcastResponse({ hash: Buffer.from(r.hash).toString('hex'), code: r.code, codespace: r.codespace, log: r.log });
  if (opts.mode === 'sync' || checked.code !== 0) return checked;
  return waitForTx(conn, types, txHash(txBytes), opts);
}

/** Polls `tx` until the tx with this hash (hex) is committed. */
export async function waitForTx(conn: NodeConnection, types: TypeRegistry, hash: string, opts: { timeoutMs?: number; pollMs?: number } = {}): Promise<TxResponseJson> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const pollMs = opts.pollMs ?? 200;
  // Deadline against the client's clock; this is CLI code, not state-machine code.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await findTx(conn, types, hash);
    if (found) return found;
    if (Date.now() >= deadline) throw withMessage(ErrTxTimeout, `tx ${hash} was accepted but not included in a block within ${Math.round(timeoutMs / 1000)} s; check later with \`query tx ${hash}\``);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The committed tx with this hash as a TxResponse, or undefined while it is not in a block. */
export async function findTx(conn: NodeConnection, types: TypeRegistry, hash: string): Promise<TxResponseJson | undefined> {
  let r: CometTxResult;
  try {
    r = (await conn.raw('tx', { hash: Buffer.from(hash, 'hex').toString('base64'), prove: false })) as CometTxResult;
  } catch (err) {
    // CometBFT: "tx (HASH) not found"; the embedded node says the same.
    if (err instanceof Error && /not found/i.test(err.message)) return undefined;
    throw err;
  }
  const block = (await conn.raw('block', { height: String(r.height) })) as { block: { header: { time: string } } };
  return committedResponse(types, r, block.block.header.time);
}

/** Like findTx but ErrNotFound when the tx is unknown. */
export async function getTx(conn: NodeConnection, types: TypeRegistry, hash: string): Promise<TxResponseJson> {
  if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw withMessage(ErrNotFound, `"${hash}" is not a tx hash: expected 64 hex characters`);
  const r = await findTx(conn, types, hash.toUpperCase());
  if (!r) throw withMessage(ErrNotFound, `tx ${hash.toUpperCase()} not found on node ${conn.node}`);
  return r;
}

export interface SearchTxsResult {
  total_count: string;
  count: string;
  page_number: string;
  page_total: string;
  limit: string;
  txs: TxResponseJson[];
}

/** `query txs --events`: CometBFT tx_search with the events ANDed, as the SDK's SearchTxsResult. */
export async function searchTxs(conn: NodeConnection, types: TypeRegistry, query: string, page = 1, limit = 30): Promise<SearchTxsResult> {
  const r = (await conn.raw('tx_search', { query, prove: false, page: String(page), per_page: String(limit), order_by: 'asc' })) as { txs: CometTxResult[]; total_count: string };
  const times = new Map<string, string>();
  const txs: TxResponseJson[] = [];
  for (const t of r.txs) {
    let time = times.get(t.height);
    if (time === undefined) {
      time = ((await conn.raw('block', { height: String(t.height) })) as { block: { header: { time: string } } }).block.header.time;
      times.set(t.height, time);
    }
    txs.push(committedResponse(types, t, time));
  }
  const total = Number(r.total_count);
  return {
    total_count: String(total),
    count: String(txs.length),
    page_number: String(page),
    page_total: String(Math.max(1, Math.ceil(total / limit))),
    limit: String(limit),
    txs,
  };
}
