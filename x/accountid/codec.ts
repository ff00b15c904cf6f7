/**
 * Account records are rewritten by every tx (the sequence lives in them), so they are
 * encoded directly into one buffer of the exact size; the generated writer grows a chunk
 * list per record. The bytes are the generated encoder's (codec.test.ts pins it), which
 * also remains the encoder for values it refuses (uint64 out of range), so its errors stay.
 *
 * Field numbers (sekai.accountid.v1.Account): id=1, name=2, pub_keys=3, wallets=4,
 * sequence=5, address=6, module=7.
 */
import { delimitedSize, varintSize, writeDelimited, writeVarint } from '../../runtime/wire';
import { smallBuffer } from '../../types/bytes';
import { Account } from '../../proto/gen/sekai/accountid/v1/account';

/** One past the largest uint64: records outside [0, this) are left to the generated encoder. */
export const UINT64_LIMIT = 1n << 64n;

/** An ASCII string (checked by the caller): one byte per char. */
function writeAscii(out: Uint8Array, pos: number, field: number, s: string): number {
  out[pos++] = (field << 3) | 2;
  pos = writeVarint(out, pos, s.length);
  for (let i = 0; i < s.length; i++) out[pos++] = s.charCodeAt(i);
  return pos;
}

const ASCII = /^[\x00-\x7f]*$/;

/** `Account.encode(a).finish()`, byte for byte. */
export function encodeAccount(a: Account): Uint8Array {
  if (a.id < 0n || a.id >= UINT64_LIMIT || a.sequence < 0n || a.sequence >= UINT64_LIMIT) return Account.encode(a).finish();
  // Names, wallets and module names are ASCII in practice; anything else (UTF-8 lengths,
  // lone surrogates) is left to the generated encoder.
  if (!ASCII.test(a.name) || !ASCII.test(a.module) || !a.wallets.every((w) => ASCII.test(w))) return Account.encode(a).finish();
  let size = 0;
  if (a.id !== 0n) size += 1 + varintSize(a.id);
  if (a.name.length > 0) size += delimitedSize(a.name.length);
  for (const k of a.pubKeys) size += delimitedSize(k.length);
  for (const w of a.wallets) size += delimitedSize(w.length);
  if (a.sequence !== 0n) size += 1 + varintSize(a.sequence);
  if (a.address.length > 0) size += delimitedSize(a.address.length);
  if (a.module.length > 0) size += delimitedSize(a.module.length);

  const out = smallBuffer(size); // a key-holding account is about 60 bytes
  let pos = 0;
  if (a.id !== 0n) {
    out[pos++] = 0x08;
    pos = writeVarint(out, pos, a.id);
  }
  if (a.name.length > 0) pos = writeAscii(out, pos, 2, a.name);
  for (const k of a.pubKeys) pos = writeDelimited(out, pos, 3, k);
  for (const w of a.wallets) pos = writeAscii(out, pos, 4, w);
  if (a.sequence !== 0n) {
    out[pos++] = 0x28;
    pos = writeVarint(out, pos, a.sequence);
  }
  if (a.address.length > 0) pos = writeDelimited(out, pos, 6, a.address);
  if (a.module.length > 0) pos = writeAscii(out, pos, 7, a.module);
  if (pos !== size) throw new Error(`Account encoding wrote ${pos} of ${size} bytes`);
  return out;
}
