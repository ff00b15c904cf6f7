/**
 * Signature verification throughput (goal G2) and main-thread dispatch cost (goal G8).
 *
 * G2: verified signatures/s with a pool of N workers, N = 1..cores, against N x L_verify.
 * G8: main-thread busy time per verified signature (event-loop utilisation of the main thread
 * while the pool works, which includes packing, postMessage and result handling), against
 * 0.02 / L_verify.
 */
import { performance } from 'node:perf_hooks';

import { SingleThreadVerifier, createWorkerPoolVerifier, type SignatureSet } from '../crypto/verifier';
import { median, timeRuns, type BenchSection, type Figure, type Limits } from './harness';
import { makeSignatureTuples } from './limits';

/** Signatures per timed run: about 0.4-0.8 s of work per run at 10k-20k verify/s. */
const TOTAL = 8192;
/** Batch handed to verifyBatch; a block's worth of txs. */
const BATCH = 1024;
/** Batches in flight at once, so workers never wait for the main thread between batches. */
const CONCURRENT = 4;

export async function run(limits: Limits): Promise<BenchSection> {
  const sets: SignatureSet[] = makeSignatureTuples(TOTAL);
  const batches: SignatureSet[][] = [];
  for (let i = 0; i < TOTAL; i += BATCH) batches.push(sets.slice(i, i + BATCH));

  const figures: Figure[] = [];
  const check = (results: boolean[][]) => {
    const bad = results.flat().filter((v) => !v).length;
    if (bad > 0) throw new Error(`${bad} valid signatures failed to verify`);
  };

  const single = new SingleThreadVerifier();
  const singleMs = median(await timeRuns(async () => check(await Promise.all(batches.map((b) => single.verifyBatch(b)))), 3));
  figures.push({ name: 'single-thread verifier (main thread)', measured: (TOTAL * 1000) / singleMs, unit: 'sig/s', limit: limits.L_verify, goal: '>= 0.95' });

  const dispatch: { n: number; usPerSig: number; syncUsPerSig: number }[] = [];
  for (let n = 1; n <= limits.cores; n++) {
    // Workers only: G2 is about the pool's threads (the default pool also lets the caller
    // verify a share, measured below).
    const pool = await createWorkerPoolVerifier({ poolSize: n, callerJoins: false });
    try {
      let active = 0;
      let syncMs = 0;
      // The first call of `once` is timeRuns' warm-up (first-call compilation): its dispatch
      // and busy time are not counted, as its duration is not.
      let calls = 0;
      let counted = 0;
      const once = async () => {
        const counting = calls++ > 0;
        if (counting) counted++;
        const elu0 = performance.eventLoopUtilization();
        const results: boolean[][] = new Array(batches.length);
        let next = 0;
        const lane = async () => {
          while (next < batches.length) {
            const k = next++;
            // verifyBatch runs synchronously up to its first await: checks, packing and postMessage.
            const t0 = performance.now();
            const p = pool.verifyBatch(batches[k]!);
            if (counting) syncMs += performance.now() - t0;
            results[k] = await p;
          }
        };
        await Promise.all(Array.from({ length: CONCURRENT }, lane));
        const elu = performance.eventLoopUtilization(elu0);
        if (counting) active += elu.active;
        check(results);
      };
      const ms = median(await timeRuns(once, 5));
      figures.push({
        name: `worker pool, ${n} worker${n > 1 ? 's' : ''}`,
        measured: (TOTAL * 1000) / ms,
        unit: 'sig/s',
        limit: n * limits.L_verify,
        goal: '>= 0.85',
        id: 'G2',
      });
      // Over the 6 runs (warm-up included): main-thread busy ms per signature, in µs.
      dispatch.push({ n, usPerSig: (active * 1000) / (counted * TOTAL), syncUsPerSig: (syncMs * 1000) / (counted * TOTAL) });
    } finally {
      await pool.close();
    }
  }
  // The node's default pool: cores - 1 workers, and the caller verifies a share of each batch.
  {
    const pool = await createWorkerPoolVerifier();
    try {
      const ms = median(await timeRuns(async () => check(await Promise.all(batches.map((b) => pool.verifyBatch(b)))), 3));
      figures.push({
        name: `default pool (${pool.size} worker${pool.size > 1 ? 's' : ''} + the calling thread)`,
        measured: (TOTAL * 1000) / ms,
        unit: 'sig/s',
        limit: limits.cores * limits.L_verify,
        goal: '>= 0.85',
      });
    } finally {
      await pool.close();
    }
  }
  for (const d of dispatch) {
    figures.push({
      name: `dispatch (check + pack + post) per signature, ${d.n} worker${d.n > 1 ? 's' : ''}`,
      measured: d.syncUsPerSig,
      unit: 'µs',
      limit: (0.02 / limits.L_verify) * 1e6,
      goal: '<= 1',
      id: 'G8',
    });
    figures.push({
      name: `main-thread busy time per signature, ${d.n} worker${d.n > 1 ? 's' : ''}`,
      measured: d.usPerSig,
      unit: 'µs',
      limit: (0.02 / limits.L_verify) * 1e6,
    });
  }
  return {
    title: 'Signatures',
    figures,
    notes: [
      `backend ${limits.verifyBackend}; ${TOTAL} distinct valid signatures per run in batches of ${BATCH}, ${CONCURRENT} batches in flight; jobs of up to 128 sets`,
      'G2 with N workers on a machine with N cores also shares the cores with the main thread; the default pool is availableParallelism() - 1',
      'G8 limit = 0.02 / L_verify; dispatch = synchronous part of verifyBatch; busy time = main-thread event-loop active time, including result handling, the benchmark loop and any time the thread waited for a CPU',
    ],
  };
}
