/**
 * Merkle proofs of a tx in its block, as CometBFT's `Txs.Proof`: RFC-6962 simple Merkle tree
 * (leaf = sha256(0x00‖x), inner = sha256(0x01‖l‖r), split at the largest power of two below n)
 * over the tx hashes sha256(tx); the root is the header's data_hash.
 */
import { createHash } from 'node:crypto';
import { hexUpper, toBase64, type Json } from './encoding';
import { sha256 } from './search';

function h(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return new Uint8Array(hash.digest());
}

const LEAF = new Uint8Array([0]);
const INNER = new Uint8Array([1]);

function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function merkleRoot(items: Uint8Array[]): Uint8Array {
  if (items.length === 0) return h();
  if (items.length === 1) return h(LEAF, items[0]);
  const k = splitPoint(items.length);
  return h(INNER, merkleRoot(items.slice(0, k)), merkleRoot(items.slice(k)));
}

/** Sibling hashes from the leaf up to the root. */
export function merkleAunts(items: Uint8Array[], index: number): Uint8Array[] {
  if (items.length <= 1) return [];
  const k = splitPoint(items.length);
  if (index < k) return [...merkleAunts(items.slice(0, k), index), merkleRoot(items.slice(k))];
  return [...merkleAunts(items.slice(k), index - k), merkleRoot(items.slice(0, k))];
}

/** The `proof` field of a `tx` answer when `prove=true`. */
export function txProofJson(txs: Uint8Array[], index: number): Json {
  const leaves = txs.map(sha256);
  return {
    root_hash: hexUpper(merkleRoot(leaves)),
    data: toBase64(txs[index]),
    proof: {
      total: String(txs.length),
      index: String(index),
      leaf_hash: toBase64(h(LEAF, leaves[index])),
      aunts: merkleAunts(leaves, index).map(toBase64),
    },
  };
}
