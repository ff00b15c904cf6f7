/**
 * The tree's nodes in the database: a bounded cache in front of LevelDB (NodeSource), reads of
 * a version's root record, and the encoder that puts sealed nodes into a write batch.
 */
import { StateDb, WriteBatch, prefixed } from '../db';
import type { KVPair } from '../types';
import { ErrCorruptStore, ErrVersionPruned } from './errors';
import { EMPTY_HASH, TAG_NODE, TAG_ROOT, cmp, readU64, u64 } from './keys';
import { ChildRef, NODE_KEY_LENGTH, Node, NodeRef, decodeNode, encodeNodeInto, hashInner, hashLeaf, readNodeKey, recordSize, writeNodeKey } from './node';

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
export class RecordWriter {
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

/** The ref a parent keeps of a sealed child. */
export function refOf(n: Node): ChildRef {
  return { version: n.version, seq: n.seq, hash: n.hash as Uint8Array, height: n.height, size: n.size };
}

/** The versions whose root record is under `prefix`, ascending: O(retained versions). */
export async function readVersions(db: StateDb, prefix: Uint8Array): Promise<number[]> {
  const rootTag = prefixed(prefix, Uint8Array.of(TAG_ROOT));
  const versions: number[] = [];
  for await (const [key] of db.iterate({ gte: rootTag, lt: prefixed(prefix, Uint8Array.of(TAG_ROOT + 1)) })) {
    if (key.length !== rootTag.length + 8) throw ErrCorruptStore.wrap('malformed version record key');
    versions.push(readU64(key, rootTag.length));
  }
  return versions;
}

/** The root node (loaded) and hash of a version from its root record. */
export function readRoot(db: StateDb, src: NodeSource, prefix: Uint8Array, version: number): { root: Node | undefined; hash: Uint8Array } {
  const rec = db.getSync(prefixed(prefix, Uint8Array.of(TAG_ROOT, ...u64(version))));
  if (!rec) throw ErrVersionPruned.wrap(`version ${version} has no root record`);
  if (rec.length === 0) return { root: undefined, hash: EMPTY_HASH };
  if (rec.length !== NODE_KEY_LENGTH + 32) throw ErrCorruptStore.wrap(`root record of version ${version} is ${rec.length} bytes`);
  const { version: v, seq } = readNodeKey(rec, 0);
  const hash = rec.slice(NODE_KEY_LENGTH);
  return { root: src.load({ version: v, seq, hash }), hash };
}
