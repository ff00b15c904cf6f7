/**
 * Store benchmark: the IAVL tree against raw LevelDB limits measured in the same run.
 * Run alone: node -r @swc-node/register bench/store.bench.ts, or through the harness:
 * node --expose-gc -r @swc-node/register bench/run.ts store. Trees of 10k, 100k and 1M keys;
 * BENCH_STORE_SIZES=10000,100000 picks others (the 1M tree costs about half of the run).
 *
 * "commit" is the node's whole commit path: prepareCommit + the LevelDB write (or, in
 * write-ahead-log mode, the change-log append) + markCommitted. Each commit figure is the
 * median of COMMITS commits of fresh random keys.
 */
import { hash as nodeHash } from 'node:crypto';
import { join } from 'node:path';
import { applyNodeV8Flags } from '../node/v8flags';
import { ChangeLog } from '../store/changelog';
import { StateDb } from '../store/db';
import { IavlTree } from '../store/iavl';
import type { IavlOptions } from '../store/iavl';
import { balancedExport, prng, tempDb } from '../store/iavl/testutil';

const key = (i: number) => Buffer.from(`acct/${i.toString().padStart(8, '0')}`);
const val = (i: number, salt: number) => {
  const b = Buffer.alloc(100, i & 0xff);
  b.writeUInt32BE(salt >>> 0, 0);
  return b;
};

/** Commits per figure: the median of five, as performance.md asks. */
const COMMITS = 5;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const f = (x: number, d = 1) => x.toFixed(d);

async function rawBatch(db: StateDb, keys: Buffer[], salt: number): Promise<number> {
  const b = db.batch();
  for (let i = 0; i < keys.length; i++) b.put(Buffer.concat([Buffer.from('raw/'), keys[i]]), val(i, salt));
  const t0 = performance.now();
  await db.write(b);
  return performance.now() - t0;
}

interface CommitFigures {
  /** Median µs per changed key on the commit path. */
  perKey: number;
  /** Median dirty nodes per changed key. */
  d: number;
  /** Median ms of the sets before each commit. */
  setMs: number;
  /** Median µs per changed key of the background writes after each commit (write-ahead log). */
  afterPerKey: number;
}

/**
 * COMMITS commits of `k` random updates each. With `hashFirst`, the root hash is computed
 * before the timed region, as FinalizeBlock does (it returns the AppHash) before Commit.
 */
async function commits(
  db: StateDb,
  tree: IavlTree,
  n: number,
  k: number,
  rnd: () => number,
  salt: number,
  hashFirst = false,
  log?: ChangeLog,
): Promise<CommitFigures> {
  const perKey: number[] = [];
  const ds: number[] = [];
  const sets: number[] = [];
  const after: number[] = [];
  for (let c = 0; c < COMMITS; c++) {
    const keys = Array.from({ length: k }, () => key(Math.floor(rnd() * n)));
    let t0 = performance.now();
    keys.forEach((kk, i) => tree.set(kk, val(i, salt + c)));
    sets.push(performance.now() - t0);
    if (hashFirst) tree.workingHash();
    t0 = performance.now();
    const b = db.batch();
    const id = tree.prepareCommit(b);
    if (log) log.append(id.version);
    else await db.write(b);
    tree.markCommitted();
    const tCommit = performance.now() - t0;
    t0 = performance.now();
    await tree.flush();
    after.push(((performance.now() - t0) * 1000) / k);
    const st = tree.lastCommitStats();
    perKey.push((tCommit * 1000) / st.changedKeys);
    ds.push(st.newNodes / st.changedKeys);
  }
  return { perKey: pct(perKey, 50), d: pct(ds, 50), setMs: pct(sets, 50), afterPerKey: pct(after, 50) };
}

