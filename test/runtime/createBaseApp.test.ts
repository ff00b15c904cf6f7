import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createBaseApp } from '../../runtime/createBaseApp';
import { ModuleManager } from '../../runtime/manager';
import { AccountsKeeper, LedgerKeeper } from '../fixtures/ledger';
import { CHAIN_ID, genesisFor, rawKey, rawSend, tempDir, time } from '../fixtures/runtimeApp';

test('createBaseApp opens LevelDB, honours initial_height and reopens at the committed height', async () => {
  const dir = tempDir('create');
  const k = rawKey(51);
  const open = () => {
    const accounts = new AccountsKeeper();
    const ledger = new LedgerKeeper(accounts);
    return createBaseApp({
      dbPath: join(dir, 'state'),
      initialHeight: 5,
      name: 'sekai-test',
      codeVersion: 'v1',
      modules: new ModuleManager([accounts.module(), ledger.module()]),
      accounts,
      bank: ledger,
      minRetainBlocks: 2,
    });
  };
  try {
    let app = await open();
    app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: genesisFor([k.address]), initialHeight: 5n });
    const fin = (h: number, txs: Uint8Array[]) =>
      app.finalizeBlock({ txs, decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: BigInt(h), time: time(h), nextValidatorsHash: new Uint8Array(32), proposerAddress: new Uint8Array(20) });
    expect(() => fin(1, [])).toThrow('FinalizeBlock for height 1, expected 5');
    const r5 = fin(5, [rawSend(k, { from: k.address, to: rawKey(52).address, sequence: 0n, accountNumber: 0n })]);
    expect(r5.txResults[0].code).toBe(0);
    expect((await app.commit()).retainHeight).toBe(4n);
    fin(6, []);
    expect((await app.commit()).retainHeight).toBe(5n);
    const info = app.info({} as never);
    expect(info.lastBlockHeight).toBe(6n);
    await app.close();
    app = await open();
    expect(app.info({} as never)).toEqual(info);
    expect(app.chainId()).toBe(CHAIN_ID);
    expect(() => app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: new Uint8Array(), initialHeight: 5n })).toThrow('already has committed blocks');
    fin(7, []);
    await app.commit();
    await app.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with snapshots, Commit hands each height and its header to the snapshot service and keeps the blocks its snapshots span', async () => {
  const dir = tempDir('create-snapshots');
  const k = rawKey(53);
  const taken: Array<{ height: number; header: Record<string, unknown> }> = [];
  const snapshots = {
    // interval 3 × keep-recent 2
    retainedSpan: 6,
    afterCommit: (height: number, header: () => Uint8Array) => taken.push({ height, header: JSON.parse(new TextDecoder().decode(header())) }),
    listSnapshots: () => ({ snapshots: [] }),
    loadSnapshotChunk: async () => ({ chunk: new Uint8Array() }),
    offerSnapshot: async () => ({ result: 0 }),
    applySnapshotChunk: async () => ({ response: { result: 0, refetchChunks: [], rejectSenders: [] } }),
    close: async () => undefined,
  };
  const accounts = new AccountsKeeper();
  const ledger = new LedgerKeeper(accounts);
  const app = await createBaseApp({
    dbPath: join(dir, 'state'),
    name: 'sekai-test',
    codeVersion: 'v1',
    modules: new ModuleManager([accounts.module(), ledger.module()]),
    accounts,
    bank: ledger,
    minRetainBlocks: 2,
    snapshots,
  });
  try {
    app.initChain({ time: time(1), chainId: CHAIN_ID, consensusParams: undefined, validators: [], appStateBytes: genesisFor([k.address]), initialHeight: 1n });
    const retained: bigint[] = [];
    for (let h = 1; h <= 10; h++) {
      app.finalizeBlock({ txs: [], decidedLastCommit: { round: 0, votes: [] }, misbehavior: [], hash: new Uint8Array(32), height: BigInt(h), time: time(h), nextValidatorsHash: new Uint8Array(32), proposerAddress: new Uint8Array(20) });
      retained.push((await app.commit()).retainHeight);
    }
    // min-retain-blocks 2 alone would keep from h-1; the snapshots keep the 6 blocks below h.
    expect(retained).toEqual([0n, 0n, 0n, 0n, 0n, 0n, 1n, 2n, 3n, 4n]);
    expect(taken.map((t) => t.height)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(taken[9].header).toEqual({ chain_id: CHAIN_ID, app_name: 'sekai-test', code_version: 'v1', height: 10, block_time: { seconds: String(time(10).seconds), nanos: time(10).nanos } });
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
