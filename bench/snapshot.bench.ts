/**
 * State-sync snapshots (node/snapshots): creation time and size, and restore time, for
 * states of 100k and 1M keys (BENCH_SNAPSHOT_SIZES=100000,1000000 picks others), each beside
 * figures of the same run:
 *
 * - replay: building the same state block by block from genesis (the multistore's commit
 *   path with the write-ahead log, as a node runs; no tx execution, so a lower bound on
 *   replaying a real chain);
 * - restore: the best of RESTORES restores into an empty store, with the source store closed
 *   (the hashing and parsing on a worker thread, node/snapshots/restore.ts);
 * - raw write: every entry the restore wrote (nodes, fast index, records), read back and
 *   written to a fresh LevelDB in batches of the restore's size and kind (direct batches):
 *   the same bytes with none of the decoding, hashing or checking (best of RESTORES).
 *   Goal: restore ≤ 3 × raw write;
 * - block latency during a background snapshot: blocks of 1000 changed keys arrive every
 *   50 ms while a snapshot of the whole state is written in 4 ms slices; latency from a
 *   block's arrival to its commit, median and p90, beside the same without a snapshot.
 *   Goal: ≤ 1.1 × (creation adds at most 10% to the block that follows it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StateDb } from '../store/db';
import { RootMultiStore, type RootMultiStoreOptions } from '../store/rootmulti';
import { SNAPSHOT_FORMAT } from '../store/snapshots/format';
import { SnapshotStore } from '../node/snapshots/snapshotStore';
import { restoreSnapshot } from '../node/snapshots/restore';
import { writeSnapshot } from '../node/snapshots/writer';
import { collectGarbage, median, percentile, type BenchSection } from './harness';

const STORES = ['acc', 'bank', 'gov', 'staking'];
const BLOCKS = 100;
/** Restores (each with its raw write) per size (BENCH_SNAPSHOT_RESTORES); the best of each is reported. */
const RESTORES = Number(process.env.BENCH_SNAPSHOT_RESTORES ?? 3);
const enc = new TextEncoder();

function key(i: number): Uint8Array {
  const k = new Uint8Array(21);
  k[0] = 0x01;
  new DataView(k.buffer).setUint32(17, i);
  k.set(enc.encode('acct'), 1);
  return k;
}

function value(i: number, block: number): Uint8Array {
  return enc.encode(`{"account_number":${i},"sequence":${block},"coins":"${1_000_000 + i}ukex"}`);
}

const options = (dir: string): RootMultiStoreOptions => ({ stores: STORES, pruning: { strategy: 'default' }, changeLogPath: join(dir, 'changes.wal') });

async function openStore(dir: string): Promise<RootMultiStore> {
  return RootMultiStore.open(await StateDb.open(dir), options(dir));
}

/** Builds `keys` keys over BLOCKS blocks (3/4 in acc, 1/4 in bank); returns the replay time in ms. */
async function replay(store: RootMultiStore, keys: number): Promise<number> {
  const t0 = performance.now();
  const per = Math.ceil(keys / BLOCKS);
  for (let b = 0; b < BLOCKS; b++) {
    const branch = store.cacheMultiStore();
    for (let i = b * per; i < Math.min(keys, (b + 1) * per); i++) branch.getStore(i % 4 === 0 ? 'bank' : 'acc').set(key(i), value(i, b));
    branch.getStore('gov').set(enc.encode('params'), value(b, b));
    branch.write();
    await store.commit();
  }
  await store.flush();
  return performance.now() - t0;
}

/** Every entry of `dir`, then the time to write them to a fresh LevelDB in 20k-op direct batches, as the restore does. */
async function rawWrite(dir: string, scratch: string): Promise<{ ms: number; cpuMs: number; entries: number; bytes: number }> {
  const src = await StateDb.open(dir);
  const keys: Uint8Array[] = [];
  const values: Uint8Array[] = [];
  let bytes = 0;
  for await (const [k, v] of src.iterate({})) {
    keys.push(k);
    values.push(v);
    bytes += k.length + v.length;
  }
  await src.close();
  collectGarbage();
  const db = await StateDb.open(scratch);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let batch = db.directBatch();
  let inFlight: Promise<void> | undefined;
  for (let i = 0; i < keys.length; i++) {
    batch.put(keys[i], values[i]);
    if (batch.length >= 20_000) {
      await inFlight;
      inFlight = db.writeDirect(batch);
      batch = db.directBatch();
    }
  }
  await inFlight;
  await db.writeDirect(batch, { sync: true });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await db.close();
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, entries: keys.length, bytes };
}

/** Blocks of 1000 changed keys every 50 ms; latency from due time to commit, per block. */
async function blockLatencies(store: RootMultiStore, keys: number, blocks: number, during?: Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  let next = performance.now() + 50;
  for (let b = 0; b < blocks; b++) {
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    const due = next;
    const branch = store.cacheMultiStore();
    for (let j = 0; j < 1000; j++) {
      const i = (b * 7919 + j * 104_729) % keys;
      branch.getStore(i % 4 === 0 ? 'bank' : 'acc').set(key(i), value(i, 1000 + b));
    }
    branch.write();
    store.workingHash();
    await store.commit();
    out.push(performance.now() - due);
    next = Math.max(next + 50, performance.now());
  }
  await during;
  return out;
}

