import { Keys, decodeAccountId, encodeAccountId, idFromAccountKey, readAccountId } from './keys';

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
    expect(hex(Keys.account(id))).toBe(`01${reference(id)}`);
    expect(idFromAccountKey(Keys.account(id))).toBe(id);
  }
  // Reads at an offset inside a larger array (a key's tail).
  const buf = Uint8Array.from([9, 9, ...Buffer.from(reference(0xdeadbeefcafen), 'hex'), 9]);
  expect(readAccountId(buf, 2)).toBe(0xdeadbeefcafen);
  expect(() => encodeAccountId(-1n)).toThrow(/outside uint64/);
  expect(() => Keys.account(1n << 64n)).toThrow(/outside uint64/);
});
