/**
 * The block gas limit under a real CometBFT v0.38 node (`COMETBFT_BIN`): with genesis
 * `consensus_params.block.max_gas = 450000`, CheckTx refuses a tx asking for more, and
 * CometBFT's mempool, reaping by the gas_wanted CheckTx returned, never puts more than two
 * 200 000-gas txs in a block. Skipped without a binary.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { describeWithCometBFT } from '../cometbft';
import { buildAndSign, connectNode, queryAccount, type NodeConnection, type SigningKey } from '../../client';
import { openKeyring } from '../../keyring';
import { CHAIN_ID, cleanup, createDevHome, type DevHome } from './cliChain';
import { startCometHome, until, type CometHome } from './statesyncKit';

jest.setTimeout(240_000);

const MAX_GAS = 450_000n;

describeWithCometBFT('block gas limit under CometBFT', (cometbft) => {
  let dev: DevHome;
  let node: CometHome;
  let conn: NodeConnection;

  beforeAll(async () => {
    dev = await createDevHome();
    const genesisFile = join(dev.home, 'config/genesis.json');
    const genesis = JSON.parse(readFileSync(genesisFile, 'utf8'));
    expect(genesis.consensus_params.block.max_gas).toBe('300000000');
    genesis.consensus_params.block.max_gas = MAX_GAS.toString();
    writeFileSync(genesisFile, JSON.stringify(genesis, null, 2));
    node = await startCometHome(cometbft.bin, dev.home);
    conn = await connectNode(node.rpc);
  }, 240_000);

  afterAll(async () => {
    conn?.disconnect();
    await node?.stop();
    cleanup(dev?.home);
  });

  test('CheckTx refuses a tx over max_gas, and no block holds more gas than max_gas', async () => {
    const keyring = openKeyring({ home: dev.home, backend: 'test' });
    const info = await keyring.get('val');
    const key: SigningKey = { address: dev.val, pubKey: info.pubKey, signer: await keyring.signer('val') };
    const account = await queryAccount(conn, dev.val);
    const sendTx = (sequence: bigint, gas: bigint, amount: string) =>
      buildAndSign(undefined, key, [{ typeUrl: MsgSend.typeUrl, value: { fromAddress: dev.val, toAddress: dev.bob, amount: [{ denom: 'ukex', amount }] } }], {
        chainId: CHAIN_ID,
        account: { accountNumber: account.accountNumber, sequence },
        gas,
        fees: [{ denom: 'ukex', amount: '100' }],
      });

    const over = await sendTx(account.sequence, MAX_GAS + 1n, '1');
    const refused = await conn.call((c) => c.broadcastTxSync({ tx: over.txBytes }));
    expect({ code: refused.code, codespace: refused.codespace }).toEqual({ code: 41, codespace: 'sdk' });
    expect(refused.log).toContain(`exceeds the block max gas ${MAX_GAS}`);

    const start = (await conn.call((c) => c.status())).syncInfo.latestBlockHeight;
    const amounts = ['11', '12', '13', '14', '15', '16'];
    for (let i = 0; i < amounts.length; i++) {
      const signed = await sendTx(account.sequence + BigInt(i), 200_000n, amounts[i]);
      const res = await conn.call((c) => c.broadcastTxSync({ tx: signed.txBytes }));
      expect(res.code).toBe(0);
    }
    // Every tx commits, in blocks of at most two.
    let seen = 0;
    let h = start;
    const perBlock: number[] = [];
    await until(
      'all six sends committed',
      async () => {
        const latest = (await conn.call((c) => c.status())).syncInfo.latestBlockHeight;
        for (; h < latest; h++) {
          const results: { code: number; gasWanted: bigint }[] = (await conn.call(async (c) => (await c.blockResults(h + 1)) as unknown as { results: { code: number; gasWanted: bigint }[] })).results;
          const wanted = results.reduce((g, r) => g + BigInt(r.gasWanted), 0n);
          expect(wanted).toBeLessThanOrEqual(MAX_GAS);
          const sends = results.filter((r) => r.code === 0).length;
          if (sends > 0) perBlock.push(sends);
          seen += sends;
        }
        return seen >= amounts.length ? true : undefined;
      },
      120_000,
      node.log,
    );
    expect(seen).toBe(amounts.length);
    expect(Math.max(...perBlock)).toBeLessThanOrEqual(2);
  });
});
