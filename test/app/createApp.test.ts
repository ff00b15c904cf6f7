import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createBaseApp } from '../../app/createApp';
import { ModuleManager } from '../../app/manager';
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
