import { encodeAccountId } from '../../accountid/types/keys';
import { Keys, denomOfKey, parseBalanceKey } from './keys';

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
    const key = Keys.balance(id, denom);
    expect(hex(key)).toBe(hex(want));
    expect(parseBalanceKey(key)).toEqual({ id, denom });
  }
});

it('builds supply and metadata keys as prefix ‖ utf-8 denom', () => {
  for (const denom of ['ukex', 'ibc/ABC', 'dénom€']) {
    const body = [...new TextEncoder().encode(denom)];
    expect(hex(Keys.supply(denom))).toBe(hex(Uint8Array.from([2, ...body])));
    expect(hex(Keys.metadata(denom))).toBe(hex(Uint8Array.from([3, ...body])));
    expect(denomOfKey(Keys.metadata(denom))).toBe(denom);
  }
});
