import { Secp256k1, Secp256k1Signature } from '@cosmjs/crypto';

import { CodedError } from '../types/errors';
import { ErrInvalidPrivateKey } from './errors';
import { sha256 } from './hash';
import {
  getSecp256k1Backend,
  isLowS,
  publicKeyFromPrivate,
  secp256k1BackendName,
  signSecp256k1,
  verifySecp256k1,
  verifySecp256k1With,
} from './secp256k1';
import { CASE_KINDS, N, fromBig, makeCases, makeKeys, toBig } from '../test/crypto/secp256k1Cases';

const native = getSecp256k1Backend('native')!;
const noble = getSecp256k1Backend('noble')!;

describe('secp256k1 backends', () => {
  it('loads the native libsecp256k1 binding, not the elliptic fallback', () => {
    expect(native).toBeDefined();
    expect(native.modulePath).toMatch(/secp256k1[\\/]bindings\.js$/);
    expect(secp256k1BackendName).toBe('native');
  });

  it('SEKAI_SECP256K1_BACKEND=noble forces the pure-JS backend, with the same verdicts', () => {
    const [key] = makeKeys(1, 'forced');
    const hash = sha256(Buffer.from('forced'));
    const sig = signSecp256k1(key!.priv, hash);
    process.env.SEKAI_SECP256K1_BACKEND = 'noble';
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module instance reads the variable
        const forced = require('./secp256k1') as typeof import('./secp256k1');
        expect(forced.secp256k1BackendName).toBe('noble');
        expect(forced.verifySecp256k1(key!.pub, hash, sig)).toBe(true);
        expect(Buffer.from(forced.signSecp256k1(key!.priv, hash))).toEqual(Buffer.from(sig));
        expect(forced.verifySecp256k1(key!.pub, sha256(Buffer.from('other')), sig)).toBe(false);
      });
    } finally {
      delete process.env.SEKAI_SECP256K1_BACKEND;
    }
  });

  it('loads noble as the pure-JS backend', () => {
    expect(noble).toBeDefined();
    expect(noble.name).toBe('noble');
  });
});

