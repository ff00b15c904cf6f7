/**
 * Key and value codecs of the state schema: how a typed key or value becomes store bytes.
 *
 * Keys sort in the store by unsigned byte order, so every key codec here is chosen so that
 * byte order is the natural order of its values (big-endian integers, UTF-8 strings). The
 * encodings are exactly the ones the modules have always written; changing one changes the
 * AppHash.
 */
import { ErrInvalidState } from '../errors';

/**
 * A key codec writes a key into a buffer the collection allocated once for prefix and key.
 * `width` is the encoded length of every key for fixed-width codecs, undefined for
 * variable-width ones, which may only come last in a key (they run to its end).
 */
export interface KeyCodec<K> {
  readonly name: string;
  readonly width: number | undefined;
  size(key: K): number;
  /** Writes `key` at `offset`; returns the offset after it. */
  write(out: Uint8Array, offset: number, key: K): number;
  /** Reads the key in `bytes[offset, end)`; corrupt state when the length is wrong. */
  read(bytes: Uint8Array, offset: number, end: number): K;
}

/** A value codec: the stored bytes of a value and back. */
export interface ValueCodec<V> {
  readonly name: string;
  encode(value: V): Uint8Array;
  decode(bytes: Uint8Array): V;
}

function fixedLength(codec: string, width: number, offset: number, end: number): void {
  if (end - offset !== width) throw ErrInvalidState.wrap(`stored ${codec} has ${end - offset} bytes, expected ${width}`);
}

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

/** Raw bytes, to the end of the key. */
export const bytesKey: KeyCodec<Uint8Array> = {
  name: 'bytes',
  width: undefined,
  size: (key) => key.length,
  write(out, offset, key) {
    out.set(key, offset);
    return offset + key.length;
  },
  read: (bytes, offset, end) => bytes.slice(offset, end),
};

/** Exactly `width` raw bytes (an address, a public key); other lengths are refused on write. */
export function fixedBytesKey(width: number): KeyCodec<Uint8Array> {
  return {
    name: `bytes${width}`,
    width,
    size: () => width,
    write(out, offset, key) {
      if (key.length !== width) throw ErrInvalidState.wrap(`a ${width}-byte key was given ${key.length} bytes`);
      out.set(key, offset);
      return offset + width;
    },
    read(bytes, offset, end) {
      fixedLength(`bytes${width}`, width, offset, end);
      return bytes.slice(offset, end);
    },
  };
}

/**
 * A UTF-8 string, to the end of the key. ASCII (denoms, names: the common case) is copied
 * char by char without the encoder's intermediate array.
 */
