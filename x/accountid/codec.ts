/**
 * Account records are rewritten by every tx (the sequence lives in them), so they are
 * encoded directly into one buffer of the exact size; the generated writer grows a chunk
 * list per record. The bytes are the generated encoder's (codec.test.ts pins it), which
 * also remains the encoder for values it refuses (uint64 out of range), so its errors stay.
 *
 * Field numbers (sekai.accountid.v1.Account): id=1, name=2, pub_keys=3, wallets=4,
 * sequence=5, address=6, module=7.
 */
import { Account } from '../../proto/gen/sekai/accountid/v1/account';

const UINT64_LIMIT = 1n << 64n;

/** Lengths and small numbers: below 2^31, so 32-bit shifts are exact. */
function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n >>>= 7;
    size++;
  }
  return size;
}

function bigVarintSize(n: bigint): number {
  let size = 1;
  while (n >= 0x80n) {
    n >>= 7n;
    size++;
  }
  return size;
}

function writeVarint(out: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[pos++] = n;
  return pos;
}

function writeBigVarint(out: Uint8Array, pos: number, n: bigint): number {
  if (n < 0x80000000n) return writeVarint(out, pos, Number(n));
  while (n >= 0x80n) {
    out[pos++] = Number(n & 0x7fn) | 0x80;
    n >>= 7n;
  }
  out[pos++] = Number(n);
  return pos;
}

function writeBytes(out: Uint8Array, pos: number, tag: number, b: Uint8Array): number {
  out[pos++] = tag;
  pos = writeVarint(out, pos, b.length);
  out.set(b, pos);
  return pos + b.length;
}

/** An ASCII string (checked by the caller): one byte per char. */
function writeAscii(out: Uint8Array, pos: number, tag: number, s: string): number {
  out[pos++] = tag;
  pos = writeVarint(out, pos, s.length);
  for (let i = 0; i < s.length; i++) out[pos++] = s.charCodeAt(i);
  return pos;
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * A buffer for one record. Up to 64 bytes (a key-holding account is about 60) V8 keeps a
 * typed array's bytes on the JS heap; a larger one, or any Buffer pool slab, is memory the
 * collector is told about separately, and allocating it was where block execution's
 * collections were triggered.
 */
function recordBuffer(size: number): Uint8Array {
  return size <= 64 ? new Uint8Array(size) : Buffer.allocUnsafe(size);
}

/** `Account.encode(a).finish()`, byte for byte. */
export function encodeAccount(a: Account): Uint8Array {
  if (a.id < 0n || a.id >= UINT64_LIMIT || a.sequence < 0n || a.sequence >= UINT64_LIMIT) return Account.encode(a).finish();
  // Names, wallets and module names are ASCII in practice; anything else (UTF-8 lengths,
  // lone surrogates) is left to the generated encoder.
  if (!ASCII.test(a.name) || !ASCII.test(a.module) || !a.wallets.every((w) => ASCII.test(w))) return Account.encode(a).finish();
  let size = 0;
  if (a.id !== 0n) size += 1 + bigVarintSize(a.id);
  if (a.name.length > 0) size += 1 + varintSize(a.name.length) + a.name.length;
  for (const k of a.pubKeys) size += 1 + varintSize(k.length) + k.length;
  for (const w of a.wallets) size += 1 + varintSize(w.length) + w.length;
  if (a.sequence !== 0n) size += 1 + bigVarintSize(a.sequence);
  if (a.address.length > 0) size += 1 + varintSize(a.address.length) + a.address.length;
  if (a.module.length > 0) size += 1 + varintSize(a.module.length) + a.module.length;

  const out = recordBuffer(size);
  let pos = 0;
  if (a.id !== 0n) {
    out[pos++] = 0x08;
    pos = writeBigVarint(out, pos, a.id);
  }
  if (a.name.length > 0) pos = writeAscii(out, pos, 0x12, a.name);
  for (const k of a.pubKeys) pos = writeBytes(out, pos, 0x1a, k);
  for (const w of a.wallets) pos = writeAscii(out, pos, 0x22, w);
  if (a.sequence !== 0n) {
    out[pos++] = 0x28;
    pos = writeBigVarint(out, pos, a.sequence);
  }
  if (a.address.length > 0) pos = writeBytes(out, pos, 0x32, a.address);
  if (a.module.length > 0) pos = writeAscii(out, pos, 0x3a, a.module);
  if (pos !== size) throw new Error(`Account encoding wrote ${pos} of ${size} bytes`);
  return out;
}
