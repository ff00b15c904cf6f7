/**
 * The x/accountid state, declared once (runtime/schema). Handlers read and write these
 * collections; no key is built by hand.
 *
 * An AccountID has exactly one byte encoding: 8 bytes, big-endian (so store order is
 * numeric order). In JSON and events it is the decimal string. KuChain's AccountID had
 * two encodings of one name (17 bytes in objects, 21 padded bytes as a store key), and a
 * node-local cache that returned one or the other forked the Kratos chain; here a key or
 * value carrying an ID is always `accountIdKey`/`accountIdValue`.
 *
 *   0x01 ‖ id(8)        → Account (sekai.accountid.v1.Account, protobuf)
 *   0x02 ‖ name (utf-8) → id(8)     name index (unique)
 *   0x03 ‖ address(20)  → id(8)     key index: every address an account has appeared under
 *   0x04 ‖ wallet       → id(8)     wallet index (unique)
 *   0x05                → id(8)     next AccountID to assign
 */
import { SchemaBuilder, accountIdKey, accountIdValue, bytesKey, encodeKey, stringKey } from '../../../runtime/schema';
import { accountRecord } from '../records';

export const STORE_KEY = 'accountid';
export const MODULE_NAME = 'accountid';

/** The largest AccountID: uint64, as in Cosmos account_number. */
export const MAX_ACCOUNT_ID = (1n << 64n) - 1n;

/** The canonical 8-byte big-endian AccountID (defined by the runtime's schema, shared with other modules' keys). */
export { accountIdKey, accountIdValue };

/** The canonical 8-byte big-endian encoding of an AccountID. */
export function encodeAccountId(id: bigint): Uint8Array {
  return encodeKey(accountIdKey, id);
}

/** Reads an AccountID written by `encodeAccountId`; any other length is corrupt state. */
export function decodeAccountId(bytes: Uint8Array): bigint {
  return accountIdValue.decode(bytes);
}

const schema = new SchemaBuilder(STORE_KEY);

/** The collections of x/accountid. */
export const State = {
  schema,
  accounts: schema.map('accounts', 0x01, accountIdKey, accountRecord),
  names: schema.map('names', 0x02, stringKey, accountIdValue),
  addresses: schema.map('addresses', 0x03, bytesKey, accountIdValue),
  wallets: schema.map('wallets', 0x04, stringKey, accountIdValue),
  nextId: schema.sequence('nextId', 0x05),
};
