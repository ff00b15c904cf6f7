/**
 * Batch signature verification behind one interface, on the main thread or on a pool of
 * worker threads. Verdicts are the same whichever implementation, backend or thread computes
 * them (see `secp256k1.ts` for the rules); only the time taken differs.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import {
  activeSecp256k1Backend,
  isWellFormedSecp256k1,
  verifySecp256k1With,
  type Secp256k1Backend,
} from './secp256k1';
import { RECORD_BYTES, VERIFY_WORKER_SOURCE } from './verifyWorkerSource';

/** One secp256k1 signature to check: a 33-byte key, a 32-byte digest and a 64-byte signature. */
export interface SignatureSet {
  pubkey: Uint8Array;
  msgHash: Uint8Array;
  signature: Uint8Array;
}

export interface SignatureVerifier {
  /** One verdict per set, in input order. Malformed sets are false; the promise never rejects for bad input. */
  verifyBatch(sets: SignatureSet[]): Promise<boolean[]>;
  /** Releases threads; the verifier must not be used afterwards. */
  close(): Promise<void>;
}

/** Verifies on the calling thread. The reference implementation, and the right one for 1-2 cores under load. */
export class SingleThreadVerifier implements SignatureVerifier {
  constructor(private readonly backend: Secp256k1Backend = activeSecp256k1Backend()) {}

  verifyBatch(sets: SignatureSet[]): Promise<boolean[]> {
    return Promise.resolve(this.verifySync(sets));
  }

