/**
 * A write-back branch over any KVStore: the unit of "try this, keep it only if it worked".
 *
 * The runtime layers them: a block branch over the committed trees, a transaction branch
 * over the block branch, message branches over that. A failed transaction's branch is
 * dropped and leaves no trace; a successful one is folded into its parent with `write()`.
 *
 * Semantics:
 * - Reads see this branch's writes first (read-your-writes), then the parent's state.
 * - A delete is a tombstone: it hides the parent's entry until `write()` deletes it there.
 * - `write()` applies the buffered writes to the parent in ascending key order (the order
 *   matters: an AVL tree's shape, hence its root hash, depends on insertion order) and
 *   empties the branch, which stays usable.
 * - Iterators merge the parent's iterator with the buffered writes, in byte order either
 *   way. An iterator is a snapshot of this branch's writes in its range at creation:
 *   `set` and `delete` on the branch while iterating are allowed (deleting what one
 *   iterates is the usual pattern) and are not seen by that iterator. The parent must not
 *   change while an iterator is open: calling this branch's `write()` invalidates its open
 *   iterators (their next step throws ErrIteratorInvalidated); writing to the parent
 *   directly during iteration is not supported.
 * - A branch may hold a lease from the multistore; once the lease is revoked (on commit)
 *   every operation throws ErrStaleBranch, so no branch outlives the state it was cut from.
 *
 * Arrays passed to `set` are kept, not copied: callers must not mutate them afterwards.
 */
import { compareBytes } from '../types/sorted';
import {
  ErrIteratorInvalidated,
  ErrStaleBranch,
  SortedKeyMap,
  assertValidKey,
  assertValidValue,
  keyString,
  rangeOf,
} from './memstore';
import type { CacheKVStore, KVPair, KVStore } from './types';

/**
 * A store that also takes a key's index string (`keyString(key)`) with the key, so a stack
 * of branches builds that string once per operation instead of once per layer. `s` must be
 * `keyString(key)` of a key that was already validated.
 */
export interface KeyedKVStore extends KVStore {
  getKeyed(s: string, key: Uint8Array): Uint8Array | undefined;
  hasKeyed(s: string, key: Uint8Array): boolean;
  setKeyed(s: string, key: Uint8Array, value: Uint8Array): void;
  deleteKeyed(s: string, key: Uint8Array): void;
}

function isKeyed(store: KVStore): store is KeyedKVStore {
  return typeof (store as Partial<KeyedKVStore>).getKeyed === 'function';
}

/** A buffered write; `value === null` is a delete. */
interface Dirty {
  key: Uint8Array;
  value: Uint8Array | null;
}

/**
 * The validity of a family of branches. The multistore revokes the lease of every branch
 * cut from the working state when it commits that state.
 */
export class Lease {
  private alive = true;

  constructor(private readonly what = 'branch') {}

  get valid(): boolean {
    return this.alive;
  }

  revoke(): void {
    this.alive = false;
  }

  /** Throws ErrStaleBranch once revoked. */
  check(): void {
    if (!this.alive) throw ErrStaleBranch.wrap(`${this.what} was cut from a state that has since been committed`);
  }
}

/** A lease that is never revoked, for branches not tied to a multistore. */
const PERMANENT = new Lease();

export class CacheKV implements CacheKVStore, KeyedKVStore {
  private readonly dirty = new SortedKeyMap<Dirty>();
  /** Counts `write()` calls; an iterator created before the latest one is invalid. */
  private generation = 0;
  /** The parent when it takes index strings (another branch, the multistore's tree view). */
  private readonly keyed: KeyedKVStore | undefined;

  constructor(
    private readonly parent: KVStore,
    private readonly lease: Lease = PERMANENT,
  ) {
    this.keyed = isKeyed(parent) ? parent : undefined;
  }

  /** Number of buffered writes (sets and deletes). */
  get size(): number {
    return this.dirty.size;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.lease.check();
    assertValidKey(key);
    return this.read(keyString(key), key);
  }

  getKeyed(s: string, key: Uint8Array): Uint8Array | undefined {
    this.lease.check();
    return this.read(s, key);
  }

  has(key: Uint8Array): boolean {
    this.lease.check();
    assertValidKey(key);
    return this.contains(keyString(key), key);
  }