export const stringKey: KeyCodec<string> = {
  name: 'string',
  width: undefined,
  size(key) {
    for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0x7f) return utf8.encode(key).length;
    return key.length;
  },
  write(out, offset, key) {
    let ascii = true;
    for (let i = 0; i < key.length; i++) {
      if (key.charCodeAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (!ascii) {
      const bytes = utf8.encode(key);
      out.set(bytes, offset);
      return offset + bytes.length;
    }
    for (let i = 0; i < key.length; i++) out[offset + i] = key.charCodeAt(i);
    return offset + key.length;
  },
  read: (bytes, offset, end) => utf8d.decode(bytes.subarray(offset, end)),
};

export const UINT64_MAX = (1n << 64n) - 1n;

/**
 * Writes a uint64 big-endian. Values below 2^32 (every ID and height for a long time) take
 * a path without BigInt shifts or a DataView, which every key of every tx would allocate.
 */
export function writeUint64(out: Uint8Array, offset: number, n: bigint, what = ''): void {
  if (n < 0n || n > UINT64_MAX) throw ErrInvalidState.wrap(`${what}${n} is outside uint64`);
  if (n <= 0xffffffffn) {
    const v = Number(n);
    out[offset] = 0;
    out[offset + 1] = 0;
    out[offset + 2] = 0;
    out[offset + 3] = 0;
    out[offset + 4] = v >>> 24;
    out[offset + 5] = (v >>> 16) & 0xff;
    out[offset + 6] = (v >>> 8) & 0xff;
    out[offset + 7] = v & 0xff;
    return;
  }
  new DataView(out.buffer, out.byteOffset + offset, 8).setBigUint64(0, n, false);
}

/** Reads the uint64 written by `writeUint64` (the caller checked that 8 bytes are there). */
export function readUint64(bytes: Uint8Array, offset: number): bigint {
  const hi = ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
  const lo = ((bytes[offset + 4] << 24) | (bytes[offset + 5] << 16) | (bytes[offset + 6] << 8) | bytes[offset + 7]) >>> 0;
  return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * uint64 as 8 bytes big-endian, so store order is numeric order. `what` names the number in
 * errors ("account id 18446744073709551616 is outside uint64").
 */
export function uint64KeyOf(what: string): KeyCodec<bigint> {
  const prefix = what === '' ? '' : `${what} `;
  return {
    name: what === '' ? 'uint64' : what,
    width: 8,
    size: () => 8,
    write(out, offset, key) {
      writeUint64(out, offset, key, prefix);
      return offset + 8;
    },
    read(bytes, offset, end) {
      fixedLength(what === '' ? 'uint64' : what, 8, offset, end);
      return readUint64(bytes, offset);
    },
  };
}

/** uint64 as 8 bytes big-endian (sequences, IDs). */
export const uint64Key: KeyCodec<bigint> = uint64KeyOf('');

/** A uint64 value as 8 bytes big-endian, named `what` in errors. */
export function uint64ValueOf(what: string): ValueCodec<bigint> {
  const key = uint64KeyOf(what);
  return {
    name: key.name,
    encode: (v) => encodeKey(key, v),
    decode: (b) => key.read(b, 0, b.length),
  };
}

/**
 * The canonical AccountID encoding, 8 bytes big-endian: the key of x/accountid's records
 * and the first part of every other module's per-account keys (x/bank's balances), so the
 * runtime defines it once, below every module.
 */
export const accountIdKey = uint64KeyOf('account id');
/** The same encoding as a value (what x/accountid's indexes hold). */
export const accountIdValue = uint64ValueOf('account id');

/** A block height (a safe integer) as 8 bytes big-endian. */
export const heightKey: KeyCodec<number> = {
  name: 'height',
  width: 8,
  size: () => 8,
  write(out, offset, key) {
    if (!Number.isSafeInteger(key) || key < 0) throw ErrInvalidState.wrap(`height ${key} is not a non-negative integer`);
    writeUint64(out, offset, BigInt(key));
    return offset + 8;
  },
  read(bytes, offset, end) {
    fixedLength('height', 8, offset, end);
    const n = readUint64(bytes, offset);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw ErrInvalidState.wrap(`stored height ${n} is beyond 2^53`);
    return Number(n);
  },
};

/** uint32 as 4 bytes big-endian (era indexes). */
export const uint32Key: KeyCodec<number> = {
  name: 'uint32',
  width: 4,
  size: () => 4,
  write(out, offset, key) {
    if (!Number.isInteger(key) || key < 0 || key > 0xffffffff) throw ErrInvalidState.wrap(`${key} is outside uint32`);
    out[offset] = key >>> 24;
    out[offset + 1] = (key >>> 16) & 0xff;
    out[offset + 2] = (key >>> 8) & 0xff;
    out[offset + 3] = key & 0xff;
    return offset + 4;
  },
  read(bytes, offset, end) {
    fixedLength('uint32', 4, offset, end);
    return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
  },
};

/**
 * A pair key `a ‖ b`. The first part must be fixed-width: the modules' composite keys
 * (AccountID ‖ denom) carry no length prefix, so only a fixed width says where `a` ends.
 * Ranges over all pairs with one `a` use `pairPrefix`.
 */
export function pairKey<A, B>(a: KeyCodec<A>, b: KeyCodec<B>): KeyCodec<[A, B]> {
  const wa = a.width;
  if (wa === undefined) throw new Error(`schema: the first part of a pair key must be fixed-width, ${a.name} is not`);
  return {
    name: `(${a.name}, ${b.name})`,
    width: b.width === undefined ? undefined : wa + b.width,
    size: (key) => wa + b.size(key[1]),
    write: (out, offset, key) => b.write(out, a.write(out, offset, key[0]), key[1]),
    read(bytes, offset, end) {
      if (end - offset < wa) throw ErrInvalidState.wrap(`stored ${a.name} key part has ${end - offset} bytes, expected ${wa}`);
      return [a.read(bytes, offset, offset + wa), b.read(bytes, offset + wa, end)];
    },
  };
}

/** The encoded bytes of one key, without any collection prefix. */
export function encodeKey<K>(codec: KeyCodec<K>, key: K): Uint8Array {
  const out = new Uint8Array(codec.size(key));
  codec.write(out, 0, key);
  return out;
}

/** Generated protobuf messages (ts-proto): the encoding every module stores records in. */
export interface ProtoMessageFns<T> {
  readonly $type: string;
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
}

/** A protobuf message value, named by its full name ("sekai.staking.v1.Validator"). */
export function protoValue<T>(fns: ProtoMessageFns<T>): ValueCodec<T> {
  return { name: fns.$type, encode: (v) => fns.encode(v).finish(), decode: (b) => fns.decode(b) };
}

/** Raw bytes, stored as they are. */
export const bytesValue: ValueCodec<Uint8Array> = { name: 'bytes', encode: (v) => v, decode: (b) => b };

/** The empty value of a key set (membership is the key itself). */
export const emptyValue: ValueCodec<true> = { name: 'empty', encode: () => new Uint8Array(0), decode: () => true };

/** A uint64 as 8 bytes big-endian (IDs held by indexes, counters). */
export const uint64Value: ValueCodec<bigint> = uint64ValueOf('');

/** A block height (safe integer) as 8 bytes big-endian. */
export const heightValue: ValueCodec<number> = {
  name: 'height',
  encode: (v) => encodeKey(heightKey, v),
  decode: (b) => heightKey.read(b, 0, b.length),
};

/** A uint32 as 4 bytes big-endian. */
export const uint32Value: ValueCodec<number> = {
  name: 'uint32',
  encode: (v) => encodeKey(uint32Key, v),
  decode: (b) => uint32Key.read(b, 0, b.length),
};

/** A UTF-8 string. */
export const stringValue: ValueCodec<string> = {
  name: 'string',
  encode: (v) => utf8.encode(v),
  decode: (b) => utf8d.decode(b),
};

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** A non-negative integer as decimal ASCII, as Cosmos math.Int marshals amounts. */
export const decimalValue: ValueCodec<bigint> = {
  name: 'decimal',
  encode(v) {
    if (v < 0n) throw ErrInvalidState.wrap(`amount ${v} is negative`);
    return utf8.encode(v.toString());
  },
  decode(b) {
    const text = utf8d.decode(b);
    if (!DECIMAL.test(text)) throw ErrInvalidState.wrap(`stored amount ${JSON.stringify(text)} is not a decimal integer`);
    return BigInt(text);
  },
};
