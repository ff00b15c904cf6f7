/**
 * The mempool: a bounded FIFO of txs that passed CheckTx, as CometBFT's clist mempool
 * behaves towards clients.
 *
 * - A tx is checked with CheckTx type NEW before it is admitted; a non-zero code refuses it.
 * - A cache of recently seen tx hashes refuses duplicates with "tx already exists in cache";
 *   txs that fail CheckTx leave the cache so they can be resubmitted once valid.
 * - After every Commit the included txs are removed and every remaining tx is rechecked
 *   (CheckTx type RECHECK); those that now fail are dropped.
 * - Every refusal of a submitted tx (CheckTx, a full pool) and every tx dropped on recheck
 *   is reported to the `onFailed` listeners (the RPC publishes them, signed, as TxFailed).
 * - Adds, and the engine's Commit + recheck, run one at a time (CometBFT holds the mempool
 *   lock across Commit for the same reason: CheckTx state is reset by Commit).
 */
import { CheckTxType, type ExecTxResult, type ResponseCheckTx } from 'cosmjs-types/tendermint/abci/types';
import type { AbciApplication } from '../../abci/application';
import { CodedError, registerError } from '../../types/errors';
import { txHash } from '../consensus/hashes';
import type { MempoolView } from '../types';

export const ErrTxInCache = registerError('mempool', 2, 'tx already exists in cache');
export const ErrMempoolIsFull = registerError('mempool', 3, 'mempool is full');
export const ErrTxTooLarge = registerError('mempool', 4, 'tx too large');
export const ErrTxCommitTimeout = registerError('mempool', 5, 'timed out waiting for tx to be included in a block');
export const ErrEmptyTx = registerError('mempool', 6, 'tx is empty');

export interface MempoolOptions {
  /** Most txs held (CometBFT mempool.size, default 5000). */
  maxTxs?: number;
  /** Most total tx bytes held (mempool.max_txs_bytes, default 1 GiB). */
  maxTxsBytes?: number;
  /** Largest single tx (mempool.max_tx_bytes, default 1 MiB). */
  maxTxBytes?: number;
  /** Hashes remembered to refuse duplicates (mempool.cache_size, default 10000). */
  cacheSize?: number;
}

/** Why a submitted tx will never be included, before any block: the stage and the app's verdict. */
export interface TxFailure {
  /** sha256 of the tx. */
  hash: Uint8Array;
  /** `check_tx`: refused on submission; `recheck`: dropped after a block; `mempool`: the pool refused it (full). */
  stage: 'check_tx' | 'recheck' | 'mempool';
  code: number;
  codespace: string;
  log: string;
}

/** Where a tx landed. */
export interface TxInclusion {
  height: number;
  index: number;
  result: ExecTxResult;
}

interface Entry {
  tx: Uint8Array;
  key: string;
  /** CheckTx's gas_wanted, counted against the block's max gas when reaping. */
  gasWanted: bigint;
  /** A proposal was offered this tx and left it out (see `markPassedOver`). */
  passedOver?: boolean;
}

/** Bytes a tx takes inside a serialized Data message (tag + length prefix + tx). */
export function txProtoSize(tx: Uint8Array): number {
  let n = tx.length;
  let varint = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    varint++;
  }
  return 1 + varint + tx.length;
}

export class Mempool implements MempoolView {
  readonly maxTxs: number;
  readonly maxTxsBytes: number;
  readonly maxTxBytes: number;
  private readonly cacheSize: number;
  /** FIFO by insertion; Map keeps insertion order. */
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;
  private readonly cache = new Map<string, true>();
  private tail: Promise<unknown> = Promise.resolve();
  private readonly addedListeners = new Set<() => void>();
  private readonly failedListeners = new Set<(f: TxFailure) => void>();
  private readonly waiters = new Map<string, Set<(inc: TxInclusion) => void>>();

  constructor(
    private readonly app: Pick<AbciApplication, 'checkTx'>,
    opts: MempoolOptions = {},
  ) {
    this.maxTxs = opts.maxTxs ?? 5000;
    this.maxTxsBytes = opts.maxTxsBytes ?? 1024 * 1024 * 1024;
    this.maxTxBytes = opts.maxTxBytes ?? 1024 * 1024;
    this.cacheSize = opts.cacheSize ?? 10000;
  }

  size(): number {
    return this.entries.size;
  }

  sizeBytes(): number {
    return this.totalBytes;
  }

  /**
   * Txs that no proposal has left out yet: what makes the next block due. A tx a proposal
   * passed over (one it cannot include, or not yet) still rides along in every later
   * proposal, but does not by itself make the engine cut blocks.
   */
  waiting(): number {
    let n = 0;
    for (const e of this.entries.values()) if (!e.passedOver) n++;
    return n;
  }

  /** After a block: the offered txs still held were left out by the proposal. */
  markPassedOver(offered: readonly Uint8Array[]): number {
    let n = 0;
    for (const tx of offered) {
      const e = this.entries.get(Buffer.from(txHash(tx)).toString('hex'));
      if (e !== undefined && !e.passedOver) {
        e.passedOver = true;
        n++;
      }
    }
    return n;
  }

