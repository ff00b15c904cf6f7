/**
 * The x/customstaking store, declared once (runtime/schema): handlers read and write these
 * collections and never build a key. Building the schema fails on an overlapping prefix.
 *
 *   0x01 | val_key(20)        → Validator (proto)
 *   0x02 | cons_addr(20)      → val_key        consensus-address index (and key uniqueness)
 *   0x03 | moniker (lower)    → val_key        moniker uniqueness, case-insensitive
 *   0x04 | account_id (8, BE) → val_key        operator account index
 *   0x05 | val_key(20)        → ∅              power change pending for EndBlock
 */
import { Validator } from '../../../proto/gen/sekai/staking/v1/staking';
import { SchemaBuilder, bytesKey, bytesValue, protoValue, stringKey, uint64Key, type KeyCodec } from '../../../runtime/schema';

export const STAKING_STORE_KEY = 'customstaking';
/** Module name: genesis section, event `message.module`, CLI command. */
export const MODULE_NAME = 'customstaking';

/** Monikers are unique regardless of case, so "Alice" and "alice" cannot both be seated. */
const monikerKey: KeyCodec<string> = {
  name: 'moniker (lower case)',
  width: undefined,
  size: (m) => stringKey.size(m.toLowerCase()),
  write: (out, offset, m) => stringKey.write(out, offset, m.toLowerCase()),
  read: (bytes, offset, end) => stringKey.read(bytes, offset, end),
};

const schema = new SchemaBuilder(STAKING_STORE_KEY);

/** The collections of x/customstaking. */
export const State = {
  schema,
  validators: schema.map('validators', 0x01, bytesKey, protoValue(Validator)),
  byConsAddr: schema.map('byConsAddr', 0x02, bytesKey, bytesValue),
  byMoniker: schema.map('byMoniker', 0x03, monikerKey, bytesValue),
  byAccount: schema.map('byAccount', 0x04, uint64Key, bytesValue),
  powerChanges: schema.keySet('powerChanges', 0x05, bytesKey),
};
