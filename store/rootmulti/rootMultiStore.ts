/**
 * The root multistore: one IAVL tree per module, all in one StateDb, committed together.
 *
 * Layout in the database (as the Cosmos SDK's rootmulti, so tools that know it feel at home):
 * - `s/k:<name>/...`  the tree of store `<name>` (names cannot contain '/', so no prefix
 *                     is a prefix of another store's)
 * - `s/<version>`     CommitInfo (cosmos.store.v1beta1) of that version: every store's name
 *                     and root, decimal version as in the SDK
 * - `s/latest`        the latest committed version, 8 bytes big-endian
 * - `s/restore`       present only while a snapshot is being restored (its version, 8 bytes):
 *                     `open` finds it after an interrupted restore and deletes every tree,
 *                     so a half-imported state never starts as if it were whole
 *
 * The AppHash of a version is the CometBFT simple Merkle root over
 * `uvarint(len(name)) || name || uvarint(32) || sha256(storeRoot)` sorted by name, exactly
 * `CommitInfo.Hash` of the SDK; a key is proven by an `ics23:iavl` op (key in the store)
 * followed by an `ics23:simple` op (store root in the AppHash).
 *
 * Every store's writes, the commit info and the latest version of a block go to the
 * database in ONE batch, so after a crash all stores are at the same version. In
 * write-ahead-log mode that one atomic write is the block's frame in the change log; the
 * stores write their versions afterwards, each on its own, and `open` brings every store up
 * to the last logged version before anything reads them.
 *
 * Beside this file: openStores.ts (mounting and the checks at open), commitInfo.ts (the
 * multistore's own records and the AppHash), workingValues.ts (each tree's working state
 * behind a memo), cacheMultiStore.ts (branches of the working state).
 */
import type { ProofOps } from 'cosmjs-types/tendermint/crypto/proof';
import { Lease } from '../cachekv';
import type { ChangeLog } from '../changelog';
import type { StateDb, WriteBatch } from '../db';
import { IavlTree, type ExportNode, type IavlOptions, type ImportedRoot, type TreeImport } from '../iavl';
import { encodeCommitmentProof, mapExistenceProof } from '../merkle';
import type { CommitId, KVReader, KVStore } from '../types';
import { CacheMultiStore } from './cacheMultiStore';
import {
  LATEST_KEY,
  LOG_ID,
  RESTORE_KEY,
  type StoreRoots,
  TREES_RANGE,
  ascii,
  commitInfoHash,
  commitInfoKey,
  decodeCommitInfo,
  encodeCommitInfo,
  encodeVersion,
  hex,
  sameBytes,
} from './commitInfo';
import { ErrCommitInProgress, ErrInconsistentState, ErrRestore, ErrRestoreMismatch, ErrStoreClosed, ErrUnknownStore, ErrVersionNotAvailable } from './errors';
import { type RootMultiStoreOptions, openStores } from './openStores';
import { WorkingValues } from './workingValues';

/** Proof op types of the Cosmos SDK (`store/types/proof.go`). */
export const PROOF_OP_IAVL = 'ics23:iavl';
export const PROOF_OP_SIMPLE = 'ics23:simple';

/** A value with the proof chain from its key to the AppHash of `height`. */
export interface ProvenQuery {
  value?: Uint8Array;
  proofOps: ProofOps;
  height: number;
}

export class RootMultiStore {
  private last: CommitId;
  /** The working-state view of each tree (see WorkingValues). */
  private readonly views = new Map<string, WorkingValues>();
  private lease = new Lease('multistore branch');
  private committing = false;
  private closed = false;
  /** Committed versions whose commit info is still stored, ascending. */
  private infoVersions: number[];
  /** Write-ahead-log mode: commit infos logged but not yet in the database, by version. */
  private readonly unwrittenInfos = new Map<number, Uint8Array>();
  /** The background writes of those infos, chained so that they land in order. */
  private infoWrites: Promise<void> = Promise.resolve();
  private infoError: unknown;
  /** Set between beginRestore and finishRestore/abortRestore: the version being imported and the stores done. */
  private restoring: { version: number; done: Set<string>; joined: Map<string, number> } | undefined;

  private constructor(
    private readonly db: StateDb,
    /** Every mounted store, sorted by name. */
    private readonly names: readonly string[],
    /** Replaced entry by entry only by a snapshot restore. */
    private readonly trees: Map<string, IavlTree>,
    /** The version from which each store is part of the AppHash (1 unless added by an upgrade). */
    private readonly activeFrom: Map<string, number>,
    last: CommitId,
    infoVersions: number[],
    /** The version of the first commit on an empty database. */
    private readonly initialVersion: number,
    private readonly syncWrites: boolean,
    private readonly log: ChangeLog | undefined,
    /** The options each tree was opened with (a restore reopens them). */
    private readonly treeOptions: (name: string) => IavlOptions,
  ) {
    this.last = last;
    this.infoVersions = infoVersions;
    for (const name of names) this.views.set(name, new WorkingValues(trees.get(name) as IavlTree));
  }

