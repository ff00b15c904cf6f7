/**
 * The few protobuf encodings on the per-tx hot path, written directly: TxRaw (parse and
 * canonical check), SignDoc (sign bytes) and TxMsgData (the tx result's data). Each is
 * byte-identical to the generated encoders (checked by tests against cosmjs-types); the
 * generated writer allocates an 8 KiB slab per message and the reader copies its input,
 * which together cost more than the rest of the ante pipeline. The varint and field writers
 * are shared with the module codecs that hand-encode hot records.
 *
 * Field numbers (cosmos.tx.v1beta1): TxRaw body_bytes=1, auth_info_bytes=2, signatures=3;
 * SignDoc body_bytes=1, auth_info_bytes=2, chain_id=3, account_number=4;
 * (cosmos.base.abci.v1beta1) TxMsgData msg_responses=2; (google.protobuf) Any type_url=1, value=2.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { sha256Bytes } from '../crypto/hash';
import { smallBuffer } from '../types/bytes';

/** Thrown for bytes that are not a canonical TxRaw; the caller maps it to ErrTxDecode. */
export class WireError extends Error {}

function readVarint(buf: Uint8Array, pos: number): [value: number, next: number] {
  let value = 0;
  let mult = 1;
  for (let i = 0; i < 5; i++) {
    if (pos >= buf.length) throw new WireError('truncated varint');
    const b = buf[pos++];
    value += (b & 0x7f) * mult;
    if (b < 0x80) {
      // A multi-byte varint whose last byte is zero has a shorter (canonical) form.
      if (i > 0 && b === 0) throw new WireError('non-minimal varint');
      return [value, pos];
    }
    mult *= 128;
  }
  throw new WireError('varint longer than 32 bits');
}

/**
 * Parses a TxRaw and requires its canonical encoding: fields 1, 2, 3 in that order, 1 and
 * 2 at most once and non-empty, no other fields, minimal varints. One tx thus has one byte
 * form and one hash. The returned arrays are views into `bytes`.
 */
export function parseCanonicalTxRaw(bytes: Uint8Array): TxRaw {
  let pos = 0;
  let last = 0;
  const raw: TxRaw = { bodyBytes: new Uint8Array(), authInfoBytes: new Uint8Array(), signatures: [] };
  while (pos < bytes.length) {
    const tag = bytes[pos++];
    const field = tag >>> 3;
    if ((tag & 7) !== 2 || field < 1 || field > 3) throw new WireError(`unexpected field tag 0x${tag.toString(16)}`);
    if (field < last || (field === last && field !== 3)) throw new WireError(`field ${field} out of order or repeated`);
    last = field;
    const [len, start] = readVarint(bytes, pos);
    const end = start + len;
    if (end > bytes.length) throw new WireError('field length runs past the end');
    const value = bytes.subarray(start, end);
    pos = end;
    if (field === 3) raw.signatures.push(value);
    else if (len === 0) throw new WireError(`empty field ${field} must be omitted`);
    else if (field === 1) raw.bodyBytes = value;
    else raw.authInfoBytes = value;
  }
  return raw;
}

/** Bytes of the unsigned varint of `n` (a safe integer or a uint64 bigint). */
export function varintSize(n: number | bigint): number {
  if (n < 0x80) return 1;
  let v = BigInt(n);
  let size = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    size++;
  }
  return size;
}

