/**
 * The x/multistaking store, declared once through the schema layer (prefixes may not
 * overlap; genesis and queries walk the same collections).
 *
 *   0x01 | val_key(20)                 → Vault
 *   0x02 | val_key(20) | delegator(8)  → Delegation      by vault, then AccountID
 *   0x03 | delegator(8) | val_key(20)  → ∅               a delegator's vaults (claims, queries)
 *   0x04                               → RewardPool
 *   0x05                               → height the store joined the state (8 bytes)
 */
import { SchemaBuilder, fixedBytesKey, heightValue, pairKey, protoValue, uint64Key } from '../../../runtime/schema';
import { Delegation, RewardPool, Vault } from '../../../proto/gen/sekai/multistaking/v1/multistaking';

export const MULTISTAKING_STORE_KEY = 'multistaking';

const valKey = fixedBytesKey(20);

export const schema = new SchemaBuilder(MULTISTAKING_STORE_KEY);
export const Vaults = schema.map('vaults', 0x01, valKey, protoValue(Vault));
export const Delegations = schema.map('delegations', 0x02, pairKey(valKey, uint64Key), protoValue(Delegation));
export const DelegatorVaults = schema.pairSet('delegator_vaults', 0x03, uint64Key, valKey);
export const Pool = schema.item('pool', 0x04, protoValue(RewardPool));
export const ActivatedAt = schema.item('activated_at', 0x05, heightValue);

export { valKey as valKeyCodec };
