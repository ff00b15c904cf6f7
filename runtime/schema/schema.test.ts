import { PageRequest } from '../../proto/gen/cosmos/base/query/v1beta1/pagination';
import { Validator } from '../../proto/gen/sekai/staking/v1/staking';
import { MemStore } from '../../store/memstore';
import type { KVStore } from '../../store/types';
import { CodedError } from '../../types/errors';
import {
  MultiIndex,
  SchemaBuilder,
  UniqueIndex,
  bytesKey,
  decimalValue,
  encodeKey,
  fixedBytesKey,
  heightKey,
  pairKey,
  paginate,
  paginateList,
  protoValue,
  stringKey,
  uint32Key,
  uint64Key,
  uint64Value,
  type KeyCodec,
} from '.';

function storeCtx(store: KVStore = new MemStore()) {
  return { store: () => store, raw: store };
}

const page = (p: Partial<PageRequest>): PageRequest => ({ ...PageRequest.fromPartial({}), ...p });

describe('SchemaBuilder', () => {
  test('refuses a duplicate prefix, naming both collections', () => {
    const s = new SchemaBuilder('m');
    s.map('accounts', 0x01, uint64Key, uint64Value);
    expect(() => s.item('params', 0x01, uint64Value)).toThrow('schema m: prefix 0x01 of params is the prefix 0x01 of accounts');
  });

  test('refuses a prefix that starts another, in either order', () => {
    const s = new SchemaBuilder('m');
    s.map('a', Uint8Array.of(0x02, 0x01), stringKey, uint64Value);
    expect(() => s.map('b', 0x02, stringKey, uint64Value)).toThrow('prefix 0x02 of b overlaps the prefix 0x0201 of a');
    const t = new SchemaBuilder('m');
    t.map('a', 0x02, stringKey, uint64Value);
    expect(() => t.map('b', Uint8Array.of(0x02, 0x01), stringKey, uint64Value)).toThrow('overlaps');
  });

  test('accepts neighbours sharing no prefix, and refuses a duplicate name, an empty prefix or a non-byte', () => {
    const s = new SchemaBuilder('m');
    s.map('a', Uint8Array.of(0x02, 0x01), stringKey, uint64Value);
    s.map('b', Uint8Array.of(0x02, 0x02), stringKey, uint64Value);
    s.item('c', 0x03, uint64Value);
    expect(s.collections.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    expect(() => s.item('c', 0x04, uint64Value)).toThrow('two collections are named c');
    expect(() => s.item('d', new Uint8Array(0), uint64Value)).toThrow('empty prefix');
    expect(() => s.item('d', 256, uint64Value)).toThrow('not one byte');
    expect(s.describe()).toBe('a (0x0201): string → uint64\nb (0x0202): string → uint64\nc (0x03): uint64');
  });
});

describe('key codecs', () => {
  const roundTrip = <K>(codec: KeyCodec<K>, key: K, hex: string) => {
    const bytes = encodeKey(codec, key);
    expect(Buffer.from(bytes).toString('hex')).toBe(hex);
    expect(codec.read(bytes, 0, bytes.length)).toEqual(key);
  };

  test('encode exactly as the modules store them, and read back', () => {
    roundTrip(uint64Key, 0n, '0000000000000000');
    roundTrip(uint64Key, 0x0102030405060708n, '0102030405060708');
    roundTrip(uint64Key, (1n << 64n) - 1n, 'ffffffffffffffff');
    roundTrip(heightKey, 300, '000000000000012c');
    roundTrip(uint32Key, 7, '00000007');
    roundTrip(stringKey, 'ukex', '756b6578');
    roundTrip(stringKey, 'é', 'c3a9');
    roundTrip(bytesKey, Uint8Array.of(1, 2), '0102');
    roundTrip(fixedBytesKey(2), Uint8Array.of(1, 2), '0102');
    roundTrip(pairKey(uint64Key, stringKey), [5n, 'ukex'], '0000000000000005756b6578');
  });

  test('big-endian integers sort numerically in byte order', () => {
    const ids = [0n, 1n, 255n, 256n, 0xffffffffn, 0x100000000n];
    const bytes = ids.map((n) => Buffer.from(encodeKey(uint64Key, n)));
    expect([...bytes].sort(Buffer.compare)).toEqual(bytes);
  });

  test('refuse values outside their type and stored keys of the wrong length', () => {
    expect(() => encodeKey(uint64Key, -1n)).toThrow(CodedError);
    expect(() => encodeKey(uint64Key, 1n << 64n)).toThrow('outside uint64');
    expect(() => encodeKey(uint32Key, 2 ** 32)).toThrow('outside uint32');
    expect(() => encodeKey(heightKey, 1.5)).toThrow('not a non-negative integer');
    expect(() => encodeKey(fixedBytesKey(20), new Uint8Array(19))).toThrow('20-byte key was given 19 bytes');
    expect(() => uint64Key.read(new Uint8Array(7), 0, 7)).toThrow('7 bytes, expected 8');
    expect(() => pairKey(stringKey, stringKey)).toThrow('first part of a pair key must be fixed-width');
  });

  test('value codecs round-trip', () => {
    expect(decimalValue.decode(decimalValue.encode(12345678901234567890n))).toBe(12345678901234567890n);
    expect(Buffer.from(decimalValue.encode(10n)).toString()).toBe('10');
    expect(() => decimalValue.decode(Buffer.from('01'))).toThrow('not a decimal integer');
    expect(uint64Value.decode(uint64Value.encode(9n))).toBe(9n);
    const v = protoValue(Validator);
    const val = Validator.fromPartial({ moniker: 'alice', rank: 3n });
    expect(v.decode(v.encode(val))).toEqual(val);
    expect(v.name).toBe('sekai.staking.v1.Validator');
  });
});

describe('collections', () => {
  const s = new SchemaBuilder('m');
  const balances = s.map('balances', 0x01, pairKey(uint64Key, stringKey), decimalValue);
  const next = s.sequence('next', 0x02);
  const params = s.item('params', 0x03, uint64Value);

  test('write the exact key bytes and make one store call each (gas is charged per call)', () => {
    const calls: string[] = [];
    const mem = new MemStore();
    const counting: KVStore = {
      get: (k) => (calls.push('get'), mem.get(k)),
      has: (k) => (calls.push('has'), mem.has(k)),
      set: (k, v) => (calls.push('set'), mem.set(k, v)),
      delete: (k) => (calls.push('delete'), mem.delete(k)),
      iterator: (a, b) => mem.iterator(a, b),
      reverseIterator: (a, b) => mem.reverseIterator(a, b),
    };
    const ctx = storeCtx(counting);
    balances.set(ctx, [2n, 'ukex'], 5n);
    balances.has(ctx, [2n, 'ukex']);
    balances.get(ctx, [2n, 'ukex']);
    balances.delete(ctx, [3n, 'ukex']);
    next.next(ctx);
    expect(calls).toEqual(['set', 'has', 'get', 'delete', 'get', 'set']);
    balances.set(ctx, [2n, 'ukex'], 5n);
    expect([...mem.iterator()].filter(([k]) => k[0] === 1).map(([k, v]) => [Buffer.from(k).toString('hex'), Buffer.from(v).toString()])).toEqual([['010000000000000002756b6578', '5']]);
    expect(balances.get(ctx, [2n, 'ukex'])).toBe(5n);
    expect(balances.has(ctx, [2n, 'uatom'])).toBe(false);
    balances.delete(ctx, [2n, 'ukex']);
    expect(balances.get(ctx, [2n, 'ukex'])).toBeUndefined();
    expect(params.get(ctx)).toBeUndefined();
    params.set(ctx, 3n);
    expect(params.get(ctx)).toBe(3n);
  });

  test('a sequence starts at its initial value and advances', () => {
    const ctx = storeCtx();
    expect(next.peek(ctx)).toBe(0n);
    expect(next.next(ctx)).toBe(0n);
    expect(next.next(ctx)).toBe(1n);
    expect(next.peek(ctx)).toBe(2n);
  });

  test('iterate in key order, within a key prefix and a range, both ways', () => {
    const ctx = storeCtx();
    for (const [id, denom] of [[2n, 'b'], [1n, 'z'], [2n, 'a'], [256n, 'a'], [2n, 'c']] as const) balances.set(ctx, [id, denom], id);
    params.set(ctx, 1n); // other collections never show up
    expect([...balances.keys(ctx)]).toEqual([[1n, 'z'], [2n, 'a'], [2n, 'b'], [2n, 'c'], [256n, 'a']]);
    const of2 = { prefix: encodeKey(uint64Key, 2n) };
    expect([...balances.keys(ctx, of2)].map(([, d]) => d)).toEqual(['a', 'b', 'c']);
    expect([...balances.keys(ctx, { ...of2, reverse: true })].map(([, d]) => d)).toEqual(['c', 'b', 'a']);
    expect([...balances.keys(ctx, { start: [2n, 'b'], end: [256n, 'a'] })]).toEqual([[2n, 'b'], [2n, 'c']]);
    expect([...balances.entries(ctx, { start: [256n, ''] })]).toEqual([[[256n, 'a'], 256n]]);
  });
});

describe('indexed map', () => {
  const s = new SchemaBuilder('m');
  const validators = s.indexedMap('validators', 0x01, fixedBytesKey(2), protoValue(Validator));
  const byMoniker = validators.withIndex(
    new UniqueIndex(
      s.map('moniker', 0x02, stringKey, bytesKeyValue()),
      (v: Validator) => [v.moniker.toLowerCase()],
      (ref) => new Error(`moniker ${ref} is taken`),
    ),
  );
  const byStatus = validators.withIndex(new MultiIndex(s.pairSet('status', 0x03, uint32Key, fixedBytesKey(2)), uint32Key, (v: Validator) => v.status));

  function bytesKeyValue() {
    return { name: 'bytes', encode: (v: Uint8Array) => v, decode: (b: Uint8Array) => b };
  }

  test('keeps unique and multi indexes in step with every write and refuses a taken ref', () => {
    const ctx = storeCtx();
    const a = Uint8Array.of(0, 1);
    const b = Uint8Array.of(0, 2);
    validators.set(ctx, a, Validator.fromPartial({ moniker: 'Alice', status: 1 }));
    validators.set(ctx, b, Validator.fromPartial({ moniker: 'bob', status: 1 }));
    expect(byMoniker.owner(ctx, 'alice')).toEqual(a);
    expect([...byStatus.match(ctx, 1)]).toEqual([a, b]);
    expect(() => validators.set(ctx, b, Validator.fromPartial({ moniker: 'ALICE', status: 1 }))).toThrow('moniker alice is taken');
    validators.set(ctx, a, Validator.fromPartial({ moniker: 'Alicia', status: 3 }));
    expect(byMoniker.owner(ctx, 'alice')).toBeUndefined();
    expect(byMoniker.owner(ctx, 'alicia')).toEqual(a);
    expect([...byStatus.match(ctx, 1)]).toEqual([b]);
    expect([...byStatus.match(ctx, 3)]).toEqual([a]);
    validators.delete(ctx, a);
    expect(byMoniker.owner(ctx, 'alicia')).toBeUndefined();
    expect([...byStatus.match(ctx, 3)]).toEqual([]);
  });
});

describe('paginate', () => {
  const s = new SchemaBuilder('m');
  const ids = s.map('ids', 0x01, uint64Key, uint64Value);
  const s2 = s.item('other', 0x02, uint64Value);
  const ctx = storeCtx();
  for (let i = 1n; i <= 7n; i++) ids.set(ctx, i, i * 10n);
  s2.set(ctx, 0n);
  const list = (p?: Partial<PageRequest>, filter?: (k: bigint) => boolean) =>
    paginate(ctx, ids, p && page(p), { map: (k) => k, filter, limits: { default: 3n, max: 5n, clamp: false } });
  const key = (n: bigint) => Buffer.from(encodeKey(uint64Key, n));

  test('pages forward by next_key to an empty next_key on the last page', () => {
    const p1 = list();
    expect(p1.items).toEqual([1n, 2n, 3n]);
    expect(p1.pagination).toEqual({ nextKey: key(4n), total: 0n });
    const p2 = list({ key: p1.pagination.nextKey });
    expect(p2.items).toEqual([4n, 5n, 6n]);
    const p3 = list({ key: p2.pagination.nextKey });
    expect(p3.items).toEqual([7n]);
    expect(p3.pagination.nextKey.length).toBe(0);
  });

  test('a page that ends exactly at the last entry has no next_key', () => {
    const p = list({ limit: 5n, offset: 2n });
    expect(p.items).toEqual([3n, 4n, 5n, 6n, 7n]);
    expect(p.pagination.nextKey.length).toBe(0);
  });

  test('reverse walks down, and its next_key starts the next page inclusively', () => {
    const p1 = list({ reverse: true, limit: 2n });
    expect(p1.items).toEqual([7n, 6n]);
    expect(p1.pagination.nextKey).toEqual(key(5n));
    const p2 = list({ reverse: true, limit: 4n, key: p1.pagination.nextKey });
    expect(p2.items).toEqual([5n, 4n, 3n, 2n]);
    expect(list({ reverse: true, key: p2.pagination.nextKey }).items).toEqual([1n]);
    expect(list({ reverse: true, offset: 5n }).items).toEqual([2n, 1n]);
  });

  test('offset, count_total and filter count matching entries only', () => {
    const even = (k: bigint) => k % 2n === 0n;
    expect(list({ countTotal: true })).toMatchObject({ pagination: { total: 7n } });
    const p = list({ offset: 1n, limit: 1n, countTotal: true }, even);
    expect(p.items).toEqual([4n]);
    expect(p.pagination).toEqual({ nextKey: key(6n), total: 3n });
    expect(list({ offset: 99n }).items).toEqual([]);
  });

  test('a key past the end gives an empty page; limits and key with offset are refused', () => {
    expect(list({ key: key(99n) }).items).toEqual([]);
    expect(() => list({ limit: 6n })).toThrow('limit 6 exceeds 5');
    expect(() => list({ key: key(2n), offset: 1n })).toThrow('either offset or key');
    const clamped = paginate(ctx, ids, page({ limit: 6n }), { map: (k) => k, limits: { default: 3n, max: 5n, clamp: true } });
    expect(clamped.items).toHaveLength(5);
  });
});

describe('paginateList', () => {
  const items = [1, 2, 3, 4, 5].map((n) => Uint8Array.of(n));
  const id = (b: Uint8Array) => b;

  test('follows the store paginator: next_key, reverse from a key, offset, total and the limit rule', () => {
    const p1 = paginateList(items, id, page({ limit: 2n, countTotal: true }));
    expect(p1.items.map((b) => b[0])).toEqual([1, 2]);
    expect(p1.pagination).toEqual({ nextKey: Buffer.of(3), total: 5n });
    expect(paginateList(items, id, page({ limit: 2n, key: p1.pagination.nextKey })).items.map((b) => b[0])).toEqual([3, 4]);
    expect(paginateList(items, id, page({ reverse: true, key: Buffer.of(3) })).items.map((b) => b[0])).toEqual([3, 2, 1]);
    expect(paginateList(items, id, page({ offset: 4n })).pagination.nextKey.length).toBe(0);
    expect(() => paginateList(items, id, page({ limit: 1001n }))).toThrow('exceeds 1000');
    expect(() => paginateList(items, id, page({ key: Buffer.of(1), offset: 1n }))).toThrow('either offset or key');
  });
});
