import { getSecp256k1Backend } from './secp256k1';
import { SingleThreadVerifier, WorkerPoolVerifier, createWorkerPoolVerifier, splitJobs, type SignatureSet } from './verifier';
import { makeCases } from '../test/crypto/secp256k1Cases';

const toSets = (cases: ReturnType<typeof makeCases>): SignatureSet[] =>
  cases.map((c) => ({ pubkey: c.pubkey, msgHash: c.msgHash, signature: c.signature }));

describe('splitJobs', () => {
  it('balances jobs within [min, max] and covers every set', () => {
    expect(splitJobs(20, 4, 64, 128)).toEqual([20]);
    expect(splitJobs(100, 1, 64, 128)).toEqual([100]);
    expect(splitJobs(200, 1, 64, 128)).toEqual([100, 100]);
    expect(splitJobs(300, 3, 64, 128)).toEqual([100, 100, 100]);
    expect(splitJobs(130, 3, 64, 128)).toEqual([65, 65]);
    for (const m of [1, 63, 64, 127, 128, 129, 1000, 4097]) {
      for (const w of [1, 2, 7]) {
        const sizes = splitJobs(m, w, 64, 128);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(m);
        expect(Math.max(...sizes)).toBeLessThanOrEqual(128);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('SignatureVerifier implementations agree', () => {
  const cases = makeCases(1200, 'verifier');
  const sets = toSets(cases);
  const single = new SingleThreadVerifier();
  let pool: WorkerPoolVerifier;

  beforeAll(async () => {
    pool = await createWorkerPoolVerifier({ poolSize: 2 });
  });
  afterAll(async () => {
    await pool.close();
  });

  it('the single-thread verifier gives the required verdicts', async () => {
    const got = await single.verifyBatch(sets);
    for (const c of cases) {
      if (c.expected !== undefined && got[c.index] !== c.expected) throw new Error(`case ${c.index} (${c.kind}) got ${got[c.index]}`);
    }
    expect(got.filter(Boolean).length).toBeGreaterThanOrEqual(100);
  });

  it('the worker pool returns the same verdicts, in input order', async () => {
    const want = await single.verifyBatch(sets);
    const got = await pool.verifyBatch(sets);
    expect(got).toEqual(want);
    // Reversed input gives reversed output: results are placed by index, not by arrival.
    const rev = await pool.verifyBatch([...sets].reverse());
    expect(rev).toEqual([...want].reverse());
  });

  it('a pool whose caller verifies a share gives the same verdicts, in input order', async () => {
    const joined = await createWorkerPoolVerifier({ poolSize: 1, callerJoins: true });
    try {
      const want = await single.verifyBatch(sets);
      expect(await joined.verifyBatch(sets)).toEqual(want);
      expect(await joined.verifyBatch([...sets].reverse())).toEqual([...want].reverse());
      expect(await joined.verifyBatch(sets.slice(0, 40))).toEqual(want.slice(0, 40));
    } finally {
      await joined.close();
    }
  });

  it('a joining caller posts every worker job before verifying its own share', async () => {
    // While the caller verifies synchronously no worker result can be taken, so a job left
    // queued behind the in-flight cap would wait for the caller: the worker would idle.
    const joined = await createWorkerPoolVerifier({ poolSize: 1, callerJoins: true, inFlightPerWorker: 1, maxJobSize: 64, minJobSize: 16 });
    try {
      const running = joined.verifyBatch(sets);
      expect((joined as unknown as { queue: unknown[] }).queue).toHaveLength(0);
      expect(await running).toEqual(await single.verifyBatch(sets));
    } finally {
      await joined.close();
    }
  });

  it('handles many concurrent batches of different sizes', async () => {
    const want = await single.verifyBatch(sets);
    const slices = [[0, 5], [5, 21], [21, 85], [85, 300], [300, 301], [301, 1200]] as const;
    const got = await Promise.all(slices.map(([a, b]) => pool.verifyBatch(sets.slice(a, b))));
    expect(got.flat()).toEqual(want);
  });

  it('returns false for malformed sets without rejecting', async () => {
    const good = sets[0]!;
    const bad = [
      { pubkey: 'x', msgHash: good.msgHash, signature: good.signature },
      { pubkey: good.pubkey, msgHash: undefined, signature: good.signature },
      { pubkey: good.pubkey, msgHash: good.msgHash, signature: new Uint8Array(65) },
    ] as unknown as SignatureSet[];
    const batch = [...Array.from({ length: 40 }, () => good), ...bad];
    const got = await pool.verifyBatch(batch);
    expect(got.slice(0, 40).every((v) => v)).toBe(true);
    expect(got.slice(40)).toEqual([false, false, false]);
    expect(await pool.verifyBatch([])).toEqual([]);
    expect(await pool.verifyBatch(bad)).toEqual([false, false, false]);
  });

  it('a pool on the noble backend agrees with the native one', async () => {
    const noblePool = await createWorkerPoolVerifier({ poolSize: 1, backend: getSecp256k1Backend('noble')! });
    try {
      const part = sets.slice(0, 240);
      expect(await noblePool.verifyBatch(part)).toEqual(await single.verifyBatch(part));
    } finally {
      await noblePool.close();
    }
  });
});

describe('WorkerPoolVerifier lifecycle', () => {
  it('defaults to availableParallelism() - 1 workers, at least one', async () => {
    const pool = await createWorkerPoolVerifier();
    const { availableParallelism } = await import('node:os');
    expect(pool.size).toBe(Math.max(1, availableParallelism() - 1));
    await pool.close();
    await expect(pool.verifyBatch(toSets(makeCases(20, 'closed')))).rejects.toThrow(/closed/);
  });

  it('fails loudly when a worker dies', async () => {
    const pool = await createWorkerPoolVerifier({ poolSize: 1 });
    const workers = (pool as unknown as { workers: { worker: { terminate(): Promise<number> } }[] }).workers;
    await workers[0]!.worker.terminate();
    await new Promise((r) => setTimeout(r, 20));
    await expect(pool.verifyBatch(toSets(makeCases(40, 'dead')))).rejects.toThrow(/exited/);
    await pool.close();
  });

  it('rejects a bad pool size', async () => {
    await expect(createWorkerPoolVerifier({ poolSize: 0 })).rejects.toThrow(RangeError);
  });
});
