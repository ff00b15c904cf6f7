/**
 * The x/customslashing store, declared once:
 *
 *   0x01 | cons_addr(20) → ValidatorSigningInfo (proto)
 *
 * A validator without a stored record has all counters at 0 and start_height = its
 * claim height: the record is written on the first vote that concerns it.
 */
export const SLASHING_STORE_KEY = 'customslashing';

export const Prefix = { signingInfo: 0x01 } as const;

export function signingInfoKey(consAddr: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + consAddr.length);
  out[0] = Prefix.signingInfo;
  out.set(consAddr, 1);
  return out;
}
