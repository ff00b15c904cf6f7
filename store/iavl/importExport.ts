/**
 * A version as a stream of nodes and back, in IAVL's exporter format (post-order, each node
 * with its own version), which state-sync snapshots carry.
 */
import type { DirectBatch, StateDb } from '../db';
import { prefixed } from '../db';
import { ErrInvalidImport } from './errors';
import { ImportBuilder, forEachRecord, type ImportedRoot } from './importBuilder';
import { TAG_FIRST, TAG_ROOT, u64 } from './keys';
import type { NodeSource } from './nodeDb';
import type { IavlTree } from './tree';
import { ChildRef, NODE_KEY_LENGTH, Node, writeNodeKey } from './node';

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

/** An import in progress (IavlTree.importRecords). */
export interface TreeImport {
  /** Puts one block of records (ImportBuilder's layout); resolves when the next may come. */
  write(block: Uint8Array): Promise<void>;
  /** Writes the rest and the version record; the imported tree, opened. */
  finish(root: ImportedRoot | undefined): Promise<IavlTree>;
  /** Waits for any write still running (after a failure). */
  settle(): Promise<void>;
}

/**
 * Writes an imported version's records into LevelDB: each block's puts go into a native batch,
 * one batch is written (on LevelDB's thread) while the next fills, and at most one is in
 * flight, so batches land in order. `finish` writes the version records last, so an
 * interrupted import leaves no version.
 */
export class ImportWriter {
  private batch: DirectBatch;
  private inFlight: Promise<void> | undefined;
  private readonly put: (key: Uint8Array, value: Uint8Array) => void;

  constructor(
    private readonly db: StateDb,
    private readonly prefix: Uint8Array,
    private readonly version: number,
  ) {
    if (!Number.isSafeInteger(version) || version < 1) throw ErrInvalidImport.wrap(`version ${version} is not a positive integer`);
    this.batch = db.directBatch();
    this.put = (key, value) => this.batch.put(key, value);
  }

  /** Puts every record of `block` (ImportBuilder's layout); resolves when the caller may send the next. */
  async write(block: Uint8Array): Promise<void> {
    forEachRecord(block, this.put);
    if (this.batch.length >= IMPORT_BATCH_OPS) await this.flush();
  }

  /** Writes what is left, then the version's root and first-version records (synced). */
  async finish(root: ImportedRoot | undefined): Promise<void> {
    await this.inFlight;
    this.inFlight = undefined;
    await this.db.writeDirect(this.batch);
    let rootRec = new Uint8Array(0);
    if (root) {
      rootRec = new Uint8Array(NODE_KEY_LENGTH + 32);
      writeNodeKey(rootRec, 0, root.version, root.seq);
      rootRec.set(root.hash, NODE_KEY_LENGTH);
    }
    const last = this.db.batch();
    last.put(prefixed(this.prefix, Uint8Array.of(TAG_FIRST)), u64(this.version));
    last.put(prefixed(this.prefix, Uint8Array.of(TAG_ROOT, ...u64(this.version))), rootRec);
    await this.db.write(last, { sync: true });
  }

  /** Waits for a write still running (after a failure: nothing runs behind the caller's back). */
  async settle(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
  }

  private async flush(): Promise<void> {
    await this.inFlight;
    this.inFlight = this.db.writeDirect(this.batch);
    // Handled here so a failure is not reported as unhandled while the next batch fills; the
    // next `await inFlight` still throws it.
    this.inFlight.catch(() => undefined);
    this.batch = this.db.directBatch();
  }
}

/** Gives one exported node to `builder`, checking the fields a typed stream cannot promise. */
function feed(builder: ImportBuilder, e: ExportNode): void {
  if (!(e.key instanceof Uint8Array)) throw ErrInvalidImport.wrap(`node ${builder.count + 1} has a bad key or version ${e.version}`);
  if (e.height === 0) {
    if (!(e.value instanceof Uint8Array)) throw ErrInvalidImport.wrap(`leaf ${builder.count + 1} has no value`);
    builder.leaf(e.key, 0, e.key.length, e.value, 0, e.value.length, e.version);
  } else {
    builder.inner(e.key, 0, e.key.length, e.height, e.version);
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
  const writer = new ImportWriter(src.db, src.prefix, version);
  const builder = new ImportBuilder(src.prefix, version);
  const add = async (e: ExportNode): Promise<void> => {
    feed(builder, e);
    if (builder.pending >= IMPORT_BATCH_OPS) await writer.write(builder.takeBlock());
  };
  try {
    // A synchronous stream is consumed without an await per node (a microtask each) unless a
    // block is full: a bulk import of millions of nodes yields only to write its batches.
    if (Symbol.iterator in nodes) {
      for (const e of nodes) {
        feed(builder, e);
        if (builder.pending >= IMPORT_BATCH_OPS) await writer.write(builder.takeBlock());
      }
    } else {
      // An asynchronous stream may deliver nodes in batches: one await per batch, not per node.
      for await (const e of nodes) {
        if (Array.isArray(e)) for (const n of e as readonly ExportNode[]) await add(n);
        else await add(e as ExportNode);
      }
    }
    await writer.write(builder.takeBlock());
    await writer.finish(builder.finish());
  } finally {
    await writer.settle();
  }
}
