/**
 * A versioned, immutable AVL+ Merkle tree whose root hashes equal Cosmos IAVL's for the same
 * history of writes, persisted in the shared LevelDB (layout in keys.ts).
 *
 * IavlTree is the face: the KVStore over the working state, the commit protocol (prepare,
 * mark committed, roll back), retained versions and their read-only views. The roles behind it:
 *   mutableTree.ts    editing the working tree exactly as IAVL does (the node versions,
 *                     heights and sizes are all part of the hash)
 *   nodeDb.ts         saved nodes: the node cache, LevelDB reads, record encoding
 *   versionWriter.ts  writing committed versions (in the commit's batch, or in the background
 *                     behind the write-ahead log)
 *   changeSet.ts      a version's writes as the write-ahead log records them (replayed by open)
 *   pruning.ts        which versions are kept, and deleting the others' nodes
 *   proof.ts          ICS23 existence and non-existence proofs
 *   importExport.ts   a version as IAVL's exporter node stream, and back
 */
import type { CommitmentProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import type { ChangeLog } from '../changelog';
import { StateDb, WriteBatch, prefixed } from '../db';
import type { CommitId, KVPair, KVReader, KVStore, PruningOptions } from '../types';
import { decodeChangeSet, encodeChangeSet, type Change } from './changeSet';
import { ErrCommitPending, ErrCorruptStore, ErrInvalidImport, ErrInvalidKey, ErrInvalidOptions, ErrInvalidValue, ErrVersionNotFound, ErrVersionPruned } from './errors';
import { type ExportNode, ImportWriter, type TreeImport, exportNodes, importNodes } from './importExport';
import { EMPTY_HASH, TAG_FAST, TAG_FIRST, keyString, readU64, tagKey, u64 } from './keys';
import { MutableTree } from './mutableTree';
import { NodeSource, RecordWriter, readRoot, readVersions } from './nodeDb';
import { Node, copyOf } from './node';
import { commitmentProof } from './proof';
import { type Retention, binarySearch, planPruning, retentionOf } from './pruning';
import { VersionWriter, type VersionWrites, type Writes } from './versionWriter';

export interface IavlOptions {
  /** Namespace of this tree in the StateDb (e.g. 's/k:bank/'). */
  prefix: Uint8Array;
  /** Default {strategy:'default'}: keep the 362 most recent versions and every 500th. */
  pruning?: PruningOptions;
  /** First version this tree commits (a store added at an upgrade height). Default 1. */
  initialVersion?: number;
  /**
   * Default 1024 bytes. IAVL itself has no limit, but a key is copied into the inner node that
   * starts its right subtree, into the fast index and into every proof that passes it: a bound
   * keeps node records, LevelDB keys and proofs small. State keys are typically under 100 bytes.
   */
  maxKeyLength?: number;
  /** Default 16 MiB: far above CometBFT's default 1 MB transaction limit. */
  maxValueLength?: number;
  /** Saved nodes kept in memory (default 200,000, about 60 MB): the hot upper levels of every tree. */
  nodeCacheSize?: number;
  /**
   * Default none (every commit writes its nodes). With a change log, a commit only appends its
   * change set (its writes in order and the root hash, one record) to the log file and
   * returns; the version's nodes, fast-index entries, orphan lists and pruning are written to
   * the database afterwards, in the background, one version at a time. `open` replays the
   * change sets still in the log (a crash before they were written) and checks each root
   * hash. Reads and proofs see committed versions at once (from memory until they are
   * written). Call `flush` before closing the database. Trees committed together (a
   * multistore) share one log, so one frame holds a whole version.
   */
  writeAheadLog?: ChangeLog;
}

/** What the last commit wrote: D = newNodes / changedKeys is the dirty nodes per changed key. */
export interface CommitStats {
  changedKeys: number;
  newNodes: number;
  orphans: number;
  prunedVersions: number;
}

/** A read-only view of one committed version. */
export interface IavlVersionReader extends KVReader {
  readonly version: number;
  readonly hash: Uint8Array;
  /** Number of keys in the version. */
  readonly size: number;
  getWithProof(key: Uint8Array): { value?: Uint8Array; proof: CommitmentProof };
}

const DEFAULT_MAX_KEY = 1024;
const DEFAULT_MAX_VALUE = 16 * 1024 * 1024;
const DEFAULT_CACHE = 200_000;

interface Prepared {
  version: number;
  hash: Uint8Array;
  stats: CommitStats;
  writes: VersionWrites;
  /** The version goes through the write-ahead log: written after the commit. */
  deferred: boolean;
}

export class IavlTree implements KVStore {
  private readonly src: NodeSource;
  private readonly prefix: Uint8Array;
  private readonly fastPrefix: Uint8Array;
  private readonly maxKey: number;
  private readonly maxValue: number;
  private readonly retention: Retention | undefined;
  private readonly writer: VersionWriter;

  /** The working (uncommitted) tree. */
  private readonly work: MutableTree;
  private committedRoot: Node | undefined;
  private lastVersion: number;
  private lastHash: Uint8Array;
  /** Retained versions, ascending. */
  private versions: number[];
  private firstVersion: number | undefined;
  /** Working writes not yet committed (value undefined = deleted), for fast reads and the fast index. */
  private pending: Writes = new Map();
  /**
   * With `writeAheadLog`: the working writes in the order they were made (value undefined =
   * a delete that removed a key). The order matters: inserting a key and removing it again
   * can leave rotations behind, so a version replays exactly only from its sequence of writes.
   */
  private log: Change[] = [];
  private prepared: Prepared | undefined;
  private stats: CommitStats = { changedKeys: 0, newNodes: 0, orphans: 0, prunedVersions: 0 };
  /** Reusable fast-index keys by key length (see fastKey). */
  private readonly fastKeyBufs: Array<Uint8Array | undefined> = [];
  /** True while `open` replays the log: those commits are written in full. */
  private replaying = false;
  /** Versions pruning must keep, with how many holders pin each (snapshots being written). */
  private readonly pins = new Map<number, number>();

  private constructor(
    private readonly db: StateDb,
    private readonly opts: IavlOptions,
    state: { versions: number[]; first: number | undefined; root: Node | undefined; hash: Uint8Array },
  ) {
    this.prefix = opts.prefix;
    this.fastPrefix = prefixed(opts.prefix, Uint8Array.of(TAG_FAST));
    this.maxKey = opts.maxKeyLength ?? DEFAULT_MAX_KEY;
    this.maxValue = opts.maxValueLength ?? DEFAULT_MAX_VALUE;
    this.retention = retentionOf(opts.pruning ?? { strategy: 'default' });
    this.src = new NodeSource(db, opts.prefix, opts.nodeCacheSize ?? DEFAULT_CACHE);
    this.writer = new VersionWriter(this.src, state.versions, opts.writeAheadLog, () => this.prepared !== undefined);
    this.versions = state.versions;
    this.firstVersion = state.first;
    this.lastVersion = state.versions.length > 0 ? state.versions[state.versions.length - 1] : 0;
    this.lastHash = state.hash;
    this.work = new MutableTree(this.src, state.root);
    this.committedRoot = state.root;
  }

  /**
   * Opens the tree stored under `opts.prefix`. Reads the list of retained versions and the
   * latest root record only: O(retained versions), independent of the number of keys; nodes
   * load lazily on first use. With `writeAheadLog`, versions left in the log are replayed and
   * written (O(their writes)).
   */
  static async open(db: StateDb, opts: IavlOptions): Promise<IavlTree> {
    validateOptions(opts);
    const versions = await readVersions(db, opts.prefix);
    const firstRec = db.getSync(prefixed(opts.prefix, Uint8Array.of(TAG_FIRST)));
    const first = firstRec ? readU64(firstRec, 0) : undefined;
    const src = new NodeSource(db, opts.prefix, 0);
    let root: Node | undefined;
    let hash = EMPTY_HASH;
    if (versions.length > 0) {
      const latest = versions[versions.length - 1];
      ({ root, hash } = readRoot(db, src, opts.prefix, latest));
    }
    const tree = new IavlTree(db, opts, { versions, first, root, hash });
    await tree.replayLog();
    return tree;
  }

  /**
   * Commits, in full, the change sets left in the write-ahead log by a process that stopped
   * before writing their nodes, checking that each gives the root hash it recorded. O(changes
   * in the log): at most the versions committed while the previous one was being written.
   */
  private async replayLog(): Promise<void> {
    const log = this.opts.writeAheadLog;
    if (!log) return;
    this.replaying = true;
    try {
      for (const { version, rec } of log.entriesFor(this.prefix)) {
        // A record at or below the last written version was written before the log was emptied.
        if (version <= this.lastVersion) continue;
        if (version !== this.workingVersion) {
          throw ErrCorruptStore.wrap(`the log holds version ${version}, but the tree's next version is ${this.workingVersion}`);
        }
        const { hash, changes } = decodeChangeSet(rec, version);
        for (const c of changes) {
          if (c.value === undefined) this.delete(c.key);
          else this.set(c.key, c.value);
        }
        const batch = this.db.batch();
        const id = this.prepareCommit(batch);
        if (Buffer.compare(id.hash, hash) !== 0) {
          this.rollback();
          throw ErrCorruptStore.wrap(
            `replaying version ${version} gives root ${Buffer.from(id.hash).toString('hex')}, the log recorded ${Buffer.from(hash).toString('hex')}`,
          );
        }
        await this.db.write(batch);
        this.markCommitted();
      }
    } finally {
      this.replaying = false;
    }
    log.written(this.prefix, this.lastVersion);
  }

  /**
   * Waits until every committed version is written (write-ahead-log mode; immediate otherwise).
   * Throws if writing one failed: its change set is still in the log, and the next `open`
   * replays it.
   */
  async flush(): Promise<void> {
    this.checkNotPrepared();
    await this.writer.flush();
  }

  /** Committed versions whose nodes are not written yet (write-ahead-log mode). */
  get unwrittenVersions(): number {
    return this.writer.unwrittenVersions;
  }

  /** The version the working state will commit as. */
  get workingVersion(): number {
    return this.lastVersion === 0 ? (this.opts.initialVersion ?? 1) : this.lastVersion + 1;
  }

  lastCommitId(): CommitId {
    return { version: this.lastVersion, hash: this.lastHash };
  }

  /** Root hash the working state would commit as. */
  workingHash(): Uint8Array {
    return this.work.root ? this.src.hashOf(this.work.root) : EMPTY_HASH;
  }

  /** Counts of the last prepared commit (D = newNodes / changedKeys). */
  lastCommitStats(): CommitStats {
    return { ...this.stats };
  }

  /** Saved nodes held in the node cache. */
  cachedNodes(): number {
    return this.src.cachedNodes;
  }

  /** Number of keys in the working state. */
  size(): number {
    return this.work.root ? this.work.root.size : 0;
  }

  // ------------------------------------------------------------------------------------------
  // KVStore over the working state

  get(key: Uint8Array): Uint8Array | undefined {
    this.checkKey(key);
    if (this.pending.size > 0 || this.writer.unwrittenVersions > 0) {
      const s = keyString(key);
      const p = this.pending.get(s) ?? this.writer.unwrittenWrite(s);
      if (p) return p.value;
    }
    if (this.lastVersion === 0) return undefined;
    return this.db.getSync(this.fastKey(key));
  }

  /**
   * The fast-index DB key of `key`, in a buffer reused per key length: getSync copies the key
   * into LevelDB and keeps no reference, so a latest read allocates nothing for its key. At most
   * `maxKeyLength` buffers exist; their content never outlives the synchronous call.
   */
  private fastKey(key: Uint8Array): Uint8Array {
    let buf = this.fastKeyBufs[key.length];
    if (buf === undefined) {
      buf = new Uint8Array(this.fastPrefix.length + key.length);
      buf.set(this.fastPrefix, 0);
      this.fastKeyBufs[key.length] = buf;
    }
    buf.set(key, this.fastPrefix.length);
    return buf;
  }

  has(key: Uint8Array): boolean {
    return this.get(key) !== undefined;
  }

  iterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair> {
    return this.src.iterate(this.work.root, start, end, false);
  }

  reverseIterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair> {
    return this.src.iterate(this.work.root, start, end, true);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.checkKey(key);
    if (!(value instanceof Uint8Array)) throw ErrInvalidValue.wrap('value must be a Uint8Array');
    if (value.length > this.maxValue) throw ErrInvalidValue.wrap(`value is ${value.length} bytes, the limit is ${this.maxValue}`);
    this.checkNotPrepared();
    // Own copies: the caller may reuse its buffers, and saved nodes must never change.
    key = copyOf(key);
    value = copyOf(value);
    this.pending.set(keyString(key), { key, value });
    if (this.opts.writeAheadLog) this.log.push({ key, value });
    this.work.set(key, value, this.workingVersion);
  }

  delete(key: Uint8Array): void {
    this.checkKey(key);
    this.checkNotPrepared();
    if (!this.work.remove(key, this.workingVersion)) return;
    key = copyOf(key);
    this.pending.set(keyString(key), { key, value: undefined });
    if (this.opts.writeAheadLog) this.log.push({ key, value: undefined });
  }

  // ------------------------------------------------------------------------------------------
  // Commit

  /**
   * Computes version `workingVersion`, appends all its writes (changed nodes, fast-index
   * updates, version metadata, pruning deletes) to `batch` and returns its id. Writes nothing
   * itself; call `markCommitted` once `batch` is durable, or `rollback`. With `writeAheadLog`,
   * `batch` gets nothing: the version's change set is staged in the log, whose `append` makes
   * the version durable, and the rest is written after `markCommitted`.
   */
  prepareCommit(batch: WriteBatch): CommitId {
    this.checkNotPrepared();
    this.writer.checkHealthy();
    const version = this.workingVersion;
    const newNodes: Node[] = [];
    const log = this.replaying ? undefined : this.opts.writeAheadLog;
    const deferred = log !== undefined;
    // Written in full, each record is encoded as its node is sealed, while the node is still
    // in the CPU cache: a second pass over tens of thousands of nodes missed it again.
    const records = deferred ? undefined : new RecordWriter(this.src, batch, version);
    const hash = this.work.seal(version, newNodes, records) ?? EMPTY_HASH;

    const { retained, pruned } = planPruning(this.versions, version, this.retention, this.pins);
    const orphans = this.work.orphans;
    const first = this.firstVersion === undefined;
    const writes: VersionWrites = { version, hash, root: this.work.root, newNodes, orphans, writes: this.pending, retained, first };
    // With the log, the first version's record goes with its nodes (VersionWriter).
    if (first && !log) batch.put(tagKey(this.prefix, TAG_FIRST), u64(version));
    if (log) log.stage(this.prefix, version, encodeChangeSet(hash, this.log));
    else this.writer.appendVersion(batch, writes, false);

    const stats = { changedKeys: this.pending.size, newNodes: newNodes.length, orphans: orphans.length, prunedVersions: pruned.length };
    this.prepared = { version, hash, stats, writes, deferred };
    return { version, hash };
  }

  /** Called after the prepared batch was durably written: the prepared version becomes the committed one. */
  markCommitted(): void {
    const p = this.prepared;
    if (!p) throw ErrCommitPending.wrap('markCommitted without prepareCommit');
    if (p.deferred) this.writer.defer(p.writes);
    else this.writer.committed(p.writes);
    this.committedRoot = this.work.root;
    this.lastVersion = p.version;
    this.lastHash = p.hash;
    this.versions = p.writes.retained;
    if (this.firstVersion === undefined) this.firstVersion = p.version;
    // A new map: an unwritten version keeps the old one as its writes.
    this.pending = new Map();
    this.work.orphans = [];
    this.log = [];
    this.stats = p.stats;
    this.prepared = undefined;
    if (p.deferred) this.writer.schedule();
  }

  /**
   * Convenience for standalone use: prepareCommit, then the log append (write-ahead-log mode)
   * or db.write, then markCommitted.
   */
  async commit(): Promise<CommitId> {
    const batch = this.db.batch();
    const id = this.prepareCommit(batch);
    const log = this.prepared?.deferred ? this.opts.writeAheadLog : undefined;
    try {
      // Write-ahead-log mode writes nothing to the database here (see prepareCommit).
      if (log) log.append(id.version);
      else await this.db.write(batch);
    } catch (err) {
      log?.discard();
      this.prepared = undefined;
      this.rollback();
      throw err;
    }
    this.markCommitted();
    return id;
  }

  /** Drops uncommitted writes (back to the last committed version), including a prepared commit. */
  rollback(): void {
    this.prepared = undefined;
    this.work.root = this.committedRoot;
    this.pending.clear();
    this.work.orphans = [];
    this.log = [];
    if (this.writer.unwrittenVersions > 0) this.writer.schedule();
  }

  // ------------------------------------------------------------------------------------------
  // Versions, proofs, export

  versionExists(v: number): boolean {
    return binarySearch(this.versions, v) >= 0;
  }

  availableVersions(): number[] {
    return [...this.versions];
  }

  /**
   * Keeps a retained version from pruning until as many `unpin` calls: a snapshot reads it
   * node by node while later blocks commit. Pins live in memory only (a restart drops them,
   * and the snapshot being written with them).
   */
  pin(version: number): void {
    if (!this.versionExists(version)) throw ErrVersionPruned.wrap(`version ${version} is not retained and cannot be pinned`);
    this.pins.set(version, (this.pins.get(version) ?? 0) + 1);
  }

  unpin(version: number): void {
    const n = this.pins.get(version) ?? 0;
    if (n <= 1) this.pins.delete(version);
    else this.pins.set(version, n - 1);
  }

  /** Read-only view of a retained version. */
  at(version: number): IavlVersionReader {
    return this.view(version);
  }

  private view(version: number): VersionView {
    if (!Number.isSafeInteger(version) || version < 1) throw ErrVersionNotFound.wrap(`version ${version} is not a positive integer`);
    if (version > this.lastVersion) throw ErrVersionNotFound.wrap(`version ${version} does not exist: the latest is ${this.lastVersion}`);
    if (this.firstVersion !== undefined && version < this.firstVersion) {
      throw ErrVersionNotFound.wrap(`version ${version} does not exist: the first version of this store is ${this.firstVersion}`);
    }
    if (!this.versionExists(version)) {
      throw ErrVersionPruned.wrap(`version ${version} was pruned; the oldest retained is ${this.versions[0]}`);
    }
    if (version === this.lastVersion) return new VersionView(this, this.src, version, this.committedRoot, this.lastHash);
    const unwritten = this.writer.unwritten(version);
    if (unwritten) return new VersionView(this, this.src, version, unwritten.root, unwritten.hash);
    const { root, hash } = readRoot(this.db, this.src, this.prefix, version);
    return new VersionView(this, this.src, version, root, hash);
  }

  /** {value, proof}: an ICS23 existence proof if the key is present at `version`, non-existence otherwise. */
  getWithProof(version: number, key: Uint8Array): { value?: Uint8Array; proof: CommitmentProof } {
    return this.at(version).getWithProof(key);
  }

  /**
   * The nodes of a version in post-order ({key, value?, version, height}), as IAVL's exporter.
   * O(nodes) reads that bypass the node cache (NodeSource.peek).
   */
  exportVersion(version: number): Iterable<ExportNode> {
    return exportNodes(this.src, () => this.view(version).root);
  }

  /**
   * Rebuilds `version` from an exported node stream into an empty tree under `opts.prefix`.
   * Nodes keep their exported versions, so the root hash is the exporter's. Writes in several
   * batches; the version record is written last, so an interrupted import leaves no version.
   */
  static async importVersion(
    db: StateDb,
    opts: IavlOptions,
    version: number,
    nodes: AsyncIterable<ExportNode | readonly ExportNode[]> | Iterable<ExportNode>,
  ): Promise<IavlTree> {
    const existing = await IavlTree.open(db, opts);
    if (existing.availableVersions().length > 0) {
      throw ErrInvalidImport.wrap(`the store already holds versions up to ${existing.lastVersion}`);
    }
    await importNodes(existing.src, version, nodes);
    return IavlTree.open(db, opts);
  }

  /**
   * Starts importing `version` into the empty tree under `opts.prefix` from records an
   * ImportBuilder made (perhaps on another thread): `write` each block in order, then `finish`
   * with the builder's root, which writes the version record and opens the tree.
   */
  static async importRecords(db: StateDb, opts: IavlOptions, version: number): Promise<TreeImport> {
    const existing = await IavlTree.open(db, opts);
    if (existing.availableVersions().length > 0) {
      throw ErrInvalidImport.wrap(`the store already holds versions up to ${existing.lastVersion}`);
    }
    const writer = new ImportWriter(db, opts.prefix, version);
    return {
      write: (block) => writer.write(block),
      finish: async (root) => {
        await writer.finish(root);
        return IavlTree.open(db, opts);
      },
      settle: () => writer.settle(),
    };
  }

  // ------------------------------------------------------------------------------------------

  /** @internal Used by version views: the fast index serves the latest committed version. */
  fastGet(version: number, key: Uint8Array): Uint8Array | undefined | null {
    if (version !== this.lastVersion || this.prepared) return null;
    if (this.writer.unwrittenVersions > 0) {
      const w = this.writer.unwrittenWrite(keyString(key));
      if (w) return w.value;
    }
    return this.db.getSync(this.fastKey(key));
  }

  /** @internal */
  checkKey(key: Uint8Array): void {
    if (!(key instanceof Uint8Array)) throw ErrInvalidKey.wrap('key must be a Uint8Array');
    if (key.length === 0) throw ErrInvalidKey.wrap('key is empty');
    if (key.length > this.maxKey) throw ErrInvalidKey.wrap(`key is ${key.length} bytes, the limit is ${this.maxKey}`);
  }

  private checkNotPrepared(): void {
    if (this.prepared) throw ErrCommitPending.wrap(`version ${this.prepared.version} is prepared`);
  }
}

class VersionView implements IavlVersionReader {
  constructor(
    private readonly tree: IavlTree,
    private readonly src: NodeSource,
    readonly version: number,
    readonly root: Node | undefined,
    readonly hash: Uint8Array,
  ) {}

  get size(): number {
    return this.root ? this.root.size : 0;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.tree.checkKey(key);
    const fast = this.tree.fastGet(this.version, key);
    if (fast !== null) return fast;
    return this.src.get(this.root, key);
  }

  has(key: Uint8Array): boolean {
    return this.get(key) !== undefined;
  }

  iterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair> {
    return this.src.iterate(this.root, start, end, false);
  }

  reverseIterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair> {
    return this.src.iterate(this.root, start, end, true);
  }

  getWithProof(key: Uint8Array): { value?: Uint8Array; proof: CommitmentProof } {
    this.tree.checkKey(key);
    return commitmentProof(this.src, this.root, this.version, key);
  }
}

function validateOptions(opts: IavlOptions): void {
  if (!(opts.prefix instanceof Uint8Array) || opts.prefix.length === 0) throw ErrInvalidOptions.wrap('prefix must be a non-empty Uint8Array');
  const positive = (name: string, v: number | undefined) => {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 1)) throw ErrInvalidOptions.wrap(`${name} must be a positive integer, got ${v}`);
  };
  positive('initialVersion', opts.initialVersion);
  positive('maxKeyLength', opts.maxKeyLength);
  positive('maxValueLength', opts.maxValueLength);
  if (opts.nodeCacheSize !== undefined && (!Number.isSafeInteger(opts.nodeCacheSize) || opts.nodeCacheSize < 0)) {
    throw ErrInvalidOptions.wrap(`nodeCacheSize must be a non-negative integer, got ${opts.nodeCacheSize}`);
  }
  const p = opts.pruning;
  if (p?.strategy === 'custom') {
    if (!Number.isSafeInteger(p.keepRecent) || p.keepRecent < 1) throw ErrInvalidOptions.wrap(`keepRecent must be >= 1, got ${p.keepRecent}`);
    if (!Number.isSafeInteger(p.keepEvery) || p.keepEvery < 0) throw ErrInvalidOptions.wrap(`keepEvery must be >= 0, got ${p.keepEvery}`);
  }
}