  /**
   * Opens every tree and checks that the database's latest commit info agrees with them:
   * same stores, same version, same roots.
   */
  static async open(db: StateDb, opts: RootMultiStoreOptions): Promise<RootMultiStore> {
    const s = await openStores(db, opts);
    return new RootMultiStore(db, s.names, s.trees, s.activeFrom, s.last, s.infoVersions, s.initialVersion, opts.syncWrites ?? false, s.log, s.treeOptions);
  }

  /** The latest committed version and its AppHash (version 0 and an empty hash before the first commit). */
  lastCommitId(): CommitId {
    return { version: this.last.version, hash: this.last.hash };
  }

  /** The AppHash the working state would commit to, without persisting anything. */
  workingHash(): Uint8Array {
    this.checkOpen();
    const next = this.nextVersion();
    return commitInfoHash(this.activeNames(next).map((name) => ({ name, hash: this.tree(name).workingHash() })));
  }

  /**
   * The version from which a mounted store is part of the AppHash (its upgrade height, or the
   * initial version); a snapshot restore that holds a store not yet active moves it to the
   * restored version.
   */
  activeSince(name: string): number {
    this.tree(name);
    return this.activeFrom.get(name) as number;
  }

  /** The names of the stores that are part of version `version`, sorted. */
  storesAt(version: number): string[] {
    return this.names.filter((n) => (this.activeFrom.get(n) as number) <= version);
  }

  /**
   * The working state of one store. Writes here bypass every branch; the runtime writes
   * through `cacheMultiStore()` instead.
   */
  getStore(name: string): KVStore {
    this.checkOpen();
    return this.activeView(name);
  }

  /** A write-back branch over the working state of every store, valid until the next commit. */
  cacheMultiStore(): CacheMultiStore {
    this.checkOpen();
    const names = this.activeNames(this.nextVersion());
    return new CacheMultiStore((name) => this.activeView(name), names, this.lease);
  }

  /**
   * Persists the working state of every store as the next version: each tree's writes, the
   * commit info and the latest version go to the database in one atomic batch (or, in
   * write-ahead-log mode, to the log in one frame). Branches cut before the commit become
   * unusable.
   */
  async commit(): Promise<CommitId> {
    this.checkOpen();
    if (this.restoring) throw ErrRestore.wrap('cannot commit while a snapshot is being restored');
    if (this.committing) throw ErrCommitInProgress.wrap('commit called again before the previous one finished');
    this.committing = true;
    this.lease.revoke();
    this.lease = new Lease('multistore branch');
    const version = this.nextVersion();
    const names = this.activeNames(version);
    const batch = this.db.batch();
    const prepared: IavlTree[] = [];
    try {
      this.checkInfoWrites();
      const roots: { name: string; hash: Uint8Array }[] = [];
      for (const name of names) {
        const tree = this.tree(name);
        const id = tree.prepareCommit(batch);
        prepared.push(tree);
        if (id.version !== version) {
          throw ErrInconsistentState.wrap(`store ${name} prepared version ${id.version}, the multistore commits ${version}`);
        }
        roots.push({ name, hash: id.hash });
      }
      const info = encodeCommitInfo(version, roots);
      batch.put(commitInfoKey(version), info);
      batch.put(LATEST_KEY, encodeVersion(version));
      const dropped = this.prunableInfos(version);
      for (const v of dropped) batch.del(commitInfoKey(v));
      if (this.log) {
        this.log.stage(LOG_ID, version, info);
        this.log.append(version);
        this.writeInfoLater(version, info, batch);
      } else {
        await this.db.write(batch, { sync: this.syncWrites });
      }
      for (const tree of prepared) tree.markCommitted();
      this.infoVersions = this.infoVersions.filter((v) => !dropped.includes(v));
      this.infoVersions.push(version);
      this.last = { version, hash: commitInfoHash(roots) };
      return this.lastCommitId();
    } catch (err) {
      // Nothing reached the database: every tree goes back to its last committed state.
      this.log?.discard();
      for (const tree of prepared) tree.rollback();
      for (const name of this.names) this.views.get(name)?.clear();
      throw err;
    } finally {
      this.committing = false;
    }
  }

