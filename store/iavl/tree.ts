/**
 * A versioned, immutable AVL+ Merkle tree whose root hashes equal Cosmos IAVL's for the same
 * history of writes, persisted in the shared LevelDB.
 *
 * Layout under the tree's prefix P (ours, not IAVL's):
 *   P 'n' nodeKey(12)   -> node record (node.ts)
 *   P 'r' version(u64)  -> root of that version: nodeKey(12) || hash(32), empty for an empty tree
 *   P 'o' version(u64)  -> node keys orphaned after that version: nodes alive in it but not in the
 *                          next one (concatenated 12-byte node keys); drives pruning
 *   P 'o' version from  -> (both u64) node keys orphaned after the pruned version `from` that
 *                          `version` still sees: moved here when `from` was pruned
 *   P 'm' version(u64)  -> the `from` versions of those moved lists (u64 each)
 *   P 'f' key           -> latest committed value of key (the "fast index": one getSync per read)
 *   P 'i'               -> the first version this tree ever committed (u64)
 * With `writeAheadLog`, the writes of committed versions whose nodes are not written yet are
 * in the change log file (../changelog.ts), one record per version (see encodeChangeSet).
 *
 * Editing follows IAVL's mutable tree exactly (recursive set, remove, AVL balance and rotations,
 * every node on a changed path rewritten at the working version), because the node versions,
 * heights and sizes are all part of the hash.
 */
