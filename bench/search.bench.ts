/**
 * tx_search through the block store's event index: "the txs of one sender", first page of
 * 30, over chains of 10 000 and 100 000 blocks (2 txs a block from 1 000 other senders, the
 * sender's 60 txs spread evenly). Each search is compared, in the same run, with a raw
 * LevelDB prefix scan that reads the same index entries (the floor of any search that answers
 * a page and a total), and the two chain lengths with each other.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ClassicLevel } from 'classic-level';
import { ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { Block } from 'cosmjs-types/tendermint/types/block';
import { Commit } from 'cosmjs-types/tendermint/types/types';
import { BlockStore } from '../node/blockstore/blockStore';
import { median, type BenchSection } from './harness';

const TXS_PER_BLOCK = 2;
const TARGET_TXS = 60;
const TARGET = 'kira1target';
const QUERY = `message.sender='${TARGET}'`;

async function fill(dir: string, blocks: number): Promise<void> {
  const store = await BlockStore.open(dir, { sync: false });
  const every = Math.floor(blocks / TARGET_TXS);
  try {
    for (let h = 1; h <= blocks; h++) {
      const txs = Array.from({ length: TXS_PER_BLOCK }, (_, i) => new Uint8Array(Buffer.from(`tx-${h}-${i}`)));
      const senders = txs.map((_, i) => (i === 0 && h % every === 0 ? TARGET : `kira1other${(h * TXS_PER_BLOCK + i) % 1000}`));
      const hash = Buffer.alloc(32);
      hash.writeUInt32BE(h);
      await store.saveBlock({
        stored: {
          block: Block.fromPartial({ header: { height: BigInt(h), chainId: 'bench-1' }, data: { txs } }),
          blockId: { hash, partSetHeader: { total: 1, hash } },
          size: 100,
          seenCommit: Commit.fromPartial({ height: BigInt(h) }),
        },
        results: ResponseFinalizeBlock.fromPartial({
          txResults: senders.map((sender) => ({ code: 0, events: [{ type: 'message', attributes: [{ key: 'sender', value: sender, index: true }] }] })),
          appHash: hash,
        }),
        validators: [],
        params: [],
        engineState: new Uint8Array(),
      });
    }
  } finally {
    await store.close();
  }
}

/** Median ms of `n` runs of `f` after two warm-ups. */
async function timeMs(f: () => Promise<unknown>, n = 15): Promise<number> {
  await f();
  await f();
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

async function measure(blocks: number): Promise<{ searchMs: number; rawMs: number; total: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'search-bench-'));
  try {
    await fill(dir, blocks);
    const store = await BlockStore.open(dir);
    let total = 0;
    const searchMs = await timeMs(async () => {
      const r = await store.txSearch(QUERY, { perPage: 30 });
      total = r.total;
    });
    await store.close();
    // The floor: the same index range read straight from LevelDB (prefix 'e', tag, 0, value, 0).
    const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    const prefix = Buffer.concat([Buffer.of(0x65), Buffer.from('message.sender'), Buffer.of(0), Buffer.from(TARGET), Buffer.of(0)]);
    const end = Buffer.from(prefix);
    end[end.length - 1] = 1;
    let rawTotal = 0;
    const rawMs = await timeMs(async () => {
      const page: Buffer[] = [];
      let n = 0;
      for await (const k of db.keys({ gte: prefix, lt: end })) {
        if (page.length < 30) page.push(k.subarray(prefix.length));
        n++;
      }
      rawTotal = n;
    });
    await db.close();
    if (rawTotal !== total) throw new Error(`raw scan found ${rawTotal} entries, search ${total}`);
    return { searchMs, rawMs, total };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchSection> {
  const small = await measure(10_000);
  const large = await measure(100_000);
  return {
    title: `tx_search "${QUERY}" (first page of 30, ${TARGET_TXS} hits) through the event index`,
    figures: [
      { name: 'search, 10 000 blocks', measured: small.searchMs, unit: 'ms', limit: small.rawMs, goal: '<= 3' },
      { name: 'search, 100 000 blocks', measured: large.searchMs, unit: 'ms', limit: large.rawMs, goal: '<= 3' },
      { name: 'search at 100 000 blocks vs at 10 000 blocks', measured: large.searchMs, unit: 'ms', limit: small.searchMs, goal: '<= 2' },
    ],
    notes: [
      `Limits: a raw LevelDB prefix scan of the same ${large.total} index entries in this run (first two figures), the same search over the 10× shorter chain (third).`,
      'Each figure is the median of 15 runs after 2 warm-ups; the chains are built with unsynced batches, then reopened.',
    ],
  };
}