  /**
   * Write-ahead-log mode: writes a logged version's commit info, latest-version record and
   * commit-info pruning after the commit returned. Until then reads take the info from memory.
   */
  private writeInfoLater(version: number, info: Uint8Array, batch: WriteBatch): void {
    this.unwrittenInfos.set(version, info);
    this.infoWrites = this.infoWrites
      .then(() => this.db.write(batch, { sync: this.syncWrites }))
      .then(() => {
        this.unwrittenInfos.delete(version);
        this.log?.written(LOG_ID, version);
      })
      .catch((err: unknown) => {
        this.infoError ??= err;
      });
  }

  /** A committed version's commit info record, from memory until it is written. */
  private infoRecord(version: number): Uint8Array | undefined {
    return this.unwrittenInfos.get(version) ?? this.db.getSync(commitInfoKey(version));
  }

  /**
   * Resolves once every committed version is in the database (write-ahead-log mode writes
   * after `commit` returns; at once otherwise). Rejects if writing one failed.
   */
  async flush(): Promise<void> {
    this.checkOpen();
    for (const name of this.names) await this.tree(name).flush();
    await this.infoWrites;
    this.checkInfoWrites();
  }

  /** Throws if a background write of a logged commit info failed (write-ahead-log mode). */
  private checkInfoWrites(): void {
    if (this.infoError !== undefined) throw ErrInconsistentState.wrap(`writing a logged commit info failed: ${String(this.infoError)}`);
  }

  /** Discards the working state of every store (everything since the last commit). */
  rollback(): void {
    this.checkOpen();
    if (this.committing) throw ErrCommitInProgress.wrap('cannot roll back during a commit');
    this.lease.revoke();
    this.lease = new Lease('multistore branch');
    for (const name of this.names) this.tree(name).rollback();
    for (const name of this.names) this.views.get(name)?.clear();
  }

  /** True when `version` was committed and every store of it still retains it. */
  versionExists(version: number): boolean {
    this.checkOpen();
    if (!Number.isSafeInteger(version) || version < 1 || version > this.last.version) return false;
    if (!this.storesAt(version).every((n) => this.tree(n).versionExists(version))) return false;
    return this.infoRecord(version) !== undefined;
  }

  /** Every retained version, ascending. */
  availableVersions(): number[] {
    return this.infoVersions.filter((v) => this.versionExists(v));
  }

  /** The stores and roots of a committed version, read from the database. */
  commitInfo(version: number): StoreRoots {
    this.checkOpen();
    if (!Number.isSafeInteger(version) || version < 1) {
      throw ErrVersionNotAvailable.wrap(`version ${version} is not a committed version`);
    }
    const raw = this.infoRecord(version);
    if (raw === undefined) {
      throw ErrVersionNotAvailable.wrap(`no commit info for version ${version}; latest is ${this.last.version}`);
    }
    return decodeCommitInfo(raw, version);
  }

  /** The AppHash of a committed version (from its commit info). */
  appHash(version: number): Uint8Array {
    return commitInfoHash(this.commitInfo(version).stores);
  }

  /** A read-only view of one store at a committed version. */
  readerAt(storeName: string, version: number): KVReader {
    this.checkOpen();
    const info = this.commitInfo(version);
    if (!info.stores.some((s) => s.name === storeName)) {
      throw ErrUnknownStore.wrap(`store ${JSON.stringify(storeName)} does not exist at version ${version}`);
    }
    return this.tree(storeName).at(version);
  }

  /**
   * The value of `key` in `storeName` at `version`, with the proof chain to that version's
   * AppHash: `ics23:iavl` (membership or non-membership in the store) then `ics23:simple`
   * (the store's root in the AppHash). The AppHash of version H is in block header H+1.
   */
  queryWithProof(storeName: string, key: Uint8Array, version: number): ProvenQuery {
    this.checkOpen();
    const info = this.commitInfo(version);
    const store = info.stores.find((s) => s.name === storeName);
    if (store === undefined) {
      throw ErrUnknownStore.wrap(`store ${JSON.stringify(storeName)} does not exist at version ${version}`);
    }
    const inner = this.tree(storeName).getWithProof(version, key);
    const nameBytes = ascii(storeName);
    const outer = mapExistenceProof(
      info.stores.map((s) => ({ key: ascii(s.name), value: s.hash })),
      nameBytes,
    );
    const ops = [
      { type: PROOF_OP_IAVL, key, data: encodeCommitmentProof(inner.proof) },
      { type: PROOF_OP_SIMPLE, key: nameBytes, data: encodeCommitmentProof(outer.proof) },
    ];
    return { value: inner.value, proofOps: { ops }, height: version };
  }

