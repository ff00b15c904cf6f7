import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KvApp } from '../../test/engine/kvApp';
import { txHash } from '../consensus/hashes';
import { Mempool } from './mempool';

const tx = (s: string) => new Uint8Array(Buffer.from(s));

describe('Mempool', () => {
  let dir: string;
  let app: KvApp;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mempool-'));
    app = await KvApp.open(dir);
  });
  afterEach(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('admits valid txs in FIFO order after CheckTx NEW', async () => {
    const mp = new Mempool(app);
    expect((await mp.add(tx('a=1'))).code).toBe(0);
    expect((await mp.add(tx('b=2'))).code).toBe(0);
    expect(mp.txs(10).map((t) => Buffer.from(t).toString())).toEqual(['a=1', 'b=2']);
    expect(mp.size()).toBe(2);
    expect(mp.sizeBytes()).toBe(6);
    expect(app.calls.filter((c) => c === 'check:NEW')).toHaveLength(2);
  });

  it('refuses duplicates with CometBFT message, but not a tx that failed CheckTx', async () => {
    const mp = new Mempool(app);
    await mp.add(tx('a=1'));
    await expect(mp.add(tx('a=1'))).rejects.toThrow(/^tx already exists in cache$/);
    const bad = await mp.add(tx('garbage'));
    expect(bad.code).toBe(2);
    expect(mp.size()).toBe(1);
    // A failed tx leaves the cache: resubmitting runs CheckTx again instead of "in cache".
    expect((await mp.add(tx('garbage'))).code).toBe(2);
  });

  it('refuses when full, with counts in the message', async () => {
    const mp = new Mempool(app, { maxTxs: 2 });
    await mp.add(tx('a=1'));
    await mp.add(tx('b=2'));
    await expect(mp.add(tx('c=3'))).rejects.toThrow('mempool is full: number of txs 2 (max: 2), total txs bytes 6 (max: 1073741824)');
    const byBytes = new Mempool(app, { maxTxsBytes: 5 });
    await byBytes.add(tx('a=1'));
    await expect(byBytes.add(tx('b=2'))).rejects.toThrow(/mempool is full: number of txs 1 \(max: 5000\), total txs bytes 3 \(max: 5\)/);
    const small = new Mempool(app, { maxTxBytes: 2 });
    await expect(small.add(tx('a=1'))).rejects.toThrow('tx too large. Max size is 2, but got 3');
  });

  it('reaps within a byte budget', async () => {
    const mp = new Mempool(app);
    await mp.add(tx('a=1'));
    await mp.add(tx('b=2'));
    // Each 3-byte tx takes 5 bytes in Data (tag, length, bytes).
    expect(mp.reap(9)).toHaveLength(1);
    expect(mp.reap(10)).toHaveLength(2);
    expect(mp.reap(-1)).toHaveLength(2);
  });

  it('reaps within a gas budget by each tx\'s CheckTx gas_wanted, stopping at the first that does not fit', async () => {
    const mp = new Mempool(app);
    for (const t of ['a=1', 'b=2', 'c=3']) await mp.add(tx(t));
    // The key/value app wants 1 gas per tx.
    expect(mp.reap(-1, 2n).map((t) => Buffer.from(t).toString())).toEqual(['a=1', 'b=2']);
    expect(mp.reap(-1, 0n)).toHaveLength(0);
    expect(mp.reap(-1, -1n)).toHaveLength(3);
  });

  it('removes committed txs, rechecks the rest and resolves inclusion waiters', async () => {
    const mp = new Mempool(app);
    expect((await mp.add(tx('x=2'))).code).toBe(0);
    expect((await mp.add(tx('y=3'))).code).toBe(0);
    expect((await mp.add(tx('lock/x=1'))).code).toBe(0);
    const wait = mp.waitForTx(txHash(tx('lock/x=1')), 5000);
    // Commit a block with only the lock tx: x=2 now fails its recheck.
    const res = app.finalizeBlock({ txs: [tx('lock/x=1')], height: 1n } as never);
    await mp.exclusive(async () => {
      await app.commit();
      expect(await mp.update([tx('lock/x=1')])).toEqual({ rechecked: 2, dropped: 1 });
    });
    mp.notifyIncluded(1, [tx('lock/x=1')], res.txResults);
    expect(mp.txs(10).map((t) => Buffer.from(t).toString())).toEqual(['y=3']);
    expect(app.calls.filter((c) => c === 'check:RECHECK')).toHaveLength(2);
    const inc = await wait.promise;
    expect(inc.height).toBe(1);
    expect(inc.index).toBe(0);
    expect(inc.result.code).toBe(0);
    // Committed txs stay in the cache: a replay of the same bytes is refused.
    await expect(mp.add(tx('lock/x=1'))).rejects.toThrow(/in cache/);
  });

  it('reports every refusal and every recheck drop to its failure listeners, with the stage and verdict', async () => {
    const mp = new Mempool(app, { maxTxs: 3 });
    const seen: string[] = [];
    const off = mp.onFailed((f) => seen.push(`${Buffer.from(f.hash).toString('hex')} ${f.stage} ${f.code}`));
    const hash = (t: string) => Buffer.from(txHash(tx(t))).toString('hex');
    expect((await mp.add(tx('garbage'))).code).toBe(2);
    await mp.add(tx('x=2'));
    await mp.add(tx('y=3'));
    // A duplicate of a held tx is not a failure of that tx: no notice.
    await expect(mp.add(tx('y=3'))).rejects.toThrow(/in cache/);
    await mp.add(tx('lock/x=1'));
    await expect(mp.add(tx('z=4'))).rejects.toThrow(/mempool is full/);
    app.finalizeBlock({ txs: [tx('lock/x=1')], height: 1n } as never);
    await mp.exclusive(async () => {
      await app.commit();
      await mp.update([tx('lock/x=1')]);
    });
    expect(seen).toEqual([`${hash('garbage')} check_tx 2`, `${hash('z=4')} mempool 3`, `${hash('x=2')} recheck ${seen[2]?.split(' ')[2]}`]);
    expect(seen[2].split(' ')[2]).not.toBe('0');
    off();
    await mp.add(tx('garbage'));
    expect(seen).toHaveLength(3);
  });

  it('times out waiting for a tx that never lands', async () => {
    const mp = new Mempool(app);
    await expect(mp.waitForTx(txHash(tx('nope=1')), 20).promise).rejects.toThrow(/timed out waiting for tx/);
  });
});
