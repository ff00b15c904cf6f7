/**
 * CometBFT's simple Merkle tree (`crypto/merkle`, RFC 6962 style) and its ICS23 proofs.
 *
 * - leaf hash  = sha256(0x00 || leaf)
 * - inner hash = sha256(0x01 || left || right)
 * - n > 1 items split at the largest power of two strictly below n (left gets that many)
 * - no items   = sha256("")
 *
 * The multistore's AppHash is this tree over one leaf per store,
 * `uvarint(len(name)) || name || uvarint(32) || sha256(storeRoot)`, sorted by name; an
 * ICS23 `tendermintSpec` proof of (name, storeRoot) verifies against it.
 */
import { createHash } from 'node:crypto';
import { CommitmentProof, HashOp, LengthOp, type ExistenceProof, type InnerOp } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { registerError } from '../types/errors';
import { compareBytes } from '../types/sorted';

export const ErrInvalidMerkleInput = registerError('store', 10, 'invalid merkle input');

const LEAF_PREFIX = Uint8Array.of(0x00);
const INNER_PREFIX = Uint8Array.of(0x01);

/** sha256 over the concatenation of `parts`. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** sha256(""), the root of an empty tree. */
export function emptyHash(): Uint8Array {
  return sha256();
}

export function leafHash(leaf: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, leaf);
}

export function innerHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(INNER_PREFIX, left, right);
}

/** The largest power of two strictly less than n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** CometBFT `merkle.HashFromByteSlices`. */
export function hashFromByteSlices(items: readonly Uint8Array[]): Uint8Array {
  return hashRange(items, 0, items.length);
}

function hashRange(items: readonly Uint8Array[], lo: number, hi: number): Uint8Array {
  const n = hi - lo;
  if (n === 0) return emptyHash();
  if (n === 1) return leafHash(items[lo]);
  const k = splitPoint(n);
  return innerHash(hashRange(items, lo, lo + k), hashRange(items, lo + k, hi));
}

/** One item's proof as CometBFT's `merkle.Proof`: sibling hashes from the leaf up. */
export interface SimpleProof {
  total: number;
  index: number;
  leafHash: Uint8Array;
  /** Sibling hashes, the leaf's sibling first. */
  aunts: Uint8Array[];
  /** For each aunt, whether it sits to the left of the path. */
  auntIsLeft: boolean[];
}

/** The root and the proof of `items[index]`. */
export function proofFromByteSlices(items: readonly Uint8Array[], index: number): { root: Uint8Array; proof: SimpleProof } {
  if (!Number.isInteger(index) || index < 0 || index >= items.length) {
    throw ErrInvalidMerkleInput.wrap(`index ${index} is outside 0..${items.length - 1}`);
  }
  const aunts: Uint8Array[] = [];
  const auntIsLeft: boolean[] = [];
  const walk = (lo: number, hi: number): Uint8Array => {
    const n = hi - lo;
    if (n === 1) return leafHash(items[lo]);
    const mid = lo + splitPoint(n);
    if (index < mid) {
      const left = walk(lo, mid);
      const right = hashRange(items, mid, hi);
      aunts.push(right);
      auntIsLeft.push(false);
      return innerHash(left, right);
    }
    const left = hashRange(items, lo, mid);
    const right = walk(mid, hi);
    aunts.push(left);
    auntIsLeft.push(true);
    return innerHash(left, right);
  };
  const root = walk(0, items.length);
  return { root, proof: { total: items.length, index, leafHash: leafHash(items[index]), aunts, auntIsLeft } };
}

/** Recomputes the root a proof commits to for `leaf`. */
export function rootFromProof(leaf: Uint8Array, proof: SimpleProof): Uint8Array {
  let h = leafHash(leaf);
  for (let i = 0; i < proof.aunts.length; i++) {
    h = proof.auntIsLeft[i] ? innerHash(proof.aunts[i], h) : innerHash(h, proof.aunts[i]);
  }
  return h;
}