  txs(limit: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const e of this.entries.values()) {
      if (out.length >= limit) break;
      out.push(e.tx);
    }
    return out;
  }

  /**
   * Oldest txs whose serialized size fits in `maxBytes` and whose CheckTx gas_wanted fits in
   * `maxGas` (-1: no limit), stopping at the first that does not fit (CometBFT ReapMaxBytesMaxGas).
   */
  reap(maxBytes: number, maxGas = -1n): Uint8Array[] {
    const out: Uint8Array[] = [];
    let total = 0;
    let gas = 0n;
    for (const e of this.entries.values()) {
      const size = txProtoSize(e.tx);
      if (maxBytes >= 0 && total + size > maxBytes) break;
      if (maxGas >= 0n && gas + e.gasWanted > maxGas) break;
      total += size;
      gas += e.gasWanted;
      out.push(e.tx);
    }
    return out;
  }

  /** Called whenever a tx is admitted (the engine schedules a block). */
  onAdded(listener: () => void): () => void {
    this.addedListeners.add(listener);
    return () => this.addedListeners.delete(listener);
  }

  /** Called for every refused submission and every tx dropped on recheck. */
  onFailed(listener: (f: TxFailure) => void): () => void {
    this.failedListeners.add(listener);
    return () => this.failedListeners.delete(listener);
  }

  private failed(f: TxFailure): void {
    for (const l of this.failedListeners) {
      try {
        l(f);
      } catch {
        // A listener's failure must not change what the mempool answers.
      }
    }
  }

  async add(tx: Uint8Array): Promise<ResponseCheckTx> {
    if (tx.length === 0) throw ErrEmptyTx;
    if (tx.length > this.maxTxBytes) {
      throw new CodedError(ErrTxTooLarge.codespace, ErrTxTooLarge.code, ErrTxTooLarge.description, `tx too large. Max size is ${this.maxTxBytes}, but got ${tx.length}`);
    }
    return this.exclusive(async () => {
      this.checkNotFull(tx.length, tx);
      const key = Buffer.from(txHash(tx)).toString('hex');
      if (this.cache.has(key)) throw ErrTxInCache;
      this.remember(key);
      let res: ResponseCheckTx;
      try {
        res = await this.app.checkTx({ tx, type: CheckTxType.NEW });
      } catch (e) {
        this.cache.delete(key);
        throw e;
      }
      if (res.code !== 0) {
        this.cache.delete(key);
        this.failed({ hash: txHash(tx), stage: 'check_tx', code: res.code, codespace: res.codespace, log: res.log });
        return res;
      }
      this.checkNotFull(tx.length, tx);
      this.entries.set(key, { tx, key, gasWanted: res.gasWanted });
      this.totalBytes += tx.length;
      for (const l of this.addedListeners) l();
      return res;
    });
  }

  /** Runs `fn` with no add or other exclusive section in progress. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * After Commit (call inside `exclusive`): drops the block's txs and rechecks the rest,
   * dropping those that now fail. Waiters are told separately, through `notifyIncluded`.
   */
  async update(txs: readonly Uint8Array[]): Promise<{ rechecked: number; dropped: number }> {
    for (const tx of txs) {
      const key = Buffer.from(txHash(tx)).toString('hex');
      this.remember(key);
      const e = this.entries.get(key);
      if (e !== undefined) {
        this.entries.delete(key);
        this.totalBytes -= e.tx.length;
      }
    }
    let dropped = 0;
    const remaining = [...this.entries.values()];
    for (const e of remaining) {
      const res = await this.app.checkTx({ tx: e.tx, type: CheckTxType.RECHECK });
      if (res.code !== 0) {
        this.entries.delete(e.key);
        this.totalBytes -= e.tx.length;
        this.cache.delete(e.key);
        dropped++;
        this.failed({ hash: txHash(e.tx), stage: 'recheck', code: res.code, codespace: res.codespace, log: res.log });
      }
    }
    return { rechecked: remaining.length, dropped };
  }

  /** Resolves the waiters of a committed block's txs (after its events are published). */
  notifyIncluded(height: number, txs: readonly Uint8Array[], results: readonly ExecTxResult[]): void {
    if (this.waiters.size === 0) return;
    txs.forEach((tx, index) => {
      const key = Buffer.from(txHash(tx)).toString('hex');
      const ws = this.waiters.get(key);
      if (ws === undefined) return;
      this.waiters.delete(key);
      for (const w of ws) w({ height, index, result: results[index] });
    });
  }

  /**
   * Resolves when a block including the tx with this hash is committed, or rejects with
   * ErrTxCommitTimeout. Register before adding the tx so the inclusion cannot be missed.
   */
  waitForTx(hash: Uint8Array, timeoutMs: number): { promise: Promise<TxInclusion>; cancel: () => void } {
    const key = Buffer.from(hash).toString('hex');
    let cancel = () => {};
    const promise = new Promise<TxInclusion>((resolve, reject) => {
      const set = this.waiters.get(key) ?? new Set();
      this.waiters.set(key, set);
      const done = (inc: TxInclusion) => {
        clearTimeout(timer);
        resolve(inc);
      };
      const timer = setTimeout(() => {
        remove();
        reject(ErrTxCommitTimeout.wrap(`${timeoutMs} ms`));
      }, timeoutMs);
      const remove = () => {
        set.delete(done);
        if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
      };
      cancel = () => {
        clearTimeout(timer);
        remove();
      };
      set.add(done);
    });
    return { promise, cancel };
  }

  private checkNotFull(extra: number, tx: Uint8Array): void {
    if (this.entries.size >= this.maxTxs || this.totalBytes + extra > this.maxTxsBytes) {
      const log = `mempool is full: number of txs ${this.entries.size} (max: ${this.maxTxs}), total txs bytes ${this.totalBytes} (max: ${this.maxTxsBytes})`;
      this.failed({ hash: txHash(tx), stage: 'mempool', code: ErrMempoolIsFull.code, codespace: ErrMempoolIsFull.codespace, log });
      throw new CodedError(ErrMempoolIsFull.codespace, ErrMempoolIsFull.code, ErrMempoolIsFull.description, log);
    }
  }

  /** LRU push: most recent last, evicting the oldest beyond cacheSize. */
  private remember(key: string): void {
    this.cache.delete(key);
    this.cache.set(key, true);
    if (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
