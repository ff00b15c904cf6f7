/**
 * Block time for the embedded engine: protobuf Timestamps compared and advanced, and the wall
 * clock, which only the engine reads (the state machine takes time from the block header).
 */
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';

/** Go's zero time.Time as a protobuf Timestamp: what absent CommitSigs carry. */
export const GO_ZERO_TIME: Timestamp = { seconds: -62135596800n, nanos: 0 };

/** Orders two timestamps: negative, zero or positive. */
export function timeCmp(a: Timestamp, b: Timestamp): number {
  return a.seconds !== b.seconds ? (a.seconds < b.seconds ? -1 : 1) : a.nanos - b.nanos;
}

/** `t` plus `ms` milliseconds. */
export function addMs(t: Timestamp, ms: number): Timestamp {
  const nanos = t.nanos + ms * 1_000_000;
  return { seconds: t.seconds + BigInt(Math.floor(nanos / 1e9)), nanos: nanos % 1e9 };
}

/** Wall-clock now; the engine (not the state machine) is where block time comes from. */
export function nowTimestamp(): Timestamp {
  const ms = Date.now();
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

/** The later of two times. */
export function latest(a: Timestamp, b: Timestamp): Timestamp {
  return timeCmp(a, b) >= 0 ? a : b;
}
