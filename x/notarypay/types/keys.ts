/**
 * The x/notarypay state, declared once. Heights are 8-byte big-endian, era indexes 4-byte
 * big-endian, so iteration order is numeric order.
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
export const STORE_KEY = 'notarypay';
export const MODULE_NAME = 'notarypay';
/** The module account pay is minted into before it is sent to payout accounts. */
export const MODULE_ACCOUNT = 'notarypay';

const PREFIX = { params: 0x01, era: 0x02, payout: 0x03, state: 0x04, appHash: 0x05, block: 0x06, eraStart: 0x07, timeEra: 0x08 } as const;
{
  // eslint-disable-next-line no-restricted-syntax -- a literal's values, order irrelevant to the check
  const values = Object.values(PREFIX);
  if (new Set(values).size !== values.length) throw new Error('x/notarypay: duplicate store prefix');
}

export function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, false);
  return b;
}

export function u64(n: number | bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), false);
  return b;
}

export function readU32(b: Uint8Array, offset = 0): number {
  return new DataView(b.buffer, b.byteOffset + offset, 4).getUint32(0, false);
}

export function readU64(b: Uint8Array, offset = 0): bigint {
  return new DataView(b.buffer, b.byteOffset + offset, 8).getBigUint64(0, false);
}

function prefixed(p: number, rest: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + rest.length);
  out[0] = p;
  out.set(rest, 1);
  return out;
}

const range = (p: number) => [Uint8Array.of(p), Uint8Array.of(p + 1)] as const;

export const Keys = {
  params: () => Uint8Array.of(PREFIX.params),
  era: (index: number) => prefixed(PREFIX.era, u32(index)),
  allEras: () => range(PREFIX.era),
  payout: (pubKey: Uint8Array) => prefixed(PREFIX.payout, pubKey),
  allPayouts: () => range(PREFIX.payout),
  state: () => Uint8Array.of(PREFIX.state),
  appHash: (height: number) => prefixed(PREFIX.appHash, u64(height)),
  block: (height: number) => prefixed(PREFIX.block, u64(height)),
  /** [start, end) of block records from `from` to `to` inclusive. */
  blocks: (from: number, to: number) => [prefixed(PREFIX.block, u64(from)), prefixed(PREFIX.block, u64(to + 1))] as const,
  eraStart: (index: number) => prefixed(PREFIX.eraStart, u32(index)),
  timeEra: () => Uint8Array.of(PREFIX.timeEra),
};
