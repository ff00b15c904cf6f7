/**
 * State sync from a peer that serves a damaged chunk, under real CometBFT v0.38 on loopback.
 *
 * Three nodes, each a `cometbft node` beside its own sekaid-ts ABCI process:
 * - the validator takes a snapshot every INTERVAL heights, and its app serves chunk 0 of every
 *   snapshot with the first byte flipped (SEKAID_TS_TEST_CORRUPT_SERVED_CHUNK, set only in
 *   this test's process environment for that app);
 * - a full node follows the chain from genesis and takes the same snapshots (same heights,
 *   same bytes), served intact;
 * - the joiner state-syncs with only the validator as a peer at first.
 *
 * The joiner's app must find that the chunk does not match the hash in the snapshot's
 * metadata, ask CometBFT to refetch it and reject the validator as a sender, and restore
 * nothing from it. The full node is then dialled; the chunk comes intact from it, the
 * snapshot restores, and the joiner follows the chain with the validator's AppHash.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { SnapshotStore } from '../../node/snapshots';
import { ok, removeDir, tempDir } from '../cli/cli';
import { describeWithCometBFT } from '../cometbft';
import { CHAIN_ID, cleanup, createDevHome, spawnCli, type DevHome, type NodeProcess } from './cliChain';
import { jsonLog, ports, rpcGet, startComet, tuneApp, tuneComet, until, type Ports } from './statesyncKit';

/** A snapshot every 20 heights (about 2 s with the 100 ms timeout_commit of tuneComet), all kept. */
const INTERVAL = 20;

