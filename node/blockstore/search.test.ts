import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { Block } from 'cosmjs-types/tendermint/types/block';
import { Commit } from 'cosmjs-types/tendermint/types/types';
import { BlockStore } from './blockStore';
import { txHash } from '../consensus/hashes';

/** Height h has 3 txs: sender s{h%3}, s{(h+1)%3}, s{(h+2)%3}; amounts h*10+i; the block event "mint.amount=h". */
async function chain(dir: string, heights: number): Promise<BlockStore> {
  const store = await BlockStore.open(dir, { sync: false });
  for (let h = 1; h <= heights; h++) {
    const txs = [0, 1, 2].map((i) => new Uint8Array(Buffer.from(`tx-${h}-${i}`)));
    const hash = Buffer.alloc(32);
    hash.writeUInt32BE(h);
    await store.saveBlock({
      stored: {
        block: Block.fromPartial({ header: { height: BigInt(h) }, data: { txs } }),
        blockId: { hash, partSetHeader: { total: 1, hash } },
        size: 10,
        seenCommit: Commit.fromPartial({}),
      },
      results: ResponseFinalizeBlock.fromPartial({
        txResults: [0, 1, 2].map((i) => ({
          events: [
            {
              type: 'message',
              attributes: [
                { key: 'sender', value: `s${(h + i) % 3}`, index: true },
                { key: 'action', value: i === 2 ? 'vote' : 'send', index: true },
              ],
            },
            { type: 'transfer', attributes: [{ key: 'amount', value: `${h * 10 + i}ukex`, index: true }] },
          ],
        })),
        events: [{ type: 'mint', attributes: [{ key: 'amount', value: String(h), index: true }] }],
      }),
      validators: [],
      params: [],
      engineState: new Uint8Array(),
    });
  }
  return store;
}

describe('indexed search', () => {
  let dir: string;
  let store: BlockStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'search-'));
    store = await chain(dir, 30);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const locs = (r: { txs: { height: number; index: number }[] }) => r.txs.map((t) => `${t.height}/${t.index}`);

  it('pages an equality condition in location order, both ways, with the full total', async () => {
    // s0 is at (h, i) where (h + i) % 3 == 0: one tx per height.
    const first = await store.txSearch("message.sender='s0'", { perPage: 4 });
    expect(first.total).toBe(30);
    expect(locs(first)).toEqual(['1/2', '2/1', '3/0', '4/2']);
    const last = await store.txSearch("message.sender='s0'", { perPage: 4, page: 8 });
    expect(locs(last)).toEqual(['29/1', '30/0']);
    const desc = await store.txSearch("message.sender='s0'", { perPage: 3, orderBy: 'desc' });
    expect(locs(desc)).toEqual(['30/0', '29/1', '28/2']);
    await expect(store.txSearch("message.sender='s0'", { perPage: 4, page: 9 })).rejects.toThrow(/page should be within \[1, 8\] range, given 9/);
  });

  it('checks other equality, height and range conditions per hit', async () => {
    const r = await store.txSearch("message.sender='s0' AND message.action='vote' AND tx.height>=10 AND tx.height<20", { perPage: 100 });
    // action=vote is index 2: (h + 2) % 3 == 0 -> h % 3 == 1.
    expect(locs(r)).toEqual(['10/2', '13/2', '16/2', '19/2']);
    const ranged = await store.txSearch("message.sender='s1' AND transfer.amount>=250", { perPage: 100 });
    expect(ranged.total).toBe(6);
    expect(locs(ranged)).toEqual(['25/0', '26/2', '27/1', '28/0', '29/2', '30/1']);
    expect((await store.txSearch("message.sender='nobody' AND tx.height>1")).total).toBe(0);
  });

  it('finds a tx by hash and searches without an equality condition', async () => {
    const hash = Buffer.from(txHash(new Uint8Array(Buffer.from('tx-7-1')))).toString('hex').toUpperCase();
    expect(locs(await store.txSearch(`tx.hash='${hash}'`))).toEqual(['7/1']);
    expect(locs(await store.txSearch(`tx.hash='${hash}' AND message.sender='s0'`))).toEqual([]);
    const heights = await store.txSearch('tx.height>28', { perPage: 10 });
    expect(locs(heights)).toEqual(['29/0', '29/1', '29/2', '30/0', '30/1', '30/2']);
    expect((await store.txSearch("transfer.amount<15 AND tm.event='Tx'")).total).toBe(3);
    expect((await store.txSearch("tm.event='NewBlock'")).total).toBe(0);
  });

  it('searches blocks by height alone and by event', async () => {
    expect((await store.blockSearch('block.height>=25', { orderBy: 'asc' })).heights).toEqual([25, 26, 27, 28, 29, 30]);
    expect((await store.blockSearch('block.height<=3')).heights).toEqual([1, 2, 3]);
    expect((await store.blockSearch("mint.amount='7'")).heights).toEqual([7]);
    expect((await store.blockSearch('mint.amount>27', { orderBy: 'desc' })).heights).toEqual([30, 29, 28]);
  });

  it('runs many concurrent searches a few at a time, each with its own answer', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => store.txSearch(`message.sender='s${i % 3}'`, { perPage: 1 })));
    expect(answers.map((a) => a.total)).toEqual(Array.from({ length: 20 }, () => 30));
    expect(answers.map((a) => locs(a)[0])).toEqual(Array.from({ length: 20 }, (_, i) => ['1/2', '1/0', '1/1'][i % 3]));
  });

  it('stops a search whose client went away', async () => {
    const ctl = new AbortController();
    ctl.abort();
    // Cancellation is checked every 1 024 entries read; 90 txs × 4 entries are read for this query.
    await expect(store.txSearch('tx.height>0', { signal: ctl.signal })).resolves.toBeDefined();
    const manyDir = mkdtempSync(join(tmpdir(), 'search-many-'));
    const many = await chain(manyDir, 400);
    try {
      await expect(many.txSearch('transfer.amount>0', { signal: ctl.signal })).rejects.toThrow(/the request was cancelled: search too expensive/);
    } finally {
      await many.close();
      rmSync(manyDir, { recursive: true, force: true });
    }
  });
});
