/**
 * Where the multistore keeps its own records and what they hold: the commit info of each
 * version (cosmos.store.v1beta1 CommitInfo), the latest version and the restore marker. The
 * whole layout is described in rootMultiStore.ts.
 */
import { CommitInfo } from 'cosmjs-types/cosmos/store/v1beta1/commit_info';
import { hashFromMap } from '../merkle';
import { ErrInconsistentState } from './errors';

export const LATEST_KEY = ascii('s/latest');
export const RESTORE_KEY = ascii('s/restore');
/** Every tree's keys: `s/k:` up to, not including, `s/k;` (';' follows ':'). */
export const TREES_RANGE = { gte: ascii('s/k:'), lt: ascii('s/k;') };
/** The multistore's own writer id in the change log (its records are commit infos). */
export const LOG_ID = ascii('s/');
/** Every commit info key: `s/` and a decimal version, which starts with a digit ('9' < ':'). */
export const INFOS_RANGE = { gte: ascii('s/0'), lt: ascii('s/:') };

export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export function treePrefix(name: string): Uint8Array {
  return ascii(`s/k:${name}/`);
}

export function commitInfoKey(version: number): Uint8Array {
  return ascii(`s/${version}`);
}

export function encodeVersion(version: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(version));
  return out;
}

export function decodeVersion(bytes: Uint8Array): number {
  if (bytes.length !== 8) throw ErrInconsistentState.wrap(`latest version record has ${bytes.length} bytes, want 8`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw ErrInconsistentState.wrap(`latest version ${v} is out of range`);
  return Number(v);
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** The root of a commit info: the AppHash. */
export function commitInfoHash(stores: readonly { name: string; hash: Uint8Array }[]): Uint8Array {
  return hashFromMap(stores.map((s) => ({ key: ascii(s.name), value: s.hash })));
}

/** A decoded commit info: the version and each store's root, sorted by name. */
export interface StoreRoots {
  version: number;
  stores: { name: string; hash: Uint8Array }[];
}

export function encodeCommitInfo(version: number, roots: readonly { name: string; hash: Uint8Array }[]): Uint8Array {
  return CommitInfo.encode({
    version: BigInt(version),
    storeInfos: roots.map((r) => ({ name: r.name, commitId: { version: BigInt(version), hash: r.hash } })),
    // The block time is not part of the AppHash; leaving it out keeps the record a pure
    // function of the state.
    timestamp: { seconds: 0n, nanos: 0 },
  }).finish();
}

export function decodeCommitInfo(raw: Uint8Array, version: number): StoreRoots {
  let info: CommitInfo;
  try {
    info = CommitInfo.decode(raw);
  } catch (err) {
    throw ErrInconsistentState.wrap(`commit info of version ${version} does not decode: ${(err as Error).message}`);
  }
  if (info.version !== BigInt(version)) {
    throw ErrInconsistentState.wrap(`commit info stored for version ${version} says version ${info.version}`);
  }
  const stores = info.storeInfos.map((s) => ({ name: s.name, hash: s.commitId?.hash ?? new Uint8Array(0) }));
  stores.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { version, stores };
}
