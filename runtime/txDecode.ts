/**
 * TxBody and AuthInfo decoding for the per-tx hot path.
 *
 * The generated (cosmjs-types) decoders copy their input, decode strings with a script
 * UTF-8 reader and box every uint64 through a decimal string; on a bank send that is
 * about a tenth of the runtime's work per tx. The readers here cover the shape wallets
 * send — messages, memo, timeout height, unordered; single-mode signer infos with a
 * public key and sequence; a fee — with ASCII strings and varints below 2^49. Anything
 * else (multisig mode infos, tips, timeout timestamps, extension options, unknown
 * fields, a field with an unexpected wire type, non-ASCII text, longer varints, a
 * sub-message given twice) is handed to the generated decoder whole, so every input
 * decodes to exactly what the generated decoder returns (pinned by txDecode.test.ts).
 *
 * Field numbers (cosmos.tx.v1beta1): TxBody messages=1, memo=2, timeout_height=3,
 * unordered=4; AuthInfo signer_infos=1, fee=2; SignerInfo public_key=1, mode_info=2,
 * sequence=3; ModeInfo single=1 (Single mode=1); Fee amount=1, gas_limit=2, payer=3,
 * granter=4; (cosmos.base.v1beta1) Coin denom=1, amount=2; (google.protobuf) Any
 * type_url=1, value=2.
 */
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { AuthInfo, type Fee, type ModeInfo, type SignerInfo, TxBody } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';

/** The fast reader met something it leaves to the generated decoder. */
class Unhandled extends Error {}
const UNHANDLED = new Unhandled();

/** Called by a fast reader on anything outside its shape: the generated decoder takes over. */
export function unhandled(): never {
  throw UNHANDLED;
}

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice }).latin1Slice;

/**
 * A cursor over one message's bytes; positions are absolute in `buf`. Every method
 * leaves anything outside the fast shape (see above) to the generated decoder.
 */
export class Reader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** A varint below 2^49 (7 bytes); longer ones are unhandled. */
  varint(): number {
    const buf = this.buf;
    let value = 0;
    let mult = 1;
    for (let i = 0; i < 7; i++) {
      if (this.pos >= this.end) throw UNHANDLED;
      const b = buf[this.pos++];
      value += (b & 0x7f) * mult;
      if (b < 0x80) return value;
      mult *= 128;
    }
    throw UNHANDLED;
  }

  /** A field tag as [field, wire type]; tags past 2^31 (fields beyond any we read) are unhandled. */
  tag(): [number, number] {
    const t = this.varint();
    if (t > 0x7fffffff) throw UNHANDLED;
    return [t >>> 3, t & 7];
  }

  /** The bounds of a length-delimited field's payload, consumed. */
  delimited(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    const end = start + len;
    if (end > this.end) throw UNHANDLED;
    this.pos = end;
    return [start, end];
  }

  bytes(): Uint8Array {
    const [start, end] = this.delimited();
    return this.buf.subarray(start, end);
  }

  /** A string of ASCII bytes (decoded by every UTF-8 reader the same way). */
  ascii(): string {
    const [start, end] = this.delimited();
    const buf = this.buf;
    for (let i = start; i < end; i++) if (buf[i] >= 0x80) throw UNHANDLED;
    if (latin1Slice !== undefined) return latin1Slice.call(buf, start, end);
    return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
  }

  sub(): Reader {
    const [start, end] = this.delimited();
    return new Reader(this.buf, start, end);
  }
}

export function expectWire(wire: number, want: number): void {
  if (wire !== want) throw UNHANDLED;
}

function readAny(r: Reader): Any {
  const out: Any = { typeUrl: '', value: new Uint8Array() };
  while (!r.done) {
    const [field, wire] = r.tag();
    expectWire(wire, 2);
    if (field === 1) out.typeUrl = r.ascii();
    else if (field === 2) out.value = r.bytes();
    else throw UNHANDLED;
  }
  return out;
}

export function readCoin(r: Reader): Coin {
  const out: Coin = { denom: '', amount: '' };
  while (!r.done) {
    const [field, wire] = r.tag();
    expectWire(wire, 2);
    if (field === 1) out.denom = r.ascii();
    else if (field === 2) out.amount = r.ascii();
    else throw UNHANDLED;
  }
  return out;
}

