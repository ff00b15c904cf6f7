/**
 * A version as a stream of nodes and back, in IAVL's exporter format (post-order, each node
 * with its own version), which state-sync snapshots carry.
 */
import type { StateDb } from '../db';
import { prefixed } from '../db';
import { ErrInvalidImport } from './errors';
import { TAG_FAST, TAG_FIRST, TAG_ROOT, cmp, u64 } from './keys';
import type { NodeSource } from './nodeDb';
import { ChildRef, NODE_KEY_LENGTH, Node, encodeInnerInto, encodeLeafInto, hashInner, hashLeaf, innerRecordSize, leafRecordSize, writeNodeKey } from './node';

/** One node of a version in post-order, as IAVL's exporter emits it. */
export interface ExportNode {
  key: Uint8Array;
  /** Present on leaves only. */
  value?: Uint8Array;
  version: number;
  height: number;
}

/** Operations per LevelDB write while importing: large enough to amortise, small enough to bound memory. */
const IMPORT_BATCH_OPS = 20_000;

/**
 * The nodes under the root `rootOf()` gives (asked on the first step) in post-order. O(nodes)
 * reads that bypass the node cache (NodeSource.peek).
 */
export function* exportNodes(src: NodeSource, rootOf: () => Node | undefined): Iterable<ExportNode> {
  const root = rootOf();
  if (!root) return;
  const stack: Array<{ node: Node; expanded: boolean }> = [{ node: root, expanded: false }];
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
    stack.push({ node: n.right ?? src.peek(n.rightRef as ChildRef), expanded: false });
    stack.push({ node: n.left ?? src.peek(n.leftRef as ChildRef), expanded: false });
  }
}

/**
 * Writes `version` from an exported node stream into the empty tree under `src.prefix`. Nodes
 * keep their exported versions, so the root hash is the exporter's. Writes in several
 * batches; the version record is written last, so an interrupted import leaves no version.
 */
export async function importNodes(
  src: NodeSource,
  version: number,
  nodes: AsyncIterable<ExportNode | readonly ExportNode[]> | Iterable<ExportNode>,
): Promise<void> {
  if (!Number.isSafeInteger(version) || version < 1) throw ErrInvalidImport.wrap(`version ${version} is not a positive integer`);
  const db: StateDb = src.db;
  const fastPrefix = prefixed(src.prefix, Uint8Array.of(TAG_FAST));
  const seqs = new Map<number, number>();
  const stack: Array<{ ref: ChildRef; height: number; size: number; minKey: Uint8Array; maxKey: Uint8Array }> = [];
  let batch = db.directBatch();
  let count = 0;
  // Records and fast-index keys are built in one scratch buffer: a DirectBatch copies each put
  // into LevelDB's native batch before it returns, so nothing is allocated per record.
  let scratch = new Uint8Array(64 * 1024);
  const room = (n: number): Uint8Array => (scratch.length >= n ? scratch : (scratch = new Uint8Array(n * 2)));
  const add = (e: ExportNode): void => {
    count++;
    if (!(e.key instanceof Uint8Array) || !Number.isSafeInteger(e.version) || e.version < 1 || e.version > version) {
      throw ErrInvalidImport.wrap(`node ${count} has a bad key or version ${e.version}`);
    }
    const seq = (seqs.get(e.version) ?? 0) + 1;
    seqs.set(e.version, seq);
    // Records are encoded straight from the stream, without building Node objects.
    let hash: Uint8Array;
    let height = 0;
    let size = 1;
    let minKey: Uint8Array;
    let maxKey: Uint8Array;
    if (e.height === 0) {
      if (!(e.value instanceof Uint8Array)) throw ErrInvalidImport.wrap(`leaf ${count} has no value`);
      const prev = stack[stack.length - 1];
      if (prev && cmp(prev.maxKey, e.key) >= 0) throw ErrInvalidImport.wrap(`leaf ${count} is out of key order`);
      hash = hashLeaf(e.key, e.value, e.version);
      minKey = maxKey = e.key;
      const fastLen = fastPrefix.length + e.key.length;
      const buf = room(fastLen + leafRecordSize(e.key, e.value));
      buf.set(fastPrefix, 0);
      buf.set(e.key, fastPrefix.length);
      batch.put(buf.subarray(0, fastLen), e.value);
      batch.put(src.nodeDbKey(e.version, seq), buf.subarray(fastLen, encodeLeafInto(buf, fastLen, e.key, e.value)));
    } else {
      const right = stack.pop();
      const left = stack.pop();
      if (!left || !right) throw ErrInvalidImport.wrap(`inner node ${count} has fewer than two children before it`);
      height = Math.max(left.height, right.height) + 1;
      if (e.height !== height) throw ErrInvalidImport.wrap(`inner node ${count} has height ${e.height}, its children say ${height}`);
      if (cmp(e.key, right.minKey) !== 0) throw ErrInvalidImport.wrap(`inner node ${count} key is not the smallest key of its right subtree`);
      size = left.size + right.size;
      hash = hashInner(height, size, e.version, left.ref.hash, right.ref.hash);
      const buf = room(innerRecordSize(height, size, e.key, left.ref, right.ref));
      batch.put(src.nodeDbKey(e.version, seq), buf.subarray(0, encodeInnerInto(buf, 0, height, size, e.key, left.ref, right.ref)));
      minKey = left.minKey;
      maxKey = right.maxKey;
    }
    stack.push({ ref: { version: e.version, seq, hash, height, size }, height, size, minKey, maxKey });
  };
  // One batch is written while the next is built (LevelDB applies it on a worker thread), and
  // at most one is in flight, so batches land in order.
  let inFlight: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    await inFlight;
    inFlight = db.writeDirect(batch);
    // Handled here so a failure is not reported as unhandled while the next batch is built;
    // the next `await inFlight` still throws it.
    inFlight.catch(() => undefined);
    batch = db.directBatch();
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
  await db.writeDirect(batch);
  const last = db.batch();
  last.put(prefixed(src.prefix, Uint8Array.of(TAG_FIRST)), u64(version));
  last.put(prefixed(src.prefix, Uint8Array.of(TAG_ROOT, ...u64(version))), rootRec);
  await db.write(last, { sync: true });
}
