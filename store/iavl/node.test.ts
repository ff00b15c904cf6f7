import { putUvarint, readUvarint, uvarintSize } from './node';

/** Unsigned LEB128 of a non-negative integer, with BigInt: an independent reference. */
function reference(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

test('uvarint encoding, size and decoding agree with a BigInt reference on both sides of every fast-path bound', () => {
  const values = [0, 1, 127, 128, 300, 2 ** 14 - 1, 2 ** 14, 2 ** 21 - 1, 2 ** 21, 2 ** 28, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 35 + 7, 2 ** 49, Number.MAX_SAFE_INTEGER];
  for (const n of values) {
    const buf = new Uint8Array(12);
    const end = putUvarint(buf, 1, n);
    expect([...buf.subarray(1, end)]).toEqual(reference(n));
    expect(uvarintSize(n)).toBe(end - 1);
    expect(readUvarint(buf, 1)).toEqual([n, end]);
  }
});
