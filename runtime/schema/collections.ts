/**
 * Typed collections over a module's store, after cosmos-sdk `collections`: each piece of
 * state is declared once with its prefix and codecs, and keepers read and write values,
 * never bytes. Collections are made by a `SchemaBuilder` (schema.ts), which refuses
 * overlapping prefixes.
 *
 * Every method makes exactly the store calls its name says (`has` is one `has`, `get` one
 * `get`, `set` one `set`): gas is charged per store access, so a keeper written against
 * collections costs what the same keeper written against raw keys costs.
 */
import type { KVPair, KVReader, KVStore } from '../../store/types';
import { prefixEnd } from '../../store/prefixEnd';
import { encodeKey, uint64Value, type KeyCodec, type ValueCodec } from './codecs';

/** Anything that hands out a module's store for reading: a Context or a QueryContext. */
export interface StoreReader {
  store(key: string): KVReader;
}

/** Anything that hands out a module's store for writing: a Context. */
export interface StoreWriter {
  store(key: string): KVStore;
}

/** A key range of one collection: keys from `start` (inclusive) to `end` (exclusive). */
export interface Range<K> {
  start?: K;
  end?: K;
  /** Only keys whose encoding starts with these bytes (e.g. `encodeKey(uint64Key, id)` of a pair). */
  prefix?: Uint8Array;
  reverse?: boolean;
}

/** What every collection shares: its name, store and prefix, for the schema and genesis. */
export abstract class Collection {
  constructor(
    readonly storeKey: string,
    readonly name: string,
    readonly prefix: Uint8Array,
  ) {}

  /** A description for errors and docs: `accounts (0x01): uint64 → sekai.accountid.v1.Account`. */
  abstract describe(): string;

  protected hex(): string {
    return `0x${Buffer.from(this.prefix).toString('hex')}`;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** A single value under its prefix (params, counters). */
export class Item<V> extends Collection {
  constructor(
    storeKey: string,
    name: string,
    prefix: Uint8Array,
    readonly value: ValueCodec<V>,
  ) {
    super(storeKey, name, prefix);
  }

  describe(): string {
    return `${this.name} (${this.hex()}): ${this.value.name}`;
  }

  get(ctx: StoreReader): V | undefined {
    const raw = ctx.store(this.storeKey).get(this.prefix);
    return raw === undefined ? undefined : this.value.decode(raw);
  }

  has(ctx: StoreReader): boolean {
    return ctx.store(this.storeKey).has(this.prefix);
  }

  set(ctx: StoreWriter, v: V): void {
    ctx.store(this.storeKey).set(this.prefix, this.value.encode(v));
  }

  delete(ctx: StoreWriter): void {
    ctx.store(this.storeKey).delete(this.prefix);
  }
}

/**
 * A uint64 counter (8 bytes big-endian) starting at `initial` when absent: the next ID to
 * hand out. `peek` reads it, `next` reads, returns and advances it.
 */
export class Sequence extends Item<bigint> {
  constructor(
    storeKey: string,
    name: string,
    prefix: Uint8Array,
    readonly initial = 0n,
  ) {
    super(storeKey, name, prefix, uint64Value);
  }

  override describe(): string {
    return `${this.name} (${this.hex()}): sequence from ${this.initial}`;
  }

  peek(ctx: StoreReader): bigint {
    return this.get(ctx) ?? this.initial;
  }

  next(ctx: StoreWriter): bigint {
    const n = this.peek(ctx);
    this.set(ctx, n + 1n);
    return n;
  }
}

/** Keys to values under one prefix, in key-byte order. */
export class StateMap<K, V> extends Collection {
  private readonly end: Uint8Array | undefined;

  constructor(
    storeKey: string,
    name: string,
    prefix: Uint8Array,
    readonly keyCodec: KeyCodec<K>,
    readonly value: ValueCodec<V>,
  ) {
    super(storeKey, name, prefix);
    this.end = prefixEnd(prefix);
  }

  describe(): string {
    return `${this.name} (${this.hex()}): ${this.keyCodec.name} → ${this.value.name}`;
  }

  /** The store key of `key`: prefix ‖ key encoding, in one allocation. */
  key(key: K): Uint8Array {
    const p = this.prefix;
    const out = new Uint8Array(p.length + this.keyCodec.size(key));
    if (p.length === 1) out[0] = p[0];
    else out.set(p, 0);
    this.keyCodec.write(out, p.length, key);
    return out;
  }

  /** The key a store key of this collection holds. */
  decodeKey(storeKey: Uint8Array): K {
    return this.keyCodec.read(storeKey, this.prefix.length, storeKey.length);
  }

  get(ctx: StoreReader, key: K): V | undefined {
    const raw = ctx.store(this.storeKey).get(this.key(key));
    return raw === undefined ? undefined : this.value.decode(raw);
  }

  has(ctx: StoreReader, key: K): boolean {
    return ctx.store(this.storeKey).has(this.key(key));
  }

  set(ctx: StoreWriter, key: K, value: V): void {
    ctx.store(this.storeKey).set(this.key(key), this.value.encode(value));
  }

  delete(ctx: StoreWriter, key: K): void {
    ctx.store(this.storeKey).delete(this.key(key));
  }

  /** The store range `[start, end)` a `Range` covers. */
  storeRange(range: Range<K> = {}): [Uint8Array, Uint8Array | undefined] {
    const base = range.prefix ? concat(this.prefix, range.prefix) : this.prefix;
    const baseEnd = range.prefix ? prefixEnd(base) : this.end;
    let start = base;
    let end = baseEnd;
    if (range.start !== undefined) {
      const s = this.key(range.start);
      if (compare(s, start) > 0) start = s;
    }
    if (range.end !== undefined) {
      const e = this.key(range.end);
      if (end === undefined || compare(e, end) < 0) end = e;
    }
    return [start, end];
  }

  /** Raw entries in range, ascending (descending with `reverse`); keys include the prefix. */
  rawIterator(ctx: StoreReader, range: Range<K> = {}): IterableIterator<KVPair> {
    const [start, end] = this.storeRange(range);
    const store = ctx.store(this.storeKey);
    return range.reverse ? store.reverseIterator(start, end) : store.iterator(start, end);
  }

  /** Entries in key order (reverse order with `range.reverse`). */
  *entries(ctx: StoreReader, range: Range<K> = {}): IterableIterator<[K, V]> {
    for (const [k, v] of this.rawIterator(ctx, range)) yield [this.decodeKey(k), this.value.decode(v)];
  }

  /** Keys in key order, without decoding values. */
  *keys(ctx: StoreReader, range: Range<K> = {}): IterableIterator<K> {
    for (const [k] of this.rawIterator(ctx, range)) yield this.decodeKey(k);
  }

  /** Values in key order. */
  *values(ctx: StoreReader, range: Range<K> = {}): IterableIterator<V> {
    for (const [, v] of this.rawIterator(ctx, range)) yield this.value.decode(v);
  }
}

function compare(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length));
}

