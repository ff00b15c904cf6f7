/**
 * Deterministic secp256k1 test cases: valid signatures and their malformed relatives, built
 * from a sha256 counter stream so a failing case can be reproduced from its index.
 */
import { sha256 } from '../../crypto/hash';
import { getSecp256k1Backend } from '../../crypto/secp256k1';

export const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
export const P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;

export type CaseKind =
  | 'valid'
  | 'highS'
  | 'wrongKey'
  | 'wrongMessage'
  | 'sigBitFlip'
  | 'pubBitFlip'
  | 'sigLength'
  | 'uncompressedKey'
  | 'zeroOrOverflow'
  | 'badPrefix'
  | 'xNotOnField'
  | 'randomPub';

export const CASE_KINDS: CaseKind[] = [
  'valid', 'highS', 'wrongKey', 'wrongMessage', 'sigBitFlip', 'pubBitFlip', 'sigLength',
  'uncompressedKey', 'zeroOrOverflow', 'badPrefix', 'xNotOnField', 'randomPub',
];

export interface Case {
  index: number;
  kind: CaseKind;
  pubkey: Uint8Array;
  msgHash: Uint8Array;
  signature: Uint8Array;
  /** The verdict the rules require, when the kind decides it; undefined for random mutations. */
  expected?: boolean;
}

/** A deterministic byte stream: sha256(label || counter). */
export class Stream {
  private counter = 0;
  constructor(private readonly label: string) {}
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let off = 0; off < n; off += 32) {
      const block = sha256(Buffer.from(`${this.label}/${this.counter++}`));
      out.set(block.subarray(0, Math.min(32, n - off)), off);
    }
    return out;
  }
  int(max: number): number {
    const b = this.bytes(4);
    return (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) % max;
  }
}

export function toBig(b: Uint8Array): bigint {
  return BigInt('0x' + (Buffer.from(b).toString('hex') || '0'));
}

export function fromBig(x: bigint, len = 32): Uint8Array {
  return Uint8Array.from(Buffer.from(x.toString(16).padStart(len * 2, '0'), 'hex'));
}

export interface Key {
  priv: Uint8Array;
  pub: Uint8Array;
  uncompressed: Uint8Array;
}

export function makeKeys(count: number, label = 'keys'): Key[] {
  const signer = getSecp256k1Backend('noble')!;
  const s = new Stream(label);
  const keys: Key[] = [];
  while (keys.length < count) {
    const priv = s.bytes(32);
    const d = toBig(priv);
    if (d === 0n || d >= N) continue;
    const pub = signer.publicKey(priv);
    keys.push({ priv, pub, uncompressed: uncompress(pub) });
  }
  return keys;
}

/** Decompresses a 33-byte key by solving y^2 = x^3 + 7 (p = 3 mod 4, so sqrt = a^((p+1)/4)). */
export function uncompress(pub33: Uint8Array): Uint8Array {
  const x = toBig(pub33.subarray(1));
  const y2 = (x * x * x + 7n) % P;
  let y = modPow(y2, (P + 1n) / 4n, P);
  if ((y & 1n) !== BigInt(pub33[0]! & 1)) y = P - y;
  const out = new Uint8Array(65);
  out[0] = 4;
  out.set(fromBig(x), 1);
  out.set(fromBig(y), 33);
  return out;
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}

/** `count` cases cycling through every kind, signed with the noble backend. */
export function makeCases(count: number, label = 'cases'): Case[] {
  const signer = getSecp256k1Backend('noble')!;
  const keys = makeKeys(16, `${label}/keys`);
  const s = new Stream(label);
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const kind = CASE_KINDS[i % CASE_KINDS.length]!;
    const key = keys[s.int(keys.length)]!;
    const msgHash = s.bytes(32);
    const sig = signer.sign(key.priv, msgHash);
    let pubkey = key.pub;
    let signature = sig;
    let hash = msgHash;
    let expected: boolean | undefined;
    switch (kind) {
      case 'valid':
        expected = true;
        break;
      case 'highS': {
        signature = new Uint8Array(sig);
        signature.set(fromBig(N - toBig(sig.subarray(32))), 32);
        expected = false;
        break;
      }
      case 'wrongKey':
        pubkey = keys[(keys.indexOf(key) + 1) % keys.length]!.pub;
        expected = false;
        break;
      case 'wrongMessage':
        hash = new Uint8Array(msgHash);
        hash[s.int(32)]! ^= 1 << s.int(8);
        expected = false;
        break;
      case 'sigBitFlip':
        signature = new Uint8Array(sig);
        signature[s.int(64)]! ^= 1 << s.int(8);
        break;
      case 'pubBitFlip':
        pubkey = new Uint8Array(key.pub);
        pubkey[1 + s.int(32)]! ^= 1 << s.int(8);
        break;
      case 'sigLength':
        signature = s.int(2) === 0 ? sig.subarray(0, 63) : Uint8Array.from([...sig, 0]);
        expected = false;
        break;
      case 'uncompressedKey':
        pubkey = key.uncompressed;
        expected = false;
        break;
      case 'zeroOrOverflow': {
        signature = new Uint8Array(sig);
        const which = s.int(4);
        if (which === 0) signature.fill(0, 0, 32);
        else if (which === 1) signature.fill(0, 32, 64);
        else if (which === 2) signature.set(fromBig(N), 0);
        else signature.fill(0xff, 0, 32);
        expected = false;
        break;
      }
      case 'badPrefix':
        pubkey = new Uint8Array(key.pub);
        pubkey[0] = [0x00, 0x01, 0x04, 0x05, 0x06, 0x07, 0xff][s.int(7)]!;
        expected = false;
        break;
      case 'xNotOnField':
        pubkey = new Uint8Array(33);
        pubkey[0] = 0x02 + s.int(2);
        pubkey.set(fromBig(P + BigInt(s.int(1000))), 1);
        expected = false;
        break;
      case 'randomPub':
        pubkey = s.bytes(33);
        pubkey[0] = 0x02 + s.int(2);
        expected = false;
        break;
    }
    cases.push({ index: i, kind, pubkey, msgHash: hash, signature, expected });
  }
  return cases;
}
