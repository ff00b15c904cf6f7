/**
 * The x/bank state, declared once (runtime/schema). Balances are keyed by AccountID
 * (8-byte big-endian, the one encoding x/accountid defines), so every key of an account
 * shares one balance. Amounts are decimal ASCII strings of non-negative integers, as Cosmos
 * math.Int marshals them; zero balances are deleted, never stored.
 *
 *   0x01 ‖ id(8) ‖ denom → amount
 *   0x02 ‖ denom         → total supply of denom
 *   0x03 ‖ denom         → cosmos.bank.v1beta1.Metadata (protobuf)
 *   0x04                 → send cap in whole coins (decimal)
 */
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { SchemaBuilder, accountIdKey, encodeKey, pairKey, stringKey, type ValueCodec } from '../../../runtime/schema';

export const STORE_KEY = 'bank';
export const MODULE_NAME = 'bank';

const unascii = new TextDecoder();

/**
 * A stored amount: decimal ASCII. Digits only (every amount this keeper writes) are parsed
 * without the UTF-8 decoder; anything else takes the decoder path, so a value decodes
 * exactly as before whatever its bytes.
 */
function decodeAmount(raw: Uint8Array): bigint {
  if (raw.length === 0 || raw.length > 80) return BigInt(unascii.decode(raw));
  let s = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c < 0x30 || c > 0x39) return BigInt(unascii.decode(raw));
    s += String.fromCharCode(c);
  }
  return BigInt(s);
}

/** Amounts as decimal ASCII (the form `decodeAmount` reads). */
export const amountValue: ValueCodec<bigint> = {
  name: 'decimal amount',
  encode(amount) {
    const s = amount.toString();
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  },
  decode: decodeAmount,
};

/**
 * Metadata records, decoded once per stored array: stored values are never mutated (store
 * contract), so the decoding is a pure function of the array, and entries die with it. The
 * decoded record is shared: readers that hand it out copy it (`Metadata.fromPartial`).
 */
const decodedMetadata = new WeakMap<Uint8Array, Metadata>();
const metadataValue: ValueCodec<Metadata> = {
  name: 'cosmos.bank.v1beta1.Metadata',
  encode: (md) => Metadata.encode(md).finish(),
  decode(raw) {
    let md = decodedMetadata.get(raw);
    if (md === undefined) {
      md = Metadata.decode(raw);
      decodedMetadata.set(raw, md);
    }
    return md;
  },
};

const schema = new SchemaBuilder(STORE_KEY);

/** The collections of x/bank. */
export const State = {
  schema,
  balances: schema.map('balances', 0x01, pairKey(accountIdKey, stringKey), amountValue),
  supply: schema.map('supply', 0x02, stringKey, amountValue),
  metadata: schema.map('metadata', 0x03, stringKey, metadataValue),
  sendCap: schema.item('sendCap', 0x04, amountValue),
};

/** The range of one account's balances in `State.balances`. */
export function balancesOf(id: bigint): { prefix: Uint8Array } {
  return { prefix: encodeKey(accountIdKey, id) };
}
