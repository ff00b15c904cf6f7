/**
 * tx_search and block_search over the block store.
 *
 * CometBFT's kv indexer indexes `tx.hash`, `tx.height` and every event attribute marked
 * `index: true` (as `type.key`); block search sees `block.height` and the indexed
 * FinalizeBlock events. Without an event index in the store contract, a search reads the
 * blocks of the height range the query allows (tx.height / block.height bounds narrow it,
 * `tx.hash = '…'` looks the one tx up directly): O(heights in range).
 */
import type { ExecTxResult, ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { createHash } from 'node:crypto';
import type { BlockStoreReader } from '../types';
import { blockEventMap as storeBlockEventMap, txEventMap as storeTxEventMap } from '../blockstore/query';
import { equalsString, heightBounds, matchesQuery, type EventMap, type Query } from './query';

export function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/**
 * The event map of one tx: `tm.event`, `tx.hash`, `tx.height` and its attributes
 * (only the indexed ones for searches, all of them for subscriptions, as CometBFT does).
 */
export function txEventMap(height: number, tx: Uint8Array, result: ExecTxResult, indexedOnly: boolean): EventMap {
  return storeTxEventMap(height, sha256(tx), result.events, { indexedOnly });
}

/** The event map of a block: `tm.event`, `block.height` and its FinalizeBlock events. */
export function blockEventMap(height: number, results: ResponseFinalizeBlock | undefined, tmEvent: string, indexedOnly: boolean): EventMap {
  return storeBlockEventMap(height, results?.events ?? [], { indexedOnly, eventType: tmEvent });
}

export interface TxLocation {
  height: number;
  index: number;
}

function range(blocks: BlockStoreReader, q: Query, key: string): [number, number] {
  const { min, max } = heightBounds(q, key);
  return [Math.max(blocks.base(), min ?? 1, 1), Math.min(blocks.height(), max ?? Number.MAX_SAFE_INTEGER)];
}

/** Every tx matching `q`, ascending by (height, index). */
export async function searchTxs(blocks: BlockStoreReader, q: Query): Promise<TxLocation[]> {
  const hashHex = equalsString(q, 'tx.hash');
  if (hashHex !== undefined) {
    if (!/^[0-9A-Fa-f]{64}$/.test(hashHex)) return [];
    const loc = await blocks.txByHash(Buffer.from(hashHex, 'hex'));
    if (!loc) return [];
    const stored = await blocks.block(loc.height);
    const results = await blocks.results(loc.height);
    const tx = stored?.block.data.txs[loc.index];
    const result = results?.txResults[loc.index];
    if (!tx || !result) return [];
    return matchesQuery(q, txEventMap(loc.height, tx, result, true)) ? [loc] : [];
  }
  const [from, to] = range(blocks, q, 'tx.height');
  const found: TxLocation[] = [];
  for (let h = from; h <= to; h++) {
    const results = await blocks.results(h);
    if (!results || results.txResults.length === 0) continue;
    const stored = await blocks.block(h);
    if (!stored) continue;
    const txs = stored.block.data.txs;
    for (let i = 0; i < txs.length; i++) {
      const r = results.txResults[i];
      if (r && matchesQuery(q, txEventMap(h, txs[i], r, true))) found.push({ height: h, index: i });
    }
  }
  return found;
}

/** Every block height matching `q`, ascending. */
export async function searchBlocks(blocks: BlockStoreReader, q: Query): Promise<number[]> {
  const [from, to] = range(blocks, q, 'block.height');
  const found: number[] = [];
  for (let h = from; h <= to; h++) {
    const results = await blocks.results(h);
    if (matchesQuery(q, blockEventMap(h, results, 'NewBlock', true))) found.push(h);
  }
  return found;
}
