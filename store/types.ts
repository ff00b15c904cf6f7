/**
 * The store contracts every layer is written against.
 *
 * Reads and writes are synchronous: state-machine code runs to completion inside one
 * block without awaiting I/O, so its order of effects is the order of its statements.
 * LevelDB is reached synchronously (`getSync`) by the tree on a cache miss; only
 * opening, committing and closing are asynchronous.
 *
 * Keys and values are bytes. Iteration is always in unsigned byte order of keys.
 */

/** A half-open key range `[start, end)`; an absent bound is unbounded. */
export interface KeyRange {
  start?: Uint8Array;
  end?: Uint8Array;
}

/** One entry yielded by an iterator. The arrays must not be mutated by the caller. */
export type KVPair = [key: Uint8Array, value: Uint8Array];

/** The read side of a key-value store. */
export interface KVReader {
  get(key: Uint8Array): Uint8Array | undefined;
  has(key: Uint8Array): boolean;
  /** Entries with start <= key < end, ascending by unsigned byte order. */
  iterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair>;
  /** Entries with start <= key < end, descending by unsigned byte order. */
  reverseIterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair>;
}

/** A readable and writable key-value store. */
export interface KVStore extends KVReader {
  set(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
}

/**
 * A write-back branch over a parent store: reads fall through, writes stay in the
 * branch until `write()` folds them into the parent. Dropping the branch discards them.
 */
export interface CacheKVStore extends KVStore {
  /** Applies every buffered write to the parent, in key order, and empties the branch. */
  write(): void;
  /** Creates a branch on top of this branch. */
  branch(): CacheKVStore;
}

/** Identifies a committed version: its number and its Merkle root. */
export interface CommitId {
  version: number;
  hash: Uint8Array;
}

/** Pruning strategies of committed versions. */
export type PruningOptions =
  | { strategy: 'default' } // keep-recent 362, keep-every 500 (as the Cosmos SDK)
  | { strategy: 'nothing' } // an archive node: keep every version
  | { strategy: 'everything' } // keep only the latest version (and the one before, for queries in flight)
  | { strategy: 'custom'; keepRecent: number; keepEvery: number };
