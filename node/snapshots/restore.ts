/**
 * Restores a snapshot into an empty multistore: the compressed chunks (in order) are
 * inflated, decoded item by item and imported store by store while they arrive, so memory
 * holds a few chunks, not the state. At the end every store's root is hashed into the
 * AppHash and compared with the expected one; on any failure the imported trees are deleted
 * (`abortRestore`) and the error is rethrown.
 */
import { once } from 'node:events';
import { createGunzip } from 'node:zlib';
import type { CommitId, ExportNode } from '../../store';
import { ErrSnapshotFormat, isMarker, SnapshotDecoder, type SnapshotItem } from '../../store/snapshots/format';

/** What a restore needs from the multistore (store/rootmulti.ts provides it). */
export interface SnapshotTarget {
  beginRestore(version: number): Promise<void>;
  restoreStore(name: string, nodes: AsyncIterable<ExportNode | readonly ExportNode[]>): Promise<void>;
  finishRestore(expected: Uint8Array): Promise<CommitId>;
  abortRestore(): Promise<void>;
}

export interface RestoreProgress {
  /** Uncompressed stream bytes decoded so far. */
  rawBytes: number;
  /** Nodes imported so far. */
  nodes: number;
}

export interface RestoreResult {
  commit: CommitId;
  /** The application's header record from the stream. */
  appHeader: Uint8Array;
}

/**
 * Bytes zlib inflates per call. Each call is a trip to libuv's thread pool and back to the main
 * thread; with zlib's 16 KiB default a 1M-key state (110 MB) took ~7,000 trips, and on a loaded
 * machine every trip waits for a core. 1 MiB pieces make it ~110.
 */
const INFLATE_PIECE = 1024 * 1024;

/** Inflates an ordered stream of gzip chunks; a truncated or corrupt stream throws. */
async function* inflate(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const gunzip = createGunzip({ chunkSize: INFLATE_PIECE });
  let feedError: unknown;
  const feeding = (async () => {
    for await (const c of chunks) {
      if (!gunzip.write(c)) await once(gunzip, 'drain');
    }
    gunzip.end();
  })().catch((err: unknown) => {
    feedError = err;
    gunzip.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  try {
    for await (const piece of gunzip as AsyncIterable<Buffer>) yield piece;
  } catch (err) {
    throw feedError ?? err;
  } finally {
    gunzip.destroy();
    await feeding;
  }
  if (feedError !== undefined) throw feedError;
}

/** Pulls decoded items one at a time, or as runs of nodes. */
class ItemCursor {
  private batch: SnapshotItem[] = [];
  private i = 0;
  private readonly it: AsyncIterator<Buffer>;
  private readonly decoder = new SnapshotDecoder();
  nodes = 0;

  constructor(source: AsyncIterable<Buffer>) {
    this.it = source[Symbol.asyncIterator]();
  }

  get rawBytes(): number {
    return this.decoder.total;
  }

  async peek(): Promise<SnapshotItem | undefined> {
    while (this.i >= this.batch.length) {
      const r = await this.it.next();
      if (r.done) {
        this.decoder.finish();
        return undefined;
      }
      this.batch = this.decoder.push(r.value);
      this.i = 0;
    }
    return this.batch[this.i];
  }

  async next(): Promise<SnapshotItem | undefined> {
    const item = await this.peek();
    if (item !== undefined) this.i++;
    return item;
  }

  /** The nodes up to the next marker, in runs (one per decoded piece). */
  async *nodeRuns(): AsyncGenerator<readonly ExportNode[]> {
    for (;;) {
      const first = await this.peek();
      if (first === undefined || isMarker(first)) return;
      let j = this.i;
      while (j < this.batch.length && !isMarker(this.batch[j])) j++;
      const run = this.batch.slice(this.i, j) as ExportNode[];
      this.i = j;
      this.nodes += run.length;
      yield run;
    }
  }
}

/**
 * Restores `height` from `chunks` into `target` and checks the result against
 * `expectedAppHash`. Rejects (leaving the target empty) on a malformed stream, a store this
 * binary does not mount, a missing store or a root mismatch.
 */
export async function restoreSnapshot(
  target: SnapshotTarget,
  height: number,
  chunks: AsyncIterable<Uint8Array>,
  expectedAppHash: Uint8Array,
  onProgress?: (p: RestoreProgress) => void,
): Promise<RestoreResult> {
  await target.beginRestore(height);
  const cursor = new ItemCursor(inflate(chunks));
  try {
    const head = await cursor.next();
    if (head === undefined || !isMarker(head) || head.kind !== 'app') throw ErrSnapshotFormat.wrap('the stream does not start with the app header');
    const appHeader = Uint8Array.from(head.data);
    for (;;) {
      const item = await cursor.next();
      if (item === undefined) throw ErrSnapshotFormat.wrap('the stream stops before its end marker');
      if (!isMarker(item)) throw ErrSnapshotFormat.wrap('a node outside any store');
      if (item.kind === 'end') break;
      if (item.kind !== 'store') throw ErrSnapshotFormat.wrap(`unexpected ${item.kind} item`);
      await target.restoreStore(item.name, cursor.nodeRuns());
      onProgress?.({ rawBytes: cursor.rawBytes, nodes: cursor.nodes });
    }
    if ((await cursor.next()) !== undefined) throw ErrSnapshotFormat.wrap('items after the end marker');
    const commit = await target.finishRestore(expectedAppHash);
    return { commit, appHeader };
  } catch (err) {
    await target.abortRestore();
    throw err;
  }
}
