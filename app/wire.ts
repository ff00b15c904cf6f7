/**
 * The few protobuf encodings on the per-tx hot path, written directly: TxRaw (parse and
 * canonical check), SignDoc (sign bytes) and TxMsgData (the tx result's data). Each is
 * byte-identical to the generated encoders (checked by tests against cosmjs-types); the
 * generated writer allocates an 8 KiB slab per message and the reader copies its input,
 * which together cost more than the rest of the ante pipeline.
 *
 * Field numbers (cosmos.tx.v1beta1): TxRaw body_bytes=1, auth_info_bytes=2, signatures=3;
 * SignDoc body_bytes=1, auth_info_bytes=2, chain_id=3, account_number=4;
 * (cosmos.base.abci.v1beta1) TxMsgData msg_responses=2; (google.protobuf) Any type_url=1, value=2.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';

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

function varint(n: bigint | number): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

/** `tag || uvarint(len) || bytes`, the encoding of one length-delimited field. */
function delimited(field: number, bytes: Uint8Array): Uint8Array[] {
  return [Uint8Array.from([(field << 3) | 2, ...varint(bytes.length)]), bytes];
}

const utf8 = new TextEncoder();

/** SignDoc bytes (SIGN_MODE_DIRECT); proto3 omits empty and zero fields. */
export function encodeSignDoc(bodyBytes: Uint8Array, authInfoBytes: Uint8Array, chainId: string, accountNumber: bigint): Uint8Array {
  const parts: Uint8Array[] = [];
  if (bodyBytes.length > 0) parts.push(...delimited(1, bodyBytes));
  if (authInfoBytes.length > 0) parts.push(...delimited(2, authInfoBytes));
  if (chainId !== '') parts.push(...delimited(3, utf8.encode(chainId)));
  if (accountNumber !== 0n) parts.push(Uint8Array.from([0x20, ...varint(accountNumber)]));
  return Buffer.concat(parts);
}

function encodeAny(any: Any): Uint8Array {
  const parts: Uint8Array[] = [];
  if (any.typeUrl !== '') parts.push(...delimited(1, utf8.encode(any.typeUrl)));
  if (any.value.length > 0) parts.push(...delimited(2, any.value));
  return Buffer.concat(parts);
}

/** TxMsgData{msg_responses} (the deprecated `data` field 1 stays empty). */
export function encodeTxMsgData(msgResponses: readonly Any[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const r of msgResponses) parts.push(...delimited(2, encodeAny(r)));
  return Buffer.concat(parts);
}