/** A set of keys (the value is empty): pending work lists, memberships. */
export class KeySet<K> extends StateMap<K, true> {
  add(ctx: StoreWriter, key: K): void {
    this.set(ctx, key, true);
  }
}

/**
 * An index of an IndexedMap: derived store entries kept in step with the primary map.
 * `refs` says which index keys a value has (none, one or several).
 */
export interface Index<PK, V> {
  readonly collection: Collection;
  /** Checks that the value's refs are free; throws the index's error otherwise. */
  check(ctx: StoreReader, pk: PK, value: V): void;
  add(ctx: StoreWriter, pk: PK, value: V): void;
  remove(ctx: StoreWriter, pk: PK, value: V): void;
}

/**
 * Index key → primary key, each index key held by at most one value (names, monikers).
 * A value may have several refs (an account's wallets): `refs` returns them all.
 */
export class UniqueIndex<RK, PK, V> implements Index<PK, V> {
  constructor(
    readonly collection: StateMap<RK, PK>,
    private readonly refs: (value: V, pk: PK) => readonly RK[],
    private readonly taken: (ref: RK, owner: PK) => Error,
  ) {}

  /** The primary key holding `ref`, if any. */
  owner(ctx: StoreReader, ref: RK): PK | undefined {
    return this.collection.get(ctx, ref);
  }

  check(ctx: StoreReader, pk: PK, value: V): void {
    for (const ref of this.refs(value, pk)) {
      const owner = this.collection.get(ctx, ref);
      if (owner !== undefined && !sameKey(this.pkBytes(owner), this.pkBytes(pk))) throw this.taken(ref, owner);
    }
  }

  add(ctx: StoreWriter, pk: PK, value: V): void {
    for (const ref of this.refs(value, pk)) this.collection.set(ctx, ref, pk);
  }

  remove(ctx: StoreWriter, pk: PK, value: V): void {
    for (const ref of this.refs(value, pk)) this.collection.delete(ctx, ref);
  }

  private pkBytes(pk: PK): Uint8Array {
    return this.collection.value.encode(pk);
  }
}

/** (index key, primary key) → ∅: many values per index key (validators by status). */
export class MultiIndex<RK, PK, V> implements Index<PK, V> {
  constructor(
    readonly collection: KeySet<[RK, PK]>,
    private readonly refKey: KeyCodec<RK>,
    private readonly ref: (value: V, pk: PK) => RK | undefined,
  ) {}

  /** Primary keys under `ref`, in primary-key order. */
  *match(ctx: StoreReader, ref: RK): IterableIterator<PK> {
    for (const [, pk] of this.collection.keys(ctx, { prefix: encodeKey(this.refKey, ref) })) yield pk;
  }

  check(): void {}

  add(ctx: StoreWriter, pk: PK, value: V): void {
    const r = this.ref(value, pk);
    if (r !== undefined) this.collection.add(ctx, [r, pk]);
  }

  remove(ctx: StoreWriter, pk: PK, value: V): void {
    const r = this.ref(value, pk);
    if (r !== undefined) this.collection.delete(ctx, [r, pk]);
  }
}

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return compare(a, b) === 0;
}

/**
 * A StateMap whose indexes follow every write: `set` reads the old value, checks the new
 * value's unique refs, drops the old refs and writes the new ones. That read costs a
 * store access a hand-kept index may avoid; state written before the index existed must
 * have been written the same way.
 */
export class IndexedMap<K, V> extends StateMap<K, V> {
  private readonly indexes: Index<K, V>[] = [];

  constructor(storeKey: string, name: string, prefix: Uint8Array, keyCodec: KeyCodec<K>, value: ValueCodec<V>) {
    super(storeKey, name, prefix, keyCodec, value);
  }

  /** Attaches an index (at schema construction, before any write). */
  withIndex<I extends Index<K, V>>(index: I): I {
    this.indexes.push(index);
    return index;
  }

  override set(ctx: StoreWriter, key: K, value: V): void {
    const old = this.get(ctx, key);
    for (const ix of this.indexes) ix.check(ctx, key, value);
    if (old !== undefined) for (const ix of this.indexes) ix.remove(ctx, key, old);
    for (const ix of this.indexes) ix.add(ctx, key, value);
    super.set(ctx, key, value);
  }

  override delete(ctx: StoreWriter, key: K): void {
    const old = this.get(ctx, key);
    if (old === undefined) return;
    for (const ix of this.indexes) ix.remove(ctx, key, old);
    super.delete(ctx, key);
  }
}
