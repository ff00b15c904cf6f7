/**
 * The node's side of state sync: takes a snapshot every `snapshot-interval` heights in the
 * background after Commit (keeping the newest `snapshot-keep-recent`), serves them to
 * CometBFT (ListSnapshots, LoadSnapshotChunk), and restores one offered by CometBFT
 * (OfferSnapshot, ApplySnapshotChunk) with the failure rules of the Cosmos SDK:
 *
 * - an unknown format → REJECT_FORMAT; malformed metadata, a height of 0 or an app that
 *   already has state → REJECT (the latter ABORT: no snapshot can help);
 * - a chunk whose sha256 differs from the metadata's → RETRY, refetching that chunk and
 *   rejecting the peer that sent it;
 * - a stream that does not decode, or whose restored AppHash differs from the one CometBFT's
 *   light client verified → REJECT_SNAPSHOT, after deleting everything imported, so CometBFT
 *   can try another snapshot on an empty store.
 */
import type { Logger } from 'pino';
import {
  ResponseApplySnapshotChunk_Result,
  ResponseOfferSnapshot_Result,
  type RequestApplySnapshotChunk,
  type RequestLoadSnapshotChunk,
  type RequestOfferSnapshot,
  type ResponseApplySnapshotChunk,
  type ResponseListSnapshots,
  type ResponseLoadSnapshotChunk,
  type ResponseOfferSnapshot,
} from 'cosmjs-types/tendermint/abci/types';
import { SNAPSHOT_FORMAT } from '../../store/snapshots/format';
import { restoreSnapshot, type RestoreResult, type SnapshotTarget } from './restore';
import { decodeChunkHashes, sha256, toAbciSnapshot, type SnapshotInfo, type SnapshotStore } from './snapshotStore';
import { writeSnapshot, SnapshotCancelled, type SnapshotSource, type WriteSnapshotOptions } from './writer';

export interface SnapshotManagerOptions {
  store: SnapshotStore;
  /** Take a snapshot after every Commit of a height divisible by this; 0 = never. */
  interval: number;
  /** Newest snapshots kept on disk; 0 = keep all. */
  keepRecent: number;
  source: SnapshotSource & SnapshotTarget;
  writer?: Omit<WriteSnapshotOptions, 'cancelled'>;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /**
   * Tests only: chunks of this index are served with their first byte flipped, as a faulty or
   * hostile peer would send them (start sets it from SEKAID_TS_TEST_CORRUPT_SERVED_CHUNK).
   */
  corruptServedChunk?: number;
}

/** An in-order queue of verified chunks between ApplySnapshotChunk and the restore task. */
class ChunkQueue implements AsyncIterable<Uint8Array> {
  private readonly items: Uint8Array[] = [];
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private drained: Array<() => void> = [];

  push(chunk: Uint8Array): void {
    this.items.push(chunk);
    this.notify();
  }

  end(): void {
    this.ended = true;
    this.notify();
  }

  fail(err: Error): void {
    this.failure = err;
    this.notify();
  }

