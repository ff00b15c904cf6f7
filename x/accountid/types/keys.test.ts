import { State, decodeAccountId, encodeAccountId } from './keys';

/** The encoding written out with a DataView, independently of the fast paths. */
function reference(id: bigint): string {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, id, false);
  return Buffer.from(out).toString('hex');
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

it('encodes AccountIDs on both sides of 2^32 exactly as 8-byte big-endian', () => {
  const ids = [0n, 1n, 255n, 256n, 65_535n, 16_777_216n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x1234567890n, (1n << 53n) + 1n, (1n << 64n) - 1n];
  for (const id of ids) {
    expect(hex(encodeAccountId(id))).toBe(reference(id));
    expect(decodeAccountId(encodeAccountId(id))).toBe(id);
    expect(hex(State.accounts.key(id))).toBe(`01${reference(id)}`);
    expect(State.accounts.decodeKey(State.accounts.key(id))).toBe(id);
  }
  expect(() => encodeAccountId(-1n)).toThrow(/account id -1 is outside uint64/);
  expect(() => State.accounts.key(1n << 64n)).toThrow(/outside uint64/);
  expect(() => decodeAccountId(new Uint8Array(7))).toThrow(/account id has 7 bytes, expected 8/);
});

it('keeps every index key exactly as the store has always held it', () => {
  expect(hex(State.names.key('alice'))).toBe('02616c696365');
  expect(hex(State.addresses.key(Uint8Array.of(0xaa, 0xbb)))).toBe('03aabb');
  expect(hex(State.wallets.key('eth:0x01'))).toBe('04' + Buffer.from('eth:0x01').toString('hex'));
  expect(hex(State.nextId.prefix)).toBe('05');
  expect(State.schema.describe()).toBe(
    [
      'accounts (0x01): account id → sekai.accountid.v1.Account',
      'names (0x02): string → account id',
      'addresses (0x03): bytes → account id',
      'wallets (0x04): string → account id',
      'nextId (0x05): sequence from 0',
    ].join('\n'),
  );
});
