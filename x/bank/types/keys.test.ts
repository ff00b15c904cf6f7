import { encodeAccountId } from '../../accountid/types/keys';
import { State } from './keys';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

it('builds balance keys as 0x01 ‖ id(8) ‖ utf-8 denom and parses them back', () => {
  const cases: [bigint, string][] = [
    [0n, 'ukex'],
    [4_294_967_296n, 'ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2'],
    [(1n << 64n) - 1n, 'a:b.c_d-e'],
    [7n, 'dénom€'], // not a valid denom, but keys of any text must stay UTF-8
  ];
  for (const [id, denom] of cases) {
    const want = Uint8Array.from([1, ...encodeAccountId(id), ...new TextEncoder().encode(denom)]);
    const key = State.balances.key([id, denom]);
    expect(hex(key)).toBe(hex(want));
    expect(State.balances.decodeKey(key)).toEqual([id, denom]);
  }
});

it('builds supply and metadata keys as prefix ‖ utf-8 denom, and the send cap under 0x04', () => {
  for (const denom of ['ukex', 'ibc/ABC', 'dénom€']) {
    const body = [...new TextEncoder().encode(denom)];
    expect(hex(State.supply.key(denom))).toBe(hex(Uint8Array.from([2, ...body])));
    expect(hex(State.metadata.key(denom))).toBe(hex(Uint8Array.from([3, ...body])));
    expect(State.metadata.decodeKey(State.metadata.key(denom))).toBe(denom);
  }
  expect(hex(State.sendCap.prefix)).toBe('04');
});

it('stores amounts as decimal ASCII', () => {
  const v = State.supply.value;
  expect(Buffer.from(v.encode(1234567890123456789012345678901234567890n)).toString()).toBe('1234567890123456789012345678901234567890');
  expect(v.decode(v.encode(0n))).toBe(0n);
});
