/**
 * The customgov store layout, declared once. Integers are big-endian so that byte order
 * is numeric order; every key starts with a one-byte prefix, and building the schema
 * fails on a duplicate prefix.
 */
export const STORE_KEY = 'customgov';
export const MODULE_NAME = 'customgov';

const PREFIXES = {
  actor: 0x01, // accountId(8) → NetworkActor
  role: 0x02, // roleId(4) → Role
  roleSid: 0x03, // sid utf8 → roleId(4)
  nextRoleId: 0x04, // → uint32
  property: 0x05, // NetworkProperty(2) → canonical text
  councilor: 0x06, // accountId(8) → Councilor
  proposal: 0x07, // proposalId(8) → Proposal
  nextProposalId: 0x08, // → uint64
  vote: 0x09, // proposalId(8) accountId(8) → Vote
  activeQueue: 0x0a, // votingEnd(8) proposalId(8) → empty
  enactmentQueue: 0x0b, // enactmentEnd(8) proposalId(8) → empty
  duration: 0x0c, // proposal type utf8 → uint64
} as const;

{
  const seen = new Set<number>();
  // eslint-disable-next-line no-restricted-syntax -- a duplicate check, order-free
  for (const p of Object.values(PREFIXES)) {
    if (seen.has(p)) throw new Error(`customgov key prefix 0x${p.toString(16)} is declared twice`);
    seen.add(p);
  }
}

const text = new TextEncoder();

export function u64(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v));
  return b;
}

export function readU64(b: Uint8Array, offset = 0): bigint {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(offset);
}

/** Block times are non-negative unix seconds (CometBFT time after 1970). */
function time(seconds: bigint): Uint8Array {
  return u64(seconds < 0n ? 0n : seconds);
}

function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v);
  return b;
}

function cat(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(1 + parts.reduce((n, p) => n + p.length, 0));
  out[0] = prefix;
  let o = 1;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Property keys by number: every tx's fee check reads MIN_TX_FEE and MAX_TX_FEE, so the
 * key bytes are built once. A pure function of the number; nobody writes to key arrays.
 */
const propertyKeys = new Map<number, Uint8Array>();
function propertyKey(p: number): Uint8Array {
  let k = propertyKeys.get(p);
  if (k === undefined) {
    k = cat(PREFIXES.property, Uint8Array.of(p >> 8, p & 0xff));
    propertyKeys.set(p, k);
  }
  return k;
}

export const Keys = {
  actor: (id: bigint) => cat(PREFIXES.actor, u64(id)),
  actorPrefix: () => Uint8Array.of(PREFIXES.actor),
  role: (id: number) => cat(PREFIXES.role, u32(id)),
  rolePrefix: () => Uint8Array.of(PREFIXES.role),
  roleSid: (sid: string) => cat(PREFIXES.roleSid, text.encode(sid)),
  nextRoleId: () => Uint8Array.of(PREFIXES.nextRoleId),
  property: propertyKey,
  councilor: (id: bigint) => cat(PREFIXES.councilor, u64(id)),
  councilorPrefix: () => Uint8Array.of(PREFIXES.councilor),
  proposal: (id: bigint) => cat(PREFIXES.proposal, u64(id)),
  proposalPrefix: () => Uint8Array.of(PREFIXES.proposal),
  nextProposalId: () => Uint8Array.of(PREFIXES.nextProposalId),
  vote: (proposalId: bigint, voter: bigint) => cat(PREFIXES.vote, u64(proposalId), u64(voter)),
  votesOf: (proposalId: bigint) => cat(PREFIXES.vote, u64(proposalId)),
  activeQueue: (end: bigint, id: bigint) => cat(PREFIXES.activeQueue, time(end), u64(id)),
  activeQueuePrefix: () => Uint8Array.of(PREFIXES.activeQueue),
  enactmentQueue: (end: bigint, id: bigint) => cat(PREFIXES.enactmentQueue, time(end), u64(id)),
  enactmentQueuePrefix: () => Uint8Array.of(PREFIXES.enactmentQueue),
  /** Queue keys up to and including time `t` end before this key. */
  queueUntil: (prefix: Uint8Array, t: bigint) => cat(prefix[0], time(t + 1n)),
  duration: (type: string) => cat(PREFIXES.duration, text.encode(type)),
  durationPrefix: () => Uint8Array.of(PREFIXES.duration),
};

export { prefixEnd } from '../../../store/prefixEnd';
