/**
 * The guestbook state, declared once:
 *
 *   0x01 ‖ account id(8) → the account's entry (UTF-8)
 *   0x02                 → entries ever signed (uint64)
 */
import { SchemaBuilder, accountIdKey, stringValue } from '../../../../runtime/schema';

export const MODULE_NAME = 'guestbook';
export const STORE_KEY = 'guestbook';

const schema = new SchemaBuilder(STORE_KEY);
export const State = {
  entries: schema.map('entries', 0x01, accountIdKey, stringValue),
  signed: schema.sequence('signed', 0x02),
};