/** Protobuf unsigned varint (Go `binary.PutUvarint`) of a non-negative safe integer. */
export function uvarint(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw ErrInvalidMerkleInput.wrap(`uvarint of ${n}`);
  // bigint keeps the shifts exact above 2^31, where number bit operators would wrap.
  let v = BigInt(n);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

/** A key and the value it commits to (the store name and the store's root, for the AppHash). */
export interface MerkleKV {
  key: Uint8Array;
  value: Uint8Array;
}

/** The leaf bytes of a pair: `uvarint(len(key)) || key || uvarint(32) || sha256(value)`. */
export function kvLeaf(key: Uint8Array, value: Uint8Array): Uint8Array {
  const vh = sha256(value);
  const kl = uvarint(key.length);
  const vl = uvarint(vh.length);
  const out = new Uint8Array(kl.length + key.length + vl.length + vh.length);
  let o = 0;
  for (const part of [kl, key, vl, vh]) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

function sortedUnique(pairs: readonly MerkleKV[]): MerkleKV[] {
  const sorted = [...pairs].sort((a, b) => compareBytes(a.key, b.key));
  for (let i = 1; i < sorted.length; i++) {
    if (compareBytes(sorted[i - 1].key, sorted[i].key) === 0) {
      throw ErrInvalidMerkleInput.wrap(`duplicate key ${Buffer.from(sorted[i].key).toString('hex')}`);
    }
  }
  return sorted;
}

/**
 * The root of a key-value map as the Cosmos SDK's `maps.HashFromMap` (and `CommitInfo.Hash`):
 * leaves are `kvLeaf(key, value)` sorted by key.
 */
export function hashFromMap(pairs: readonly MerkleKV[]): Uint8Array {
  return hashFromByteSlices(sortedUnique(pairs).map((p) => kvLeaf(p.key, p.value)));
}

/** The ICS23 leaf operation of `tendermintSpec`. */
export const TENDERMINT_LEAF_OP = Object.freeze({
  hash: HashOp.SHA256,
  prehashKey: HashOp.NO_HASH,
  prehashValue: HashOp.SHA256,
  length: LengthOp.VAR_PROTO,
  prefix: LEAF_PREFIX,
});

/** Turns a simple Merkle proof of `kvLeaf(key, value)` into an ICS23 existence proof. */
export function toExistenceProof(key: Uint8Array, value: Uint8Array, proof: SimpleProof): ExistenceProof {
  const path: InnerOp[] = proof.aunts.map((aunt, i) =>
    proof.auntIsLeft[i]
      ? { hash: HashOp.SHA256, prefix: concat(INNER_PREFIX, aunt), suffix: new Uint8Array(0) }
      : { hash: HashOp.SHA256, prefix: INNER_PREFIX, suffix: aunt },
  );
  return { key, value, leaf: { ...TENDERMINT_LEAF_OP }, path };
}

/**
 * The existence proof of `key` in the map, as a `CommitmentProof` (the payload of an
 * `ics23:simple` proof op), together with the map's root.
 */
export function mapExistenceProof(pairs: readonly MerkleKV[], key: Uint8Array): { root: Uint8Array; proof: CommitmentProof } {
  const sorted = sortedUnique(pairs);
  const index = sorted.findIndex((p) => compareBytes(p.key, key) === 0);
  if (index < 0) throw ErrInvalidMerkleInput.wrap(`key ${Buffer.from(key).toString('hex')} is not in the map`);
  const leaves = sorted.map((p) => kvLeaf(p.key, p.value));
  const { root, proof } = proofFromByteSlices(leaves, index);
  return { root, proof: { exist: toExistenceProof(key, sorted[index].value, proof) } };
}

/** Protobuf bytes of a `cosmos.ics23.v1.CommitmentProof`. */
export function encodeCommitmentProof(proof: CommitmentProof): Uint8Array {
  return CommitmentProof.encode(proof).finish();
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
