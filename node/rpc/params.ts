/**
 * Reading the common RPC parameters as CometBFT does: heights checked against the stored
 * range, pages and their sizes, result order; and whether the block store has an event index.
 */
import type { BlockStoreReader, StoredBlock } from '../types';
import { ErrHeightUnavailable, ErrInvalidParams } from './errors';
import type { RpcContext } from './methods';
import type { Query } from './query';

/** CometBFT's defaults for search pages (rpc/core/env.go). */
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

/** CometBFT's getHeight: the latest height when absent, else checked against [base, latest]. */
export function resolveHeight(ctx: RpcContext, height: number | undefined): number {
  const latest = ctx.node.blocks.height();
  if (height === undefined) return latest;
  if (height <= 0) throw ErrInvalidParams.wrap(`height must be greater than 0, but got ${height}`);
  if (height > latest) {
    throw ErrHeightUnavailable.wrap(`height ${height} must be less than or equal to the current blockchain height ${latest}`);
  }
  const base = ctx.node.blocks.base();
  if (height < base) throw ErrHeightUnavailable.wrap(`height ${height} is not available, lowest height is ${base}`);
  return height;
}

export async function loadBlock(ctx: RpcContext, height: number): Promise<StoredBlock> {
  const b = await ctx.node.blocks.block(height);
  if (!b) throw ErrHeightUnavailable.wrap(`block at height ${height} not found`);
  return b;
}

export function perPage(n: number | undefined): number {
  if (n === undefined || n < 1) return DEFAULT_PER_PAGE;
  return Math.min(n, MAX_PER_PAGE);
}

export function page(n: number | undefined, per: number, total: number): number {
  const pages = Math.max(1, Math.ceil(total / per));
  const p = n ?? 1;
  if (p <= 0 || p > pages) throw ErrInvalidParams.wrap(`page should be within [1, ${pages}] range, given ${p}`);
  return p;
}

export function orderBy(s: string | undefined, dflt: 'asc' | 'desc'): 'asc' | 'desc' {
  if (s === undefined || s === '') return dflt;
  if (s === 'asc' || s === 'desc') return s;
  throw ErrInvalidParams.wrap('expected order_by to be either `asc` or `desc` or empty');
}

/** A block store with an event index (node/blockstore's BlockStore); other readers are scanned. */
export interface IndexedBlockStore {
  txSearch(query: Query, opts: SearchPage): Promise<{ total: number; txs: { height: number; index: number }[] }>;
  blockSearch(query: Query, opts: SearchPage): Promise<{ total: number; heights: number[] }>;
}

export interface SearchPage {
  page?: number;
  perPage?: number;
  orderBy?: 'asc' | 'desc';
  signal?: AbortSignal;
}

export function isIndexed(b: BlockStoreReader): b is BlockStoreReader & IndexedBlockStore {
  const x = b as Partial<IndexedBlockStore>;
  return typeof x.txSearch === 'function' && typeof x.blockSearch === 'function';
}
