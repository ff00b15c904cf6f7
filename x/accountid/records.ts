/**
 * Account records and addresses: the store codec of records, and the memos of pure
 * functions the keeper leans on every tx.
 *
 * No state is cached here. What is memoised are pure functions of immutable inputs — the
 * decoding of a stored record (by the identity of the stored bytes, which are never
 * mutated), bech32 text ↔ address and module addresses — whose hits return exactly what
 * computing again would, so nothing depends on how long the process has lived (the lesson
 * of the Kratos fork).
 */
import { addressFromBech32, addressToBech32 } from '../../crypto/address';
import { sha256 } from '../../crypto/hash';
import { Account } from '../../proto/gen/sekai/accountid/v1/account';
import type { ValueCodec } from '../../runtime/schema';
import { keyString } from '../../store/memstore';
import { CodedError } from '../../types/errors';
import { UINT64_LIMIT, encodeAccount } from './codec';
import { ErrInvalidRef } from './types/errors';

/** The Cosmos module-account address: sha256(module name)[:20]. */
export function moduleAddress(module: string): Uint8Array {
  return moduleAddressMemo(module).slice();
}

const moduleAddresses = new Map<string, Uint8Array>();

/** moduleAddress without the defensive copy; the result must not be mutated. */
export function moduleAddressMemo(module: string): Uint8Array {
  let a = moduleAddresses.get(module);
  if (a === undefined) {
    a = sha256(new TextEncoder().encode(module)).slice(0, 20);
    // Module names come from the wiring (a handful), never from transactions.
    if (moduleAddresses.size < 256) moduleAddresses.set(module, a);
  }
  return a;
}

/**
 * Memo of a pure function from strings, bounded: emptied when full, which only costs
 * time. Used for bech32 text ↔ address, where every transfer converts the same few
 * addresses several times (signer, sender, recipient, events).
 */
class PureMemo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  set(key: string, value: V): void {
    if (this.map.size >= this.capacity) this.map.clear();
    this.map.set(key, value);
  }
}

/** 20 000 addresses of about 150 B per entry: a few MB, more than a block's distinct parties. */
const ADDRESS_MEMO_ENTRIES = 20_000;
const bech32OfAddress = new PureMemo<string>(ADDRESS_MEMO_ENTRIES);
const addressOfBech32 = new PureMemo<Uint8Array>(ADDRESS_MEMO_ENTRIES);

/** `addressToBech32('account', address20)`, memoised. */
export function accountBech32(address20: Uint8Array): string {
  const k = keyString(address20);
  let text = bech32OfAddress.get(k);
  if (text === undefined) {
    text = addressToBech32('account', address20);
    bech32OfAddress.set(k, text);
  }
  return text;
}

/**
 * Bech32 text of the `address` arrays of shared decoded records (`view`), which are never
 * written to: a pure function of the array, dying with it. Every transfer event names both
 * parties, so this skips the index-string lookup of `accountBech32`.
 */
const bech32OfRecordAddress = new WeakMap<Uint8Array, string>();

/** The bech32 text of a shared record's home address. */
export function recordBech32(address: Uint8Array): string {
  let text = bech32OfRecordAddress.get(address);
  if (text === undefined) {
    text = accountBech32(address);
    bech32OfRecordAddress.set(address, text);
  }
  return text;
}

/** The 20-byte address of a bech32 `kira1…` account address; ErrInvalidRef otherwise. */
export function bech32Account(text: string): Uint8Array {
  // Only valid addresses are remembered; malformed text takes the path that throws each time.
  const hit = addressOfBech32.get(text);
  if (hit !== undefined) return hit.slice();
  try {
    const address = addressFromBech32('account', text);
    addressOfBech32.set(text, address.slice());
    return address;
  } catch (err) {
    throw ErrInvalidRef.wrap(`${JSON.stringify(text)} is not a kira account address (${err instanceof CodedError ? err.description : 'malformed'})`);
  }
}

/**
 * Decoded records by the identity of their stored bytes. Stored arrays are never mutated
 * (store contract), so the decoding is a pure function of the array; entries die with the
 * arrays (a WeakMap), so nothing outlives the values the store still holds. Callers get
 * their own copy (`copyAccount`) because keeper methods edit the records they read.
 */
const decodedRecords = new WeakMap<Uint8Array, Account>();

function decodeRecord(raw: Uint8Array): Account {
  let a = decodedRecords.get(raw);
  if (a === undefined) {
    a = Account.decode(raw);
    decodedRecords.set(raw, a);
  }
  return a;
}

/** A record the caller may edit freely, bytes included, as a fresh decoding would be. */
export function copyAccount(a: Account): Account {
  return { ...a, pubKeys: a.pubKeys.map((k) => Buffer.from(k)), wallets: a.wallets.slice(), address: Buffer.from(a.address) };
}

const SURROGATE = /[\ud800-\udfff]/;

/**
 * Records what `raw` (just encoded from `a`) decodes to, so the next read of the record
 * does not decode it: a snapshot with every field as `Account.decode` yields it (bytes as
 * Buffers, own arrays), detached from `a`, which its caller may keep editing. Values that
 * would not survive the uint64 encoding unchanged are left to the decoder.
 */
function rememberEncoded(raw: Uint8Array, a: Account): void {
  if (a.id < 0n || a.id >= UINT64_LIMIT || a.sequence < 0n || a.sequence >= UINT64_LIMIT) return;
  // UTF-8 encoding replaces lone surrogates, so such a string would not decode to itself.
  if (SURROGATE.test(a.name) || SURROGATE.test(a.module) || a.wallets.some((w) => SURROGATE.test(w))) return;
  decodedRecords.set(raw, {
    id: a.id,
    name: a.name,
    pubKeys: a.pubKeys.map((k) => Buffer.from(k)),
    wallets: a.wallets.slice(),
    sequence: a.sequence,
    address: Buffer.from(a.address),
    module: a.module,
  });
}

/**
 * The store codec of account records: protobuf, encoded in one buffer (codec.ts) and
 * decoded through the memo. Decoded records are SHARED: for reading only; a caller that
 * edits one takes `copyAccount` first.
 */
export const accountRecord: ValueCodec<Account> = {
  name: 'sekai.accountid.v1.Account',
  encode(a) {
    const raw = encodeAccount(a);
    rememberEncoded(raw, a);
    return raw;
  },
  decode: decodeRecord,
};

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}