function readTxBody(r: Reader): TxBody {
  const out: TxBody = {
    messages: [],
    memo: '',
    timeoutHeight: 0n,
    unordered: false,
    timeoutTimestamp: undefined,
    extensionOptions: [],
    nonCriticalExtensionOptions: [],
  };
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1:
        expectWire(wire, 2);
        out.messages.push(readAny(r.sub()));
        break;
      case 2:
        expectWire(wire, 2);
        out.memo = r.ascii();
        break;
      case 3:
        expectWire(wire, 0);
        out.timeoutHeight = BigInt(r.varint());
        break;
      case 4:
        expectWire(wire, 0);
        out.unordered = r.varint() !== 0;
        break;
      default:
        throw UNHANDLED;
    }
  }
  return out;
}

function readModeInfo(r: Reader): ModeInfo {
  const out: ModeInfo = { single: undefined, multi: undefined };
  while (!r.done) {
    const [field, wire] = r.tag();
    expectWire(wire, 2);
    if (field !== 1 || out.single !== undefined) throw UNHANDLED;
    const s = r.sub();
    let mode = 0;
    while (!s.done) {
      const [f, w] = s.tag();
      expectWire(w, 0);
      if (f !== 1) throw UNHANDLED;
      const v = s.varint();
      // int32 on the wire: values past 2^31 wrap in the generated reader.
      if (v > 0x7fffffff) throw UNHANDLED;
      mode = v;
    }
    out.single = { mode };
  }
  return out;
}

function readSignerInfo(r: Reader): SignerInfo {
  const out: SignerInfo = { publicKey: undefined, modeInfo: undefined, sequence: 0n };
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1:
        expectWire(wire, 2);
        if (out.publicKey !== undefined) throw UNHANDLED;
        out.publicKey = readAny(r.sub());
        break;
      case 2:
        expectWire(wire, 2);
        if (out.modeInfo !== undefined) throw UNHANDLED;
        out.modeInfo = readModeInfo(r.sub());
        break;
      case 3:
        expectWire(wire, 0);
        out.sequence = BigInt(r.varint());
        break;
      default:
        throw UNHANDLED;
    }
  }
  return out;
}

function readFee(r: Reader): Fee {
  const out: Fee = { amount: [], gasLimit: 0n, payer: '', granter: '' };
  while (!r.done) {
    const [field, wire] = r.tag();
    switch (field) {
      case 1:
        expectWire(wire, 2);
        out.amount.push(readCoin(r.sub()));
        break;
      case 2:
        expectWire(wire, 0);
        out.gasLimit = BigInt(r.varint());
        break;
      case 3:
        expectWire(wire, 2);
        out.payer = r.ascii();
        break;
      case 4:
        expectWire(wire, 2);
        out.granter = r.ascii();
        break;
      default:
        throw UNHANDLED;
    }
  }
  return out;
}

function readAuthInfo(r: Reader): AuthInfo {
  const out: AuthInfo = { signerInfos: [], fee: undefined, tip: undefined };
  while (!r.done) {
    const [field, wire] = r.tag();
    expectWire(wire, 2);
    if (field === 1) out.signerInfos.push(readSignerInfo(r.sub()));
    else if (field === 2 && out.fee === undefined) out.fee = readFee(r.sub());
    else throw UNHANDLED;
  }
  return out;
}

/**
 * A decoder that runs `read` and hands the whole input to `generated` when `read` meets
 * something outside its shape; `read` must return exactly what `generated` would.
 */
export function fastDecoder<T>(read: (r: Reader) => T, generated: (bytes: Uint8Array) => T): (bytes: Uint8Array) => T {
  return (bytes) => {
    try {
      return read(new Reader(bytes, 0, bytes.length));
    } catch (err) {
      if (err !== UNHANDLED) throw err;
      return generated(bytes);
    }
  };
}

/** `TxBody.decode(bytes)`, faster for the usual shape. */
export const decodeTxBody = fastDecoder(readTxBody, (b) => TxBody.decode(b));

/** `AuthInfo.decode(bytes)`, faster for the usual shape. */
export const decodeAuthInfo = fastDecoder(readAuthInfo, (b) => AuthInfo.decode(b));