  verifySync(sets: SignatureSet[]): boolean[] {
    const out = new Array<boolean>(sets.length);
    for (let i = 0; i < sets.length; i++) {
      const s = sets[i]!;
      out[i] = verifySecp256k1With(this.backend, s.pubkey, s.msgHash, s.signature);
    }
    return out;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export interface WorkerPoolOptions {
  /**
   * Number of worker threads. Default: availableParallelism() - 1, at least 1. The main
   * thread keeps a core for execution and I/O (as Lodestar does); on 2 cores this gives one
   * worker, and a third thread on 2 cores measured no gain.
   */
  poolSize?: number;
  /**
   * Batches smaller than this are verified on the main thread. Default 16: a worker round
   * trip costs about 30 µs, so below 16 sets it is more than 2 µs per signature (goal G8) and
   * the caller waits longer than verifying in place (about 100 µs per set) would take.
   */
  mainThreadBelow?: number;
  /**
   * Largest job sent to one worker. Default 128 sets (16.5 KB): the round trip is then about
   * 0.2 µs per signature, and a 1,000-set block still splits across all workers.
   */
  maxJobSize?: number;
  /**
   * Smallest job the batch is split into when spreading over idle workers. Default 64, so a
   * job's round trip stays under 0.5 µs per signature.
   */
  minJobSize?: number;
  /** Jobs queued per worker. Default 2, so a worker starts the next job without waiting for the main thread. */
  inFlightPerWorker?: number;
  /**
   * Whether the calling thread verifies a share of each batch itself while the workers
   * run, instead of idling until they answer. Default: when the pool leaves a core free
   * (poolSize < availableParallelism()), which is the default pool: on 2 cores one worker
   * plus the calling thread use both cores for a block's signatures.
   */
  callerJoins?: boolean;
  /** The backend the workers load; default the active one. */
  backend?: Secp256k1Backend;
}

interface Job {
  id: number;
  count: number;
  buffer: ArrayBuffer;
  resolve(results: Uint8Array): void;
  reject(err: Error): void;
}

interface PoolWorker {
  worker: Worker;
  inFlight: Map<number, Job>;
}

/**
 * Verifies on worker threads. Each job packs its sets into one ArrayBuffer that is
 * transferred (not copied) to the worker; results come back the same way.
 * Create it with `createWorkerPoolVerifier`.
 */
export class WorkerPoolVerifier implements SignatureVerifier {
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;
  private failure: Error | undefined;
  private readonly local: SingleThreadVerifier;

  private constructor(
    private readonly workers: PoolWorker[],
    private readonly opts: Required<Omit<WorkerPoolOptions, 'backend'>>,
    backend: Secp256k1Backend,
  ) {
    this.local = new SingleThreadVerifier(backend);
    for (const w of workers) {
      w.worker.on('message', (msg: { id: number; results: Uint8Array }) => this.onResult(w, msg));
      w.worker.on('error', (err) => this.fail(err));
      w.worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`signature worker exited with code ${code}`));
      });
    }
  }

  /** Starts the workers and waits until each has loaded its backend. */
  static async create(opts: WorkerPoolOptions = {}): Promise<WorkerPoolVerifier> {
    const backend = opts.backend ?? activeSecp256k1Backend();
    const poolSize = opts.poolSize ?? Math.max(1, availableParallelism() - 1);
    if (!Number.isInteger(poolSize) || poolSize < 1) throw new RangeError(`poolSize must be a positive integer, got ${poolSize}`);
    const full = {
      poolSize,
      mainThreadBelow: opts.mainThreadBelow ?? 16,
      maxJobSize: opts.maxJobSize ?? 128,
      minJobSize: opts.minJobSize ?? 64,
      inFlightPerWorker: opts.inFlightPerWorker ?? 2,
      callerJoins: opts.callerJoins ?? poolSize < availableParallelism(),
    };
    if (full.minJobSize < 1 || full.maxJobSize < full.minJobSize) throw new RangeError('need 1 <= minJobSize <= maxJobSize');
    const workers: PoolWorker[] = [];
    try {
      for (let i = 0; i < poolSize; i++) {
        const worker = new Worker(VERIFY_WORKER_SOURCE, {
          eval: true,
          workerData: { backend: backend.name, modulePath: backend.modulePath },
        });
        workers.push({ worker, inFlight: new Map() });
        await new Promise<void>((resolve, reject) => {
          worker.once('online', resolve);
          worker.once('error', reject);
        });
      }
    } catch (err) {
      await Promise.all(workers.map((w) => w.worker.terminate()));
      throw err;
    }
    return new WorkerPoolVerifier(workers, full, backend);
  }

  get size(): number {
    return this.workers.length;
  }

  async verifyBatch(sets: SignatureSet[]): Promise<boolean[]> {
    if (this.closed) throw new Error('verifier is closed');
    if (this.failure !== undefined) throw this.failure;
    const n = sets.length;
    if (n < this.opts.mainThreadBelow) return this.local.verifySync(sets);

    // Sets that break the length/prefix/low-S rules are false without a trip to a worker.
    const index: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = sets[i]!;
      if (isWellFormedSecp256k1(s.pubkey, s.msgHash, s.signature)) index.push(i);
    }
    const out = new Array<boolean>(n).fill(false);
    const m = index.length;
    if (m === 0) return out;

    // The caller's share is the tail of the batch, verified after the jobs are posted.
    const own = this.opts.callerJoins ? Math.floor(m / (this.workers.length + 1)) : 0;
    const jobs = splitJobs(m - own, this.workers.length, this.opts.minJobSize, this.opts.maxJobSize);
    const pending: Promise<void>[] = [];
    let start = 0;
    for (const size of jobs) {
      const from = start;
      const buffer = new ArrayBuffer(size * RECORD_BYTES);
      const bytes = new Uint8Array(buffer);
      for (let k = 0; k < size; k++) {
        const s = sets[index[from + k]!]!;
        const o = k * RECORD_BYTES;
        bytes.set(s.pubkey, o);
        bytes.set(s.msgHash, o + 33);
        bytes.set(s.signature, o + 65);
      }
      pending.push(
        this.submit(size, buffer).then((results) => {
          for (let k = 0; k < size; k++) out[index[from + k]!] = results[k] === 1;
        }),
      );
      start += size;
    }
    if (own > 0) {
      // The caller is about to be busy verifying synchronously, so no worker result can be
      // taken (and no queued job posted) until it is done: everything queued goes to the
      // workers now, or they would idle after their first jobs.
      this.dispatch(true);
      const tail = index.slice(m - own).map((i) => sets[i]!);
      this.local.verifySync(tail).forEach((ok, k) => (out[index[m - own + k]!] = ok));
    }
    await Promise.all(pending);
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new Error('verifier closed');
    for (const job of this.queue.splice(0)) job.reject(err);
    for (const w of this.workers) {
      for (const job of w.inFlight.values()) job.reject(err);
      w.inFlight.clear();
    }
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private submit(count: number, buffer: ArrayBuffer): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, count, buffer, resolve, reject });
      this.dispatch();
    });
  }

  /** Posts queued jobs to the least loaded workers: up to `inFlightPerWorker` each, or all of them when `unbounded`. */
  private dispatch(unbounded = false): void {
    while (this.queue.length > 0) {
      // The least loaded worker; ties go to the lowest index, so dispatch order is reproducible.
      let best: PoolWorker | undefined;
      for (const w of this.workers) {
        if ((unbounded || w.inFlight.size < this.opts.inFlightPerWorker) && (best === undefined || w.inFlight.size < best.inFlight.size)) best = w;
      }
      if (best === undefined) return;
      const job = this.queue.shift()!;
      best.inFlight.set(job.id, job);
      best.worker.postMessage({ id: job.id, count: job.count, buffer: job.buffer }, [job.buffer]);
    }
  }

  private onResult(w: PoolWorker, msg: { id: number; results: Uint8Array }): void {
    const job = w.inFlight.get(msg.id);
    if (job === undefined) return;
    w.inFlight.delete(msg.id);
    job.resolve(msg.results);
    this.dispatch();
  }

  /** A worker crashed: a bug or resource exhaustion, never bad input. Every pending job fails loudly. */
  private fail(err: Error): void {
    if (this.failure !== undefined) return;
    this.failure = err;
    for (const job of this.queue.splice(0)) job.reject(err);
    for (const w of this.workers) {
      for (const job of w.inFlight.values()) job.reject(err);
      w.inFlight.clear();
    }
  }
}

/**
 * Job sizes for `m` sets: at least ceil(m / maxJob) jobs, and as many as there are workers
 * when every job can still hold minJob sets; sizes differ by at most one.
 */
export function splitJobs(m: number, workers: number, minJob: number, maxJob: number): number[] {
  const count = Math.max(1, Math.ceil(m / maxJob), Math.min(workers, Math.floor(m / minJob)));
  const base = Math.floor(m / count);
  const extra = m % count;
  const sizes: number[] = [];
  for (let i = 0; i < count; i++) sizes.push(base + (i < extra ? 1 : 0));
  return sizes;
}

/** Async factory for the worker pool (see WorkerPoolOptions for the defaults and why). */
export function createWorkerPoolVerifier(opts: WorkerPoolOptions = {}): Promise<WorkerPoolVerifier> {
  return WorkerPoolVerifier.create(opts);
}
