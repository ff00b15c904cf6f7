/**
 * An in-memory sorted key-value store, and the sorted key index it shares with the
 * write caches.
 *
 * Keys are indexed as latin1 strings: each byte becomes one UTF-16 code unit in 0..255,
 * so JavaScript's native string order is exactly the unsigned byte order of the keys.
 * That lets a `Map` do point lookups and the engine's string sort do ordering, both
 * far faster than comparing byte arrays in script.
 */
import { registerError } from '../types/errors';
import { ErrInvalidKey, ErrInvalidValue } from './iavl/errors';
import type { KVPair, KVStore } from './types';

// Codespace `store`: 2-7 are the multistore's (rootmulti/errors.ts), 8-19 the stores' and
// caches', 30-49 the tree's (iavl/errors.ts). Invalid keys and values share the tree's codes
// so a caller sees one code whichever layer rejects the input.
export { ErrInvalidKey, ErrInvalidValue };
export const ErrIteratorInvalidated = registerError('store', 8, 'iterator invalidated');
export const ErrStaleBranch = registerError('store', 9, 'branch used after it was committed or discarded');

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
// Buffer's native latin1 decoder accepts any Uint8Array and is about 2.5x faster than
// String.fromCharCode.apply for 30-byte keys; the fallback keeps other runtimes working.
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice }).latin1Slice;

/** The index string of a key: one char per byte, ordered as the bytes are. */
export function keyString(key: Uint8Array): string {
  if (latin1Slice !== undefined) return latin1Slice.call(key, 0, key.length);
  let s = '';
  for (let i = 0; i < key.length; i += 4096) {
    s += String.fromCharCode.apply(null, key.subarray(i, i + 4096) as unknown as number[]);
  }
  return s;
}

/** Throws a coded error unless `key` is a non-empty byte array. */
export function assertValidKey(key: unknown): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array)) throw ErrInvalidKey.wrap(`key must be a Uint8Array, got ${typeName(key)}`);
  if (key.length === 0) throw ErrInvalidKey.wrap('key must not be empty');
}

/** Throws a coded error unless `value` is a byte array (empty is allowed). */
export function assertValidValue(value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw ErrInvalidValue.wrap(`value must be a Uint8Array, got ${typeName(value)}`);
}

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

/** First index in ascending `keys` whose key is >= `s`. */
export function lowerBound(keys: readonly string[], s: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index range `[lo, hi)` of ascending `keys` that lies within `[start, end)`. */
export function rangeOf(keys: readonly string[], start?: Uint8Array, end?: Uint8Array): [number, number] {
  const lo = start === undefined ? 0 : lowerBound(keys, keyString(start));
  const hi = end === undefined ? keys.length : lowerBound(keys, keyString(end));
  return [lo, Math.max(lo, hi)];
}

/**
 * Up to this many new keys are spliced into the sorted array one by one; each splice is a
 * memmove of the array (about 10 µs for 50k keys), so past a few dozen one merge pass wins.
 */
const SPLICE_LIMIT = 32;

/**
 * A map from index strings to values that also yields its keys in sorted order.
 *
 * Sorting is lazy: new keys collect in a pending list and are sorted and merged into the
 * sorted array only when someone asks for order, so k inserts between two iterations cost
 * O(k log k) plus one pass over the array, instead of O(n) per insert or a full re-sort per
 * iterator. A few new keys are spliced in (a native memmove, no comparisons); many, or any
 * delete, trigger one merge pass. The array returned by `sortedKeys` is updated in place by
 * later writes: callers copy what they need before writing again.
 */
export class SortedKeyMap<V> {
  private readonly map = new Map<string, V>();
  private sorted: string[] = [];
  private pending: string[] = [];
  /** True when a key of `sorted` or `pending` may no longer be in the map. */
  private removed = false;

  get size(): number {
    return this.map.size;
  }

  get(s: string): V | undefined {
    return this.map.get(s);
  }

  has(s: string): boolean {
    return this.map.has(s);
  }

  set(s: string, value: V): void {
    if (!this.map.has(s)) this.pending.push(s);
    this.map.set(s, value);
  }

  delete(s: string): boolean {
    if (!this.map.delete(s)) return false;
    this.removed = true;
    return true;
  }

  clear(): void {
    this.map.clear();
    this.sorted = [];
    this.pending = [];
    this.removed = false;
  }

  /** Every key in ascending order; valid until the next write. */
  sortedKeys(): readonly string[] {
    if (this.pending.length > 0 || this.removed) this.rebuild();
    return this.sorted;
  }

  private rebuild(): void {
    // Default sort compares UTF-16 code units: the byte order of latin1 index strings.
    const fresh = this.pending.sort();
    if (!this.removed && fresh.length <= SPLICE_LIMIT) {
      // Back to front, so earlier insertion points stay valid.
      for (let j = fresh.length - 1; j >= 0; j--) this.sorted.splice(lowerBound(this.sorted, fresh[j]), 0, fresh[j]);
      this.pending = [];
      return;
    }
    const old = this.sorted;
    const out: string[] = new Array<string>(old.length + fresh.length);
    const check = this.removed;
    let n = 0;
    let i = 0;
    let j = 0;
    while (i < old.length || j < fresh.length) {
      let s: string;
      if (j >= fresh.length || (i < old.length && old[i] <= fresh[j])) s = old[i++];
      else s = fresh[j++];
      // Duplicates and dead keys appear only after a delete (a key re-added after it).
      if (check && ((n > 0 && out[n - 1] === s) || !this.map.has(s))) continue;
      out[n++] = s;
    }
    out.length = n;
    this.sorted = out;
    this.pending = [];
    this.removed = false;
  }
}

/**
 * A sorted in-memory KVStore, for tests and for transient state that is never committed.
 *
 * Iterators are snapshots: they yield the entries in range as they were when the
 * iterator was created, so the store may be written (even the iterated range) while an
 * iterator is open. Creating one costs O(entries in range). Arrays passed to `set` are
 * kept, not copied: callers must not mutate them afterwards.
 */
export class MemStore implements KVStore {
  private readonly entries = new SortedKeyMap<KVPair>();

  get size(): number {
    return this.entries.size;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    assertValidKey(key);
    return this.entries.get(keyString(key))?.[1];
  }

  has(key: Uint8Array): boolean {
    assertValidKey(key);
    return this.entries.has(keyString(key));
  }

  set(key: Uint8Array, value: Uint8Array): void {
    assertValidKey(key);
    assertValidValue(value);
    this.entries.set(keyString(key), [key, value]);
  }

  delete(key: Uint8Array): void {
    assertValidKey(key);
    this.entries.delete(keyString(key));
  }

  iterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair> {
    return this.snapshot(start, end, false)[Symbol.iterator]();
  }

  reverseIterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair> {
    return this.snapshot(start, end, true)[Symbol.iterator]();
  }

  private snapshot(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse: boolean): KVPair[] {
    const keys = this.entries.sortedKeys();
    const [lo, hi] = rangeOf(keys, start, end);
    const out = new Array<KVPair>(hi - lo);
    for (let i = lo; i < hi; i++) {
      out[reverse ? hi - 1 - i : i - lo] = this.entries.get(keys[i]) as KVPair;
    }
    return out;
  }
}
