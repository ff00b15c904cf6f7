/**
 * The x/accountid state, declared once. Every key is built here; handlers never
 * concatenate key bytes themselves.
 *
 * An AccountID has exactly one byte encoding: 8 bytes, big-endian (so store order is
 * numeric order). In JSON and events it is the decimal string. KuChain's AccountID had
 * two encodings of one name (17 bytes in objects, 21 padded bytes as a store key), and a
 * node-local cache that returned one or the other forked the Kratos chain; here a key or
 * value carrying an ID is always `encodeAccountId(id)`.
 *
 *   0x01 ‖ id(8)        → Account (sekai.accountid.v1.Account, protobuf)
 *   0x02 ‖ name (utf-8) → id(8)     name index (unique)
 *   0x03 ‖ address(20)  → id(8)     key index: every address an account has appeared under
 *   0x04 ‖ wallet       → id(8)     wallet index (unique)
 *   0x05                → id(8)     next AccountID to assign
 */
import { ErrInvalidState } from '../../../app/errors';

export const STORE_KEY = 'accountid';
export const MODULE_NAME = 'accountid';

/** The largest AccountID: uint64, as in Cosmos account_number. */
export const MAX_ACCOUNT_ID = (1n << 64n) - 1n;

const PREFIX = {
  account: 0x01,
  name: 0x02,
  address: 0x03,
  wallet: 0x04,
  nextId: 0x05,
} as const;

// Building the schema fails on a duplicate prefix (two indexes would overwrite each other).
{
  // eslint-disable-next-line no-restricted-syntax -- a literal's values, order irrelevant to the check
  const values = Object.values(PREFIX);
  if (new Set(values).size !== values.length) throw new Error('x/accountid: duplicate store prefix');
}

/** The canonical 8-byte big-endian encoding of an AccountID. */
export function encodeAccountId(id: bigint): Uint8Array {
  const out = new Uint8Array(8);
  writeAccountId(out, 0, id);
  return out;
}

/**
 * Writes `encodeAccountId(id)` into `out` at `offset`. IDs below 2^32 (every account for a
 * long time) take a path without BigInt shifts or a DataView, which every key of every
 * transaction would otherwise allocate.
 */
export function writeAccountId(out: Uint8Array, offset: number, id: bigint): void {
  if (id < 0n || id > MAX_ACCOUNT_ID) throw ErrInvalidState.wrap(`account id ${id} is outside uint64`);
  if (id <= 0xffffffffn) {
    const n = Number(id);
    out[offset] = 0;
    out[offset + 1] = 0;
    out[offset + 2] = 0;
    out[offset + 3] = 0;
    out[offset + 4] = n >>> 24;
    out[offset + 5] = (n >>> 16) & 0xff;
    out[offset + 6] = (n >>> 8) & 0xff;
    out[offset + 7] = n & 0xff;
    return;
  }
  new DataView(out.buffer, out.byteOffset + offset, 8).setBigUint64(0, id, false);
}

/** Reads an AccountID written by `encodeAccountId`; any other length is corrupt state. */
export function decodeAccountId(bytes: Uint8Array): bigint {
  if (bytes.length !== 8) throw ErrInvalidState.wrap(`stored account id has ${bytes.length} bytes, expected 8`);
  return readAccountId(bytes, 0);
}

/** The AccountID in the 8 bytes of `bytes` at `offset` (the caller checked the length). */
export function readAccountId(bytes: Uint8Array, offset: number): bigint {
  const hi = ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
  const lo = ((bytes[offset + 4] << 24) | (bytes[offset + 5] << 16) | (bytes[offset + 6] << 8) | bytes[offset + 7]) >>> 0;
  return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

const utf8 = new TextEncoder();

function prefixed(prefix: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + body.length);
  out[0] = prefix;
  out.set(body, 1);
  return out;
}

function accountKey(id: bigint): Uint8Array {
  const out = new Uint8Array(9);
  out[0] = PREFIX.account;
  writeAccountId(out, 1, id);
  return out;
}

export const Keys = {
  account: accountKey,
  /** [start, end) of every account record. */
  accountRange: () => [Uint8Array.of(PREFIX.account), Uint8Array.of(PREFIX.account + 1)] as const,
  name: (name: string) => prefixed(PREFIX.name, utf8.encode(name)),
  address: (address20: Uint8Array) => prefixed(PREFIX.address, address20),
  wallet: (wallet: string) => prefixed(PREFIX.wallet, utf8.encode(wallet)),
  nextId: () => Uint8Array.of(PREFIX.nextId),
};

/** The ID part of an account record key. */
export function idFromAccountKey(key: Uint8Array): bigint {
  return decodeAccountId(key.subarray(1));
}
