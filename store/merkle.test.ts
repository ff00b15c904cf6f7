import { ics23, tendermintSpec, verifyMembership } from '@confio/ics23';
import { sha256 as nobleSha256 } from '@cosmjs/crypto';
import { CodedError } from '../types/errors';
import {
  encodeCommitmentProof,
  hashFromByteSlices,
  hashFromMap,
  kvLeaf,
  mapExistenceProof,
  proofFromByteSlices,
  rootFromProof,
  uvarint,
} from './merkle';

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * An independent Merkle Tree Hash written from RFC 6962 §2.1 with another sha256:
 * MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of 2 < n.
 */
function rfc6962(d: Uint8Array[]): Uint8Array {
  const h = (...parts: Uint8Array[]) => nobleSha256(Uint8Array.from(parts.flatMap((p) => [...p])));
  if (d.length === 0) return h();
  if (d.length === 1) return h(Uint8Array.of(0), d[0]);
  let k = 1;
  while (k << 1 < d.length) k <<= 1;
  return h(Uint8Array.of(1), rfc6962(d.slice(0, k)), rfc6962(d.slice(k)));
}

function bytesOf(seed: number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (seed * 131 + i * 17) & 0xff);
}

describe('hashFromByteSlices', () => {
  // Vectors of CometBFT crypto/merkle/tree_test.go TestHashFromByteSlices.
  it.each([
    ['empty', [], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['single', [[1, 2, 3]], '054edec1d0211f624fed0cbca9d4f9400b0e491c43742af2c5b0abebf0c990d8'],
    ['single blank', [[]], '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'],
    ['two', [[1, 2, 3], [4, 5, 6]], '82e6cfce00453804379b53962939eaa7906b39904be0813fcadd31b100773c4b'],
    ['many', [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]], 'f326493eceab4f2d9ffbc78c59432a0a005d6ea98392045c74df5d14a113be18'],
  ])('matches the CometBFT vector "%s"', (_name, items, want) => {
    expect(hex(hashFromByteSlices(items.map((x) => Uint8Array.from(x))))).toBe(want);
  });

  it('matches sha256 of "foo" leaf and an independent RFC 6962 implementation for sizes 0..70', () => {
    expect(hex(hashFromByteSlices([utf8('foo')]))).toBe(hex(nobleSha256(Uint8Array.of(0, ...utf8('foo')))));
    for (let n = 0; n <= 70; n++) {
      const items = Array.from({ length: n }, (_, i) => bytesOf(i + n, i % 7));
      expect(hex(hashFromByteSlices(items))).toBe(hex(rfc6962(items)));
    }
  });
});

describe('proofs', () => {
  it('every leaf of trees of 1..33 items proves against the root', () => {
    for (let n = 1; n <= 33; n++) {
      const items = Array.from({ length: n }, (_, i) => bytesOf(i, 5));
      const root = hashFromByteSlices(items);
      for (let i = 0; i < n; i++) {
        const { root: r, proof } = proofFromByteSlices(items, i);
        expect(hex(r)).toBe(hex(root));
        expect(hex(rootFromProof(items[i], proof))).toBe(hex(root));
        expect(hex(rootFromProof(bytesOf(99, 5), proof))).not.toBe(hex(root));
      }
    }
  });

  it('rejects an index outside the items with a coded error', () => {
    expect(() => proofFromByteSlices([utf8('a')], 1)).toThrow(CodedError);
  });
});

describe('key-value map (CommitInfo layout) and ICS23 tendermintSpec proofs', () => {
  it('lays out leaves as uvarint(len key) || key || uvarint(32) || sha256(value)', () => {
    expect(hex(uvarint(0))).toBe('00');
    expect(hex(uvarint(127))).toBe('7f');
    expect(hex(uvarint(128))).toBe('8001');
    expect(hex(uvarint(300))).toBe('ac02');
    expect(hex(uvarint(2 ** 32))).toBe('8080808010');
    expect(() => uvarint(-1)).toThrow(CodedError);
    const name = 'x'.repeat(130);
    const leaf = kvLeaf(utf8(name), utf8('root'));
    expect(hex(leaf.subarray(0, 2))).toBe('8201');
    expect(hex(leaf.subarray(132, 133))).toBe('20');
    expect(hex(leaf.subarray(133))).toBe(hex(nobleSha256(utf8('root'))));
  });

  it('sorts by key and rejects duplicate keys', () => {
    const a = { key: utf8('bank'), value: utf8('r1') };
    const b = { key: utf8('acc'), value: utf8('r2') };
    expect(hex(hashFromMap([a, b]))).toBe(hex(hashFromMap([b, a])));
    expect(hex(hashFromMap([a, b]))).toBe(hex(rfc6962([kvLeaf(b.key, b.value), kvLeaf(a.key, a.value)])));
    expect(() => hashFromMap([a, a])).toThrow(/duplicate key/);
  });

  it('proves each key with @confio/ics23 verifyMembership(tendermintSpec) for maps of 1..20 entries', () => {
    for (let n = 1; n <= 20; n++) {
      const pairs = Array.from({ length: n }, (_, i) => ({ key: utf8(`store${String.fromCharCode(97 + ((i * 7) % 26))}${i}`), value: nobleSha256(bytesOf(i, 9)) }));
      const root = hashFromMap(pairs);
      for (const p of pairs) {
        const { root: r, proof } = mapExistenceProof(pairs, p.key);
        expect(hex(r)).toBe(hex(root));
        // Through the wire format, decoded by the verifier's own codec.
        const decoded = ics23.CommitmentProof.decode(encodeCommitmentProof(proof));
        expect(verifyMembership(decoded, tendermintSpec, root, p.key, p.value)).toBe(true);
        expect(verifyMembership(decoded, tendermintSpec, root, p.key, utf8('other'))).toBe(false);
        const wrongRoot = Uint8Array.from(root);
        wrongRoot[0] ^= 1;
        expect(verifyMembership(decoded, tendermintSpec, wrongRoot, p.key, p.value)).toBe(false);
      }
    }
    expect(() => mapExistenceProof([{ key: utf8('a'), value: utf8('b') }], utf8('z'))).toThrow(CodedError);
  });
});
