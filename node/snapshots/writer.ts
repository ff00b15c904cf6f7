/**
 * Writes a snapshot of one committed version: the IAVL export of every store, encoded as
 * the format-1 stream (store/snapshots/format.ts), gzip-compressed and cut into chunks.
 *
 * Built to run beside block execution in the node's one JavaScript thread: the tree walk
 * runs in slices of a few milliseconds and yields to the event loop between them, so a
 * block that arrives meanwhile waits one slice at most; compression runs on libuv's thread
 * pool; chunk files are written asynchronously. The version is pinned against pruning
 * (`retainVersion`) for the whole walk.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { constants, createGzip } from 'node:zlib';
import type { CommitId, ExportNode } from '../../store';
import { SNAPSHOT_FORMAT, SnapshotEncoder } from '../../store/snapshots/format';
import type { SnapshotInfo, SnapshotStore } from './snapshotStore';

/** What the writer needs from the multistore (store/rootmulti.ts provides it). */
export interface SnapshotSource {
  appHash(version: number): Uint8Array;
  retainVersion(version: number): () => void;
  exportVersion(version: number): Array<{ name: string; nodes: Iterable<ExportNode>; keys: number }>;
  lastCommitId(): CommitId;
}

export interface SnapshotProgress {
  /** Nodes written so far and in total (a store of n keys has 2n-1 nodes). */
  nodes: number;
  totalNodes: number;
  /** Compressed bytes written so far. */
  bytes: number;
}

export interface WriteSnapshotOptions {
  /**
   * Bytes per chunk. 10 MB as in the Cosmos SDK: CometBFT caps a chunk message at 16 MB,
   * and a chunk is the unit a peer refetches after a bad one.
   */
  chunkSize?: number;
  /** gzip level; default 1, see DEFAULT_LEVEL. */
  level?: number;
  /** Longest stretch of tree walking before yielding to the event loop (ms); 0 = never yield. */
  sliceMs?: number;
  onProgress?: (p: SnapshotProgress) => void;
  /** Checked between slices: a set flag stops the writer and discards the draft. */
  cancelled?: () => boolean;
}

export const DEFAULT_CHUNK_SIZE = 10_000_000;
/**
 * gzip level 1: IAVL streams repeat key prefixes and versions, which the fastest level
 * already folds (a 100k-key bank-like state: ~2.4x smaller); higher levels cost several
 * times the CPU for a few percent (see bench/RESULTS.md, snapshot figures).
 */
export const DEFAULT_LEVEL = constants.Z_BEST_SPEED;
/**
 * 4 ms slices: a block arriving during a snapshot waits at most this long for the thread,
 * and a 2M-node walk still yields only about a thousand times per second of work.
 */
export const DEFAULT_SLICE_MS = 4;

export class SnapshotCancelled extends Error {
  constructor() {
    super('snapshot cancelled');
  }
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Writes the snapshot of `height` into `store` (as format 1) and returns its metadata.
 * `appHeader` is the application's header record, stored first in the stream.
 */
export async function writeSnapshot(
  source: SnapshotSource,
  store: SnapshotStore,
  height: number,
  appHeader: Uint8Array,
  opts: WriteSnapshotOptions = {},
): Promise<SnapshotInfo> {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const sliceMs = opts.sliceMs ?? DEFAULT_SLICE_MS;
  const release = source.retainVersion(height);
  const draft = store.draft(height, SNAPSHOT_FORMAT);
  try {
    const appHash = source.appHash(height);
    const stores = source.exportVersion(height);
    const keys = stores.reduce((n, s) => n + s.keys, 0);
    const progress: SnapshotProgress = { nodes: 0, totalNodes: stores.reduce((n, s) => n + (s.keys > 0 ? 2 * s.keys - 1 : 0), 0), bytes: 0 };

    const gzip = createGzip({ level: opts.level ?? DEFAULT_LEVEL });
    const streamHash = createHash('sha256');
    const chunkHashes: Uint8Array[] = [];
    // The compressed output, cut into chunkSize pieces and written in order.
    const chunker = (async () => {
      let pieces: Buffer[] = [];
      let held = 0;
      const emit = async (chunk: Buffer): Promise<void> => {
        streamHash.update(chunk);
        chunkHashes.push(Uint8Array.from(createHash('sha256').update(chunk).digest()));
        await writeFile(draft.chunkPath(chunkHashes.length - 1), chunk);
        progress.bytes += chunk.length;
      };
      for await (const piece of gzip as AsyncIterable<Buffer>) {
        pieces.push(piece);
        held += piece.length;
        while (held >= chunkSize) {
          const all = Buffer.concat(pieces, held);
          await emit(all.subarray(0, chunkSize));
          pieces = [all.subarray(chunkSize)];
          held -= chunkSize;
        }
      }
      if (held > 0 || chunkHashes.length === 0) await emit(Buffer.concat(pieces, held));
    })();
    let chunkerError: unknown;
    const chunkerDone = chunker.catch((err: unknown) => {
      chunkerError = err;
    });

    const enc = new SnapshotEncoder();
    const feed = async (): Promise<void> => {
      if (enc.buffered === 0) return;
      if (!gzip.write(enc.take())) await Promise.race([once(gzip, 'drain'), chunkerDone]);
      if (chunkerError !== undefined) throw chunkerError;
    };
    const pause = async (): Promise<void> => {
      await feed();
      await yieldToLoop();
      if (opts.cancelled?.()) throw new SnapshotCancelled();
      opts.onProgress?.(progress);
    };
    try {
      enc.app(appHeader);
      let sliceStart = performance.now();
      for (const s of stores) {
        enc.store(s.name);
        let n = 0;
        for (const node of s.nodes) {
          enc.node(node);
          progress.nodes++;
          if (enc.buffered >= 256 * 1024) await feed();
          // The clock is read every 256 nodes (about 50 µs of walking), not per node.
          if ((++n & 0xff) === 0 && sliceMs > 0 && performance.now() - sliceStart >= sliceMs) {
            await pause();
            sliceStart = performance.now();
          }
        }
      }
      enc.end();
      await feed();
      gzip.end();
    } catch (err) {
      gzip.destroy();
      await chunkerDone;
      throw err;
    }
    await chunkerDone;
    if (chunkerError !== undefined) throw chunkerError;
    opts.onProgress?.(progress);
    const info: SnapshotInfo = {
      height,
      format: SNAPSHOT_FORMAT,
      chunks: chunkHashes.length,
      hash: Uint8Array.from(streamHash.digest()),
      chunkHashes,
      appHash,
      bytes: progress.bytes,
      rawBytes: enc.total,
      keys,
    };
    draft.commit(info);
    return info;
  } catch (err) {
    draft.discard();
    throw err;
  } finally {
    release();
  }
}
