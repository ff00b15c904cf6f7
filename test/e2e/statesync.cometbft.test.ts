/**
 * State sync under two real CometBFT v0.38 nodes on loopback, each with its own sekaid-ts
 * ABCI process:
 *
 * - the validator runs with `snapshot-interval` set and builds varied state (new accounts,
 *   a registered name, a governance proposal, the validator's rank, a notary era from
 *   genesis and the notary block records every block writes, a bridge deposit attested by
 *   its listener) over a hundred-odd blocks;
 * - its newest snapshot is then rewritten so that its chunks and hashes are consistent but
 *   one leaf differs: the restored root cannot match the AppHash the light client verified;
 * - a second node with `[statesync] enable = true`, the validator's RPC as `rpc_servers` and
 *   a trusted height and hash from it joins: it must refuse the tampered snapshot (nothing of
 *   it kept), fall back to the older one, restore it, and follow the chain by block sync.
 *
 * Checked: the joiner's block store starts after the snapshot (it never replayed the blocks
 * before it), its app holds no state below the snapshot height, its AppHash (abci_info) is
 * the validator's chain's at the heights it reaches, and its answers to queries (balances,
 * validators with ranks, proposals, accounts, notary eras, bridge chains and events) equal
 * the validator's at the same height.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { SigningStargateClient } from '@cosmjs/stargate';
import { QueryBalanceRequest } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { QueryEventsRequest } from '../../proto/gen/sekai/bridge/v1/query';
import { SnapshotStore, sha256 } from '../../node/snapshots';
import { SNAPSHOT_FORMAT, SnapshotDecoder, SnapshotEncoder, isMarker, type SnapshotItem } from '../../store/snapshots/format';
import { ok, removeDir, tempDir } from '../cli/cli';
import { describeWithCometBFT } from '../cometbft';
import { CHAIN_ID, cleanup, createDevHome, spawnCli, type DevHome, type NodeProcess } from './cliChain';
import { jsonLog, ports, rpcGet, startComet as spawnComet, tuneApp, tuneComet, until, type Ports } from './statesyncKit';

/** Snapshots every 60 heights: three of them take about 180 blocks (100 ms timeout_commit). */
const INTERVAL = 60;

/**
 * Rewrites snapshot (height, format) in `dir` with one leaf value changed and every hash
 * recomputed: a snapshot that passes every chunk check and fails only the final root check.
 */
function tamper(dir: string, height: number): void {
  const store = SnapshotStore.open(dir);
  const info = store.get(height, SNAPSHOT_FORMAT)!;
  const compressed = Buffer.concat(Array.from({ length: info.chunks }, (_, i) => readFileSync(store.chunkPath(height, SNAPSHOT_FORMAT, i))));
  const dec = new SnapshotDecoder();
  const items: SnapshotItem[] = dec.push(gunzipSync(compressed));
  dec.finish();
  const enc = new SnapshotEncoder();
  let changed = false;
  for (const it of items) {
    if (isMarker(it)) {
      if (it.kind === 'app') enc.app(it.data);
      else if (it.kind === 'store') enc.store(it.name);
      else enc.end();
    } else if (!changed && it.height === 0 && it.value!.length > 0) {
      const value = Uint8Array.from(it.value!);
      value[0] ^= 0x01;
      enc.node({ ...it, value });
      changed = true;
    } else enc.node(it);
  }
  const gz = gzipSync(enc.take());
  const size = Math.ceil(gz.length / 2);
  const chunks = [gz.subarray(0, size), gz.subarray(size)];
  const draft = store.draft(height, SNAPSHOT_FORMAT);
  chunks.forEach((c, i) => writeFileSync(draft.chunkPath(i), c));
  draft.commit({ ...info, chunks: 2, chunkHashes: chunks.map(sha256), hash: sha256(gz), bytes: gz.length });
}