  /**
   * Closes the database once every committed version is written (write-ahead-log mode).
   * Branches and readers become unusable. If writing a version failed, the database is still
   * closed and the error thrown: the version's change set stays in the log for the next open.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.committing) throw ErrCommitInProgress.wrap('cannot close during a commit');
    this.closed = true;
    this.lease.revoke();
    let failure: unknown;
    for (const name of this.names) {
      try {
        await this.tree(name).flush();
      } catch (err) {
        failure ??= err;
      }
    }
    await this.infoWrites;
    failure ??= this.infoError;
    this.log?.close();
    await this.db.close();
    if (failure !== undefined) throw failure;
  }

  // ------------------------------------------------------------------ snapshots

  /**
   * Keeps `version` of every store from pruning until the returned function is called, so a
   * snapshot can read it node by node while later versions commit.
   */
  retainVersion(version: number): () => void {
    this.checkOpen();
    if (!this.versionExists(version)) throw ErrVersionNotAvailable.wrap(`version ${version} is not retained`);
    const names = this.storesAt(version);
    for (const n of names) this.tree(n).pin(version);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const n of names) this.tree(n).unpin(version);
    };
  }

  /**
   * Every store of a committed version, by name, with its nodes in IAVL export order
   * (post-order). The node streams read the version lazily: hold `retainVersion` while
   * consuming them across commits.
   */
  exportVersion(version: number): Array<{ name: string; nodes: Iterable<ExportNode>; keys: number }> {
    this.checkOpen();
    if (!this.versionExists(version)) throw ErrVersionNotAvailable.wrap(`version ${version} is not retained`);
    return this.storesAt(version).map((name) => {
      const tree = this.tree(name);
      return { name, nodes: tree.exportVersion(version), keys: tree.at(version).size };
    });
  }

  /**
   * Starts importing a snapshot of `version` into this empty multistore. Until
   * `finishRestore` the database carries a restore record, so an interrupted restore is
   * wiped at the next open instead of starting as a whole state.
   */
  async beginRestore(version: number): Promise<void> {
    this.checkOpen();
    if (this.restoring) throw ErrRestore.wrap(`a restore of version ${this.restoring.version} is in progress`);
    if (!Number.isSafeInteger(version) || version < 1) throw ErrRestore.wrap(`version ${version} is not a positive integer`);
    if (this.last.version !== 0 || this.names.some((n) => this.tree(n).availableVersions().length > 0)) {
      throw ErrRestore.wrap(`the state store already holds version ${this.last.version}; restore into an empty state`);
    }
    const batch = this.db.batch();
    batch.put(RESTORE_KEY, encodeVersion(version));
    await this.db.write(batch, { sync: true });
    this.restoring = { version, done: new Set(), joined: new Map() };
  }

  /** The stores a restore of `version` must import, sorted. */
  restoreStores(version: number): string[] {
    return this.storesAt(version);
  }

  /** Imports one store's nodes (export order) as the restored version. */
  async restoreStore(name: string, nodes: AsyncIterable<ExportNode | readonly ExportNode[]> | Iterable<ExportNode>): Promise<void> {
    const version = this.claimRestoreStore(name);
    this.mountRestored(name, await IavlTree.importVersion(this.db, this.treeOptions(name), version, nodes));
  }

  /**
   * The key prefix of every store a restore in progress may import (ImportBuilder needs
   * them): every mounted store, since one that joined the chain at an upgrade this node has
   * not seen yet is in the snapshot (see claimRestoreStore).
   */
  restorePrefixes(): Map<string, Uint8Array> {
    if (!this.restoring) throw ErrRestore.wrap('restorePrefixes without beginRestore');
    return new Map(this.names.map((name) => [name, this.treeOptions(name).prefix]));
  }

  /**
   * Imports one store from records an ImportBuilder made (on another thread, perhaps): write
   * each block in order, then finish with the builder's root.
   */
  async restoreStoreRecords(name: string): Promise<Omit<TreeImport, 'finish'> & { finish(root: ImportedRoot | undefined): Promise<void> }> {
    const version = this.claimRestoreStore(name);
    const imp = await IavlTree.importRecords(this.db, this.treeOptions(name), version);
    return { write: (b) => imp.write(b), settle: () => imp.settle(), finish: async (root) => this.mountRestored(name, await imp.finish(root)) };
  }

  private claimRestoreStore(name: string): number {
    this.checkOpen();
    const r = this.restoring;
    if (!r) throw ErrRestore.wrap('restoreStore without beginRestore');
    if (!this.names.includes(name)) {
      throw ErrRestore.wrap(`the snapshot holds store ${JSON.stringify(name)}, which this binary does not mount`);
    }
    if (r.done.has(name)) throw ErrRestore.wrap(`the snapshot holds store ${JSON.stringify(name)} twice`);
    // A mounted store that joins at an upgrade this empty node has not seen (its height is
    // unknown here, or later) is part of the snapshot's state when the snapshot holds it:
    // it joins at the restored version. finishRestore's AppHash check refuses a store the
    // chain does not have at that version.
    const from = this.activeFrom.get(name) as number;
    if (from > r.version) {
      r.joined.set(name, from);
      this.activeFrom.set(name, r.version);
    }
    r.done.add(name);
    return r.version;
  }

  private mountRestored(name: string, tree: IavlTree): void {
    this.trees.set(name, tree);
    this.views.set(name, new WorkingValues(tree));
  }

  /**
   * Completes a restore: every store must have been imported and their roots must hash to
   * `expected` (the AppHash CometBFT verified, or the snapshot's own). Then the commit info
   * and latest version are written and the restore record dropped, in one write. On a
   * mismatch nothing is committed; call `abortRestore` to delete the imported trees.
   */
  async finishRestore(expected: Uint8Array): Promise<CommitId> {
    this.checkOpen();
    const r = this.restoring;
    if (!r) throw ErrRestore.wrap('finishRestore without beginRestore');
    const names = this.storesAt(r.version);
    const missing = names.filter((n) => !r.done.has(n));
    if (missing.length > 0) throw ErrRestore.wrap(`the snapshot has no store ${missing.map((n) => JSON.stringify(n)).join(', ')}`);
    const roots = names.map((name) => ({ name, hash: this.tree(name).lastCommitId().hash }));
    const hash = commitInfoHash(roots);
    if (!sameBytes(hash, expected)) {
      throw ErrRestoreMismatch.wrap(`version ${r.version} restored to AppHash ${hex(hash).toUpperCase()}, expected ${hex(expected).toUpperCase()}`);
    }
    const batch = this.db.batch();
    batch.put(commitInfoKey(r.version), encodeCommitInfo(r.version, roots));
    batch.put(LATEST_KEY, encodeVersion(r.version));
    batch.del(RESTORE_KEY);
    await this.db.write(batch, { sync: true });
    this.log?.written(LOG_ID, r.version);
    this.infoVersions = [r.version];
    this.last = { version: r.version, hash };
    this.restoring = undefined;
    return this.lastCommitId();
  }

  /** Deletes whatever a restore imported; the multistore is empty again. */
  async abortRestore(): Promise<void> {
    this.checkOpen();
    if (!this.restoring) return;
    await this.db.clear(TREES_RANGE);
    const batch = this.db.batch();
    batch.del(RESTORE_KEY);
    await this.db.write(batch, { sync: true });
    // Puts entries back into a map keyed by store name: the order of the writes changes nothing.
    // eslint-disable-next-line determinism/no-unordered-iteration
    for (const [name, from] of this.restoring.joined) this.activeFrom.set(name, from);
    for (const name of this.names) {
      const tree = await IavlTree.open(this.db, this.treeOptions(name));
      this.trees.set(name, tree);
      this.views.set(name, new WorkingValues(tree));
    }
    this.restoring = undefined;
  }

  /** The version the next commit creates (the initial version before the first). */
  nextVersion(): number {
    return this.last.version === 0 ? this.initialVersion : this.last.version + 1;
  }

  /** Commit infos to drop once `version` is committed: those of versions no tree retains. */
  private prunableInfos(version: number): number[] {
    return this.infoVersions.filter(
      (v) => v < version - 1 && !this.names.some((n) => this.tree(n).versionExists(v)),
    );
  }

  private activeNames(version: number): string[] {
    return this.storesAt(version);
  }

  private tree(name: string): IavlTree {
    const t = this.trees.get(name);
    if (t === undefined) throw ErrUnknownStore.wrap(`no store named ${JSON.stringify(name)} is mounted`);
    return t;
  }

  /** The working-state view of an active store; every write to a tree goes through it. */
  private activeView(name: string): WorkingValues {
    this.activeTree(name);
    return this.views.get(name) as WorkingValues;
  }

  private activeTree(name: string): IavlTree {
    const t = this.tree(name);
    const from = this.activeFrom.get(name) as number;
    if (from > this.nextVersion()) {
      throw ErrUnknownStore.wrap(`store ${JSON.stringify(name)} joins at version ${from}; the working version is ${this.nextVersion()}`);
    }
    return t;
  }

  private checkOpen(): void {
    if (this.closed) throw ErrStoreClosed.wrap('the multistore was closed');
  }
}
