/**
 * The x/bridge state, declared once. Chain names are length-prefixed (1 byte), ids are
 * 8-byte big-endian, so iteration order is numeric order within a chain.
 *
 *   0x01                  → ValidatorSet
 *   0x02 ‖ chain          → ChainState
 *   0x03 ‖ chain ‖ id(8)  → EventRecord (live events: pending and processed)
 *   0x04 ‖ chain ‖ id(8)  → ActionRecord
 *   0x05 ‖ chain ‖ seq(8) → PendingWithdrawal (FIFO queue)
 *   0x06 ‖ chain ‖ id(8)  → OverrideProposal
 *   0x07 ‖ chain ‖ seq(8) → EventRecord of a reverted event
 *   0x08 ‖ id(8)          → AdminProposal (pending)
 *   0x09                  → next admin proposal id (8 bytes)
 *   0x0a ‖ index(8)       → HistoryEntry
 */
export const STORE_KEY = 'bridge';
export const MODULE_NAME = 'bridge';
/** The module account deposits are minted into and withdrawals burned from. */
export const MODULE_ACCOUNT = 'bridge';

const PREFIX = {
  validatorSet: 0x01,
  chain: 0x02,
  event: 0x03,
  action: 0x04,
  withdrawal: 0x05,
  override: 0x06,
  reverted: 0x07,
  proposal: 0x08,
  nextProposal: 0x09,
  history: 0x0a,
} as const;
{
  // eslint-disable-next-line no-restricted-syntax -- a literal's values, order irrelevant to the check
  const values = Object.values(PREFIX);
  if (new Set(values).size !== values.length) throw new Error('x/bridge: duplicate store prefix');
}

export function u64(n: number | bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), false);
  return b;
}

export function readU64(b: Uint8Array, offset = 0): bigint {
  return new DataView(b.buffer, b.byteOffset + offset, 8).getBigUint64(0, false);
}

const enc = new TextEncoder();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Chain names are at most 32 bytes (validated in genesis), so one length byte suffices. */
function chainPart(chain: string): Uint8Array {
  const name = enc.encode(chain);
  return concat(Uint8Array.of(name.length), name);
}

function chainRange(p: number, chain: string): readonly [Uint8Array, Uint8Array] {
  const start = concat(Uint8Array.of(p), chainPart(chain));
  return [start, concat(start, new Uint8Array(8).fill(0xff), Uint8Array.of(0xff))] as const;
}

export const Keys = {
  validatorSet: () => Uint8Array.of(PREFIX.validatorSet),
  chain: (chain: string) => concat(Uint8Array.of(PREFIX.chain), enc.encode(chain)),
  allChains: () => [Uint8Array.of(PREFIX.chain), Uint8Array.of(PREFIX.chain + 1)] as const,
  event: (chain: string, id: bigint) => concat(Uint8Array.of(PREFIX.event), chainPart(chain), u64(id)),
  events: (chain: string) => chainRange(PREFIX.event, chain),
  action: (chain: string, id: bigint) => concat(Uint8Array.of(PREFIX.action), chainPart(chain), u64(id)),
  actions: (chain: string) => chainRange(PREFIX.action, chain),
  withdrawal: (chain: string, seq: bigint) => concat(Uint8Array.of(PREFIX.withdrawal), chainPart(chain), u64(seq)),
  withdrawals: (chain: string) => chainRange(PREFIX.withdrawal, chain),
  override: (chain: string, id: bigint) => concat(Uint8Array.of(PREFIX.override), chainPart(chain), u64(id)),
  overrides: (chain: string) => chainRange(PREFIX.override, chain),
  reverted: (chain: string, seq: bigint) => concat(Uint8Array.of(PREFIX.reverted), chainPart(chain), u64(seq)),
  allReverted: (chain: string) => chainRange(PREFIX.reverted, chain),
  proposal: (id: bigint) => concat(Uint8Array.of(PREFIX.proposal), u64(id)),
  allProposals: () => [Uint8Array.of(PREFIX.proposal), Uint8Array.of(PREFIX.proposal + 1)] as const,
  nextProposal: () => Uint8Array.of(PREFIX.nextProposal),
  history: (index: bigint) => concat(Uint8Array.of(PREFIX.history), u64(index)),
  allHistory: () => [Uint8Array.of(PREFIX.history), Uint8Array.of(PREFIX.history + 1)] as const,
};
