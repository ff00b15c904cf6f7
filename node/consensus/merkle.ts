/**
 * CometBFT's simple Merkle tree (RFC 6962): leaf = sha256(0x00 || item),
 * inner = sha256(0x01 || left || right), split at the largest power of two below n,
 * and the root of no items is sha256 of nothing.
 */
import { sha256, sha256Concat } from '../../crypto/hash';

const LEAF_PREFIX = Uint8Array.of(0);
const INNER_PREFIX = Uint8Array.of(1);

/** Root of the simple Merkle tree over `items` (crypto/merkle.HashFromByteSlices). */
export function merkleRoot(items: readonly Uint8Array[]): Uint8Array {
  if (items.length === 0) return sha256(new Uint8Array(0));
  return subtreeRoot(items, 0, items.length);
}

function subtreeRoot(items: readonly Uint8Array[], start: number, end: number): Uint8Array {
  const n = end - start;
  if (n === 1) return sha256Concat(LEAF_PREFIX, items[start]);
  const k = splitPoint(n);
  return sha256Concat(INNER_PREFIX, subtreeRoot(items, start, start + k), subtreeRoot(items, start + k, end));
}

/** Largest power of two strictly less than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
