import { createHash } from 'node:crypto';

import { ripemd160, sha256, sha256Concat } from './hash';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('hash', () => {
  it('matches the FIPS 180-2 and RIPEMD-160 reference vectors', () => {
    expect(hex(sha256(Buffer.from('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(ripemd160(Buffer.from('abc')))).toBe('8eb208f7e05d987a9b044a8e98c6b087f15a0bfc');
    expect(hex(ripemd160(new Uint8Array(0)))).toBe('9c1185a5c5e9fc54612808977ee8f548b2258d31');
  });

  it('returns Uint8Arrays and hashes only the view, not the whole underlying buffer', () => {
    const big = Buffer.from('xxabcxx');
    const view = new Uint8Array(big.buffer, big.byteOffset + 2, 3);
    expect(sha256(view)).toBeInstanceOf(Uint8Array);
    expect(hex(sha256(view))).toBe(hex(sha256(Buffer.from('abc'))));
  });

  it('sha256Concat equals sha256 of the concatenation', () => {
    const parts = [Buffer.from('a'), new Uint8Array(0), Buffer.from('bc'), new Uint8Array(300).fill(7)];
    expect(hex(sha256Concat(...parts))).toBe(hex(sha256(Buffer.concat(parts))));
    expect(hex(sha256Concat())).toBe(createHash('sha256').digest('hex'));
  });
});
