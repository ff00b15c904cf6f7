/**
 * The write caches and the multistore: per-transaction branch cost, iteration over a large
 * block branch, and commit cost per changed key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CacheKV } from '../store/cachekv';
import { StateDb } from '../store/db';
import { MemStore, keyString } from '../store/memstore';
import { RootMultiStore } from '../store/rootmulti';
import { measureRate, median, type BenchSection, type Limits } from './harness';

const enc = (s: string) => new TextEncoder().encode(s);
const STORES = ['acc', 'bank', 'distribution', 'gov', 'staking', 'upgrade'];

function accKey(i: number): Uint8Array {
  const k = new Uint8Array(21);
  k[0] = 0x01;
  new DataView(k.buffer).setUint32(17, i);
  return k;
}

export async function run(limits: Limits): Promise<BenchSection[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-multistore-'));
  try {
    const rms = await RootMultiStore.open(await StateDb.open(dir), { stores: STORES, pruning: { strategy: 'everything' } });
    const ACCOUNTS = 20_000;
    {
      const b = rms.cacheMultiStore();
      for (let i = 0; i < ACCOUNTS; i++) {
        b.getStore('acc').set(accKey(i), enc(`account-${i}-with-some-protobuf-bytes-here`));
        b.getStore('bank').set(accKey(i), enc(`${1_000_000 + i}ukex`));
      }
      b.write();
      await rms.commit();
    }

    // A bank send as the store sees it: a tx branch, 4 reads and 4 writes over two stores,
    // folded into the block branch. The block branch grows over the run like a real block.
    let block = rms.cacheMultiStore();
    let inBlock = 0;
    const send = (i: number) => {
      if (++inBlock === 10_000) {
        block = rms.cacheMultiStore();
        inBlock = 0;
      }
      const tx = block.branch();
      const from = accKey((i * 7919) % ACCOUNTS);
      const to = accKey((i * 104729 + 1) % ACCOUNTS);
      const acc = tx.getStore('acc');
      const bank = tx.getStore('bank');
      acc.get(from);
      acc.set(from, enc('account-bumped-sequence'));
      bank.get(from);
      bank.get(to);
      bank.set(from, enc('999ukex'));
      bank.set(to, enc('1001ukex'));
      acc.get(to);
      acc.set(to, enc('account-touched'));
      tx.write();
    };
    const txRate = measureRate(send, { runs: 5, minRunMs: 300 });

    // Baseline for one cached op: a Map keyed by the same index strings.
    const plain = new Map<string, Uint8Array>();
    const keys = Array.from({ length: 4096 }, (_, i) => accKey(i));
    const mapRate = measureRate((i) => {
      const k = keys[i & 4095];
      plain.set(keyString(k), k);
      plain.get(keyString(k));
    });
    const cache = new CacheKV(new CacheKV(new MemStore()));
    const cacheRate = measureRate((i) => {
      const k = keys[i & 4095];
      cache.set(k, k);
      cache.get(k);
    });

    // Iterating a 100-key range of a block branch holding 50k dirty keys, with one new write
    // before each iterator (the lazy sort merges instead of re-sorting everything).
    const big = new CacheKV(new MemStore());
    const bigKeys = Array.from({ length: 50_000 }, (_, i) => accKey(i * 2));
    for (const k of bigKeys) big.set(k, k);
    const iterRate = measureRate(
      (i) => {
        big.set(accKey(2 * (i % 50_000) + 1), keys[0]);
        let n = 0;
        for (const _ of big.iterator(accKey(1000), accKey(1200))) n++;
        if (n < 100) throw new Error('range too small');
      },
      { chunk: 4, runs: 5, minRunMs: 200 },
    );
    const strings = bigKeys.map(keyString);
    const sortRate = measureRate(() => [...strings].reverse().sort(), { chunk: 1, runs: 5, minRunMs: 200 });

    // Commit: K changed keys per block spread over the stores, tree of ~N keys per store.
    const K = 1000;
    const commitTimes: number[] = [];
    for (let b = 0; b < 8; b++) {
      const br = rms.cacheMultiStore();
      for (let j = 0; j < K; j++) {
        const store = j % 2 === 0 ? 'acc' : 'bank';
        br.getStore(store).set(accKey((b * 7919 + j * 13) % ACCOUNTS), enc(`v${b}.${j}`));
      }
      br.write();
      const t0 = performance.now();
      await rms.commit();
      commitTimes.push(performance.now() - t0);
    }
    const usPerKey = (median(commitTimes.slice(2)) * 1000) / K;
    const perStore = ACCOUNTS / (K / 2);
    const D = Math.log2(perStore) + 3;
    await rms.close();

    return [
      {
        title: 'write caches and multistore',
        figures: [
          {
            name: 'bank-send store pattern (tx branch, 4 get + 4 set, write)',
            measured: txRate.opsPerSec,
            unit: 'tx/s',
            limit: 0.25 * limits.L_decode,
            goal: '>= 4',
            id: 'G3',
          },
          { name: 'CacheKV set+get, 2 nested branches', measured: cacheRate.usPerOp, unit: 'µs', limit: mapRate.usPerOp, goal: '<= 3' },
          {
            name: '100-key range over 50k-key branch, 1 write before each',
            measured: 1e6 / iterRate.opsPerSec,
            unit: 'µs',
            limit: 1e6 / sortRate.opsPerSec,
            goal: '<= 0.25',
          },
          {
            name: `multistore commit, ${K} changed keys over 2 of ${STORES.length} stores`,
            measured: usPerKey,
            unit: 'µs/key',
            limit: 2 * D * (limits.t_put + limits.t_hash),
            goal: '<= 1',
            id: 'G4a',
          },
        ],
        notes: [
          'G3 is the whole FinalizeBlock budget (0.25 x L_decode); the store part should use at most a quarter of it, hence >= 4.',
          'The CacheKV baseline is a bare Map over the same latin1 index strings: the floor for any hashed cache.',
          'The iteration baseline is one full sort of the 50k dirty keys: what re-sorting on every iterator would cost.',
          `G4a limit uses D = log2(N/K) + 3 = ${D.toFixed(1)} dirty nodes per changed key (N = ${ACCOUNTS} keys per store, ${K / 2} changes per store).`,
        ],
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