/** 1000 commits of 100 updates into a tree of `n` keys: commit-path latencies, beside raw batches. */
async function tail(db: StateDb, opts: IavlOptions, n: number, rnd: () => number): Promise<{ ours: number[]; raws: number[] }> {
  const tree = await IavlTree.open(db, opts);
  const ours: number[] = [];
  const raws: number[] = [];
  for (let c = 0; c < 1000; c++) {
    const keys = Array.from({ length: 100 }, () => key(Math.floor(rnd() * n)));
    keys.forEach((kk, i) => tree.set(kk, val(i, c)));
    const t0 = performance.now();
    await tree.commit();
    ours.push(performance.now() - t0);
    raws.push(await rawBatch(db, keys, c));
  }
  await tree.flush();
  return { ours, raws };
}

export async function run(): Promise<void> {
  const rows: string[] = [];
  const row = (...cells: string[]) => rows.push(`| ${cells.join(' | ')} |`);
  const t = await tempDb();
  let db = t.db;
  const rnd = prng(99);
  const started = performance.now();

  // Limits of this machine, this run. t_put as performance.md defines it: 132-byte entries
  // (32-byte sequential keys, 100-byte values) in 10k-op batches, written the way the store
  // writes (StateDb.write, a native chained batch).
  const limitKey = (i: number) => {
    const k = Buffer.alloc(32);
    k.write('limit/', 'latin1');
    k.writeUInt32BE(i, 28);
    return k;
  };
  const putMs = [];
  for (let r = 0; r < 5; r++) {
    const b = db.batch();
    for (let i = 0; i < 10_000; i++) b.put(limitKey(r * 10_000 + i), val(i, r));
    const s = performance.now();
    await db.write(b);
    putMs.push(performance.now() - s);
  }
  const tPut = (pct(putMs, 50) * 1000) / 10_000;
  const buf80 = Buffer.alloc(80, 1);
  let t0 = performance.now();
  for (let i = 0; i < 100_000; i++) nodeHash('sha256', buf80, 'buffer');
  const tHash = ((performance.now() - t0) * 1000) / 100_000;
  row('limit', 't_put (10k-op batch, 32 B sequential keys, 100 B values, per op)', `${f(tPut, 2)} µs`, '', '');
  row('limit', 't_hash (sha256 of 80 B)', `${f(tHash, 2)} µs`, '', '');

  const sizes = (process.env.BENCH_STORE_SIZES ?? '10000,100000,1000000').split(',').map(Number);
  for (const n of sizes) {
    const prefix = Buffer.from(`s/k:b${n}/`);
    t0 = performance.now();
    let tree = await IavlTree.importVersion(db, { prefix }, 1, balancedExport(n, key, (i) => val(i, 0)));
    row(`${n}`, 'build by import', `${f(performance.now() - t0, 0)} ms`, '', '');

    // Reopen: StateDb + tree open + first read, beside a bare LevelDB open.
    // One open/close first, so neither measured open pays for replaying the write-ahead log.
    await db.close();
    db = await StateDb.open(t.path);
    await db.close();
    t0 = performance.now();
    db = await StateDb.open(t.path);
    const tRawOpen = performance.now() - t0;
    await db.close();
    t0 = performance.now();
    db = await StateDb.open(t.path);
    tree = await IavlTree.open(db, { prefix });
    tree.get(key(n >> 1));
    row(`${n}`, 'reopen + first read', `${f(performance.now() - t0)} ms`, `raw open ${f(tRawOpen)} ms`, '');

    // Latest point reads: the fast index beside a raw getSync of the same DB key.
    const fastPrefix = Buffer.concat([prefix, Buffer.from('f')]);
    const ours: number[] = [];
    const raw: number[] = [];
    // Each key is read both ways; who goes first alternates, because the second read finds the
    // LevelDB block the first one just loaded into the cache.
    for (let i = 0; i < 10_000; i++) {
      const k = key(Math.floor(rnd() * n));
      const rk = Buffer.concat([fastPrefix, k]);
      for (const which of i % 2 === 0 ? [0, 1] : [1, 0]) {
        const s = process.hrtime.bigint();
        if (which === 0) tree.get(k);
        else db.getSync(rk);
        (which === 0 ? ours : raw).push(Number(process.hrtime.bigint() - s) / 1000);
      }
    }
    row(`${n}`, 'latest get p50 / p99', `${f(pct(ours, 50), 2)} / ${f(pct(ours, 99), 2)} µs`, `raw getSync ${f(pct(raw, 50), 2)} / ${f(pct(raw, 99), 2)} µs`, `p50 ratio ${f(pct(ours, 50) / pct(raw, 50), 2)} (goal ≤ 1.5)`);

    // One untimed commit first, so the timed ones run optimised code (steady state, as in a
    // node that has been committing blocks), not the first-call JIT.
    for (let i = 0; i < 200; i++) tree.set(key(Math.floor(rnd() * n)), val(i, 1));
    await tree.commit();

    // G4a: every commit writes its nodes (updates of random existing keys).
    for (const k of [1_000, 10_000]) {
      const c = await commits(db, tree, n, k, rnd, k);
      const limit = 2 * c.d * (tPut + tHash);
      const tRaw = await rawBatch(db, Array.from({ length: k }, () => key(Math.floor(rnd() * n))), k);
      row(
        `${n}`,
        `commit ${k} changed keys`,
        `${f(c.perKey)} µs/key (sets ${f(c.setMs, 0)} ms)`,
        `raw batch of ${k} ${f(tRaw, 1)} ms`,
        `D=${f(c.d, 1)}, G4a limit ${f(limit)} µs/key → ratio ${f(c.perKey / limit, 2)}`,
      );
    }

    // G4b: the same tree reopened in write-ahead-log mode. The commit path writes one record;
    // the background writes that follow are timed separately (flush) and reported beside it.
    const log = ChangeLog.open(join(t.path, `changes-${n}.wal`));
    tree = await IavlTree.open(db, { prefix, writeAheadLog: log });
    await commits(db, tree, n, 200, rnd, 7, false, log); // warm-up of the deferred path
    for (const k of [1_000, 10_000]) {
      const c = await commits(db, tree, n, k, rnd, 3 * k, false, log);
      const h = await commits(db, tree, n, k, rnd, 5 * k, true, log);
      const limit = 3 * tPut;
      row(
        `${n}`,
        `commit ${k} changed keys, write-ahead log`,
        `${f(c.perKey)} µs/key; ${f(h.perKey)} µs/key with the hash already taken by FinalizeBlock`,
        `then ${f(c.afterPerKey)} µs/key written in the background`,
        `G4b limit ${f(limit)} µs/key → ratio ${f(c.perKey / limit, 2)} (${f(h.perKey / limit, 2)} after FinalizeBlock)`,
      );
    }
    await tree.flush();
    log.close();
  }

  // G7: commit tail latency, 1000 commits of 100 changed keys into the 10k tree, both modes.
  for (const withLog of [false, true]) {
    const writeAheadLog = withLog ? ChangeLog.open(join(t.path, 'changes-tail.wal')) : undefined;
    const { ours, raws } = await tail(db, { prefix: Buffer.from('s/k:b10000/'), writeAheadLog }, 10_000, rnd);
    writeAheadLog?.close();
    row(
      '10000',
      `1000 commits × 100 keys p50 / p99${withLog ? ', write-ahead log' : ''}`,
      `${f(pct(ours, 50), 2)} / ${f(pct(ours, 99), 2)} ms (p99/p50 ${f(pct(ours, 99) / pct(ours, 50), 2)}, goal ≤ 3)`,
      `raw ${f(pct(raws, 50), 2)} / ${f(pct(raws, 99), 2)} ms (p99/p50 ${f(pct(raws, 99) / pct(raws, 50), 2)})`,
      '',
    );
  }
  await db.close();
  await t.cleanup();

  console.log('| keys | measure | sekai-ts | baseline (same run) | note |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`\n(store benchmark: ${f((performance.now() - started) / 1000, 0)} s)`);
}

if (require.main === module) {
  applyNodeV8Flags(); // as bench/run.ts and sekaid-ts start do
  void run();
}
