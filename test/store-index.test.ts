import * as store from '../store';
import type { CommitMultiStore, MultiStoreBranch } from '../runtime/multistore';

describe('store public face', () => {
  it('exports the parts every layer uses', () => {
    for (const name of ['StateDb', 'IavlTree', 'CacheKV', 'MemStore', 'RootMultiStore', 'CacheMultiStore', 'hashFromByteSlices', 'prefixed']) {
      expect(typeof (store as Record<string, unknown>)[name]).toBe('function');
    }
    expect(store.ErrInvalidKey.codespace).toBe('store');
  });

  it('RootMultiStore satisfies the runtime contract (checked by the compiler)', () => {
    const asContract = (s: store.RootMultiStore): CommitMultiStore => s;
    const asBranch = (b: store.CacheMultiStore): MultiStoreBranch => b;
    expect(typeof asContract).toBe('function');
    expect(typeof asBranch).toBe('function');
  });
});
