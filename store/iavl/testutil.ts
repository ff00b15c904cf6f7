/** Helpers shared by the IAVL tests and benchmarks: temp databases, a seeded PRNG, ICS23 checks. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ics23, iavlSpec, verifyMembership, verifyNonMembership } from '@confio/ics23';
import { CommitmentProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { createHash } from 'node:crypto';
import { StateDb } from '../db';
import type { IavlTree } from './tree';

export async function tempDb(): Promise<{ db: StateDb; path: string; cleanup: () => Promise<void> }> {
  const path = mkdtempSync(join(tmpdir(), 'iavl-'));
  const db = await StateDb.open(path);
  return {
    db,
    path,
    cleanup: async () => {
      await db.close().catch(() => undefined);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** mulberry32: a small deterministic PRNG, so random histories are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    // eslint-disable-next-line determinism/no-float-division -- test-only randomness
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const enc = (s: string) => new TextEncoder().encode(s);
export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Re-decodes a cosmjs-types proof into @confio/ics23's own protobufjs namespace. */
export function toConfio(proof: CommitmentProof): ics23.CommitmentProof {
  return ics23.CommitmentProof.decode(CommitmentProof.encode(proof).finish());
}

export function verifiesMembership(proof: CommitmentProof, root: Uint8Array, key: Uint8Array, value: Uint8Array): boolean {
  try {
    return verifyMembership(toConfio(proof), iavlSpec, root, key, value);
  } catch {
    return false;
  }
}

export function verifiesNonMembership(proof: CommitmentProof, root: Uint8Array, key: Uint8Array): boolean {
  try {
    return verifyNonMembership(toConfio(proof), iavlSpec, root, key);
  } catch {
    return false;
  }
}

/** Key i of a synthetic state: 32 hash-like bytes, as account and balance keys are. */
export function synthKey(i: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(i >>> 0);
  return createHash('sha256').update(b).digest();
}

/** A 100-byte value that changes with `salt`. */
export function synthValue(i: number, salt: number): Uint8Array {
  const out = Buffer.alloc(100);
  out.writeUInt32BE(i >>> 0, 0);
  out.writeUInt32BE(salt >>> 0, 4);
  out.fill(i & 0xff, 8);
  return out;
}

/** Fills `tree` with keys [0, n) in commits of at most `perCommit` keys. */
export async function fillTree(tree: IavlTree, n: number, perCommit = 100_000): Promise<void> {
  for (let start = 0; start < n; start += perCommit) {
    const end = Math.min(n, start + perCommit);
    for (let i = start; i < end; i++) tree.set(synthKey(i), synthValue(i, 0));
    await tree.commit();
  }
}

/**
 * The post-order export stream (as `exportVersion` emits it) of the balanced tree over keys
 * [0, n), every node at `version`: a bulk fixture for `IavlTree.importVersion`. Iterative, so
 * a million-key stream costs no deep generator delegation.
 */
export function* balancedExport(
  n: number,
  key: (i: number) => Uint8Array,
  value: (i: number) => Uint8Array,
  version = 1,
): Generator<{ key: Uint8Array; value?: Uint8Array; version: number; height: number }> {
  if (n < 1) return;
  // Frames of [lo, hi); `mid` is set once the left half has been pushed.
  const lo: number[] = [0];
  const hi: number[] = [n];
  const expanded: boolean[] = [false];
  const heights: number[] = [];
  while (lo.length > 0) {
    const top = lo.length - 1;
    const a = lo[top];
    const b = hi[top];
    if (b - a === 1) {
      lo.pop();
      hi.pop();
      expanded.pop();
      heights.push(0);
      yield { key: key(a), value: value(a), version, height: 0 };
      continue;
    }
    // eslint-disable-next-line determinism/no-float-division -- test fixture: exact ceil of a halved integer
    const mid = a + Math.ceil((b - a) / 2);
    if (!expanded[top]) {
      expanded[top] = true;
      lo.push(mid, a);
      hi.push(b, mid);
      expanded.push(false, false);
      continue;
    }
    lo.pop();
    hi.pop();
    expanded.pop();
    const hr = heights.pop() as number;
    const hl = heights.pop() as number;
    const h = Math.max(hl, hr) + 1;
    heights.push(h);
    yield { key: key(mid), version, height: h };
  }
}
