/** The working state of one tree behind a memo of the values read or written through it. */
import type { KeyedKVStore } from '../cachekv';
import type { IavlTree } from '../iavl';
import { assertValidKey, keyString } from '../memstore';
import type { KVPair } from '../types';

/**
 * Keys remembered per store by `WorkingValues`: a block of 1 000 transfers touches about
 * 6 000 distinct keys, and the mempool's check state as many again. 65 536 entries of about
 * 200 B bound the memory near 13 MB per store; a bigger working set only costs re-reads.
 */
export const WORKING_VALUES_CAPACITY = 65_536;

/**
 * The working state of one tree with a memo of the latest value of every key read or
 * written through it (`null` for absent). Every branch of the multistore reaches its tree
 * through this view, so a key costs one LevelDB read per block (or per check state)
 * instead of one per transaction and layer: account records, module accounts and params
 * are read by every transaction.
 *
 * It cannot change a result: every write to the tree goes through `set`/`delete` here,
 * which update the memo after the tree accepted the write, so a hit returns exactly what
 * the tree would; `clear()` runs whenever the tree's working state is replaced (rollback,
 * a failed commit). When full, the memo is emptied, which only costs time.
 */
export class WorkingValues implements KeyedKVStore {
  private readonly values = new Map<string, Uint8Array | null>();

  constructor(
    private readonly tree: IavlTree,
    private readonly capacity = WORKING_VALUES_CAPACITY,
  ) {}

  /** Number of remembered keys. */
  get size(): number {
    return this.values.size;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    assertValidKey(key);
    return this.getKeyed(keyString(key), key);
  }

  getKeyed(s: string, key: Uint8Array): Uint8Array | undefined {
    const hit = this.values.get(s);
    if (hit !== undefined) return hit ?? undefined;
    const v = this.tree.get(key);
    this.remember(s, v ?? null);
    return v;
  }

  has(key: Uint8Array): boolean {
    return this.get(key) !== undefined;
  }

  hasKeyed(s: string, key: Uint8Array): boolean {
    return this.getKeyed(s, key) !== undefined;
  }

  set(key: Uint8Array, value: Uint8Array): void {
    assertValidKey(key);
    this.setKeyed(keyString(key), key, value);
  }

  setKeyed(s: string, key: Uint8Array, value: Uint8Array): void {
    this.tree.set(key, value);
    this.remember(s, value);
  }

  delete(key: Uint8Array): void {
    assertValidKey(key);
    this.deleteKeyed(keyString(key), key);
  }

  deleteKeyed(s: string, key: Uint8Array): void {
    this.tree.delete(key);
    this.remember(s, null);
  }

  iterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair> {
    return this.tree.iterator(start, end);
  }

  reverseIterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair> {
    return this.tree.reverseIterator(start, end);
  }

  /** Forgets everything (the tree's working state was replaced). */
  clear(): void {
    this.values.clear();
  }

  private remember(s: string, value: Uint8Array | null): void {
    if (this.values.size >= this.capacity && !this.values.has(s)) this.values.clear();
    this.values.set(s, value);
  }
}
