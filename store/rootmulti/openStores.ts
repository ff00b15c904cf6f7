/**
 * Opening the multistore: which stores are mounted and from which version each is part of
 * the AppHash, the commit infos a write-ahead log still holds, and the check that every tree
 * agrees with the latest commit info.
 */
import type { CommitId, KVReader, PruningOptions } from '../types';
import { ChangeLog } from '../changelog';
import type { StateDb } from '../db';
import { IavlTree, type IavlOptions } from '../iavl';
import {
  INFOS_RANGE,
  LATEST_KEY,
  LOG_ID,
  RESTORE_KEY,
  type StoreRoots,
  TREES_RANGE,
  commitInfoHash,
  commitInfoKey,
  decodeCommitInfo,
  decodeVersion,
  encodeVersion,
  hex,
  sameBytes,
  treePrefix,
} from './commitInfo';
import { ErrInconsistentState, ErrInvalidMultiStoreOptions } from './errors';

/** A store that appears at an upgrade height: its tree starts at that version. */
export interface StoreUpgrade {
  height: number;
  added: string[];
}

/**
 * The committed state an upgrade resolver reads: the latest version (0 on an empty
 * database), the stores its commit info names, and a read-only view of each of them.
 */
export interface CommittedStores {
  version: number;
  stores: readonly string[];
  reader(name: string): KVReader;
}

/**
 * Upgrades decided from the committed state (an app reads its pending upgrade plan): called
 * once per open, after the stores of the latest commit info are open and before the others.
 */
export type StoreUpgradeResolver = (committed: CommittedStores) => StoreUpgrade[];

export interface RootMultiStoreOptions {
  /** The names of the mounted stores (module store keys). */
  stores: string[];
  pruning?: PruningOptions;
  /**
   * Stores that join at a height. Only stores the latest commit info does not name need one:
   * a store already committed joined at the first stored version whose commit info names it.
   */
  upgrades?: StoreUpgrade[] | StoreUpgradeResolver;
  /**
   * The first version to commit on an empty database: the chain's initial height from its
   * genesis (InitChain's initial_height). Ignored once a version was committed.
   */
  initialVersion?: number;
  /** fsync each commit. CometBFT replays the last blocks after a crash, so off by default. */
  syncWrites?: boolean;
  /**
   * Write-ahead-log mode, off by default: the path of the change log file (store/changelog.ts).
   * A commit then appends one frame (every store's change set and the commit info) to that
   * file and returns; nodes, indexes and commit info reach the database afterwards, and a
   * crash before they did is replayed from the log at open.
   */
  changeLogPath?: string;
}

/** What `openStores` found: the arguments of the multistore. */
export interface OpenedStores {
  /** Every mounted store, sorted by name. */
  names: string[];
  trees: Map<string, IavlTree>;
  /** The version from which each store is part of the AppHash (1 unless added by an upgrade). */
  activeFrom: Map<string, number>;
  last: CommitId;
  /** Committed versions whose commit info is stored, ascending. */
  infoVersions: number[];
  /** The version of the first commit on an empty database. */
  initialVersion: number;
  log: ChangeLog | undefined;
  /** The options each tree was opened with (a restore reopens them). */
  treeOptions: (name: string) => IavlOptions;
}

const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

/**
 * Opens every tree and checks that the database's latest commit info agrees with them:
 * same stores, same version, same roots.
 */
export async function openStores(db: StateDb, opts: RootMultiStoreOptions): Promise<OpenedStores> {
  const names = validateNames(opts.stores);
  const initialVersion = opts.initialVersion ?? 1;
  if (!Number.isSafeInteger(initialVersion) || initialVersion < 1) {
    throw ErrInvalidMultiStoreOptions.wrap(`initialVersion ${initialVersion} must be a positive integer`);
  }

  const log = opts.changeLogPath === undefined ? undefined : ChangeLog.open(opts.changeLogPath, { sync: opts.syncWrites });
  try {
    return await openWith(db, opts, names, initialVersion, log);
  } catch (err) {
    log?.close();
    throw err;
  }
}

