/**
 * The BaseApp behind the real ABCI socket server, driven by the CometBFT-style client on
 * separate query, mempool and consensus connections, through one full height.
 */
import { rmSync } from 'node:fs';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { AbciClient } from '../../abci/client';
import { AbciServer } from '../../abci/server';
import { CHAIN_ID, genesisFor, openTestApp, rawKey, rawSend, tempDir, time, type TestApp } from '../fixtures/runtimeApp';

test('one height over the ABCI socket: Info, InitChain, CheckTx, Prepare, Process, Finalize, Commit, Query', async () => {
  const dir = tempDir('abci');
  const alice = rawKey(11);
  const bob = rawKey(12);
  const t: TestApp = await openTestApp(dir);
  const server = new AbciServer(t.app);
  await server.listen('tcp://127.0.0.1:0');
  const [query, mempool, consensus] = [new AbciClient(), new AbciClient(), new AbciClient()];
  try {
    for (const c of [query, mempool, consensus]) await c.connect(server.address());
    expect((await query.info({ version: '0.38.25', abciVersion: '2.0.0' })).lastBlockHeight).toBe(0n);
    const init = await consensus.initChain({ time: time(1), chainId: CHAIN_ID, appStateBytes: genesisFor([alice.address, bob.address]), initialHeight: 1n });
    expect(init.appHash.length).toBe(32);

    const tx = rawSend(alice, { from: alice.address, to: bob.address, sequence: 0n, accountNumber: 0n, amount: '42' });
    const check = await mempool.checkTx({ tx });
    expect(check.code).toBe(0);
    expect((await mempool.checkTx({ tx })).code).toBe(32);

    const prep = await consensus.prepareProposal({ maxTxBytes: 1_048_576n, txs: [tx, Uint8Array.of(1, 2)], height: 1n, time: time(2) });
    expect(prep.txs.length).toBe(1);
    expect((await consensus.processProposal({ txs: prep.txs, height: 1n, time: time(2) })).status).toBe(1);
    const fin = await consensus.finalizeBlock({ txs: prep.txs, height: 1n, time: time(2), decidedLastCommit: { round: 0, votes: [] } });
    expect(fin.txResults.map((r) => r.code)).toEqual([0]);
    const commit = await consensus.commit();
    expect(commit.retainHeight).toBe(0n);

    const info = await query.info({});
    expect(info.lastBlockHeight).toBe(1n);
    expect(Buffer.from(info.lastBlockAppHash).equals(Buffer.from(fin.appHash))).toBe(true);
    const q = await query.query({ path: '/cosmos.bank.v1beta1.Query/Balance', data: QueryBalanceRequest.encode({ address: bob.address, denom: 'ukex' }).finish() });
    expect(q.height).toBe(1n);
    expect(QueryBalanceResponse.decode(q.value).balance!.amount).toBe('1000000042');
    // After Commit the check state is the committed one: the next sequence is admitted.
    expect((await mempool.checkTx({ tx: rawSend(alice, { from: alice.address, to: bob.address, sequence: 1n, accountNumber: 0n }) })).code).toBe(0);
    expect((await consensus.listSnapshots()).snapshots).toEqual([]);
    expect((await consensus.verifyVoteExtension({ height: 2n })).status).toBe(1);
  } finally {
    for (const c of [query, mempool, consensus]) await c.close();
    await server.close();
    await t.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
