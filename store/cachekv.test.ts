import { CodedError } from '../types/errors';
import { CacheKV, Lease } from './cachekv';
import { ErrIteratorInvalidated, ErrStaleBranch, MemStore } from './memstore';
import type { KVStore } from './types';

const b = (...xs: number[]) => Uint8Array.from(xs);
const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const dump = (it: Iterable<[Uint8Array, Uint8Array]>) => [...it].map(([k, v]) => `${hex(k)}=${hex(v)}`);

/** xorshift32: a reproducible stream so a failure can be replayed from its seed. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

/** The reference: a plain map per layer; a layer's view is its parent's view overlaid. */
class Model {
  layers: Map<string, string | null>[] = [new Map()];
  view(): Map<string, string> {
    const out = new Map<string, string>();
    for (const layer of this.layers) {
      for (const [k, v] of layer) {
        if (v === null) out.delete(k);
        else out.set(k, v);
      }
    }
    return out;
  }
  /** Folds the top layer into the one below; the base store keeps no tombstones. */
  fold(): void {
    const layer = this.layers.pop()!;
    const below = this.layers[this.layers.length - 1];
    for (const [k, v] of layer) {
      if (v === null && this.layers.length === 1) below.delete(k);
      else below.set(k, v);
    }
  }
  range(start: string | undefined, end: string | undefined, reverse: boolean): string[] {
    // Hex strings of bytes sort in the bytes' order.
    const entries = [...this.view()].filter(([k]) => (start === undefined || k >= start) && (end === undefined || k < end));
    entries.sort(([x], [y]) => (x < y ? -1 : 1));
    if (reverse) entries.reverse();
    return entries.map(([k, v]) => `${k}=${v}`);
  }
}

