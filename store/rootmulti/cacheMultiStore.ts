/** Branches of the multistore's working state: one CacheKV per store, written back together. */
import { CacheKV, type Lease } from '../cachekv';
import type { CacheKVStore, KVStore } from '../types';
import { ErrUnknownStore } from './errors';

/**
 * A write-back branch over every store of the multistore: `getStore(name)` gives that
 * store's CacheKV (created on first use), `write()` folds all of them into the parent in
 * store-name order, `branch()` nests (transaction inside block). All branches of one
 * working state share a lease that the next commit revokes.
 */
export class CacheMultiStore {
  private readonly caches = new Map<string, CacheKV>();
  private readonly known: ReadonlySet<string>;

  constructor(
    private readonly parentOf: (name: string) => KVStore,
    /** Store names, sorted. */
    private readonly names: readonly string[],
    private readonly lease: Lease,
    known?: ReadonlySet<string>,
  ) {
    // Nested branches share their parent's set: a block cuts two branches per tx.
    this.known = known ?? new Set(names);
  }

  getStore(name: string): CacheKVStore {
    this.lease.check();
    let c = this.caches.get(name);
    if (c === undefined) {
      if (!this.known.has(name)) throw ErrUnknownStore.wrap(`no store named ${JSON.stringify(name)} in this branch`);
      c = new CacheKV(this.parentOf(name), this.lease);
      this.caches.set(name, c);
    }
    return c;
  }

  write(): void {
    this.lease.check();
    for (const name of this.names) this.caches.get(name)?.write();
  }

  branch(): CacheMultiStore {
    this.lease.check();
    return new CacheMultiStore((name) => this.getStore(name), this.names, this.lease, this.known);
  }
}