describeWithCometBFT('state sync from a peer serving a corrupted chunk', (cometbft) => {
  let dev: DevHome;
  let fullHome = '';
  let joinHome = '';
  const procs: Array<{ kill: () => Promise<unknown> }> = [];
  const logs: Record<string, string> = { val: '', full: '', join: '' };
  const apps: Record<string, NodeProcess> = {};
  const p: Record<string, Ports> = {};
  const nodeId = (home: string) => execFileSync(cometbft.bin, ['show-node-id', '--home', home], { encoding: 'utf8' }).trim();
  const listed = (home: string) => (home ? SnapshotStore.inspect(join(home, 'data', 'snapshots')).list().map((s) => `${s.height}:${Buffer.from(s.hash).toString('hex').slice(0, 8)}`) : []);
  const tail = () =>
    [
      `snapshots: validator ${listed(dev?.home)}; full node ${listed(fullHome)}`,
      `full node cometbft:\n${logs.full.slice(-3000)}\nfull node app:\n${apps.full?.stderr().slice(-2000)}`,
      `joiner cometbft:\n${logs.join.slice(-6000)}\njoiner app:\n${apps.join?.stderr().slice(-4000)}\nvalidator app:\n${apps.val?.stderr().slice(-2000)}`,
    ].join('\n');
  const height = async (port: number) => Number((await rpcGet(port, '/status')).sync_info.latest_block_height);
  const waitHeight = (port: number, min: number, timeoutMs: number) =>
    until(`height ${min} on :${port}`, async () => ((await height(port)) >= min ? height(port) : undefined), timeoutMs, tail);

  async function startNode(which: 'val' | 'full' | 'join', home: string, env: Record<string, string> = {}): Promise<void> {
    const level = which === 'join' ? ['--log_level', 'info', '--log_format', 'json'] : ['--log_level', 'warn'];
    const app = await spawnCli(['start', '--with-comet=false', '--address', `tcp://127.0.0.1:${p[which].abci}`, '--home', home, ...level], /ABCI listening at /, 60_000, env);
    apps[which] = app;
    procs.push({ kill: () => app.stop() });
    procs.push(startComet(cometbft.bin, home, p[which], (text) => (logs[which] = (logs[which] + text).slice(-200_000))));
  }

  /** A home with the validator's genesis, following it (or, for the joiner, set by `edit`). */
  async function followerHome(moniker: string, edit: Parameters<typeof tuneComet>[1], snapshots: boolean): Promise<string> {
    const home = tempDir(`sekai-${moniker}-`);
    await ok(['init', moniker, '--chain-id', CHAIN_ID, '--home', home, '--output', 'json']);
    copyFileSync(join(dev.home, 'config', 'genesis.json'), join(home, 'config', 'genesis.json'));
    tuneComet(home, edit);
    tuneApp(home, (app) => {
      if (!snapshots) return;
      app['state-sync']['snapshot-interval'] = INTERVAL;
      app['state-sync']['snapshot-keep-recent'] = 0;
    });
    return home;
  }

  beforeAll(async () => {
    dev = await createDevHome();
    for (const w of ['val', 'full', 'join']) p[w] = await ports();
    tuneComet(dev.home);
    tuneApp(dev.home, (app) => {
      app['state-sync']['snapshot-interval'] = INTERVAL;
      app['state-sync']['snapshot-keep-recent'] = 0;
    });
    // The full node starts first, so it follows from block 1 and takes each snapshot with the validator.
    const valPeer = `${nodeId(dev.home)}@127.0.0.1:${p.val.p2p}`;
    fullHome = await followerHome('full', (c) => (c.p2p.persistent_peers = valPeer), true);
    await startNode('full', fullHome);
    await startNode('val', dev.home, { SEKAID_TS_TEST_CORRUPT_SERVED_CHUNK: '0' });
  }, 180_000);

  afterAll(async () => {
    for (const pr of procs.slice().reverse()) await pr.kill().catch(() => undefined);
    cleanup(dev?.home);
    for (const h of [fullHome, joinHome]) if (h) removeDir(h);
  });

  test('the damaged chunk is refused and its sender rejected; the chunk refetched from another peer restores the snapshot, and the joiner follows the chain', async () => {
    // Both serving nodes hold the same snapshot (same height, same chunk hashes).
    const snapshot = await until(
      'the same snapshot on the validator and the full node',
      async () => {
        const [a, b] = [SnapshotStore.inspect(join(dev.home, 'data', 'snapshots')).list(), SnapshotStore.inspect(join(fullHome, 'data', 'snapshots')).list()];
        const same = a.find((s) => b.some((t) => t.height === s.height && Buffer.compare(t.hash, s.hash) === 0));
        return same;
      },
      120_000,
      tail,
    );
    const trust = await rpcGet(p.val.rpc, '/block?height=2');
    const valId = nodeId(dev.home);
    joinHome = await followerHome(
      'joiner',
      (c) => {
        c.p2p.persistent_peers = `${valId}@127.0.0.1:${p.val.p2p}`;
        c.rpc.unsafe = true;
        c.statesync.enable = true;
        c.statesync.rpc_servers = `http://127.0.0.1:${p.val.rpc},http://127.0.0.1:${p.val.rpc}`;
        c.statesync.trust_height = 2;
        c.statesync.trust_hash = trust.block_id.hash;
        c.statesync.discovery_time = '5s';
        c.statesync.chunk_request_timeout = '5s';
      },
      false,
    );
    await startNode('join', joinHome);

    // The joiner's app refuses the chunk the validator sent and names the validator as a sender to reject.
    const refused = await until(
      'the joiner to refuse the damaged chunk',
      async () => jsonLog(apps.join.stderr()).find((l) => l.msg === 'snapshot chunk does not match its hash: refetching it and rejecting the sender'),
      120_000,
      tail,
    );
    expect(refused.chunk).toBe(0);
    expect(refused.sender).toBe(valId);
    expect(apps.val.stderr()).toMatch(/serving a corrupted snapshot chunk/);
    // Nothing restored meanwhile: the app reports no height.
    const info = await rpcGet(p.join.rpc, '/abci_info');
    expect(Number(info.response.last_block_height ?? 0)).toBe(0);
    expect(jsonLog(apps.join.stderr()).filter((l) => l.msg === 'snapshot restored')).toEqual([]);

    // A second peer with the same snapshot: the refetched chunk comes intact from it.
    const fullPeer = `${nodeId(fullHome)}@127.0.0.1:${p.full.p2p}`;
    await rpcGet(p.join.rpc, `/dial_peers?persistent=true&peers=${encodeURIComponent(JSON.stringify([fullPeer]))}`);
    const target = (await height(p.val.rpc)) + 5;
    await waitHeight(p.join.rpc, target, 180_000);

    const appLog = jsonLog(apps.join.stderr());
    const restored = appLog.filter((l) => l.msg === 'snapshot restored');
    expect(restored).toHaveLength(1);
    // The snapshot whose chunk was refused, its chunk refetched from the full node; or, when
    // CometBFT discovered a newer snapshot while it waited for a good sender, that one.
    // Never an older one, and never the damaged bytes (the AppHash checks below).
    expect(restored[0].height).toBeGreaterThanOrEqual(refused.height);
    expect(restored[0].height).toBeGreaterThanOrEqual(snapshot.height);
    // Every chunk-0 refusal named the validator, never the full node.
    const refusals = appLog.filter((l) => l.msg === 'snapshot chunk does not match its hash: refetching it and rejecting the sender');
    expect(new Set(refusals.map((l) => l.sender))).toEqual(new Set([valId]));
    // It never replayed the blocks before the snapshot, and its AppHash is the chain's.
    const status = await rpcGet(p.join.rpc, '/status');
    expect(Number(status.sync_info.earliest_block_height)).toBeGreaterThan(Number(restored[0].height));
    const after = await rpcGet(p.join.rpc, '/abci_info');
    const last = Number(after.response.last_block_height);
    await waitHeight(p.val.rpc, last + 1, 60_000);
    const header = await rpcGet(p.val.rpc, `/block?height=${last + 1}`);
    expect(Buffer.from(after.response.last_block_app_hash, 'base64').toString('hex').toUpperCase()).toBe(header.block.header.app_hash);
    for (let h = Number(restored[0].height) + 1; h <= last; h += 3) {
      const [a, b] = await Promise.all([rpcGet(p.val.rpc, `/block?height=${h}`), rpcGet(p.join.rpc, `/block?height=${h}`)]);
      expect(b.block.header.app_hash).toBe(a.block.header.app_hash);
    }
  }, 600_000);
});
