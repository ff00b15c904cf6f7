/**
 * The x/notarypay state, declared once as runtime/schema collections (`State`). Heights are
 * 8-byte big-endian, era indexes 4-byte big-endian, so iteration order is numeric order.
 *
 *   0x01              → Params (protobuf)
 *   0x02 ‖ era(4)     → Era (protobuf)
 *   0x03 ‖ pubkey(33) → payout AccountID (8 bytes, big-endian)
 *   0x04              → NotarizationState (protobuf)
 *   0x05 ‖ height(8)  → app hash the chain committed at that height (recorded at height+1)
 *   0x06 ‖ height(8)  → BlockRecord (time, proposer) of a recent block
 *   0x07 ‖ era(4)     → first height of the era (8 bytes)
 *   0x08              → index of the era the last block's time fell in (4 bytes)
 */
import { BlockRecord, Era, NotarizationState, Params } from '../../../proto/gen/sekai/notarypay/v1/notarypay';
import { SchemaBuilder, bytesKey, bytesValue, heightKey, protoValue, uint32Key, uint32Value, uint64Value } from '../../../runtime/schema';

export const STORE_KEY = 'notarypay';
export const MODULE_NAME = 'notarypay';
/** The module account pay is minted into before it is sent to payout accounts. */
export const MODULE_ACCOUNT = 'notarypay';

const schema = new SchemaBuilder(STORE_KEY);

/** Every piece of x/notarypay state; the builder refuses a prefix used twice or overlapping another. */
export const State = {
  params: schema.item('params', 0x01, protoValue(Params)),
  eras: schema.map('eras', 0x02, uint32Key, protoValue(Era)),
  /** Notary public key (as given, 33 bytes compressed) → payout AccountID. */
  payouts: schema.map('payouts', 0x03, bytesKey, uint64Value),
  state: schema.item('state', 0x04, protoValue(NotarizationState)),
  appHashes: schema.map('appHashes', 0x05, heightKey, bytesValue),
  blocks: schema.map('blocks', 0x06, heightKey, protoValue(BlockRecord)),
  eraStarts: schema.map('eraStarts', 0x07, uint32Key, uint64Value),
  timeEra: schema.item('timeEra', 0x08, uint32Value),
};

/** uint64 big-endian (the notarization sign document's heights). */
export function u64(n: number | bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), false);
  return b;
}
