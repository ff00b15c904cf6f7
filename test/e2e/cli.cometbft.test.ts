/**
 * The same CLI commands against a real CometBFT v0.38 node (`COMETBFT_BIN`): the home made
 * by init / keys add / add-genesis-account / gentx-claim runs under `cometbft node`, with
 * `sekaid-ts start --with-comet=false` serving the ABCI socket. Skipped without a binary.
 * Its app.toml lists two `index-events`, so CometBFT's indexer finds txs by those attributes
 * and by no others.
 */
import { cli, ok, oneLineError } from '../cli/cli';
import { describeWithCometBFT } from '../cometbft';
import { CHAIN_ID, cleanup, createDevHome, type DevHome } from './cliChain';
import { startCometHome, tuneApp, type CometHome } from './statesyncKit';

const INDEXED = ['message.sender', 'transfer.recipient'];

// Each step spawns a CLI process (about 1 s on an idle machine, several under load).
jest.setTimeout(180_000);

describeWithCometBFT('sekaid-ts CLI against a real CometBFT node', (cometbft) => {
  let dev: DevHome;
  let node: CometHome;
  let rpc: string;
  const h = (...a: string[]) => [...a, '--home', dev.home, '--node', rpc, '--output', 'json'];

  beforeAll(async () => {
    dev = await createDevHome();
    tuneApp(dev.home, (app) => (app.base['index-events'] = INDEXED));
    node = await startCometHome(cometbft.bin, dev.home);
    rpc = node.rpc;
  }, 180_000);

  afterAll(async () => {
    await node?.stop();
    cleanup(dev?.home);
  });

  test('status, tx bank send in block mode, query tx and balances', async () => {
    const s = JSON.parse((await ok(h('status'))).stdout);
    expect(s.node_info.network).toBe(CHAIN_ID);
    expect(s.node_info.version).toMatch(/^0\.38\./);

    const res = JSON.parse((await ok(h('tx', 'bank', 'send', 'val', dev.bob, '2500ukex', '--fees', '100ukex', '--chain-id', CHAIN_ID, '--yes', '--broadcast-mode', 'block'))).stdout);
    expect(res.code).toBe(0);
    expect(Number(res.height)).toBeGreaterThan(0);
    expect(res.tx.body.messages[0]).toMatchObject({ '@type': '/cosmos.bank.v1beta1.MsgSend', to_address: dev.bob });
    expect(JSON.parse((await ok(h('query', 'tx', res.txhash))).stdout)).toEqual(res);
    expect(JSON.parse((await ok(h('query', 'bank', 'balances', dev.bob))).stdout).balances).toEqual([{ denom: 'ukex', amount: '2500' }]);
    const found = JSON.parse((await ok(h('query', 'txs', '--events', `message.sender=${dev.val}`))).stdout);
    expect(found.txs.map((t: { txhash: string }) => t.txhash)).toContain(res.txhash);

    // index-events: CometBFT indexed the listed attributes only; the tx still carries every event.
    const byRecipient = JSON.parse((await ok(h('query', 'txs', '--events', `transfer.recipient=${dev.bob}`))).stdout);
    expect(byRecipient.txs.map((t: { txhash: string }) => t.txhash)).toEqual([res.txhash]);
    const bySpender = JSON.parse((await ok(h('query', 'txs', '--events', `coin_spent.spender=${dev.val}`))).stdout);
    expect(bySpender.txs).toEqual([]);
    expect(res.events.some((e: { type: string; attributes: { key: string; value: string }[] }) => e.type === 'coin_spent' && e.attributes.some((a) => a.key === 'spender' && a.value === dev.val))).toBe(true);
  });

  test('the same one-line errors', async () => {
    const send = (...extra: string[]) => ['tx', 'bank', 'send', 'val', dev.bob, '1ukex', '--home', dev.home, '--node', rpc, '--yes', ...extra];
    expect(oneLineError(await cli(send('--fees', '100ukex', '--chain-id', 'other-chain')))).toMatch(/does not match the chain of node .* "sekai-e2e-1"/);
    expect(oneLineError(await cli(send()))).toMatch(/failed \(sdk 13\): .*insufficient fee/);
  });
});