async function openWith(
  db: StateDb,
  opts: RootMultiStoreOptions,
  names: string[],
  initialVersion: number,
  log: ChangeLog | undefined,
): Promise<OpenedStores> {
  if ((await db.get(RESTORE_KEY)) !== undefined) {
    // A restore that never finished: its trees are partial, and no commit info names them.
    await db.clear(TREES_RANGE);
    const batch = db.batch();
    batch.del(RESTORE_KEY);
    await db.write(batch, { sync: true });
  }
  let latestBytes = await db.get(LATEST_KEY);
  if (log) {
    // Commit infos of versions whose frame reached the log but not the database: the
    // frame is the commit, so they are written first and the trees replay up to them.
    const stored = latestBytes === undefined ? 0 : decodeVersion(latestBytes);
    const missing = log.entriesFor(LOG_ID).filter((e) => e.version > stored);
    if (missing.length > 0) {
      const batch = db.batch();
      for (const e of missing) batch.put(commitInfoKey(e.version), e.rec);
      latestBytes = encodeVersion(missing[missing.length - 1].version);
      batch.put(LATEST_KEY, latestBytes);
      await db.write(batch, { sync: opts.syncWrites });
    }
  }
  const latest = latestBytes === undefined ? 0 : decodeVersion(latestBytes);
  log?.written(LOG_ID, latest);
  let info: StoreRoots | undefined;
  if (latest > 0) {
    const raw = await db.get(commitInfoKey(latest));
    if (raw === undefined) throw ErrInconsistentState.wrap(`commit info of latest version ${latest} is missing`);
    info = decodeCommitInfo(raw, latest);
    for (const s of info.stores) {
      if (!names.includes(s.name)) {
        throw ErrInvalidMultiStoreOptions.wrap(`store ${JSON.stringify(s.name)} holds committed state but is not mounted`);
      }
    }
  }

  const infoVersions: number[] = [];
  for await (const [key] of db.iterate(INFOS_RANGE)) {
    const v = Number(Buffer.from(key.subarray(2)).toString('latin1'));
    if (Number.isSafeInteger(v) && v > 0) infoVersions.push(v);
  }
  infoVersions.sort((a, b) => a - b);

  const activeFrom = new Map<string, number>();
  const trees = new Map<string, IavlTree>();
  const treeOptions = (name: string): IavlOptions => ({
    prefix: treePrefix(name),
    pruning: opts.pruning,
    initialVersion: activeFrom.get(name),
    writeAheadLog: log,
  });
  // First the stores the latest commit info names. Each is part of the AppHash from the
  // first stored version that names it (membership only grows, so a binary search over the
  // stored infos finds it); a store there since the oldest stored version keeps the chain's
  // initial version. Its tree starts there, which matters when its first versions are still
  // only in the change log.
  const committed = info?.stores.map((s) => s.name) ?? [];
  const named = async (version: number): Promise<string[]> => {
    const raw = await db.get(commitInfoKey(version));
    return raw === undefined ? [] : decodeCommitInfo(raw, version).stores.map((s) => s.name);
  };
  const oldest = infoVersions.length > 0 ? await named(infoVersions[0]) : [];
  for (const name of committed) {
    let from = initialVersion;
    if (!oldest.includes(name)) {
      let [lo, hi] = [0, infoVersions.length - 1];
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((await named(infoVersions[mid])).includes(name)) hi = mid;
        else lo = mid + 1;
      }
      from = infoVersions[hi];
    }
    activeFrom.set(name, from);
    trees.set(name, await IavlTree.open(db, treeOptions(name)));
  }

  // Then the stores it does not name: new at genesis, or joining at an upgrade height.
  const resolved = typeof opts.upgrades === 'function'
    ? opts.upgrades({ version: latest, stores: committed, reader: (name) => (trees.get(name) as IavlTree).at(latest) })
    : opts.upgrades ?? [];
  const addedAt = upgradeHeights(names, resolved);
  for (const name of names) {
    if (committed.includes(name)) continue;
    const upgrade = addedAt.get(name);
    let from: number;
    if (upgrade !== undefined) {
      if (upgrade <= latest) {
        throw ErrInvalidMultiStoreOptions.wrap(
          `store ${JSON.stringify(name)} is added at height ${upgrade} but version ${latest} was committed without it`,
        );
      }
      from = latest === 0 ? Math.max(upgrade, initialVersion) : upgrade;
    } else if (latest === 0) from = initialVersion;
    else {
      throw ErrInvalidMultiStoreOptions.wrap(
        `store ${JSON.stringify(name)} is not in the commit info of version ${latest}; add it with an upgrade`,
      );
    }
    activeFrom.set(name, from);
    // A new store's tree starts at the version it joins, so its first root is that of
    // its first version and the other stores' trees are untouched.
    trees.set(name, await IavlTree.open(db, treeOptions(name)));
  }

  let last: CommitId = { version: 0, hash: new Uint8Array(0) };
  if (info !== undefined) {
    for (const s of info.stores) {
      const id = (trees.get(s.name) as IavlTree).lastCommitId();
      if (id.version !== latest || !sameBytes(id.hash, s.hash)) {
        throw ErrInconsistentState.wrap(
          `store ${s.name} is at version ${id.version} root ${hex(id.hash)}, commit info ${latest} says root ${hex(s.hash)}`,
        );
      }
    }
    last = { version: latest, hash: commitInfoHash(info.stores) };
  }

  return { names, trees, activeFrom, last, infoVersions, initialVersion, log, treeOptions };
}

function validateNames(stores: readonly string[]): string[] {
  if (!Array.isArray(stores)) throw ErrInvalidMultiStoreOptions.wrap('stores must be an array of names');
  const names = [...stores].sort();
  for (let i = 0; i < names.length; i++) {
    if (typeof names[i] !== 'string' || !NAME_PATTERN.test(names[i])) {
      throw ErrInvalidMultiStoreOptions.wrap(`store name ${JSON.stringify(names[i])} must match ${NAME_PATTERN}`);
    }
    if (i > 0 && names[i] === names[i - 1]) throw ErrInvalidMultiStoreOptions.wrap(`store ${names[i]} is mounted twice`);
  }
  return names;
}

function upgradeHeights(names: readonly string[], upgrades: readonly StoreUpgrade[]): Map<string, number> {
  const at = new Map<string, number>();
  for (const u of upgrades) {
    if (!Number.isSafeInteger(u.height) || u.height < 1) {
      throw ErrInvalidMultiStoreOptions.wrap(`upgrade height ${u.height} must be a positive integer`);
    }
    for (const name of u.added) {
      if (!names.includes(name)) throw ErrInvalidMultiStoreOptions.wrap(`upgrade adds ${JSON.stringify(name)}, which is not mounted`);
      if (at.has(name)) throw ErrInvalidMultiStoreOptions.wrap(`store ${name} is added by two upgrades`);
      at.set(name, u.height);
    }
  }
  return at;
}
