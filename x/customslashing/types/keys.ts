/**
 * The x/customslashing store, declared once (runtime/schema):
 *
 *   0x01 | cons_addr(20) → ValidatorSigningInfo (proto)
 *
 * A validator without a stored record has all counters at 0 and start_height = its
 * claim height: the record is written on the first vote that concerns it.
 */
import { ValidatorSigningInfo } from '../../../proto/gen/sekai/slashing/v1/slashing';
import { SchemaBuilder, bytesKey, protoValue } from '../../../runtime/schema';

export const SLASHING_STORE_KEY = 'customslashing';
/** Module name: genesis section, event `message.module`, CLI command. */
export const MODULE_NAME = 'customslashing';

const schema = new SchemaBuilder(SLASHING_STORE_KEY);

/** The collections of x/customslashing. */
export const State = {
  schema,
  signingInfos: schema.map('signingInfos', 0x01, bytesKey, protoValue(ValidatorSigningInfo)),
};