  hasKeyed(s: string, key: Uint8Array): boolean {
    this.lease.check();
    return this.contains(s, key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.lease.check();
    assertValidKey(key);
    assertValidValue(value);
    this.put(keyString(key), key, value);
  }

  delete(key: Uint8Array): void {
    this.lease.check();
    assertValidKey(key);
    this.put(keyString(key), key, null);
  }

  setKeyed(s: string, key: Uint8Array, value: Uint8Array): void {
    this.lease.check();
    this.put(s, key, value);
  }

  deleteKeyed(s: string, key: Uint8Array): void {
    this.lease.check();
    this.put(s, key, null);
  }

  write(): void {
    this.lease.check();
    this.generation++;
    if (this.dirty.size === 0) return;
    const keys = this.dirty.sortedKeys();
    const parent = this.parent;
    if (parent instanceof CacheKV) {
      // Skips re-validating and re-encoding keys that this branch already checked.
      parent.lease.check();
      for (let i = 0; i < keys.length; i++) {
        const d = this.dirty.get(keys[i]) as Dirty;
        parent.put(keys[i], d.key, d.value);
      }
    } else if (this.keyed !== undefined) {
      const keyed = this.keyed;
      for (let i = 0; i < keys.length; i++) {
        const d = this.dirty.get(keys[i]) as Dirty;
        if (d.value === null) keyed.deleteKeyed(keys[i], d.key);
        else keyed.setKeyed(keys[i], d.key, d.value);
      }
    } else {
      for (let i = 0; i < keys.length; i++) {
        const d = this.dirty.get(keys[i]) as Dirty;
        if (d.value === null) parent.delete(d.key);
        else parent.set(d.key, d.value);
      }
    }
    this.dirty.clear();
  }

  branch(): CacheKV {
    this.lease.check();
    return new CacheKV(this, this.lease);
  }

  iterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair> {
    return this.merged(start, end, false);
  }

  reverseIterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair> {
    return this.merged(start, end, true);
  }

  private read(s: string, key: Uint8Array): Uint8Array | undefined {
    const d = this.dirty.get(s);
    if (d !== undefined) return d.value ?? undefined;
    return this.keyed !== undefined ? this.keyed.getKeyed(s, key) : this.parent.get(key);
  }

  private contains(s: string, key: Uint8Array): boolean {
    const d = this.dirty.get(s);
    if (d !== undefined) return d.value !== null;
    return this.keyed !== undefined ? this.keyed.hasKeyed(s, key) : this.parent.has(key);
  }

  private put(s: string, key: Uint8Array, value: Uint8Array | null): void {
    const d = this.dirty.get(s);
    // Mutating in place is safe: iterators copy the buffered entries they will yield.
    if (d !== undefined) d.value = value;
    else this.dirty.set(s, { key, value });
  }

  private merged(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse: boolean): MergedIterator {
    this.lease.check();
    if (start !== undefined) assertValidKey(start);
    if (end !== undefined) assertValidKey(end);
    const keys = this.dirty.sortedKeys();
    const [lo, hi] = rangeOf(keys, start, end);
    const n = hi - lo;
    const ks = new Array<Uint8Array>(n);
    const vs = new Array<Uint8Array | null>(n);
    for (let i = 0; i < n; i++) {
      const d = this.dirty.get(keys[reverse ? hi - 1 - i : lo + i]) as Dirty;
      ks[i] = d.key;
      vs[i] = d.value;
    }
    const below = reverse ? this.parent.reverseIterator(start, end) : this.parent.iterator(start, end);
    return new MergedIterator(this, this.generation, below, ks, vs, reverse);
  }

  /** Throws unless an iterator created at `generation` is still valid. */
  checkIterator(generation: number): void {
    this.lease.check();
    if (generation !== this.generation) {
      throw ErrIteratorInvalidated.wrap('the branch was written to its parent while the iterator was open');
    }
  }
}

/** Merges the parent's entries with a snapshot of buffered writes; buffered ones win. */
class MergedIterator implements IterableIterator<KVPair> {
  private head: KVPair | undefined;
  private belowDone = false;
  private i = 0;

  constructor(
    private readonly owner: CacheKV,
    private readonly generation: number,
    private readonly below: Iterator<KVPair>,
    private readonly keys: Uint8Array[],
    private readonly values: (Uint8Array | null)[],
    private readonly reverse: boolean,
  ) {}

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<KVPair> {
    this.owner.checkIterator(this.generation);
    for (;;) {
      const p = this.peekBelow();
      if (this.i >= this.keys.length) {
        if (p === undefined) return { done: true, value: undefined };
        this.head = undefined;
        return { done: false, value: p };
      }
      const ck = this.keys[this.i];
      if (p !== undefined) {
        let cmp = compareBytes(p[0], ck);
        if (this.reverse) cmp = -cmp;
        if (cmp < 0) {
          this.head = undefined;
          return { done: false, value: p };
        }
        // The buffered write replaces the parent's entry of the same key.
        if (cmp === 0) this.head = undefined;
      }
      const cv = this.values[this.i++];
      if (cv !== null) return { done: false, value: [ck, cv] };
    }
  }

  return(): IteratorResult<KVPair> {
    this.belowDone = true;
    this.below.return?.();
    return { done: true, value: undefined };
  }

  private peekBelow(): KVPair | undefined {
    if (this.head === undefined && !this.belowDone) {
      const r = this.below.next();
      if (r.done) this.belowDone = true;
      else this.head = r.value;
    }
    return this.head;
  }
}