  /** Resolves once the consumer has taken every pushed chunk. */
  whenTaken(): Promise<void> {
    if (this.items.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.failure) throw this.failure;
      const next = this.items.shift();
      if (next !== undefined) {
        if (this.items.length === 0) for (const d of this.drained.splice(0)) d();
        yield next;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}

interface RestoreSession {
  height: number;
  format: number;
  chunkHashes: Uint8Array[];
  next: number;
  queue: ChunkQueue;
  task: Promise<RestoreResult>;
  /** Set once the task settled. */
  outcome?: { ok: true; result: RestoreResult } | { ok: false; error: unknown };
}

export type ApplyChunkOutcome = { response: ResponseApplySnapshotChunk; restored?: RestoreResult };

export class SnapshotManager {
  readonly store: SnapshotStore;
  private readonly opts: SnapshotManagerOptions;
  private running: Promise<void> | undefined;
  private cancelled = false;
  private session: RestoreSession | undefined;

  constructor(opts: SnapshotManagerOptions) {
    if (!Number.isSafeInteger(opts.interval) || opts.interval < 0) throw new Error(`snapshot-interval must be 0 or more, got ${opts.interval}`);
    if (!Number.isSafeInteger(opts.keepRecent) || opts.keepRecent < 0) throw new Error(`snapshot-keep-recent must be 0 or more, got ${opts.keepRecent}`);
    this.opts = opts;
    this.store = opts.store;
  }

  get interval(): number {
    return this.opts.interval;
  }

  /** Heights the kept snapshots span below the newest block: interval × keep-recent (0 when either is 0). */
  get retainedSpan(): number {
    return this.opts.interval * this.opts.keepRecent;
  }

  /**
   * Called after each Commit: starts a snapshot of `height` in the background when the
   * interval says so. One at a time: a height due while the previous snapshot is still
   * being written is skipped (and logged), as in the Cosmos SDK.
   */
  afterCommit(height: number, appHeader: () => Uint8Array): void {
    const every = this.opts.interval;
    if (every === 0 || height % every !== 0 || this.cancelled) return;
    if (this.running) {
      this.opts.logger?.warn({ height }, 'snapshot skipped: the previous one is still being written');
      return;
    }
    const header = appHeader();
    this.running = this.take(height, header)
      .then(() => undefined)
      .catch((err: unknown) => {
        if (err instanceof SnapshotCancelled) return;
        this.opts.logger?.error({ height, err: err instanceof Error ? err.message : String(err) }, 'snapshot failed');
      })
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Writes a snapshot of `height` now, then prunes old ones; resolves with its metadata. */
  async take(height: number, appHeader: Uint8Array, opts: Omit<WriteSnapshotOptions, 'cancelled'> = {}): Promise<SnapshotInfo> {
    const info = await writeSnapshot(this.opts.source, this.store, height, appHeader, {
      ...this.opts.writer,
      ...opts,
      cancelled: () => this.cancelled,
    });
    const pruned = this.store.prune(this.opts.keepRecent);
    this.opts.logger?.info(
      { height, chunks: info.chunks, bytes: info.bytes, keys: info.keys, app_hash: Buffer.from(info.appHash).toString('hex').toUpperCase(), pruned: pruned.map((p) => p.height) },
      'snapshot created',
    );
    return info;
  }

  /** Resolves when no snapshot is being written. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops a snapshot in progress (its draft is discarded) and any restore. */
  async close(): Promise<void> {
    this.cancelled = true;
    await this.idle();
    await this.dropSession();
  }

  // ------------------------------------------------------------------ serving

  listSnapshots(): ResponseListSnapshots {
    return { snapshots: this.store.list().map(toAbciSnapshot) };
  }

  async loadSnapshotChunk(req: RequestLoadSnapshotChunk): Promise<ResponseLoadSnapshotChunk> {
    const chunk = await this.store.loadChunk(Number(req.height), req.format, req.chunk);
    if (chunk && chunk.length > 0 && req.chunk === this.opts.corruptServedChunk) {
      const bad = Uint8Array.from(chunk);
      bad[0] ^= 0xff;
      this.opts.logger?.warn({ height: Number(req.height), chunk: req.chunk }, 'serving a corrupted snapshot chunk (SEKAID_TS_TEST_CORRUPT_SERVED_CHUNK is set)');
      return { chunk: bad };
    }
    return { chunk: chunk ?? new Uint8Array() };
  }

  // ------------------------------------------------------------------ restoring

  /** `hasState`: the app already committed a height (state sync is for empty nodes only). */
  async offerSnapshot(req: RequestOfferSnapshot, hasState: boolean): Promise<ResponseOfferSnapshot> {
    const s = req.snapshot;
    const log = this.opts.logger;
    if (!s) return { result: ResponseOfferSnapshot_Result.REJECT };
    const height = Number(s.height);
    if (s.format !== SNAPSHOT_FORMAT) {
      log?.info({ height, format: s.format }, `snapshot refused: format ${s.format} is unknown (this binary restores format ${SNAPSHOT_FORMAT})`);
      return { result: ResponseOfferSnapshot_Result.REJECT_FORMAT };
    }
    if (hasState) {
      log?.error({ height }, 'snapshot refused: the application already has state; state sync needs an empty data directory');
      return { result: ResponseOfferSnapshot_Result.ABORT };
    }
    let chunkHashes: Uint8Array[];
    try {
      chunkHashes = decodeChunkHashes(s.metadata);
    } catch (err) {
      log?.warn({ height, err: (err as Error).message }, 'snapshot refused: bad metadata');
      return { result: ResponseOfferSnapshot_Result.REJECT };
    }
    if (!Number.isSafeInteger(height) || height < 1 || s.chunks < 1 || chunkHashes.length !== s.chunks || req.appHash.length !== 32) {
      log?.warn({ height, chunks: s.chunks, hashes: chunkHashes.length }, 'snapshot refused: height, chunk count or AppHash is invalid');
      return { result: ResponseOfferSnapshot_Result.REJECT };
    }
    // A new offer replaces a restore CometBFT gave up on.
    await this.dropSession();
    const queue = new ChunkQueue();
    const session: RestoreSession = {
      height,
      format: s.format,
      chunkHashes,
      next: 0,
      queue,
      task: restoreSnapshot(this.opts.source, height, queue, req.appHash),
    };
    session.task.then(
      (result) => (session.outcome = { ok: true, result }),
      (error: unknown) => (session.outcome = { ok: false, error }),
    );
    this.session = session;
    log?.info({ height, chunks: s.chunks, app_hash: Buffer.from(req.appHash).toString('hex').toUpperCase() }, 'restoring snapshot');
    return { result: ResponseOfferSnapshot_Result.ACCEPT };
  }

  async applySnapshotChunk(req: RequestApplySnapshotChunk): Promise<ApplyChunkOutcome> {
    const reply = (result: ResponseApplySnapshotChunk_Result, refetch: number[] = [], reject: string[] = []): ApplyChunkOutcome => ({
      response: { result, refetchChunks: refetch, rejectSenders: reject },
    });
    const s = this.session;
    const log = this.opts.logger;
    if (!s) return reply(ResponseApplySnapshotChunk_Result.ABORT);
    if (req.index < s.next) return reply(ResponseApplySnapshotChunk_Result.ACCEPT);
    if (req.index > s.next) return reply(ResponseApplySnapshotChunk_Result.RETRY, [s.next]);
    if (Buffer.compare(sha256(req.chunk), s.chunkHashes[req.index]) !== 0) {
      log?.warn({ height: s.height, chunk: req.index, sender: req.sender }, 'snapshot chunk does not match its hash: refetching it and rejecting the sender');
      return reply(ResponseApplySnapshotChunk_Result.RETRY, [req.index], req.sender ? [req.sender] : []);
    }
    s.queue.push(req.chunk);
    s.next++;
    const last = s.next === s.chunkHashes.length;
    if (last) s.queue.end();
    // Wait for the import to take this chunk (bounded memory; a failure surfaces at the chunk
    // that caused it), or for all of it after the last chunk.
    if (last) await s.task.catch(() => undefined);
    else await Promise.race([s.queue.whenTaken(), s.task.catch(() => undefined)]);
    const outcome = s.outcome;
    if (outcome?.ok === false) {
      this.session = undefined;
      log?.error({ height: s.height, chunk: req.index, err: outcome.error instanceof Error ? outcome.error.message : String(outcome.error) }, 'snapshot rejected; nothing of it is kept');
      return reply(ResponseApplySnapshotChunk_Result.REJECT_SNAPSHOT);
    }
    if (!last) return reply(ResponseApplySnapshotChunk_Result.ACCEPT);
    this.session = undefined;
    const result = (outcome as { ok: true; result: RestoreResult }).result;
    log?.info({ height: s.height, app_hash: Buffer.from(result.commit.hash).toString('hex').toUpperCase() }, 'snapshot restored');
    return { ...reply(ResponseApplySnapshotChunk_Result.ACCEPT), restored: result };
  }

  private async dropSession(): Promise<void> {
    const s = this.session;
    if (!s) return;
    this.session = undefined;
    s.queue.fail(new Error('restore abandoned'));
    await s.task.catch(() => undefined);
  }
}