describe('verifySecp256k1 against @cosmjs/crypto', () => {
  const keys = makeKeys(8, 'cosmjs');

  it('verifies cosmjs signatures and cosmjs verifies ours', () => {
    for (const [i, key] of keys.entries()) {
      const hash = sha256(Buffer.from(`sign bytes ${i}`));
      const theirs = Secp256k1.createSignature(hash, key.priv).toFixedLength().subarray(0, 64);
      const ours = signSecp256k1(key.priv, hash);
      // Both are RFC 6979 and low-S, so they are the same bytes.
      expect(Buffer.from(ours).toString('hex')).toBe(Buffer.from(theirs).toString('hex'));
      expect(verifySecp256k1(key.pub, hash, theirs)).toBe(true);
      expect(Secp256k1.verifySignature(Secp256k1Signature.fromFixedLength(ours), hash, key.pub)).toBe(true);
      expect(Buffer.from(publicKeyFromPrivate(key.priv))).toEqual(Buffer.from(Secp256k1.compressPubkey(Secp256k1.makeKeypair(key.priv).pubkey)));
    }
  });

  it('rejects the high-S twin that cosmjs accepts, with every backend', () => {
    const key = keys[0]!;
    const hash = sha256(Buffer.from('malleable'));
    const sig = signSecp256k1(key.priv, hash);
    const twin = new Uint8Array(sig);
    twin.set(fromBig(N - toBig(sig.subarray(32))), 32);
    expect(isLowS(sig)).toBe(true);
    expect(isLowS(twin)).toBe(false);
    // The twin is a mathematically valid ECDSA signature: cosmjs (noble, lowS off) accepts it.
    expect(Secp256k1.verifySignature(Secp256k1Signature.fromFixedLength(twin), hash, key.pub)).toBe(true);
    expect(verifySecp256k1(key.pub, hash, twin)).toBe(false);
    expect(verifySecp256k1With(noble, key.pub, hash, twin)).toBe(false);
    // The raw backends refuse it on their own as well.
    expect(native.verify(twin, hash, key.pub)).toBe(false);
    expect(noble.verify(twin, hash, key.pub)).toBe(false);
  });

  it('accepts s exactly n/2 and rejects n/2 + 1 (the boundary is s <= n/2)', () => {
    const half = fromBig(N >> 1n);
    const sig = new Uint8Array(64);
    sig.set(half, 32);
    expect(isLowS(sig)).toBe(true);
    sig.set(fromBig((N >> 1n) + 1n), 32);
    expect(isLowS(sig)).toBe(false);
  });

  it('refuses uncompressed keys even though the signature is valid for them', () => {
    const key = keys[1]!;
    const hash = sha256(Buffer.from('uncompressed'));
    const sig = signSecp256k1(key.priv, hash);
    expect(native.verify(sig, hash, key.uncompressed)).toBe(true);
    expect(verifySecp256k1(key.uncompressed, hash, sig)).toBe(false);
  });

  it('returns false, never throws, on malformed input', () => {
    const key = keys[2]!;
    const hash = sha256(Buffer.from('x'));
    const sig = signSecp256k1(key.priv, hash);
    const bad: unknown[] = [undefined, null, 'abc', 42, {}, [], new Uint8Array(0), new Uint8Array(100)];
    for (const b of bad) {
      expect(verifySecp256k1(b as Uint8Array, hash, sig)).toBe(false);
      expect(verifySecp256k1(key.pub, b as Uint8Array, sig)).toBe(false);
      expect(verifySecp256k1(key.pub, hash, b as Uint8Array)).toBe(false);
    }
    expect(verifySecp256k1(key.pub, hash, sig)).toBe(true);
    // A raw (unhashed) 33-byte message is not a digest.
    expect(verifySecp256k1(key.pub, new Uint8Array(33), sig)).toBe(false);
  });

  it('verifies through views with a byte offset into a larger buffer', () => {
    const key = keys[3]!;
    const hash = sha256(Buffer.from('views'));
    const sig = signSecp256k1(key.priv, hash);
    const big = new Uint8Array(7 + 33 + 32 + 64);
    big.set(key.pub, 7);
    big.set(hash, 40);
    big.set(sig, 72);
    for (const b of [native, noble]) {
      expect(verifySecp256k1With(b, big.subarray(7, 40), big.subarray(40, 72), big.subarray(72))).toBe(true);
    }
  });
});

describe('signing input errors', () => {
  it('throws a typed error for a bad private key', () => {
    for (const priv of [new Uint8Array(31), new Uint8Array(32), fromBig(N), new Uint8Array(32).fill(0xff)]) {
      let err: unknown;
      try {
        signSecp256k1(priv, new Uint8Array(32));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CodedError);
      expect((err as CodedError).is(ErrInvalidPrivateKey)).toBe(true);
      expect(() => publicKeyFromPrivate(priv)).toThrow(/invalid private key/);
    }
    expect(() => signSecp256k1(fromBig(N - 1n), new Uint8Array(31))).toThrow(/32 bytes/);
  });
});

describe('differential: native and noble agree', () => {
  // Noble costs about 1-4 ms per verify; 3,600 cases keep this test to a few seconds.
  const cases = makeCases(3600, 'differential');

  it('gives the same verdict for every case, and the required one where the kind decides it', () => {
    const counts = new Map<string, { t: number; f: number }>();
    for (const c of cases) {
      const a = verifySecp256k1With(native, c.pubkey, c.msgHash, c.signature);
      const b = verifySecp256k1With(noble, c.pubkey, c.msgHash, c.signature);
      if (a !== b) throw new Error(`case ${c.index} (${c.kind}): native ${a}, noble ${b}`);
      if (c.expected !== undefined && a !== c.expected) throw new Error(`case ${c.index} (${c.kind}): got ${a}, want ${c.expected}`);
      const k = counts.get(c.kind) ?? { t: 0, f: 0 };
      if (a) k.t++;
      else k.f++;
      counts.set(c.kind, k);
    }
    // Every kind was exercised, and the valid ones really were valid.
    expect([...counts.keys()].sort()).toEqual([...CASE_KINDS].sort());
    expect(counts.get('valid')!.f).toBe(0);
    expect(counts.get('highS')!.t).toBe(0);
  });
});
