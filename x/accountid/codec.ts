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

function writeVarint(out: Buffer, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[pos++] = n;
  return pos;
}

function writeBigVarint(out: Buffer, pos: number, n: bigint): number {
  if (n < 0x80000000n) return writeVarint(out, pos, Number(n));
  while (n >= 0x80n) {
    out[pos++] = Number(n & 0x7fn) | 0x80;
    n >>= 7n;
  }
  out[pos++] = Number(n);
  return pos;
}

function writeBytes(out: Buffer, pos: number, tag: number, b: Uint8Array): number {
  out[pos++] = tag;
  pos = writeVarint(out, pos, b.length);
  out.set(b, pos);
  return pos + b.length;
}

function writeString(out: Buffer, pos: number, tag: number, s: string, len: number): number {
  out[pos++] = tag;
  pos = writeVarint(out, pos, len);
  return pos + out.write(s, pos, len, 'utf8');
}

/** `Account.encode(a).finish()`, byte for byte. */
export function encodeAccount(a: Account): Uint8Array {
  if (a.id < 0n || a.id >= UINT64_LIMIT || a.sequence < 0n || a.sequence >= UINT64_LIMIT) return Account.encode(a).finish();
  // UTF-8 lengths once; lone surrogates become U+FFFD in both encoders.
  const nameLen = Buffer.byteLength(a.name, 'utf8');
  const moduleLen = Buffer.byteLength(a.module, 'utf8');
  const walletLens = a.wallets.map((w) => Buffer.byteLength(w, 'utf8'));
  let size = 0;
  if (a.id !== 0n) size += 1 + bigVarintSize(a.id);
  if (nameLen > 0) size += 1 + varintSize(nameLen) + nameLen;
  for (const k of a.pubKeys) size += 1 + varintSize(k.length) + k.length;
  for (const n of walletLens) size += 1 + varintSize(n) + n;
  if (a.sequence !== 0n) size += 1 + bigVarintSize(a.sequence);
  if (a.address.length > 0) size += 1 + varintSize(a.address.length) + a.address.length;
  if (moduleLen > 0) size += 1 + varintSize(moduleLen) + moduleLen;

  const out = Buffer.allocUnsafe(size);
  let pos = 0;
  if (a.id !== 0n) {
    out[pos++] = 0x08;
    pos = writeBigVarint(out, pos, a.id);
  }
  if (nameLen > 0) pos = writeString(out, pos, 0x12, a.name, nameLen);
  for (const k of a.pubKeys) pos = writeBytes(out, pos, 0x1a, k);
  for (let i = 0; i < walletLens.length; i++) pos = writeString(out, pos, 0x22, a.wallets[i], walletLens[i]);
  if (a.sequence !== 0n) {
    out[pos++] = 0x28;
    pos = writeBigVarint(out, pos, a.sequence);
  }
  if (a.address.length > 0) pos = writeBytes(out, pos, 0x32, a.address);
  if (moduleLen > 0) pos = writeString(out, pos, 0x3a, a.module, moduleLen);
  if (pos !== size) throw new Error(`Account encoding wrote ${pos} of ${size} bytes`);
  return out;
}
