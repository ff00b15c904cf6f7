/** The record a version's writes take in the write-ahead log (../changelog.ts). */
import { smallBuffer } from '../../types/bytes';
import { ErrCorruptStore } from './errors';
import { putUvarint, readUvarint, uvarintSize } from './node';

/** One write of a version, in the order it was made; value undefined = a delete. */
export interface Change {
  key: Uint8Array;
  value: Uint8Array | undefined;
}

/**
 * A version's writes as the write-ahead log stores them, in the order they were made:
 *   0x01 || root hash(32) || uvarint(count) || count × (uvarint(len key) || key || 0x00)       a delete
 *                                                      (uvarint(len key) || key || 0x01 || uvarint(len value) || value)
 * The record is node-local (never part of a hash or a proof); replaying it rebuilds the
 * version exactly, which the recorded root hash checks.
 */
export function encodeChangeSet(hash: Uint8Array, changes: readonly Change[]): Uint8Array {
  let size = 1 + 32 + uvarintSize(changes.length);
  for (const c of changes) {
    size += uvarintSize(c.key.length) + c.key.length + 1;
    if (c.value !== undefined) size += uvarintSize(c.value.length) + c.value.length;
  }
  const out = smallBuffer(size);
  out[0] = 1;
  out.set(hash, 1);
  let pos = putUvarint(out, 33, changes.length);
  for (const c of changes) {
    pos = putUvarint(out, pos, c.key.length);
    out.set(c.key, pos);
    pos += c.key.length;
    if (c.value === undefined) {
      out[pos++] = 0;
      continue;
    }
    out[pos++] = 1;
    pos = putUvarint(out, pos, c.value.length);
    out.set(c.value, pos);
    pos += c.value.length;
  }
  return out;
}

export function decodeChangeSet(rec: Uint8Array, version: number): { hash: Uint8Array; changes: Array<{ key: Uint8Array; value?: Uint8Array }> } {
  const bad = (why: string) => ErrCorruptStore.wrap(`log record of version ${version}: ${why}`);
  if (rec.length < 34 || rec[0] !== 1) throw bad('unknown format');
  const hash = rec.slice(1, 33);
  const [count, start] = readUvarint(rec, 33);
  let pos = start;
  const changes: Array<{ key: Uint8Array; value?: Uint8Array }> = [];
  for (let i = 0; i < count; i++) {
    let len: number;
    [len, pos] = readUvarint(rec, pos);
    if (pos + len + 1 > rec.length) throw bad('truncated key');
    const key = rec.subarray(pos, pos + len);
    pos += len;
    const kind = rec[pos++];
    if (kind === 0) {
      changes.push({ key });
      continue;
    }
    if (kind !== 1) throw bad(`unknown change kind ${kind}`);
    [len, pos] = readUvarint(rec, pos);
    if (pos + len > rec.length) throw bad('truncated value');
    changes.push({ key, value: rec.subarray(pos, pos + len) });
    pos += len;
  }
  if (pos !== rec.length) throw bad('trailing bytes');
  return { hash, changes };
}