describeWithCometBFT('state sync between two CometBFT nodes', (cometbft) => {
  let dev: DevHome;
  let joinerHome: string;
  const procs: Array<{ kill: () => Promise<unknown> }> = [];
  let valPorts: Ports;
  let joinPorts: Ports;
  const logs = { val: '', join: '' };
  let valAbci: NodeProcess;
  let joinAbci: NodeProcess;
  let depositorPub = '';

  function startComet(home: string, p: Ports, which: 'val' | 'join'): ChildProcess {
    const c = spawnComet(cometbft.bin, home, p, (text) => (logs[which] = (logs[which] + text).slice(-200_000)));
    procs.push({ kill: c.kill });
    return c.child;
  }
  const tail = () => `validator cometbft:\n${logs.val.slice(-3000)}\njoiner cometbft:\n${logs.join.slice(-6000)}\njoiner app:\n${joinAbci?.stderr().slice(-4000)}`;
  const height = async (port: number) => Number((await rpcGet(port, '/status')).sync_info.latest_block_height);
  const waitHeight = (port: number, min: number, timeoutMs: number) =>
    until(`height ${min} on :${port}`, async () => ((await height(port)) >= min ? height(port) : undefined), timeoutMs, tail);

  beforeAll(async () => {
    dev = await createDevHome();
    // A notary era and a bridge (the validator's key listens and approves) in genesis.
    const g = (...a: string[]) => ok(['genesis', ...a, '--home', dev.home]);
    const pub = (k: { pubkey: string }) => Buffer.from((JSON.parse(k.pubkey) as { key: string }).key, 'base64').toString('hex');
    await g('add-notary', 'val', '--name', 'notary-val', '--keyring-backend', 'test');
    await g('bridge-set', '--processor', pub(dev.steps.keysBob), '--listeners', pub(dev.steps.keysVal), '--needed-listeners', '1', '--approvers', pub(dev.steps.keysVal), '--needed-approvers', '1');
    await g('bridge-add-chain', 'ethereum', '--contract', '0xbridge', '--asset', 'usdc:6:uusdc');
    depositorPub = pub(JSON.parse((await ok(['keys', 'add', 'depositor', '--keyring-backend', 'test', '--output', 'json', '--home', dev.home])).stdout));
    valPorts = await ports();
    joinPorts = await ports();
    tuneComet(dev.home);
    tuneApp(dev.home, (app) => {
      app['state-sync']['snapshot-interval'] = INTERVAL;
      app['state-sync']['snapshot-keep-recent'] = 0;
    });
    valAbci = await spawnCli(['start', '--with-comet=false', '--address', `tcp://127.0.0.1:${valPorts.abci}`, '--home', dev.home, '--log_level', 'warn'], /ABCI listening at /);
    procs.push({ kill: () => valAbci.stop() });
    startComet(dev.home, valPorts, 'val');
  }, 120_000);

  afterAll(async () => {
    // CometBFT first: it stops when its app goes away, and the app then closes cleanly.
    for (const p of procs.slice().reverse()) await p.kill().catch(() => undefined);
    cleanup(dev?.home);
    if (joinerHome) removeDir(joinerHome);
  });

  test('a new node restores the newest good snapshot after refusing a tampered one, then follows the chain with the same AppHash and answers', async () => {
    // ---- the validator builds varied state across a few snapshot intervals
    await waitHeight(valPorts.rpc, 3, 90_000);
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(dev.steps.keysVal.mnemonic, { prefix: 'kira' });
    const signer = await SigningStargateClient.connectWithSigner(`http://127.0.0.1:${valPorts.rpc}`, wallet, { broadcastPollIntervalMs: 200 });
    const fresh: string[] = [];
    for (let i = 0; i < 4; i++) {
      const w = await DirectSecp256k1HdWallet.generate(12, { prefix: 'kira' });
      fresh.push((await w.getAccounts())[0].address);
    }
    const node = `tcp://127.0.0.1:${valPorts.rpc}`;
    const cliTx = async (...a: string[]) => {
      const r = JSON.parse((await ok(['tx', ...a, '--from', 'val', '--chain-id', CHAIN_ID, '--fees', '100ukex', '--yes', '--broadcast-mode', 'block', '--home', dev.home, '--keyring-backend', 'test', '--node', node, '--output', 'json'])).stdout);
      expect(r.code).toBe(0);
    };
    try {
      for (const [i, to] of fresh.slice(0, 2).entries()) {
        expect((await signer.sendTokens(dev.val, to, [{ denom: 'ukex', amount: String(1000 + i) }], { amount: [{ denom: 'ukex', amount: '100' }], gas: '200000' })).code).toBe(0);
      }
      await cliTx('accountid', 'register-name', 'statesync_val');
      const deposit = { regular: { wallet: 'eth:0x' + '11'.repeat(20), funds: [{ denom: 'usdc', amount: '5000' }], keys: [depositorPub] } };
      await cliTx('bridge', 'attest', 'ethereum', '0', JSON.stringify(deposit));
      await cliTx('customgov', 'proposal', 'set-network-property', 'MIN_TX_FEE', '100', '--title', 'same fee', '--description', 'a proposal in the snapshot');
      await waitHeight(valPorts.rpc, INTERVAL + 2, 120_000);
      for (const [i, to] of fresh.slice(2).entries()) {
        expect((await signer.sendTokens(dev.val, to, [{ denom: 'ukex', amount: String(2000 + i) }], { amount: [{ denom: 'ukex', amount: '100' }], gas: '200000' })).code).toBe(0);
      }
    } finally {
      signer.disconnect();
    }
    await waitHeight(valPorts.rpc, 3 * INTERVAL + 1, 180_000);
    const snapDir = join(dev.home, 'data', 'snapshots');
    const made = await until(
      'three snapshots',
      async () => {
        const list = SnapshotStore.inspect(snapDir).list();
        return list.length >= 3 ? list : undefined;
      },
      60_000,
      tail,
    );
    const newest = made[0].height;
    const good = made[1].height;
    expect(newest % INTERVAL).toBe(0);
    tamper(snapDir, newest);

    // ---- the joiner: same genesis, empty state, state sync from the validator's RPC
    joinerHome = tempDir('sekai-statesync-');
    await ok(['init', 'joiner', '--chain-id', CHAIN_ID, '--home', joinerHome, '--output', 'json']);
    copyFileSync(join(dev.home, 'config', 'genesis.json'), join(joinerHome, 'config', 'genesis.json'));
    const trust = await rpcGet(valPorts.rpc, '/block?height=5');
    const valId = execFileSync(cometbft.bin, ['show-node-id', '--home', dev.home], { encoding: 'utf8' }).trim();
    tuneComet(joinerHome, (c) => {
      c.p2p.persistent_peers = `${valId}@127.0.0.1:${valPorts.p2p}`;
      c.statesync.enable = true;
      c.statesync.rpc_servers = `http://127.0.0.1:${valPorts.rpc},http://127.0.0.1:${valPorts.rpc}`;
      c.statesync.trust_height = 5;
      c.statesync.trust_hash = trust.block_id.hash;
      c.statesync.discovery_time = '5s';
      c.statesync.chunk_request_timeout = '15s';
    });
    tuneApp(joinerHome);
    joinAbci = await spawnCli(['start', '--with-comet=false', '--address', `tcp://127.0.0.1:${joinPorts.abci}`, '--home', joinerHome, '--log_level', 'info', '--log_format', 'json'], /ABCI listening at /);
    procs.push({ kill: () => joinAbci.stop() });
    startComet(joinerHome, joinPorts, 'join');

    const target = (await height(valPorts.rpc)) + 5;
    await waitHeight(joinPorts.rpc, target, 180_000);

    // The tampered snapshot was refused at its last chunk and wiped; the good one restored.
    const appLog = jsonLog(joinAbci.stderr());
    const rejected = appLog.filter((l) => l.msg === 'snapshot rejected; nothing of it is kept');
    expect(rejected.map((l) => l.height)).toEqual([newest]);
    expect(String(rejected[0].err)).toMatch(/restored to AppHash [0-9A-F]{64}, expected [0-9A-F]{64}/);
    expect(appLog.filter((l) => l.msg === 'snapshot restored').map((l) => l.height)).toEqual([good]);
    // Never replayed the blocks before the snapshot: its block store starts after it, and its
    // app has no state below it.
    const status = await rpcGet(joinPorts.rpc, '/status');
    expect(Number(status.sync_info.earliest_block_height)).toBeGreaterThan(good);
    const early = await rpcGet(joinPorts.rpc, `/abci_query?path="/cosmos.bank.v1beta1.Query/Balance"&data=0x${Buffer.from(QueryBalanceRequest.encode({ address: dev.val, denom: 'ukex' }).finish()).toString('hex')}&height=${good - 1}`);
    expect(early.response.code).not.toBe(0);

    // Same AppHash as the validator's chain at every height the joiner executed.
    const info = await rpcGet(joinPorts.rpc, '/abci_info');
    const last = Number(info.response.last_block_height);
    expect(last).toBeGreaterThanOrEqual(target - 1);
    const header = await rpcGet(valPorts.rpc, `/block?height=${last + 1}`).catch(async () => {
      await waitHeight(valPorts.rpc, last + 1, 60_000);
      return rpcGet(valPorts.rpc, `/block?height=${last + 1}`);
    });
    expect(Buffer.from(info.response.last_block_app_hash, 'base64').toString('hex').toUpperCase()).toBe(header.block.header.app_hash);
    for (let h = good + 1; h <= last; h += 7) {
      const [a, b] = await Promise.all([rpcGet(valPorts.rpc, `/block?height=${h}`), rpcGet(joinPorts.rpc, `/block?height=${h}`)]);
      expect(b.block.header.app_hash).toBe(a.block.header.app_hash);
    }

    // The same answers at the same height, from both apps.
    const at = last - 1;
    const q = async (port: number, path: string, data: Uint8Array) => {
      const r = await rpcGet(port, `/abci_query?path="${path}"&data=0x${Buffer.from(data).toString('hex')}&height=${at}`);
      return { code: r.response.code, value: r.response.value };
    };
    const queries: Array<[string, Uint8Array]> = [
      ...[dev.val, ...fresh].map((address): [string, Uint8Array] => ['/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest.encode({ address, denom: 'ukex' }).finish()]),
      ['/sekai.staking.v1.Query/Validators', new Uint8Array()],
      ['/sekai.gov.v1.Query/Proposals', new Uint8Array()],
      ['/sekai.accountid.v1.Query/Accounts', new Uint8Array()],
      ['/sekai.notarypay.v1.Query/Eras', new Uint8Array()],
      ['/sekai.bridge.v1.Query/Chains', new Uint8Array()],
      ['/sekai.bridge.v1.Query/Events', QueryEventsRequest.encode(QueryEventsRequest.fromPartial({ chain: 'ethereum' })).finish()],
    ];
    for (const [path, data] of queries) {
      const [a, b] = await Promise.all([q(valPorts.rpc, path, data), q(joinPorts.rpc, path, data)]);
      expect({ path, ...b }).toEqual({ path, ...a });
      expect(a.code).toBe(0);
      expect(a.value?.length ?? 0).toBeGreaterThan(0);
    }
  }, 600_000);
});
