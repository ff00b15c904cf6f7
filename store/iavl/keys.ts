/**
 * Where a tree keeps its records in the shared LevelDB, under its prefix P (ours, not IAVL's):
 *   P 'n' nodeKey(12)   -> node record (node.ts)
 *   P 'r' version(u64)  -> root of that version: nodeKey(12) || hash(32), empty for an empty tree
 *   P 'o' version(u64)  -> node keys orphaned after that version: nodes alive in it but not in the
 *                          next one (concatenated 12-byte node keys); drives pruning
 *   P 'o' version from  -> (both u64) node keys orphaned after the pruned version `from` that
 *                          `version` still sees: moved here when `from` was pruned
 *   P 'm' version(u64)  -> the `from` versions of those moved lists (u64 each)
 *   P 'f' key           -> latest committed value of key (the "fast index": one getSync per read)
 *   P 'i'               -> the first version this tree ever committed (u64)
 * With a write-ahead log, the writes of committed versions whose nodes are not written yet are
 * in the change log file (../changelog.ts), one record per version (changeSet.ts).
 */
import { sha256 } from './node';

export const TAG_NODE = 0x6e; // 'n'
export const TAG_ROOT = 0x72; // 'r'
export const TAG_ORPHANS = 0x6f; // 'o'
export const TAG_MOVED = 0x6d; // 'm'
export const TAG_FAST = 0x66; // 'f'
export const TAG_FIRST = 0x69; // 'i'

/** Root hash of an empty tree. */
export const EMPTY_HASH = sha256(new Uint8Array(0));

export function cmp(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

export function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  // eslint-disable-next-line determinism/no-float-division -- exact: a safe integer floored by a power of two
  view.setUint32(0, Math.floor(n / 0x100000000));
  view.setUint32(4, n >>> 0);
  return out;
}

export function readU64(buf: Uint8Array, pos: number): number {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return view.getUint32(pos) * 0x100000000 + view.getUint32(pos + 4);
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** A key as a latin1 string (one char per byte): map keys whose default sort is the byte order. */
export function keyString(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
}

/** `prefix || tag || rest`: the DB key of one of the tree's records. */
export function tagKey(prefix: Uint8Array, tag: number, rest?: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + 1 + (rest ? rest.length : 0));
  out.set(prefix, 0);
  out[prefix.length] = tag;
  if (rest) out.set(rest, prefix.length + 1);
  return out;
}
