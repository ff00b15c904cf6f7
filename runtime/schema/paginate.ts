/**
 * The one paginator of list queries, over the store (never over a list built in memory),
 * with the Cosmos PageRequest semantics:
 *
 * - `key`: the page starts at this key (the `next_key` of the previous page), given relative
 *   to the collection (and to `range.prefix`); with `reverse`, it is the first key of the
 *   page walking down. `key` and `offset` together are refused, as in the Cosmos SDK.
 * - `offset`: skips that many matching entries (O(offset)).
 * - `limit`: 0 means `limits.default`; above `limits.max` is clamped or refused.
 * - `count_total`: `total` is the number of matching entries in the whole range, whatever the
 *   page (an O(range) walk, only when asked); otherwise 0.
 * - `next_key`: the key of the first entry after the page; empty on the last page.
 */
import { ErrInvalidRequest } from '../errors';
import type { Range, StateMap, StoreReader } from './collections';

/** The fields of cosmos.base.query.v1beta1.PageRequest (generated or cosmjs-types). */
export interface PageRequestLike {
  key: Uint8Array;
  offset: bigint;
  limit: bigint;
  countTotal: boolean;
  reverse: boolean;
}

export interface PageResponseLike {
  nextKey: Buffer;
  total: bigint;
}

export interface PageLimits {
  /** The page size when the request leaves `limit` at 0. */
  default: bigint;
  /** The largest page served. */
  max: bigint;
  /** Whether a larger limit is served as `max` (true) or refused (false). */
  clamp: boolean;
}

/** 100 records per page by default, 1000 at most: a page stays well under the 4 MB response. */
export const DEFAULT_PAGE_LIMITS: PageLimits = { default: 100n, max: 1000n, clamp: false };

export interface PageOptions<K, V, T> {
  limits?: PageLimits;
  /** The part of the collection listed (e.g. `{ prefix }` of one account's balances). */
  range?: Omit<Range<K>, 'reverse'>;
  /** Lists only entries it accepts; `total` and `offset` count only those. */
  filter?: (key: K, value: V) => boolean;
  /** What a listed entry becomes in the response. */
  map: (key: K, value: V) => T;
}

function pageLimit(page: PageRequestLike | undefined, limits: PageLimits): number {
  if (!page || page.limit === 0n) return Number(limits.default);
  if (page.limit < 0n) throw ErrInvalidRequest.wrap(`limit ${page.limit} is negative`);
  if (page.limit > limits.max) {
    if (!limits.clamp) throw ErrInvalidRequest.wrap(`limit ${page.limit} exceeds ${limits.max}`);
    return Number(limits.max);
  }
  return Number(page.limit);
}

/** One page of `map`'s entries in key order (descending with `page.reverse`). */
export function paginate<K, V, T>(
  ctx: StoreReader,
  map: StateMap<K, V>,
  page: PageRequestLike | undefined,
  opts: PageOptions<K, V, T>,
): { items: T[]; pagination: PageResponseLike } {
  const limit = pageLimit(page, opts.limits ?? DEFAULT_PAGE_LIMITS);
  const key = page?.key ?? new Uint8Array(0);
  const offset = page?.offset ?? 0n;
  const reverse = page?.reverse ?? false;
  if (key.length > 0 && offset > 0n) throw ErrInvalidRequest.wrap('pagination: either offset or key is expected, got both');
  if (offset < 0n) throw ErrInvalidRequest.wrap(`offset ${offset} is negative`);
  const range = opts.range ?? {};
  const [lo, hi] = map.storeRange(range);
  const basePrefix = range.prefix ? concat(map.prefix, range.prefix) : map.prefix;
  const from = key.length > 0 ? concat(basePrefix, key) : undefined;
  const store = ctx.store(map.storeKey);
  // Walking down from `key` includes it: key ‖ 0x00 is the least key above it.
  const entries = reverse
    ? store.reverseIterator(lo, from ? minOf(concat(from, Uint8Array.of(0)), hi) : hi)
    : store.iterator(from && compareBytes(from, lo) > 0 ? from : lo, hi);
  const items: T[] = [];
  let skip = offset;
  let nextKey = Buffer.alloc(0);
  for (const [k, v] of entries) {
    const dk = map.decodeKey(k);
    const dv = map.value.decode(v);
    if (opts.filter && !opts.filter(dk, dv)) continue;
    if (skip > 0n) {
      skip--;
      continue;
    }
    if (items.length === limit) {
      nextKey = Buffer.from(k.subarray(basePrefix.length));
      break;
    }
    items.push(opts.map(dk, dv));
  }
  let total = 0n;
  if (page?.countTotal) {
    for (const [k, v] of map.rawIterator(ctx, range)) if (!opts.filter || opts.filter(map.decodeKey(k), map.value.decode(v))) total++;
  }
  return { items, pagination: { nextKey, total } };
}

/**
 * The same rules over a list derived in memory from several stores (e.g. every validator's
 * signing info, defaults included), sorted by `keyOf`: for lists no single collection holds.
 */
export function paginateList<T>(
  sorted: readonly T[],
  keyOf: (t: T) => Uint8Array,
  page: PageRequestLike | undefined,
  limits: PageLimits = DEFAULT_PAGE_LIMITS,
): { items: T[]; pagination: PageResponseLike } {
  const limit = pageLimit(page, limits);
  const key = page?.key ?? new Uint8Array(0);
  const offset = page?.offset ?? 0n;
  if (key.length > 0 && offset > 0n) throw ErrInvalidRequest.wrap('pagination: either offset or key is expected, got both');
  if (offset < 0n) throw ErrInvalidRequest.wrap(`offset ${offset} is negative`);
  const list = page?.reverse ? sorted.slice().reverse() : sorted;
  let start: number;
  if (key.length > 0) {
    start = list.findIndex((t) => (page?.reverse ? compareBytes(keyOf(t), key) <= 0 : compareBytes(keyOf(t), key) >= 0));
    if (start < 0) start = list.length;
  } else start = offset > BigInt(list.length) ? list.length : Number(offset);
  const next = list[start + limit];
  return {
    items: list.slice(start, start + limit),
    pagination: { nextKey: next === undefined ? Buffer.alloc(0) : Buffer.from(keyOf(next)), total: page?.countTotal ? BigInt(sorted.length) : 0n },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length));
}

function minOf(a: Uint8Array, b: Uint8Array | undefined): Uint8Array {
  return b === undefined || compareBytes(a, b) < 0 ? a : b;
}
