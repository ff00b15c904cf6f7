import { CodedError } from '../types/errors';
import { ErrInvalidKey, ErrInvalidValue, MemStore, SortedKeyMap, keyString } from './memstore';

const b = (...xs: number[]) => Uint8Array.from(xs);
const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const keysOf = (it: Iterable<[Uint8Array, Uint8Array]>) => [...it].map(([k]) => hex(k));

describe('keyString', () => {
  it('orders like unsigned bytes, including 0x00 and 0xff and prefixes', () => {
    const keys = [b(0xff), b(0), b(0, 0), b(1), b(0x7f), b(0x80), b(0x80, 0), b(0xfe, 0xff)];
    const byString = [...keys].sort((x, y) => (keyString(x) < keyString(y) ? -1 : keyString(x) > keyString(y) ? 1 : 0));
    const byBytes = [...keys].sort((x, y) => Buffer.compare(x, y));
    expect(byString.map(hex)).toEqual(byBytes.map(hex));
  });

  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const s = keyString(all);
    expect(s.length).toBe(256);
    expect(Uint8Array.from(s, (c) => c.charCodeAt(0))).toEqual(all);
  });
});

describe('SortedKeyMap', () => {
  it('keeps order through deletes and re-inserts', () => {
    const m = new SortedKeyMap<number>();
    for (const k of ['c', 'a', 'b']) m.set(k, 1);
    expect([...m.sortedKeys()]).toEqual(['a', 'b', 'c']);
    m.delete('b');
    m.set('b', 2);
    m.set('d', 3);
    m.delete('d');
    m.set('d', 4);
    m.delete('a');
    expect(m.sortedKeys()).toEqual(['b', 'c', 'd']);
    expect(m.size).toBe(3);
  });

  it('matches a sorted reference through splices, merges and deletes', () => {
    const m = new SortedKeyMap<number>();
    const ref = new Set<string>();
    let x = 12345;
    const next = (n: number) => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x % n;
    };
    for (let round = 0; round < 300; round++) {
      // Batches of 1..80 writes cross the splice limit both ways.
      const writes = 1 + next(80);
      for (let i = 0; i < writes; i++) {
        const k = String.fromCharCode(next(256), next(256));
        if (next(10) < 2) {
          m.delete(k);
          ref.delete(k);
        } else {
          m.set(k, i);
          ref.add(k);
        }
      }
      expect([...m.sortedKeys()]).toEqual([...ref].sort());
    }
  });
});

describe('MemStore', () => {
  it('iterates ranges in byte order both ways', () => {
    const s = new MemStore();
    for (const k of [b(3), b(1), b(2, 0), b(2), b(0xff), b(0)]) s.set(k, k);
    expect(keysOf(s.iterator())).toEqual(['00', '01', '02', '0200', '03', 'ff']);
    expect(keysOf(s.reverseIterator())).toEqual(['ff', '03', '0200', '02', '01', '00']);
    expect(keysOf(s.iterator(b(2), b(3)))).toEqual(['02', '0200']);
    expect(keysOf(s.reverseIterator(b(1), b(2, 0)))).toEqual(['02', '01']);
    expect(keysOf(s.iterator(b(4), b(1)))).toEqual([]);
    expect(keysOf(s.iterator(undefined, b(1)))).toEqual(['00']);
  });

  it('iterators are snapshots: deleting while iterating visits every entry once', () => {
    const s = new MemStore();
    for (let i = 0; i < 10; i++) s.set(b(i), b(i));
    const seen: string[] = [];
    for (const [k] of s.iterator()) {
      seen.push(hex(k));
      s.delete(k);
      s.set(b(100 + k[0]), b(0));
    }
    expect(seen).toHaveLength(10);
    expect(keysOf(s.iterator())).toEqual(Array.from({ length: 10 }, (_, i) => (100 + i).toString(16)));
  });

  it('rejects invalid keys and values with coded errors', () => {
    const s = new MemStore();
    expect(() => s.set(b(), b(1))).toThrow(CodedError);
    expect(() => s.get('x' as unknown as Uint8Array)).toThrow(/key must be a Uint8Array, got string/);
    try {
      s.set(b(1), undefined as unknown as Uint8Array);
      throw new Error('unreachable');
    } catch (e) {
      expect((e as CodedError).is(ErrInvalidValue)).toBe(true);
    }
    try {
      s.delete(null as unknown as Uint8Array);
      throw new Error('unreachable');
    } catch (e) {
      expect((e as CodedError).is(ErrInvalidKey)).toBe(true);
    }
    s.set(b(1), b());
    expect(s.get(b(1))).toEqual(b());
    expect(s.has(b(1))).toBe(true);
  });
});
