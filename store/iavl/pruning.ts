/**
 * Pruning: which versions a strategy keeps, and deleting the ones it retires. Each version
 * keeps the list of nodes it orphaned (alive in it, gone from the next); deleting a version
 * deletes those nodes unless an older retained version still sees them, in which case the list
 * moves to that version.
 */
import type { WriteBatch } from '../db';
import type { PruningOptions } from '../types';
import { smallBuffer } from '../../types/bytes';
import { TAG_MOVED, TAG_ORPHANS, TAG_ROOT, concatBytes, tagKey, u64 } from './keys';
import type { NodeSource } from './nodeDb';
import { NODE_KEY_LENGTH, readNodeKey } from './node';

/** Versions kept: the `keepRecent` most recent ones and every `keepEvery`th (0 = none). */
export interface Retention {
  keepRecent: number;
  keepEvery: number;
}

/** Which versions a pruning strategy keeps, given the latest one; undefined keeps them all. */
export function retentionOf(p: PruningOptions): Retention | undefined {
  switch (p.strategy) {
    case 'nothing':
      return undefined;
    case 'default':
      return { keepRecent: 362, keepEvery: 500 };
    case 'everything':
      return { keepRecent: 2, keepEvery: 0 };
    case 'custom':
      return { keepRecent: p.keepRecent, keepEvery: p.keepEvery };
  }
}

/**
 * Splits the retained versions plus the new `version` into those kept and those pruned. A
 * pinned version (a snapshot being written from it) is kept whatever the strategy says.
 */
export function planPruning(
  versions: readonly number[],
  version: number,
  keep: Retention | undefined,
  pins: ReadonlyMap<number, number>,
): { retained: number[]; pruned: number[] } {
  const all = [...versions, version];
  if (!keep) return { retained: all, pruned: [] };
  const retained: number[] = [];
  const pruned: number[] = [];
  for (const v of all) {
    // eslint-disable-next-line determinism/no-float-division -- exact: a safe integer floored by a power of two
    const kept = v === version || v > version - keep.keepRecent || (keep.keepEvery > 0 && v % keep.keepEvery === 0) || pins.has(v);
    if (kept) retained.push(v);
    else pruned.push(v);
  }
  return { retained, pruned };
}

/**
 * Appends to `batch` the deletion of every version of `persisted` (plus the new `version`)
 * that is not in `retained`. `heads` holds the head orphan lists this commit writes, by
 * version (null = delete); pruning adds its deletions to it and the caller writes it.
 */
export function appendPruning(
  src: NodeSource,
  batch: WriteBatch,
  persisted: readonly number[],
  version: number,
  retained: number[],
  heads: Map<number, Uint8Array | null>,
): void {
  const keep = new Set(retained);
  const pruned = [...persisted, version].filter((v) => !keep.has(v));
  // Retained version -> pruned versions whose surviving orphans moved to it in this commit.
  const moves = new Map<number, number[]>();
  for (const d of pruned) pruneVersion(src, d, retained, heads, moves, batch);
  // eslint-disable-next-line determinism/no-unordered-iteration -- sorted by version right here
  for (const [p, from] of [...moves.entries()].sort((x, y) => x[0] - y[0])) {
    const key = tagKey(src.prefix, TAG_MOVED, u64(p));
    const prev = src.db.getSync(key);
    const rec = smallBuffer((prev ? prev.length : 0) + from.length * 8);
    if (prev) rec.set(prev, 0);
    from.forEach((d, i) => rec.set(u64(d), (prev ? prev.length : 0) + i * 8));
    batch.put(key, rec);
  }
}

/**
 * Deletes version `d`. A node orphaned after `d` was alive from its own version up to `d`;
 * if a retained version p < d still sees it, it moves to p's orphans, else it is deleted.
 *
 * Moved entries get a record of their own, `P 'o' p d`, listed in `P 'm' p`, instead of
 * being appended to p's head list: with keep-every checkpoints, p = the last checkpoint
 * receives the survivors of every version pruned after it, and rewriting one growing record
 * per commit cost O(nodes of the tree alive at p) per commit (tens of MB on a 1M-key tree).
 * Now a commit writes only what it moves, plus 8 bytes in p's index.
 */
function pruneVersion(
  src: NodeSource,
  d: number,
  retained: number[],
  heads: Map<number, Uint8Array | null>,
  moves: Map<number, number[]>,
  batch: WriteBatch,
): void {
  batch.del(tagKey(src.prefix, TAG_ROOT, u64(d)));
  const p = predecessor(retained, d);
  const survivors: Uint8Array[] = [];
  const visit = (list: Uint8Array | undefined | null): void => {
    if (!list) return;
    for (let i = 0; i + NODE_KEY_LENGTH <= list.length; i += NODE_KEY_LENGTH) {
      const { version, seq } = readNodeKey(list, i);
      if (p !== undefined && p >= version) survivors.push(list.subarray(i, i + NODE_KEY_LENGTH));
      else {
        batch.del(src.nodeDbKey(version, seq));
        src.forget(version, seq);
      }
    }
  };
  visit(heads.has(d) ? heads.get(d) : src.db.getSync(tagKey(src.prefix, TAG_ORPHANS, u64(d))));
  heads.set(d, null);
  const movedIndexKey = tagKey(src.prefix, TAG_MOVED, u64(d));
  const movedIndex = src.db.getSync(movedIndexKey);
  if (movedIndex) {
    for (let i = 0; i + 8 <= movedIndex.length; i += 8) {
      const key = tagKey(src.prefix, TAG_ORPHANS, concatBytes(u64(d), movedIndex.subarray(i, i + 8)));
      visit(src.db.getSync(key));
      batch.del(key);
    }
    batch.del(movedIndexKey);
  }
  if (survivors.length > 0 && p !== undefined) {
    batch.put(tagKey(src.prefix, TAG_ORPHANS, concatBytes(u64(p), u64(d))), Buffer.concat(survivors));
    const list = moves.get(p);
    if (list) list.push(d);
    else moves.set(p, [d]);
  }
}

/** Index of `v` in `sorted`, or -1. */
export function binarySearch(sorted: number[], v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] === v) return mid;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The largest element of `sorted` below `v`. */
function predecessor(sorted: number[], v: number): number | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? sorted[lo - 1] : undefined;
}