import type { CommitmentProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import type { ChangeLog } from '../changelog';
import { StateDb, WriteBatch, prefixed } from '../db';
import type { CommitId, KVPair, KVReader, KVStore, PruningOptions } from '../types';
import { smallBuffer } from '../../types/bytes';
import {
  ErrCommitPending,
  ErrCorruptStore,
  ErrEmptyTreeProof,
  ErrInvalidImport,
  ErrInvalidKey,
  ErrInvalidOptions,
  ErrInvalidValue,
  ErrVersionNotFound,
  ErrVersionPruned,
} from './errors';
import {
  ChildRef,
  NODE_KEY_LENGTH,
  Node,
  NodeRef,
  copyOf,
  decodeNode,
  encodeInner,
  encodeLeaf,
  encodeNodeInto,
  hashInner,
  hashLeaf,
  putUvarint,
  readNodeKey,
  readUvarint,
  recordSize,
  sha256,
  uvarintSize,
  writeNodeKey,
} from './node';
import { existenceProof } from './proof';

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

/** One node of a version in post-order, as IAVL's exporter emits it. */
export interface ExportNode {
  key: Uint8Array;
  /** Present on leaves only. */
  value?: Uint8Array;
  version: number;
  height: number;
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

const TAG_NODE = 0x6e; // 'n'
const TAG_ROOT = 0x72; // 'r'
const TAG_ORPHANS = 0x6f; // 'o'
const TAG_MOVED = 0x6d; // 'm'
const TAG_FAST = 0x66; // 'f'
const TAG_FIRST = 0x69; // 'i'

const EMPTY_HASH = sha256(new Uint8Array(0));
const DEFAULT_MAX_KEY = 1024;
const DEFAULT_MAX_VALUE = 16 * 1024 * 1024;
const DEFAULT_CACHE = 200_000;
/** Operations per LevelDB write while importing: large enough to amortise, small enough to bound memory. */
const IMPORT_BATCH_OPS = 20_000;

function cmp(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  // eslint-disable-next-line determinism/no-float-division -- exact: a safe integer floored by a power of two
  view.setUint32(0, Math.floor(n / 0x100000000));
  view.setUint32(4, n >>> 0);
  return out;
}

function readU64(buf: Uint8Array, pos: number): number {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return view.getUint32(pos) * 0x100000000 + view.getUint32(pos + 4);
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function keyString(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
}

/** Which versions a pruning strategy keeps, given the latest one. */
function retentionOf(p: PruningOptions): { keepRecent: number; keepEvery: number } | undefined {
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
 * Saved nodes by node key, bounded. Two generations instead of an exact LRU: a hit costs one
 * or two Map lookups and no reordering; when the young generation fills, the old one is
 * dropped. Cached nodes are immutable and addressed by (version, seq), which a commit never
 * reuses, so the cache cannot change any result.
 */
class NodeCache {
  private young = new Map<number | string, Node>();
  private old = new Map<number | string, Node>();
  constructor(private readonly half: number) {}

  get size(): number {
    return this.young.size + this.old.size;
  }

  get(id: number | string): Node | undefined {
    const hit = this.young.get(id);
    if (hit) return hit;
    const aged = this.old.get(id);
    if (aged) this.put(id, aged);
    return aged;
  }

  delete(id: number | string): void {
    this.young.delete(id);
    this.old.delete(id);
  }

  put(id: number | string, node: Node): void {
    if (this.half <= 0) return;
    this.young.set(id, node);
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}

/**
 * The cache key of a node: one number while version < 2^27 and seq < 2^26 (their product stays
 * a safe integer), which avoids building a string per lookup; a string beyond that.
 */
function cacheId(version: number, seq: number): number | string {
  return version < 0x8000000 && seq < 0x4000000 ? version * 0x4000000 + seq : `${version}.${seq}`;
}

/** Reads saved nodes: cache first, then one LevelDB getSync. */
export class NodeSource {
  private readonly cache: NodeCache;
  private readonly keyBuf: Uint8Array;

  constructor(
    readonly db: StateDb,
    readonly prefix: Uint8Array,
    cacheSize: number,
  ) {
    // eslint-disable-next-line determinism/no-float-division -- exact: a safe integer floored by a power of two
    this.cache = new NodeCache(Math.floor(cacheSize / 2));
    this.keyBuf = new Uint8Array(prefix.length + 1 + NODE_KEY_LENGTH);
    this.keyBuf.set(prefix, 0);
    this.keyBuf[prefix.length] = TAG_NODE;
  }

  /** A fresh DB key for a node (it goes into a batch). */
  nodeDbKey(version: number, seq: number): Uint8Array {
    const key = this.keyBuf.slice();
    writeNodeKey(key, this.prefix.length + 1, version, seq);
    return key;
  }

  load(ref: NodeRef): Node {
    const id = cacheId(ref.version, ref.seq);
    const hit = this.cache.get(id);
    if (hit) return hit;
    writeNodeKey(this.keyBuf, this.prefix.length + 1, ref.version, ref.seq);
    const rec = this.db.getSync(this.keyBuf);
    if (!rec) throw ErrCorruptStore.wrap(`node ${ref.version}/${ref.seq} is missing (was its version pruned?)`);
    const node = decodeNode(rec, ref.version, ref.seq, ref.hash);
    this.cache.put(id, node);
    return node;
  }

  /**
   * A saved node from the cache or the database, without caching it: a whole-tree walk
   * (export) would otherwise replace the hot upper levels that block execution reads with
   * millions of nodes it never reads again.
   */
  peek(ref: NodeRef): Node {
    const hit = this.cache.get(cacheId(ref.version, ref.seq));
    if (hit) return hit;
    writeNodeKey(this.keyBuf, this.prefix.length + 1, ref.version, ref.seq);
    const rec = this.db.getSync(this.keyBuf);
    if (!rec) throw ErrCorruptStore.wrap(`node ${ref.version}/${ref.seq} is missing (was its version pruned?)`);
    return decodeNode(rec, ref.version, ref.seq, ref.hash);
  }

  remember(node: Node): void {
    this.cache.put(cacheId(node.version, node.seq), node);
  }

  /** Nodes in the cache (an entry in both generations counts twice). */
  get cachedNodes(): number {
    return this.cache.size;
  }

  /** Drops a node from the cache (it left the latest version or was deleted). */
  forget(version: number, seq: number): void {
    this.cache.delete(cacheId(version, seq));
  }

  left(n: Node): Node {
    return n.left ?? this.load(n.leftRef as ChildRef);
  }

  right(n: Node): Node {
    return n.right ?? this.load(n.rightRef as ChildRef);
  }

  /** Hash of a node, computing (and caching) it for unsaved nodes. */
  hashOf(n: Node): Uint8Array {
    if (n.hash) return n.hash;
    if (n.isLeaf) {
      n.hash = hashLeaf(n.key, n.value as Uint8Array, n.version);
    } else {
      const l = n.left ? this.hashOf(n.left) : (n.leftRef as ChildRef).hash;
      const r = n.right ? this.hashOf(n.right) : (n.rightRef as ChildRef).hash;
      n.hash = hashInner(n.height, n.size, n.version, l, r);
    }
    return n.hash;
  }

  /** Hash of a child without loading a saved one: its parent's record carries it. */
  leftHash(n: Node): Uint8Array {
    return n.left ? this.hashOf(n.left) : (n.leftRef as ChildRef).hash;
  }

  rightHash(n: Node): Uint8Array {
    return n.right ? this.hashOf(n.right) : (n.rightRef as ChildRef).hash;
  }

  get(root: Node | undefined, key: Uint8Array): Uint8Array | undefined {
    if (!root) return undefined;
    let n = root;
    while (!n.isLeaf) n = cmp(key, n.key) < 0 ? this.left(n) : this.right(n);
    return cmp(n.key, key) === 0 ? n.value : undefined;
  }

  /** In-order walk of [start, end); subtrees outside the range are never loaded. */
  *iterate(root: Node | undefined, start: Uint8Array | undefined, end: Uint8Array | undefined, reverse: boolean): IterableIterator<KVPair> {
    if (!root) return;
    const stack: Node[] = [root];
    while (stack.length > 0) {
      const n = stack.pop() as Node;
      if (n.isLeaf) {
        if ((start === undefined || cmp(n.key, start) >= 0) && (end === undefined || cmp(n.key, end) < 0)) {
          yield [n.key, n.value as Uint8Array];
        }
        continue;
      }
      // Left subtree keys are < n.key, right subtree keys are >= n.key.
      const wantLeft = start === undefined || cmp(start, n.key) < 0;
      const wantRight = end === undefined || cmp(n.key, end) < 0;
      if (reverse) {
        if (wantLeft) stack.push(this.left(n));
        if (wantRight) stack.push(this.right(n));
      } else {
        if (wantRight) stack.push(this.right(n));
        if (wantLeft) stack.push(this.left(n));
      }
    }
  }
}

/**
 * Encodes sealed nodes' records into shared chunks and puts them in a batch. One chunk serves
 * hundreds of records (one allocation instead of one pooled slice per node, which was 14% of
 * commit time); records stay valid until the batch is written, which copies them.
 */
class RecordWriter {
  /** 256 KiB: about 2,500 records; a larger record gets a chunk of its own size. */
  private static readonly CHUNK = 256 * 1024;
  private chunk = new Uint8Array(0);
  private pos = 0;

  constructor(
    private readonly src: NodeSource,
    private readonly batch: WriteBatch,
    private readonly version: number,
  ) {}

  write(n: Node): void {
    const size = recordSize(n);
    if (this.pos + size > this.chunk.length) {
      this.chunk = new Uint8Array(Math.max(RecordWriter.CHUNK, size));
      this.pos = 0;
    }
    const start = this.pos;
    this.pos = encodeNodeInto(this.chunk, start, n);
    this.batch.put(this.src.nodeDbKey(this.version, n.seq), this.chunk.subarray(start, this.pos));
  }
}

/** The last write of each key in a version (value undefined = deleted), by the key's latin1 string. */
type Writes = Map<string, { key: Uint8Array; value: Uint8Array | undefined }>;

/** Everything needed to write a committed version's nodes and indexes. */
interface VersionWrites {
  version: number;
  hash: Uint8Array;
  root: Node | undefined;
  /** Sealed (node key and hash assigned) nodes of the version, in post-order. */
  newNodes: Node[];
  /** Nodes of the previous version that this one replaced. */
  orphans: Node[];
  /** Sorted only when the version is written: the commit path does not wait for the sort. */
  writes: Writes;
  /** Versions retained once this one is committed. */
  retained: number[];
}

interface Prepared {
  version: number;
  hash: Uint8Array;
  newNodes: Node[];
  retained: number[];
  stats: CommitStats;
  /** Set when the version goes through the write-ahead log: written after the commit. */
  deferred?: VersionWrites;
}

export class IavlTree implements KVStore {
  private readonly src: NodeSource;
  private readonly prefix: Uint8Array;
  private readonly fastPrefix: Uint8Array;
  private readonly maxKey: number;
  private readonly maxValue: number;
  private readonly retention: { keepRecent: number; keepEvery: number } | undefined;

  /** Working (uncommitted) root. */
  private root: Node | undefined;
  private committedRoot: Node | undefined;
  private lastVersion: number;
  private lastHash: Uint8Array;
  /** Retained versions, ascending. */
  private versions: number[];
  private firstVersion: number | undefined;
  /** Working writes not yet committed (value undefined = deleted), for fast reads and the fast index. */
  private pending: Writes = new Map();
  /** Saved nodes replaced by the working tree: alive in lastVersion, gone from the next. */
  private orphans: Node[] = [];
  /**
   * With `writeAheadLog`: the working writes in the order they were made (value undefined =
   * a delete that removed a key). The order matters: inserting a key and removing it again
   * can leave rotations behind, so a version replays exactly only from its sequence of writes.
   */
  private log: Array<{ key: Uint8Array; value: Uint8Array | undefined }> = [];
  /** Out-parameter of recursiveSet: the last set replaced an existing leaf. */
  private setUpdated = false;
  private prepared: Prepared | undefined;
  private stats: CommitStats = { changedKeys: 0, newNodes: 0, orphans: 0, prunedVersions: 0 };
  /** Reusable fast-index keys by key length (see fastKey). */
  private readonly fastKeyBufs: Array<Uint8Array | undefined> = [];
  /** Retained versions whose root record is in the database, ascending. */
  private persistedVersions: number[];
  /** Committed versions still to be written (write-ahead-log mode), oldest first. */
  private unpersisted: VersionWrites[] = [];
  private persisting: Promise<void> | undefined;
  private persistError: unknown;
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
    this.versions = state.versions;
    this.persistedVersions = state.versions;
    this.firstVersion = state.first;
    this.lastVersion = state.versions.length > 0 ? state.versions[state.versions.length - 1] : 0;
    this.lastHash = state.hash;
    this.root = state.root;
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
    const rootTag = prefixed(opts.prefix, Uint8Array.of(TAG_ROOT));
    const versions: number[] = [];
    for await (const [key] of db.iterate({ gte: rootTag, lt: prefixed(opts.prefix, Uint8Array.of(TAG_ROOT + 1)) })) {
      if (key.length !== rootTag.length + 8) throw ErrCorruptStore.wrap('malformed version record key');
      versions.push(readU64(key, rootTag.length));
    }
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
    this.schedulePersist();
    while (this.persisting) await this.persisting;
    if (this.persistError !== undefined) {
      const msg = this.persistError instanceof Error ? this.persistError.message : String(this.persistError);
      throw ErrCorruptStore.wrap(`writing committed versions failed (their change sets stay in the log): ${msg}`);
    }
  }

  /** Committed versions whose nodes are not written yet (write-ahead-log mode). */
  get unwrittenVersions(): number {
    return this.unpersisted.length;
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
    return this.root ? this.src.hashOf(this.root) : EMPTY_HASH;
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
    return this.root ? this.root.size : 0;
  }

  // ------------------------------------------------------------------------------------------
  // KVStore over the working state

  get(key: Uint8Array): Uint8Array | undefined {
    this.checkKey(key);
    if (this.pending.size > 0 || this.unpersisted.length > 0) {
      const s = keyString(key);
      const p = this.pending.get(s) ?? this.unwrittenWrite(s);
      if (p) return p.value;
    }
    if (this.lastVersion === 0) return undefined;
    return this.db.getSync(this.fastKey(key));
  }

  /**
   * The latest committed write of a key (its latin1 string) by a version the fast index does
   * not have yet (write-ahead-log mode): newest unwritten version first.
   */
  private unwrittenWrite(s: string): { value: Uint8Array | undefined } | undefined {
    for (let i = this.unpersisted.length - 1; i >= 0; i--) {
      const w = this.unpersisted[i].writes.get(s);
      if (w) return w;
    }
    return undefined;
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
    return this.src.iterate(this.root, start, end, false);
  }

  reverseIterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair> {
    return this.src.iterate(this.root, start, end, true);
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
    const version = this.workingVersion;
    if (!this.root) {
      this.root = Node.leaf(key, value, version);
      return;
    }
    this.root = this.recursiveSet(this.root, key, value, version, undefined);
  }

  delete(key: Uint8Array): void {
    this.checkKey(key);
    this.checkNotPrepared();
    if (!this.root) return;
    const r = this.recursiveRemove(this.root, key);
    if (!r.removed) return;
    key = copyOf(key);
    this.pending.set(keyString(key), { key, value: undefined });
    if (this.opts.writeAheadLog) this.log.push({ key, value: undefined });
    this.root = r.node;
  }

  // ------------------------------------------------------------------------------------------
  // IAVL editing (mutable_tree.go: recursiveSet, recursiveRemove, balance, rotateLeft/Right)

  /** A node of the working version to edit: an unsaved node is edited in place, a saved one copied and orphaned. */
  private cloneInner(n: Node): Node {
    if (!n.saved) {
      n.hash = undefined;
      return n;
    }
    this.orphans.push(n);
    const c = new Node(n.key, undefined, this.workingVersion, n.height, n.size);
    c.left = n.left;
    c.leftRef = n.leftRef;
    c.right = n.right;
    c.rightRef = n.rightRef;
    return c;
  }

  private orphan(n: Node): void {
    if (n.saved) this.orphans.push(n);
  }

  /**
   * Sets `key` below `node` and returns the new subtree. Whether an existing leaf was updated
   * (no height or size changes above it) is left in `setUpdated` instead of a result object per
   * level: sets run for every write of every block. `low` is the smallest key of the subtree
   * when an ancestor tells it (see setAtSavedLeaf), undefined on the leftmost path.
   */
  private recursiveSet(node: Node, key: Uint8Array, value: Uint8Array, version: number, low: Uint8Array | undefined): Node {
    if (node.isLeaf) {
      const c = cmp(key, node.key);
      if (c === 0) {
        this.orphan(node);
        this.setUpdated = true;
        return Node.leaf(key, value, version);
      }
      const inner = new Node(c < 0 ? node.key : key, undefined, version, 1, 2);
      const fresh = Node.leaf(key, value, version);
      inner.left = c < 0 ? fresh : node;
      inner.right = c < 0 ? node : fresh;
      this.setUpdated = false;
      return inner;
    }
    const n = this.cloneInner(node);
    if (cmp(key, n.key) < 0) {
      const ref = n.left === undefined ? n.leftRef : undefined;
      n.left =
        ref !== undefined && ref.height === 0 && low !== undefined
          ? this.setAtSavedLeaf(ref, low, key, value, version)
          : this.recursiveSet(this.src.left(n), key, value, version, low);
      n.leftRef = undefined;
    } else {
      const ref = n.right === undefined ? n.rightRef : undefined;
      n.right =
        ref !== undefined && ref.height === 0
          ? this.setAtSavedLeaf(ref, n.key, key, value, version)
          : this.recursiveSet(this.src.right(n), key, value, version, n.key);
      n.rightRef = undefined;
    }
    if (this.setUpdated) return n;
    this.calcHeightAndSize(n);
    return this.balance(n);
  }

  /**
   * `recursiveSet` at a saved leaf whose key is known without reading it: the smallest key
   * of a subtree is the key of the nearest ancestor whose right subtree it lies in (an
   * inner node's key is the smallest key on its right). Most writes of a block replace or
   * sit beside leaves no read has loaded, so this saves a LevelDB read per write; the
   * resulting nodes are exactly those of the loading path.
   */
  private setAtSavedLeaf(ref: ChildRef, leafKey: Uint8Array, key: Uint8Array, value: Uint8Array, version: number): Node {
    const c = cmp(key, leafKey);
    if (c < 0) return this.recursiveSet(this.src.load(ref), key, value, version, undefined); // cannot happen in a well-formed tree
    if (c === 0) {
      // Orphan lists and the cache need only the node key of the replaced leaf.
      const old = new Node(leafKey, undefined, ref.version, 0, 1);
      old.seq = ref.seq;
      this.orphans.push(old);
      this.setUpdated = true;
      return Node.leaf(key, value, version);
    }
    const inner = new Node(key, undefined, version, 1, 2);
    inner.leftRef = ref;
    inner.right = Node.leaf(key, value, version);
    this.setUpdated = false;
    return inner;
  }

  /**
   * Removes `key` below `node`. Returns the replacement subtree (undefined when the node itself
   * was the removed leaf) and, when the leftmost key of the subtree changed, the new one.
   */
  private recursiveRemove(node: Node, key: Uint8Array): { node: Node | undefined; newKey?: Uint8Array; removed: boolean } {
    if (node.isLeaf) {
      if (cmp(key, node.key) === 0) {
        this.orphan(node);
        return { node: undefined, removed: true };
      }
      return { node, removed: false };
    }
    if (cmp(key, node.key) < 0) {
      const r = this.recursiveRemove(this.src.left(node), key);
      if (!r.removed) return { node, removed: false };
      if (!r.node) {
        // The left child was the removed leaf: the right subtree takes this node's place unchanged.
        const right = this.src.right(node);
        this.orphan(node);
        return { node: right, newKey: node.key, removed: true };
      }
      const n = this.cloneInner(node);
      n.left = r.node;
      n.leftRef = undefined;
      this.calcHeightAndSize(n);
      return { node: this.balance(n), newKey: r.newKey, removed: true };
    }
    const r = this.recursiveRemove(this.src.right(node), key);
    if (!r.removed) return { node, removed: false };
    if (!r.node) {
      const left = this.src.left(node);
      this.orphan(node);
      return { node: left, removed: true };
    }
    const n = this.cloneInner(node);
    n.right = r.node;
    n.rightRef = undefined;
    if (r.newKey) n.key = r.newKey;
    this.calcHeightAndSize(n);
    return { node: this.balance(n), removed: true };
  }

  /** From in-memory children or the parent's child records: no sibling is loaded. */
  private calcHeightAndSize(n: Node): void {
    const l = n.left ?? (n.leftRef as ChildRef);
    const r = n.right ?? (n.rightRef as ChildRef);
    n.height = Math.max(l.height, r.height) + 1;
    n.size = l.size + r.size;
  }

  private calcBalance(n: Node): number {
    return (n.left ?? (n.leftRef as ChildRef)).height - (n.right ?? (n.rightRef as ChildRef)).height;
  }

  /** `n` is unsaved. */
  private balance(n: Node): Node {
    const b = this.calcBalance(n);
    if (b > 1) {
      if (this.calcBalance(this.src.left(n)) >= 0) return this.rotateRight(n);
      n.left = this.rotateLeft(this.src.left(n));
      n.leftRef = undefined;
      return this.rotateRight(n);
    }
    if (b < -1) {
      if (this.calcBalance(this.src.right(n)) <= 0) return this.rotateLeft(n);
      n.right = this.rotateRight(this.src.right(n));
      n.rightRef = undefined;
      return this.rotateLeft(n);
    }
    return n;
  }

  private rotateRight(node: Node): Node {
    const n = this.cloneInner(node);
    const l = this.cloneInner(this.src.left(n));
    n.left = l.right;
    n.leftRef = l.rightRef;
    l.right = n;
    l.rightRef = undefined;
    this.calcHeightAndSize(n);
    this.calcHeightAndSize(l);
    return l;
  }

  private rotateLeft(node: Node): Node {
    const n = this.cloneInner(node);
    const r = this.cloneInner(this.src.right(n));
    n.right = r.left;
    n.rightRef = r.leftRef;
    r.left = n;
    r.leftRef = undefined;
    this.calcHeightAndSize(n);
    this.calcHeightAndSize(r);
    return r;
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
    if (this.persistError !== undefined) {
      const msg = this.persistError instanceof Error ? this.persistError.message : String(this.persistError);
      throw ErrCorruptStore.wrap(`an earlier version could not be written: ${msg}`);
    }
    const version = this.workingVersion;
    const newNodes: Node[] = [];
    const log = this.replaying ? undefined : this.opts.writeAheadLog;
    const deferred = log !== undefined;
    // Written in full, each record is encoded as its node is sealed, while the node is still
    // in the CPU cache: a second pass over tens of thousands of nodes missed it again.
    const records = deferred ? undefined : new RecordWriter(this.src, batch, version);
    let hash = EMPTY_HASH;
    if (this.root) hash = this.sealNode(this.root, version, newNodes, { seq: 0 }, records);

    const { retained, pruned } = this.planPruning(version);
    const writes: VersionWrites = { version, hash, root: this.root, newNodes, orphans: this.orphans, writes: this.pending, retained };
    // With the log, the first version's record goes with its nodes (persistOldest).
    if (this.firstVersion === undefined && !log) batch.put(this.tagKey(TAG_FIRST), u64(version));
    if (log) log.stage(this.prefix, version, encodeChangeSet(hash, this.log));
    else this.appendVersion(batch, writes, false);

    const stats = { changedKeys: this.pending.size, newNodes: newNodes.length, orphans: this.orphans.length, prunedVersions: pruned.length };
    this.prepared = { version, hash, newNodes, retained, stats, deferred: deferred ? writes : undefined };
    return { version, hash };
  }

  /**
   * Appends the records of a committed version to `batch`: its nodes, root record, the orphan
   * list of the version before it, fast-index updates and the pruning of versions it retires.
   * Versions are appended in order, each after the previous one was written.
   */
  private appendVersion(batch: WriteBatch, w: VersionWrites, withNodes: boolean): void {
    if (withNodes) {
      const records = new RecordWriter(this.src, batch, w.version);
      for (const n of w.newNodes) records.write(n);
    }
    let rootRec = new Uint8Array(0);
    if (w.root) {
      rootRec = new Uint8Array(NODE_KEY_LENGTH + 32);
      writeNodeKey(rootRec, 0, w.root.version, w.root.seq);
      rootRec.set(w.hash, NODE_KEY_LENGTH);
    }
    batch.put(this.tagKey(TAG_ROOT, u64(w.version)), rootRec);

    // Head orphan lists written or deleted by this version, by version; null = delete.
    const heads = new Map<number, Uint8Array | null>();
    if (w.orphans.length > 0) {
      const rec = new Uint8Array(w.orphans.length * NODE_KEY_LENGTH);
      w.orphans.forEach((o, i) => writeNodeKey(rec, i * NODE_KEY_LENGTH, o.version, o.seq));
      heads.set(w.version - 1, rec);
    }

    // Sorted, so the batch content does not depend on the order of writes. The map is keyed
    // by latin1 strings (one char per byte), whose default sort order is the byte order of the
    // keys, and strings sort faster than Buffer.compare calls.
    const changed = [...w.writes.keys()].sort();
    for (const s of changed) {
      const { key, value } = w.writes.get(s) as { key: Uint8Array; value: Uint8Array | undefined };
      const fk = prefixed(this.fastPrefix, key);
      if (value === undefined) batch.del(fk);
      else batch.put(fk, value);
    }

    const keep = new Set(w.retained);
    const pruned = [...this.persistedVersions, w.version].filter((v) => !keep.has(v));
    // Retained version -> pruned versions whose surviving orphans moved to it in this commit.
    const moves = new Map<number, number[]>();
    for (const d of pruned) this.pruneVersion(d, w.retained, heads, moves, batch);
    // eslint-disable-next-line determinism/no-unordered-iteration -- sorted by version right here
    for (const [p, from] of [...moves.entries()].sort((x, y) => x[0] - y[0])) {
      const key = this.tagKey(TAG_MOVED, u64(p));
      const prev = this.db.getSync(key);
      const rec = smallBuffer((prev ? prev.length : 0) + from.length * 8);
      if (prev) rec.set(prev, 0);
      from.forEach((d, i) => rec.set(u64(d), (prev ? prev.length : 0) + i * 8));
      batch.put(key, rec);
    }
    // eslint-disable-next-line determinism/no-unordered-iteration -- sorted by version right here
    for (const [v, rec] of [...heads.entries()].sort((x, y) => x[0] - y[0])) {
      const key = this.tagKey(TAG_ORPHANS, u64(v));
      if (rec === null) batch.del(key);
      else batch.put(key, rec);
    }
  }

  /** Nodes of a version that are now in the database: they keep refs only, inner ones get cached. */
  private written(newNodes: Node[]): void {
    for (const n of newNodes) {
      // Saved nodes keep refs only, so the committed tree does not pin loaded subtrees.
      if (n.left) {
        n.leftRef = refOf(n.left);
        n.left = undefined;
      }
      if (n.right) {
        n.rightRef = refOf(n.right);
        n.right = undefined;
      }
      // Leaves stay out of the cache: latest reads go to the fast index, and a commit's
      // thousands of new leaves would evict the inner nodes every later edit walks through.
      if (!n.isLeaf) this.src.remember(n);
    }
  }

  /**
   * Drops replaced nodes from the cache. They serve only historical reads from now on, which
   * reload them: keeping them would fill the cache with dead versions and grow the old
   * generation the garbage collector must mark (a commit tail-latency cost).
   */
  private forget(orphans: Node[]): void {
    for (const o of orphans) this.src.forget(o.version, o.seq);
  }

  /** Called after the prepared batch was durably written: the prepared version becomes the committed one. */
  markCommitted(): void {
    const p = this.prepared;
    if (!p) throw ErrCommitPending.wrap('markCommitted without prepareCommit');
    if (p.deferred) {
      // Until the version is written its nodes keep their in-memory children, and its writes
      // answer latest reads the fast index cannot answer yet (unwrittenWrite).
      this.unpersisted.push(p.deferred);
    } else {
      this.written(p.newNodes);
      this.forget(this.orphans);
      this.persistedVersions = p.retained;
    }
    this.committedRoot = this.root;
    this.lastVersion = p.version;
    this.lastHash = p.hash;
    this.versions = p.retained;
    if (this.firstVersion === undefined) this.firstVersion = p.version;
    // A new map: an unwritten version keeps the old one as its writes.
    this.pending = new Map();
    this.orphans = [];
    this.log = [];
    this.stats = p.stats;
    this.prepared = undefined;
    if (p.deferred) this.schedulePersist();
  }

  /**
   * Writes unwritten versions in order, one batch each, starting after the current task (so
   * the commit returns first). At most one loop runs; a failure stops it and is reported by
   * the next prepareCommit and by flush.
   */
  private schedulePersist(): void {
    // Never while a commit is prepared: its caller is waiting for its log record, and building
    // a version's batch (milliseconds of main-thread work and allocation) in that window went
    // straight into the commit's latency. markCommitted and rollback call this again.
    if (this.persisting || this.persistError !== undefined || this.prepared) return;
    this.persisting = (async () => {
      // After the current task: the commit's caller answers first. The timing decides only
      // when bytes already fixed by the commit reach the disk, never what any read returns.
      // eslint-disable-next-line no-restricted-syntax -- see above: no result depends on it
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.unpersisted.length > 0 && this.persistError === undefined && !this.prepared) await this.persistOldest();
    })()
      .catch((err: unknown) => {
        this.persistError ??= err;
      })
      .finally(() => {
        this.persisting = undefined;
        // A commit that arrived while the loop was finishing.
        if (this.unpersisted.length > 0 && !this.prepared) this.schedulePersist();
      });
  }

  private async persistOldest(): Promise<void> {
    const w = this.unpersisted[0];
    const batch = this.db.batch();
    this.appendVersion(batch, w, true);
    if (w.version === this.firstVersion) batch.put(this.tagKey(TAG_FIRST), u64(w.version));
    await this.db.write(batch);
    this.written(w.newNodes);
    // Here rather than at commit: the commit returns sooner, and the replaced nodes of an
    // unwritten version are only cached once their own version is written, just before.
    this.forget(w.orphans);
    this.persistedVersions = w.retained;
    this.unpersisted.shift();
    this.opts.writeAheadLog?.written(this.prefix, w.version);
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
    this.root = this.committedRoot;
    this.pending.clear();
    this.orphans = [];
    this.log = [];
    if (this.unpersisted.length > 0) this.schedulePersist();
  }

  /**
   * Gives every unsaved node of the working tree its node key (post-order, so children come
   * before the parent record that names them), its hash and its children's refs.
   */
  private sealNode(n: Node, version: number, out: Node[], counter: { seq: number }, records: RecordWriter | undefined): Uint8Array {
    if (n.saved) return n.hash as Uint8Array;
    if (n.isLeaf) {
      n.hash ??= hashLeaf(n.key, n.value as Uint8Array, n.version);
    } else {
      // In-memory children stay attached (no ref objects on the commit path): `written`
      // turns them into refs once the version is in the database.
      const l = n.left ? this.sealNode(n.left, version, out, counter, records) : (n.leftRef as ChildRef).hash;
      const r = n.right ? this.sealNode(n.right, version, out, counter, records) : (n.rightRef as ChildRef).hash;
      n.hash ??= hashInner(n.height, n.size, n.version, l, r);
    }
    n.seq = ++counter.seq;
    out.push(n);
    records?.write(n);
    return n.hash;
  }

  private planPruning(version: number): { retained: number[]; pruned: number[] } {
    const all = [...this.versions, version];
    const keep = this.retention;
    if (!keep) return { retained: all, pruned: [] };
    const retained: number[] = [];
    const pruned: number[] = [];
    for (const v of all) {
      // eslint-disable-next-line determinism/no-float-division -- exact: a safe integer floored by a power of two
      const kept = v === version || v > version - keep.keepRecent || (keep.keepEvery > 0 && v % keep.keepEvery === 0) || this.pins.has(v);
      if (kept) retained.push(v);
      else pruned.push(v);
    }
    return { retained, pruned };
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
  private pruneVersion(d: number, retained: number[], heads: Map<number, Uint8Array | null>, moves: Map<number, number[]>, batch: WriteBatch): void {
    batch.del(this.tagKey(TAG_ROOT, u64(d)));
    const p = predecessor(retained, d);
    const survivors: Uint8Array[] = [];
    const visit = (list: Uint8Array | undefined | null): void => {
      if (!list) return;
      for (let i = 0; i + NODE_KEY_LENGTH <= list.length; i += NODE_KEY_LENGTH) {
        const { version, seq } = readNodeKey(list, i);
        if (p !== undefined && p >= version) survivors.push(list.subarray(i, i + NODE_KEY_LENGTH));
        else {
          batch.del(this.src.nodeDbKey(version, seq));
          this.src.forget(version, seq);
        }
      }
    };
    visit(heads.has(d) ? heads.get(d) : this.db.getSync(this.tagKey(TAG_ORPHANS, u64(d))));
    heads.set(d, null);
    const movedIndexKey = this.tagKey(TAG_MOVED, u64(d));
    const movedIndex = this.db.getSync(movedIndexKey);
    if (movedIndex) {
      for (let i = 0; i + 8 <= movedIndex.length; i += 8) {
        const key = this.tagKey(TAG_ORPHANS, concatBytes(u64(d), movedIndex.subarray(i, i + 8)));
        visit(this.db.getSync(key));
        batch.del(key);
      }
      batch.del(movedIndexKey);
    }
    if (survivors.length > 0 && p !== undefined) {
      batch.put(this.tagKey(TAG_ORPHANS, concatBytes(u64(p), u64(d))), Buffer.concat(survivors));
      const list = moves.get(p);
      if (list) list.push(d);
      else moves.set(p, [d]);
    }
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
    if (!Number.isSafeInteger(version) || version < 1) throw ErrVersionNotFound.wrap(`version ${version} is not a positive integer`);
    if (version > this.lastVersion) throw ErrVersionNotFound.wrap(`version ${version} does not exist: the latest is ${this.lastVersion}`);
    if (this.firstVersion !== undefined && version < this.firstVersion) {
      throw ErrVersionNotFound.wrap(`version ${version} does not exist: the first version of this store is ${this.firstVersion}`);
    }
    if (!this.versionExists(version)) {
      throw ErrVersionPruned.wrap(`version ${version} was pruned; the oldest retained is ${this.versions[0]}`);
    }
    if (version === this.lastVersion) return new VersionView(this, this.src, version, this.committedRoot, this.lastHash);
    const unwritten = this.unpersisted.find((e) => e.version === version);
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
  *exportVersion(version: number): Iterable<ExportNode> {
    const view = this.at(version) as VersionView;
    if (!view.root) return;
    const stack: Array<{ node: Node; expanded: boolean }> = [{ node: view.root, expanded: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.node.isLeaf || top.expanded) {
        stack.pop();
        const n = top.node;
        yield n.isLeaf ? { key: n.key, value: n.value, version: n.version, height: 0 } : { key: n.key, version: n.version, height: n.height };
        continue;
      }
      top.expanded = true;
      const n = top.node;
      stack.push({ node: n.right ?? this.src.peek(n.rightRef as ChildRef), expanded: false });
      stack.push({ node: n.left ?? this.src.peek(n.leftRef as ChildRef), expanded: false });
    }
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
    if (!Number.isSafeInteger(version) || version < 1) throw ErrInvalidImport.wrap(`version ${version} is not a positive integer`);
    const src = existing.src;
    const fastPrefix = prefixed(opts.prefix, Uint8Array.of(TAG_FAST));
    const seqs = new Map<number, number>();
    const stack: Array<{ ref: ChildRef; height: number; size: number; minKey: Uint8Array; maxKey: Uint8Array }> = [];
    let batch = db.batch();
    let count = 0;
    const add = (e: ExportNode): void => {
      count++;
      if (!(e.key instanceof Uint8Array) || !Number.isSafeInteger(e.version) || e.version < 1 || e.version > version) {
        throw ErrInvalidImport.wrap(`node ${count} has a bad key or version ${e.version}`);
      }
      const seq = (seqs.get(e.version) ?? 0) + 1;
      seqs.set(e.version, seq);
      // Records are encoded straight from the stream, without building Node objects.
      let hash: Uint8Array;
      let rec: Uint8Array;
      let height = 0;
      let size = 1;
      let minKey: Uint8Array;
      let maxKey: Uint8Array;
      if (e.height === 0) {
        if (!(e.value instanceof Uint8Array)) throw ErrInvalidImport.wrap(`leaf ${count} has no value`);
        const prev = stack[stack.length - 1];
        if (prev && cmp(prev.maxKey, e.key) >= 0) throw ErrInvalidImport.wrap(`leaf ${count} is out of key order`);
        hash = hashLeaf(e.key, e.value, e.version);
        rec = encodeLeaf(e.key, e.value);
        minKey = maxKey = e.key;
        batch.put(prefixed(fastPrefix, e.key), e.value);
      } else {
        const right = stack.pop();
        const left = stack.pop();
        if (!left || !right) throw ErrInvalidImport.wrap(`inner node ${count} has fewer than two children before it`);
        height = Math.max(left.height, right.height) + 1;
        if (e.height !== height) throw ErrInvalidImport.wrap(`inner node ${count} has height ${e.height}, its children say ${height}`);
        if (cmp(e.key, right.minKey) !== 0) throw ErrInvalidImport.wrap(`inner node ${count} key is not the smallest key of its right subtree`);
        size = left.size + right.size;
        hash = hashInner(height, size, e.version, left.ref.hash, right.ref.hash);
        rec = encodeInner(height, size, e.key, left.ref, right.ref);
        minKey = left.minKey;
        maxKey = right.maxKey;
      }
      batch.put(src.nodeDbKey(e.version, seq), rec);
      stack.push({ ref: { version: e.version, seq, hash, height, size }, height, size, minKey, maxKey });
    };
    // One batch is written while the next is built (LevelDB applies it on a worker thread), and
    // at most one is in flight, so batches land in order.
    let inFlight: Promise<void> | undefined;
    const flush = async (): Promise<void> => {
      await inFlight;
      inFlight = db.write(batch);
      // Handled here so a failure is not reported as unhandled while the next batch is built;
      // the next `await inFlight` still throws it.
      inFlight.catch(() => undefined);
      batch = db.batch();
    };
    // A synchronous stream is consumed without an await per node (a microtask each): a bulk
    // import of millions of nodes yields only to write its batches.
    try {
      if (Symbol.iterator in nodes) {
        for (const e of nodes) {
          add(e);
          if (batch.length >= IMPORT_BATCH_OPS) await flush();
        }
      } else {
        // An asynchronous stream may deliver nodes in batches: one await per batch, not per node.
        for await (const e of nodes) {
          if (Array.isArray(e)) {
            for (const n of e as readonly ExportNode[]) {
              add(n);
              if (batch.length >= IMPORT_BATCH_OPS) await flush();
            }
          } else {
            add(e as ExportNode);
            if (batch.length >= IMPORT_BATCH_OPS) await flush();
          }
        }
      }
    } finally {
      // A rejected stream leaves no write running behind the caller's back.
      await inFlight?.catch(() => undefined);
    }
    await inFlight;
    if (stack.length > 1) throw ErrInvalidImport.wrap(`stream ended with ${stack.length} subtrees instead of one`);
    let rootRec = new Uint8Array(0);
    if (stack.length === 1) {
      rootRec = new Uint8Array(NODE_KEY_LENGTH + 32);
      writeNodeKey(rootRec, 0, stack[0].ref.version, stack[0].ref.seq);
      rootRec.set(stack[0].ref.hash, NODE_KEY_LENGTH);
    }
    await db.write(batch);
    const last = db.batch();
    last.put(prefixed(opts.prefix, Uint8Array.of(TAG_FIRST)), u64(version));
    last.put(prefixed(opts.prefix, Uint8Array.of(TAG_ROOT, ...u64(version))), rootRec);
    await db.write(last, { sync: true });
    return IavlTree.open(db, opts);
  }

  // ------------------------------------------------------------------------------------------

  /** @internal Used by version views: the fast index serves the latest committed version. */
  fastGet(version: number, key: Uint8Array): Uint8Array | undefined | null {
    if (version !== this.lastVersion || this.prepared) return null;
    if (this.unpersisted.length > 0) {
      const w = this.unwrittenWrite(keyString(key));
      if (w) return w.value;
    }
    return this.db.getSync(this.fastKey(key));
  }

  private tagKey(tag: number, rest?: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.prefix.length + 1 + (rest ? rest.length : 0));
    out.set(this.prefix, 0);
    out[this.prefix.length] = tag;
    if (rest) out.set(rest, this.prefix.length + 1);
    return out;
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
    const exist = existenceProof(this.src, this.root, key);
    if (exist) return { value: exist.value, proof: { exist, nonexist: undefined, batch: undefined, compressed: undefined } };
    if (!this.root) throw ErrEmptyTreeProof.wrap(`version ${this.version} is empty`);
    const below = this.src.iterate(this.root, undefined, key, true).next();
    const above = this.src.iterate(this.root, key, undefined, false).next();
    const left = below.done ? undefined : existenceProof(this.src, this.root, below.value[0]);
    const right = above.done ? undefined : existenceProof(this.src, this.root, above.value[0]);
    return { value: undefined, proof: { exist: undefined, nonexist: { key, left, right }, batch: undefined, compressed: undefined } };
  }
}

/** The ref a parent keeps of a sealed child. */
function refOf(n: Node): ChildRef {
  return { version: n.version, seq: n.seq, hash: n.hash as Uint8Array, height: n.height, size: n.size };
}

function readRoot(db: StateDb, src: NodeSource, prefix: Uint8Array, version: number): { root: Node | undefined; hash: Uint8Array } {
  const rec = db.getSync(prefixed(prefix, Uint8Array.of(TAG_ROOT, ...u64(version))));
  if (!rec) throw ErrVersionPruned.wrap(`version ${version} has no root record`);
  if (rec.length === 0) return { root: undefined, hash: EMPTY_HASH };
  if (rec.length !== NODE_KEY_LENGTH + 32) throw ErrCorruptStore.wrap(`root record of version ${version} is ${rec.length} bytes`);
  const { version: v, seq } = readNodeKey(rec, 0);
  const hash = rec.slice(NODE_KEY_LENGTH);
  return { root: src.load({ version: v, seq, hash }), hash };
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

function binarySearch(sorted: number[], v: number): number {
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

/**
 * A version's writes as the write-ahead log stores them, in the order they were made:
 *   0x01 || root hash(32) || uvarint(count) || count × (uvarint(len key) || key || 0x00)       a delete
 *                                                      (uvarint(len key) || key || 0x01 || uvarint(len value) || value)
 * The record is node-local (never part of a hash or a proof); replaying it rebuilds the
 * version exactly, which the recorded root hash checks.
 */
function encodeChangeSet(hash: Uint8Array, changes: Array<{ key: Uint8Array; value: Uint8Array | undefined }>): Uint8Array {
  let size = 1 + 32 + uvarintSize(changes.length);
  for (const c of changes) {
    size += uvarintSize(c.key.length) + c.key.length + 1;
    if (c.value !== undefined) size += uvarintSize(c.value.length) + c.value.length;
  }
  const out = smallBuffer(size);
  out[0] = 1;
  out.set(hash, 1);
  let pos = putUvarint(out, 33, changes.length);
  for (const c of changes) {
    pos = putUvarint(out, pos, c.key.length);
    out.set(c.key, pos);
    pos += c.key.length;
    if (c.value === undefined) {
      out[pos++] = 0;
      continue;
    }
    out[pos++] = 1;
    pos = putUvarint(out, pos, c.value.length);
    out.set(c.value, pos);
    pos += c.value.length;
  }
  return out;
}

function decodeChangeSet(rec: Uint8Array, version: number): { hash: Uint8Array; changes: Array<{ key: Uint8Array; value?: Uint8Array }> } {
  const bad = (why: string) => ErrCorruptStore.wrap(`log record of version ${version}: ${why}`);
  if (rec.length < 34 || rec[0] !== 1) throw bad('unknown format');
  const hash = rec.slice(1, 33);
  const [count, start] = readUvarint(rec, 33);
  let pos = start;
  const changes: Array<{ key: Uint8Array; value?: Uint8Array }> = [];
  for (let i = 0; i < count; i++) {
    let len: number;
    [len, pos] = readUvarint(rec, pos);
    if (pos + len + 1 > rec.length) throw bad('truncated key');
    const key = rec.subarray(pos, pos + len);
    pos += len;
    const kind = rec[pos++];
    if (kind === 0) {
      changes.push({ key });
      continue;
    }
    if (kind !== 1) throw bad(`unknown change kind ${kind}`);
    [len, pos] = readUvarint(rec, pos);
    if (pos + len > rec.length) throw bad('truncated value');
    changes.push({ key, value: rec.subarray(pos, pos + len) });
    pos += len;
  }
  if (pos !== rec.length) throw bad('trailing bytes');
  return { hash, changes };
}