describe('CacheKV', () => {
  it('reads its own writes, hides deletes, and leaves the parent alone until write()', () => {
    const parent = new MemStore();
    parent.set(b(1), b(10));
    parent.set(b(2), b(20));
    const c = new CacheKV(parent);
    c.set(b(3), b(30));
    c.delete(b(1));
    c.set(b(2), b(21));
    expect(c.get(b(1))).toBeUndefined();
    expect(c.has(b(1))).toBe(false);
    expect(c.get(b(2))).toEqual(b(21));
    expect(c.has(b(3))).toBe(true);
    expect(dump(c.iterator())).toEqual(['02=15', '03=1e']);
    expect(dump(parent.iterator())).toEqual(['01=0a', '02=14']);
    c.write();
    expect(dump(parent.iterator())).toEqual(['02=15', '03=1e']);
    expect(c.size).toBe(0);
    // The branch stays usable after write().
    c.set(b(4), b(40));
    expect(dump(c.iterator())).toEqual(['02=15', '03=1e', '04=28']);
  });

  it('a failed transaction branch is discarded without a trace; a good one lands in the block branch', () => {
    const committed = new MemStore();
    committed.set(b(1), b(100));
    const block = new CacheKV(committed);
    const good = block.branch();
    good.set(b(1), b(90));
    good.set(b(2), b(10));
    good.write();
    const bad = block.branch();
    bad.set(b(1), b(0));
    bad.delete(b(2));
    bad.set(b(3), b(3));
    expect(bad.get(b(3))).toEqual(b(3));
    // `bad` is dropped here.
    expect(dump(block.iterator())).toEqual(['01=5a', '02=0a']);
    expect(dump(committed.iterator())).toEqual(['01=64']);
    block.write();
    expect(dump(committed.iterator())).toEqual(['01=5a', '02=0a']);
  });

  it('write() applies keys to the parent in ascending byte order', () => {
    const order: string[] = [];
    const inner = new MemStore();
    const recorder: KVStore = {
      get: (k) => inner.get(k),
      has: (k) => inner.has(k),
      iterator: (s, e) => inner.iterator(s, e),
      reverseIterator: (s, e) => inner.reverseIterator(s, e),
      set: (k, v) => {
        order.push(`set ${hex(k)}`);
        inner.set(k, v);
      },
      delete: (k) => {
        order.push(`del ${hex(k)}`);
        inner.delete(k);
      },
    };
    const c = new CacheKV(recorder);
    for (const k of [b(9), b(0xff), b(0), b(5, 1), b(5)]) c.set(k, b(1));
    c.delete(b(7));
    c.delete(b(5, 1));
    c.write();
    expect(order).toEqual(['set 00', 'set 05', 'del 0501', 'del 07', 'set 09', 'set ff']);
  });

  it('iterators are snapshots of the branch: deleting while iterating is allowed', () => {
    const parent = new MemStore();
    for (let i = 0; i < 6; i++) parent.set(b(i), b(i));
    const c = new CacheKV(parent);
    c.set(b(10), b(10));
    c.delete(b(3));
    const seen: string[] = [];
    for (const [k] of c.iterator()) {
      seen.push(hex(k));
      c.delete(k);
      c.set(b(k[0], 1), b(0));
    }
    expect(seen).toEqual(['00', '01', '02', '04', '05', '0a']);
    expect(dump(c.reverseIterator()).map((s) => s.slice(0, 4))).toEqual(['0a01', '0501', '0401', '0201', '0101', '0001']);
  });

  it('write() invalidates the branch iterators that are still open', () => {
    const c = new CacheKV(new MemStore());
    c.set(b(1), b(1));
    c.set(b(2), b(2));
    const it = c.iterator();
    expect(it.next().value?.[0]).toEqual(b(1));
    c.write();
    expect(() => it.next()).toThrow(CodedError);
    try {
      it.next();
    } catch (e) {
      expect((e as CodedError).is(ErrIteratorInvalidated)).toBe(true);
    }
  });

  it('a revoked lease makes the branch and its sub-branches unusable', () => {
    const lease = new Lease();
    const c = new CacheKV(new MemStore(), lease);
    const sub = c.branch();
    sub.set(b(1), b(1));
    lease.revoke();
    for (const op of [() => c.get(b(1)), () => sub.write(), () => sub.set(b(2), b(2)), () => [...c.iterator()]]) {
      try {
        op();
        throw new Error('unreachable');
      } catch (e) {
        expect((e as CodedError).is(ErrStaleBranch)).toBe(true);
      }
    }
  });

  it('rejects bad keys and range bounds with coded errors', () => {
    const c = new CacheKV(new MemStore());
    expect(() => c.set(b(), b(1))).toThrow(/key must not be empty/);
    expect(() => c.set(b(1), 'v' as unknown as Uint8Array)).toThrow(/value must be a Uint8Array/);
    expect(() => c.iterator(b(), b(1))).toThrow(CodedError);
  });

  // Random operations over nested branches against the reference model. Keys come from a
  // tiny alphabet with 0x00 and 0xff so that prefixes, equal keys and edges are frequent.
  for (const seed of [1, 7, 42, 1234, 99991]) {
    it(`matches the reference model under random nested operations (seed ${seed})`, () => {
      const r = rng(seed);
      const alphabet = [0x00, 0x01, 0x7f, 0x80, 0xff];
      const key = () => {
        const n = 1 + r(3);
        return Uint8Array.from({ length: n }, () => alphabet[r(alphabet.length)]);
      };
      const model = new Model();
      const base = new MemStore();
      const stack: KVStore[] = [base];
      const top = () => stack[stack.length - 1];
      const topLayer = () => model.layers[model.layers.length - 1];
      for (let step = 0; step < 3000; step++) {
        const op = r(100);
        if (op < 35) {
          const k = key();
          const v = b(r(256));
          top().set(k, v);
          topLayer().set(hex(k), hex(v));
        } else if (op < 50) {
          const k = key();
          top().delete(k);
          topLayer().set(hex(k), null);
        } else if (op < 65) {
          const k = key();
          const want = model.view().get(hex(k));
          expect(top().get(k) === undefined ? undefined : hex(top().get(k)!)).toBe(want);
          expect(top().has(k)).toBe(want !== undefined);
        } else if (op < 82) {
          const s = r(4) === 0 ? undefined : key();
          const e = r(4) === 0 ? undefined : key();
          const reverse = r(2) === 1;
          const got = dump(reverse ? top().reverseIterator(s, e) : top().iterator(s, e));
          expect(got).toEqual(model.range(s && hex(s), e && hex(e), reverse));
        } else if (op < 88 && stack.length < 5) {
          const t = top();
          stack.push(t instanceof CacheKV ? t.branch() : new CacheKV(t));
          model.layers.push(new Map());
        } else if (op < 95 && stack.length > 1) {
          (stack.pop() as CacheKV).write();
          model.fold();
        } else if (stack.length > 1) {
          stack.pop();
          model.layers.pop();
        }
      }
      while (stack.length > 1) {
        (stack.pop() as CacheKV).write();
        model.fold();
      }
      expect(dump(base.iterator())).toEqual(model.range(undefined, undefined, false));
      expect(dump(base.reverseIterator())).toEqual(model.range(undefined, undefined, true));
    });
  }
});