/**
 * Builds the state (the replay), snapshots its last height, then measures block latency with
 * and without a background snapshot. The source store is closed and out of reach when this
 * returns, so the restores that follow run with a heap like a joining node's.
 */
async function buildAndSnapshot(root: string, n: number) {
  const src = await openStore(join(root, 'src'));
  const replayMs = await replay(src, n);
  const height = src.lastCommitId().version;
  const files = SnapshotStore.open(join(root, 'snapshots'));
  collectGarbage();
  const t0 = performance.now();
  const info = await writeSnapshot(src, files, height, enc.encode('{}'), { sliceMs: 0 });
  const createMs = performance.now() - t0;

  // Block latency while a background snapshot (4 ms slices) runs, beside none.
  collectGarbage();
  const quiet = await blockLatencies(src, n, 30);
  const bg = writeSnapshot(src, files, src.lastCommitId().version, enc.encode('{}'), { sliceMs: 4 });
  const busy = await blockLatencies(src, n, 30, bg);
  await src.close();
  return { replayMs, height, info, createMs, quiet, busy };
}

export async function run(): Promise<BenchSection> {
  const sizes = (process.env.BENCH_SNAPSHOT_SIZES ?? '100000,1000000').split(',').map(Number);
  const figures: BenchSection['figures'] = [];
  const notes: string[] = [];
  for (const n of sizes) {
    const root = mkdtempSync(join(tmpdir(), 'bench-snapshot-'));
    try {
      const { replayMs, height, info, createMs, quiet, busy } = await buildAndSnapshot(root, n);
      const files = SnapshotStore.open(join(root, 'snapshots'));
      let t0: number;

      // The best of RESTORES restores into fresh stores, each followed by its raw write (the
      // source store is closed first, as on a joining node).
      let restoreMs = Infinity;
      let raw = { ms: Infinity, entries: 0, bytes: 0 };
      const runs: string[] = [];
      for (let r = 0; r < RESTORES; r++) {
        const dstDir = join(root, `dst${r}`);
        const dst = await openStore(dstDir);
        async function* chunks(): AsyncGenerator<Uint8Array> {
          for (let i = 0; i < info.chunks; i++) yield (await files.loadChunk(height, SNAPSHOT_FORMAT, i))!;
        }
        collectGarbage();
        const cpu0 = process.cpuUsage();
        t0 = performance.now();
        await restoreSnapshot(dst, height, chunks(), info.appHash);
        const ms = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        restoreMs = Math.min(restoreMs, ms);
        await dst.close();
        const w = await rawWrite(dstDir, join(root, `raw${r}`));
        if (w.ms < raw.ms) raw = w;
        runs.push(`restore ${ms.toFixed(0)} ms (CPU of all threads ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms) / raw ${w.ms.toFixed(0)} ms (CPU ${w.cpuMs.toFixed(0)} ms) = ${(ms / w.ms).toFixed(2)}`);
        rmSync(dstDir, { recursive: true, force: true });
        rmSync(join(root, `raw${r}`), { recursive: true, force: true });
      }

      const k = n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`;
      figures.push(
        { name: `${k} keys: replay ${BLOCKS} blocks from genesis (store commits only)`, measured: replayMs, unit: 'ms' },
        { name: `${k} keys: snapshot creation (${info.chunks} chunks)`, measured: createMs, unit: 'ms', limit: replayMs, goal: '(vs replay)' },
        { name: `${k} keys: snapshot size, compressed (raw stream ${(info.rawBytes / 1e6).toFixed(1)} MB)`, measured: info.bytes / 1e6, unit: 'MB', limit: raw.bytes / 1e6, goal: '(vs bytes restored)' },
        { name: `${k} keys: restore (inflate, decode, import, root check)`, measured: restoreMs, unit: 'ms', limit: raw.ms, goal: '<= 3' },
        { name: `${k} keys: restore vs replay`, measured: restoreMs, unit: 'ms', limit: replayMs, goal: '(vs replay)' },
        { name: `${k} keys: block latency p50 during a snapshot`, measured: median(busy), unit: 'ms', limit: median(quiet), goal: '<= 1.1' },
        { name: `${k} keys: block latency p90 during a snapshot`, measured: percentile(busy, 90), unit: 'ms', limit: percentile(quiet, 90), goal: '<= 1.1' },
      );
      notes.push(`${k} keys: raw write = ${raw.entries} entries, ${(raw.bytes / 1e6).toFixed(1)} MB in 20k-op batches, ${raw.ms.toFixed(0)} ms`);
      notes.push(`${k} keys, each pair: ${runs.join('; ')}`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  return { title: 'state-sync snapshots', figures, notes };
}