/** Writes the unsigned varint of `n` at `pos`; returns the position after it. */
export function writeVarint(out: Uint8Array, pos: number, n: number | bigint): number {
  // Account numbers and sequences are bigints, nearly always small: the same integer path.
  if (typeof n === 'bigint' && n <= 0x7fffffffn) n = Number(n);
  if (typeof n === 'number' && n <= 0x7fffffff) {
    // 31-bit lengths: plain integer arithmetic, no BigInt.
    let v = n;
    while (v >= 0x80) {
      out[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[pos++] = v;
    return pos;
  }
  let v = BigInt(n);
  while (v >= 0x80n) {
    out[pos++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  out[pos++] = Number(v);
  return pos;
}

/** Size of `tag || uvarint(len) || bytes`, one length-delimited field. */
export function delimitedSize(len: number): number {
  return 1 + varintSize(len) + len;
}

/** Writes `tag || uvarint(len) || bytes` at `pos`; returns the position after it. */
export function writeDelimited(out: Uint8Array, pos: number, field: number, bytes: Uint8Array): number {
  out[pos++] = (field << 3) | 2;
  pos = writeVarint(out, pos, bytes.length);
  out.set(bytes, pos);
  return pos + bytes.length;
}

const utf8 = new TextEncoder();

/**
 * UTF-8 of the few strings every tx repeats (chain id, message type URLs). A pure function
 * of the string; bounded, and the arrays handed out are never written to.
 */
const utf8Memo = new Map<string, Uint8Array>();
function utf8Of(s: string): Uint8Array {
  let b = utf8Memo.get(s);
  if (b === undefined) {
    b = utf8.encode(s);
    if (utf8Memo.size >= 1024) utf8Memo.clear();
    utf8Memo.set(s, b);
  }
  return b;
}

/** Size of a SignDoc (proto3 omits empty and zero fields). */
function signDocSize(bodyBytes: Uint8Array, authInfoBytes: Uint8Array, chain: Uint8Array, accountNumber: bigint): number {
  let size = 0;
  if (bodyBytes.length > 0) size += delimitedSize(bodyBytes.length);
  if (authInfoBytes.length > 0) size += delimitedSize(authInfoBytes.length);
  if (chain.length > 0) size += delimitedSize(chain.length);
  if (accountNumber !== 0n) size += 1 + varintSize(accountNumber);
  return size;
}

/** Writes a SignDoc of `size` bytes at the start of `out`. */
function writeSignDoc(out: Uint8Array, size: number, bodyBytes: Uint8Array, authInfoBytes: Uint8Array, chain: Uint8Array, accountNumber: bigint): void {
  let pos = 0;
  if (bodyBytes.length > 0) pos = writeDelimited(out, pos, 1, bodyBytes);
  if (authInfoBytes.length > 0) pos = writeDelimited(out, pos, 2, authInfoBytes);
  if (chain.length > 0) pos = writeDelimited(out, pos, 3, chain);
  if (accountNumber !== 0n) {
    out[pos++] = 0x20;
    pos = writeVarint(out, pos, accountNumber);
  }
  if (pos !== size) throw new Error(`SignDoc encoding wrote ${pos} of ${size} bytes`);
}

/** SignDoc bytes (SIGN_MODE_DIRECT), in one allocation of the exact size. */
export function encodeSignDoc(bodyBytes: Uint8Array, authInfoBytes: Uint8Array, chainId: string, accountNumber: bigint): Uint8Array {
  const chain = utf8Of(chainId);
  const size = signDocSize(bodyBytes, authInfoBytes, chain, accountNumber);
  const out = Buffer.allocUnsafe(size);
  writeSignDoc(out, size, bodyBytes, authInfoBytes, chain, accountNumber);
  return out;
}

/**
 * Room for the SignDoc of a typical tx. Signature checks only hash the sign bytes, so they
 * are written here rather than into a fresh buffer per signature (those allocations, and
 * the collections they caused, were about 3% of block execution). Every byte hashed is
 * written first, so nothing of an earlier tx can reach a digest.
 */
const signDocScratch = Buffer.allocUnsafe(4096);

/** sha256 of the SignDoc `encodeSignDoc` returns, without keeping the bytes. */
export function signDocDigest(bodyBytes: Uint8Array, authInfoBytes: Uint8Array, chainId: string, accountNumber: bigint): Uint8Array {
  const chain = utf8Of(chainId);
  const size = signDocSize(bodyBytes, authInfoBytes, chain, accountNumber);
  // A larger tx (rare) gets a buffer of its own.
  const out = size <= signDocScratch.length ? signDocScratch : Buffer.allocUnsafe(size);
  writeSignDoc(out, size, bodyBytes, authInfoBytes, chain, accountNumber);
  return sha256Bytes(out.subarray(0, size));
}

/** Size of an Any's encoding (not counting an enclosing field). */
function anySize(typeUrl: Uint8Array, value: Uint8Array): number {
  return (typeUrl.length > 0 ? delimitedSize(typeUrl.length) : 0) + (value.length > 0 ? delimitedSize(value.length) : 0);
}

/** TxMsgData{msg_responses} (the deprecated `data` field 1 stays empty). */
export function encodeTxMsgData(msgResponses: readonly Any[]): Uint8Array {
  const urls = msgResponses.map((r) => (r.typeUrl !== '' ? utf8Of(r.typeUrl) : new Uint8Array()));
  let size = 0;
  for (let i = 0; i < msgResponses.length; i++) size += delimitedSize(anySize(urls[i], msgResponses[i].value));
  const out = smallBuffer(size); // one transfer's response is about 40 bytes
  let pos = 0;
  for (let i = 0; i < msgResponses.length; i++) {
    const url = urls[i];
    const value = msgResponses[i].value;
    out[pos++] = (2 << 3) | 2;
    pos = writeVarint(out, pos, anySize(url, value));
    if (url.length > 0) pos = writeDelimited(out, pos, 1, url);
    if (value.length > 0) pos = writeDelimited(out, pos, 2, value);
  }
  if (pos !== size) throw new Error(`TxMsgData encoding wrote ${pos} of ${size} bytes`);
  return out;
}
