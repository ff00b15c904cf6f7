/**
 * Writing committed versions to the database: a version's nodes, root record, orphan list,
 * fast-index updates and the pruning it triggers, in one batch. Without a write-ahead log the
 * commit's own batch carries them; with one, committed versions queue here and are written in
 * the background, oldest first, one batch each, while reads see them from memory.
 */
import type { ChangeLog } from '../changelog';
import { StateDb, WriteBatch, prefixed } from '../db';
import { ErrCorruptStore } from './errors';
import { TAG_FAST, TAG_FIRST, TAG_ORPHANS, TAG_ROOT, tagKey, u64 } from './keys';
import { NodeSource, RecordWriter, refOf } from './nodeDb';
import { NODE_KEY_LENGTH, Node, writeNodeKey } from './node';
import { appendPruning } from './pruning';

/** The last write of each key in a version (value undefined = deleted), by the key's latin1 string. */
export type Writes = Map<string, { key: Uint8Array; value: Uint8Array | undefined }>;

/** Everything needed to write a committed version's nodes and indexes. */
export interface VersionWrites {
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
  /** The first version the tree commits: its record goes with the version's nodes. */
  first: boolean;
}

export class VersionWriter {
  private readonly db: StateDb;
  private readonly prefix: Uint8Array;
  private readonly fastPrefix: Uint8Array;
  /** Retained versions whose root record is in the database, ascending. */
  private persistedVersions: number[];
  /** Committed versions still to be written (write-ahead-log mode), oldest first. */
  private unpersisted: VersionWrites[] = [];
  private persisting: Promise<void> | undefined;
  private persistError: unknown;

  /**
   * `commitPending` tells whether the tree has a prepared commit: no version is written while
   * one is (see schedule).
   */
  constructor(
    private readonly src: NodeSource,
    persisted: number[],
    private readonly log: ChangeLog | undefined,
    private readonly commitPending: () => boolean,
  ) {
    this.db = src.db;
    this.prefix = src.prefix;
    this.fastPrefix = prefixed(src.prefix, Uint8Array.of(TAG_FAST));
    this.persistedVersions = persisted;
  }

  /** Committed versions whose nodes are not written yet. */
  get unwrittenVersions(): number {
    return this.unpersisted.length;
  }

  /** The root and hash of a committed version not written yet, if it is one. */
  unwritten(version: number): VersionWrites | undefined {
    return this.unpersisted.find((e) => e.version === version);
  }

  /**
   * The latest committed write of a key (its latin1 string) by a version the fast index does
   * not have yet (write-ahead-log mode): newest unwritten version first.
   */
  unwrittenWrite(s: string): { value: Uint8Array | undefined } | undefined {
    for (let i = this.unpersisted.length - 1; i >= 0; i--) {
      const w = this.unpersisted[i].writes.get(s);
      if (w) return w;
    }
    return undefined;
  }

  /** Throws if writing an earlier version failed: nothing may commit on top of it. */
  checkHealthy(): void {
    if (this.persistError !== undefined) {
      const msg = this.persistError instanceof Error ? this.persistError.message : String(this.persistError);
      throw ErrCorruptStore.wrap(`an earlier version could not be written: ${msg}`);
    }
  }

  /**
   * Appends the records of a committed version to `batch`: its nodes, root record, the orphan
   * list of the version before it, fast-index updates and the pruning of versions it retires.
   * Versions are appended in order, each after the previous one was written.
   */
  appendVersion(batch: WriteBatch, w: VersionWrites, withNodes: boolean): void {
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
    batch.put(tagKey(this.prefix, TAG_ROOT, u64(w.version)), rootRec);

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

    appendPruning(this.src, batch, this.persistedVersions, w.version, w.retained, heads);
    // eslint-disable-next-line determinism/no-unordered-iteration -- sorted by version right here
    for (const [v, rec] of [...heads.entries()].sort((x, y) => x[0] - y[0])) {
      const key = tagKey(this.prefix, TAG_ORPHANS, u64(v));
      if (rec === null) batch.del(key);
      else batch.put(key, rec);
    }
  }

  /** A version written with the commit's own batch: it is in the database now. */
  committed(w: VersionWrites): void {
    this.written(w.newNodes);
    this.forget(w.orphans);
    this.persistedVersions = w.retained;
  }

  /** A version committed through the log: written later (call `schedule` once the commit is done). */
  defer(w: VersionWrites): void {
    // Until the version is written its nodes keep their in-memory children, and its writes
    // answer latest reads the fast index cannot answer yet (unwrittenWrite).
    this.unpersisted.push(w);
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

  /**
   * Writes unwritten versions in order, one batch each, starting after the current task (so
   * the commit returns first). At most one loop runs; a failure stops it and is reported by
   * the next prepareCommit and by flush.
   */
  schedule(): void {
    // Never while a commit is prepared: its caller is waiting for its log record, and building
    // a version's batch (milliseconds of main-thread work and allocation) in that window went
    // straight into the commit's latency. markCommitted and rollback call this again.
    if (this.persisting || this.persistError !== undefined || this.commitPending()) return;
    this.persisting = (async () => {
      // After the current task: the commit's caller answers first. The timing decides only
      // when bytes already fixed by the commit reach the disk, never what any read returns.
      // eslint-disable-next-line no-restricted-syntax -- see above: no result depends on it
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.unpersisted.length > 0 && this.persistError === undefined && !this.commitPending()) await this.persistOldest();
    })()
      .catch((err: unknown) => {
        this.persistError ??= err;
      })
      .finally(() => {
        this.persisting = undefined;
        // A commit that arrived while the loop was finishing.
        if (this.unpersisted.length > 0 && !this.commitPending()) this.schedule();
      });
  }

  private async persistOldest(): Promise<void> {
    const w = this.unpersisted[0];
    const batch = this.db.batch();
    this.appendVersion(batch, w, true);
    if (w.first) batch.put(tagKey(this.prefix, TAG_FIRST), u64(w.version));
    await this.db.write(batch);
    this.written(w.newNodes);
    // Here rather than at commit: the commit returns sooner, and the replaced nodes of an
    // unwritten version are only cached once their own version is written, just before.
    this.forget(w.orphans);
    this.persistedVersions = w.retained;
    this.unpersisted.shift();
    this.log?.written(this.prefix, w.version);
  }

  /**
   * Waits until every committed version is written. Throws if writing one failed: its change
   * set is still in the log, and the next `open` replays it.
   */
  async flush(): Promise<void> {
    this.schedule();
    while (this.persisting) await this.persisting;
    if (this.persistError !== undefined) {
      const msg = this.persistError instanceof Error ? this.persistError.message : String(this.persistError);
      throw ErrCorruptStore.wrap(`writing committed versions failed (their change sets stay in the log): ${msg}`);
    }
  }
}
