/**
 * The x/customstaking store, declared once. Every key is built by a function here; no
 * handler concatenates bytes by hand. Building the schema fails on a duplicate prefix.
 *
 *   0x01 | val_key(20)        → Validator (proto)
 *   0x02 | cons_addr(20)      → val_key        consensus-address index (and key uniqueness)
 *   0x03 | moniker (lower)    → val_key        moniker uniqueness, case-insensitive
 *   0x04 | account_id (8, BE) → val_key        operator account index
 *   0x05 | val_key(20)        → ∅              power change pending for EndBlock
 */
export const STAKING_STORE_KEY = 'customstaking';

function schema<T extends Record<string, number>>(prefixes: T): T {
  const seen = new Map<number, string>();
  // eslint-disable-next-line no-restricted-syntax -- a literal's keys, in source order, checked once at load
  for (const [name, p] of Object.entries(prefixes)) {
    const other = seen.get(p);
    if (other !== undefined) throw new Error(`customstaking store prefix 0x${p.toString(16)} is declared for ${other} and ${name}`);
    seen.set(p, name);
  }
  return prefixes;
}

export const Prefix = schema({ validator: 0x01, consAddr: 0x02, moniker: 0x03, account: 0x04, powerChange: 0x05 });

const enc = new TextEncoder();

function withPrefix(p: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + body.length);
  out[0] = p;
  out.set(body, 1);
  return out;
}

export const validatorKey = (valKey: Uint8Array) => withPrefix(Prefix.validator, valKey);
export const consAddrKey = (consAddr: Uint8Array) => withPrefix(Prefix.consAddr, consAddr);
/** Monikers are unique regardless of case, so "Alice" and "alice" cannot both be seated. */
export const monikerKey = (moniker: string) => withPrefix(Prefix.moniker, enc.encode(moniker.toLowerCase()));
export function accountKey(accountId: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, accountId);
  return withPrefix(Prefix.account, b);
}
export const powerChangeKey = (valKey: Uint8Array) => withPrefix(Prefix.powerChange, valKey);

/** [start, end) of every key under a one-byte prefix. */
export function prefixRange(p: number): [Uint8Array, Uint8Array] {
  return [Uint8Array.of(p), Uint8Array.of(p + 1)];
}
