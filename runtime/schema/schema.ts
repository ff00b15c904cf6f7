/**
 * A module's state, declared once: `new SchemaBuilder(storeKey)` hands out collections, each
 * under its own prefix, and refuses a prefix that equals another or starts another (one
 * collection's keys would then be read as the other's). The check runs as each collection is
 * declared, so a bad schema fails when the module is loaded, before any block.
 */
import { Collection, IndexedMap, Item, KeySet, Sequence, StateMap } from './collections';
import { emptyValue, pairKey, type KeyCodec, type ValueCodec } from './codecs';

/** A declared prefix: one byte (the usual case) or several. */
export type Prefix = number | Uint8Array;

function prefixBytes(p: Prefix): Uint8Array {
  if (typeof p === 'number') {
    if (!Number.isInteger(p) || p < 0 || p > 0xff) throw new Error(`schema: prefix ${p} is not one byte`);
    return Uint8Array.of(p);
  }
  if (p.length === 0) throw new Error('schema: an empty prefix would overlap every other');
  return p.slice();
}

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > key.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

export class SchemaBuilder {
  private readonly declared: Collection[] = [];

  constructor(readonly storeKey: string) {}

  /** Every collection, in declaration order. */
  get collections(): readonly Collection[] {
    return this.declared;
  }

  private claim<C extends Collection>(c: C): C {
    for (const other of this.declared) {
      if (other.name === c.name) throw new Error(`schema ${this.storeKey}: two collections are named ${c.name}`);
      if (startsWith(c.prefix, other.prefix) || startsWith(other.prefix, c.prefix)) {
        const same = c.prefix.length === other.prefix.length;
        throw new Error(
          `schema ${this.storeKey}: prefix ${hex(c.prefix)} of ${c.name} ${same ? 'is the prefix' : 'overlaps the prefix'} ${hex(other.prefix)} of ${other.name}`,
        );
      }
    }
    this.declared.push(c);
    return c;
  }

  item<V>(name: string, prefix: Prefix, value: ValueCodec<V>): Item<V> {
    return this.claim(new Item(this.storeKey, name, prefixBytes(prefix), value));
  }

  sequence(name: string, prefix: Prefix, initial = 0n): Sequence {
    return this.claim(new Sequence(this.storeKey, name, prefixBytes(prefix), initial));
  }

  map<K, V>(name: string, prefix: Prefix, key: KeyCodec<K>, value: ValueCodec<V>): StateMap<K, V> {
    return this.claim(new StateMap(this.storeKey, name, prefixBytes(prefix), key, value));
  }

  keySet<K>(name: string, prefix: Prefix, key: KeyCodec<K>): KeySet<K> {
    return this.claim(new KeySet(this.storeKey, name, prefixBytes(prefix), key, emptyValue));
  }

  /** A key set of (ref, primary key) pairs, the store of a MultiIndex. */
  pairSet<A, B>(name: string, prefix: Prefix, a: KeyCodec<A>, b: KeyCodec<B>): KeySet<[A, B]> {
    return this.keySet(name, prefix, pairKey(a, b));
  }

  indexedMap<K, V>(name: string, prefix: Prefix, key: KeyCodec<K>, value: ValueCodec<V>): IndexedMap<K, V> {
    return this.claim(new IndexedMap(this.storeKey, name, prefixBytes(prefix), key, value));
  }

  /** One line per collection, in prefix order: the module's store layout. */
  describe(): string {
    return [...this.declared]
      .sort((a, b) => Buffer.compare(Buffer.from(a.prefix), Buffer.from(b.prefix)))
      .map((c) => c.describe())
      .join('\n');
  }
}
