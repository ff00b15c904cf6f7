/**
 * The x/bank state, declared once. Balances are keyed by AccountID (8-byte big-endian,
 * the one encoding x/accountid defines), so every key of an account shares one balance.
 * Amounts are decimal ASCII strings of non-negative integers, as Cosmos math.Int
 * marshals them; zero balances are deleted, never stored.
 *
 *   0x01 ‖ id(8) ‖ denom → amount
 *   0x02 ‖ denom         → total supply of denom
 *   0x03 ‖ denom         → cosmos.bank.v1beta1.Metadata (protobuf)
 *   0x04                 → send cap in whole coins (decimal)
 */
import { readUint64 } from '../../../runtime/schema';
import { accountIdKey, encodeAccountId } from '../../accountid/types/keys';

export const STORE_KEY = 'bank';
export const MODULE_NAME = 'bank';

const PREFIX = { balance: 0x01, supply: 0x02, metadata: 0x03, sendCap: 0x04 } as const;
{
  // eslint-disable-next-line no-restricted-syntax -- a literal's values, order irrelevant to the check
  const values = Object.values(PREFIX);
  if (new Set(values).size !== values.length) throw new Error('x/bank: duplicate store prefix');
}

const utf8 = new TextEncoder();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * prefix ‖ [id] ‖ denom in one allocation (every transfer builds several of these). Denoms
 * are ASCII (validateDenom), so the common case copies char codes; anything else goes
 * through the UTF-8 encoder.
 */
function denomKey(prefix: number, id: bigint | undefined, denom: string): Uint8Array {
  let ascii = true;
  for (let i = 0; i < denom.length; i++) {
    if (denom.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  const tail = ascii ? undefined : utf8.encode(denom);
  const head = id === undefined ? 1 : 9;
  const out = new Uint8Array(head + (tail ? tail.length : denom.length));
  out[0] = prefix;
  if (id !== undefined) accountIdKey.write(out, 1, id);
  if (tail) out.set(tail, head);
  else for (let i = 0; i < denom.length; i++) out[head + i] = denom.charCodeAt(i);
  return out;
}

export const Keys = {
  balance: (id: bigint, denom: string) => denomKey(PREFIX.balance, id, denom),
  /** [start, end) of one account's balances. */
  balancesOf: (id: bigint) => {
    const start = concat(Uint8Array.of(PREFIX.balance), encodeAccountId(id));
    const end = id === (1n << 64n) - 1n ? Uint8Array.of(PREFIX.balance + 1) : concat(Uint8Array.of(PREFIX.balance), encodeAccountId(id + 1n));
    return [start, end] as const;
  },
  allBalances: () => [Uint8Array.of(PREFIX.balance), Uint8Array.of(PREFIX.balance + 1)] as const,
  supply: (denom: string) => denomKey(PREFIX.supply, undefined, denom),
  allSupply: () => [Uint8Array.of(PREFIX.supply), Uint8Array.of(PREFIX.supply + 1)] as const,
  metadata: (denom: string) => denomKey(PREFIX.metadata, undefined, denom),
  allMetadata: () => [Uint8Array.of(PREFIX.metadata), Uint8Array.of(PREFIX.metadata + 1)] as const,
  sendCap: () => Uint8Array.of(PREFIX.sendCap),
};

const utf8d = new TextDecoder();

/** Splits a balance key into AccountID and denom. */
export function parseBalanceKey(key: Uint8Array): { id: bigint; denom: string } {
  return { id: readUint64(key, 1), denom: utf8d.decode(key.subarray(9)) };
}

/** The denom part of a supply or metadata key. */
export function denomOfKey(key: Uint8Array): string {
  return utf8d.decode(key.subarray(1));
}
