/**
 * The same CLI commands against a real CometBFT v0.38 node (`COMETBFT_BIN`): the home made
 * by init / keys add / add-genesis-account / gentx-claim runs under `cometbft node`, with
 * `sekaid-ts start --with-comet=false` serving the ABCI socket. Skipped without a binary.
 * Its app.toml lists two `index-events`, so CometBFT's indexer finds txs by those attributes
 * and by no others.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readAppConfig, writeAppConfig } from '../../node/config';
import { cli, ok, oneLineError } from '../cli/cli';
import { describeWithCometBFT, freePort } from '../cometbft';
import { withNode } from '../../client';
import { CHAIN_ID, cleanup, createDevHome, spawnCli, type DevHome, type NodeProcess } from './cliChain';

const INDEXED = ['message.sender', 'transfer.recipient'];

// Each step spawns a CLI process (about 1 s on an idle machine, several under load).
jest.setTimeout(180_000);

async function waitForHeight(node: string, min: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const h = await withNode(node, async (c) => (await c.comet.status()).syncInfo.latestBlockHeight);
      if (h >= min) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`CometBFT at ${node} did not reach height ${min} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describeWithCometBFT('sekaid-ts CLI against a real CometBFT node', (cometbft) => {
  let dev: DevHome;
  let abci: NodeProcess;
  let comet: ChildProcess;
  let cometLog = '';
  let rpc: string;
  const h = (...a: string[]) => [...a, '--home', dev.home, '--node', rpc, '--output', 'json'];

  beforeAll(async () => {
    dev = await createDevHome();
    const appToml = join(dev.home, 'config', 'app.toml');
    const app = readAppConfig(appToml);
    app.base['index-events'] = INDEXED;
    writeAppConfig(appToml, app);
    const [abciPort, rpcPort, p2pPort] = [await freePort(), await freePort(), await freePort()];
    rpc = `tcp://127.0.0.1:${rpcPort}`;
    abci = await spawnCli(['start', '--with-comet=false', '--address', `tcp://127.0.0.1:${abciPort}`, '--transport', 'socket', '--home', dev.home, '--log_level', 'warn'], /ABCI listening at /);
    comet = spawn(cometbft.bin, ['node', '--home', dev.home, '--proxy_app', `tcp://127.0.0.1:${abciPort}`, '--rpc.laddr', rpc, '--p2p.laddr', `tcp://127.0.0.1:${p2pPort}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    comet.stdout!.on('data', (c: Buffer) => (cometLog += c.toString()));
    comet.stderr!.on('data', (c: Buffer) => (cometLog += c.toString()));
    try {
      await waitForHeight(rpc, 2, 60_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\ncometbft log:\n${cometLog.slice(-4000)}\nsekaid-ts log:\n${abci.stderr().slice(-2000)}`);
    }
  }, 180_000);

  afterAll(async () => {
    if (comet && comet.exitCode === null) {
      comet.kill('SIGTERM');
      await new Promise((r) => comet.once('exit', r));
    }
    await abci?.stop();
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
