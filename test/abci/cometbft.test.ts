/**
 * A real CometBFT v0.38 node driving the in-test kv application through the ABCI socket
 * server: handshake, InitChain, blocks, a broadcast tx and an abci_query, observed
 * through CometBFT's own RPC. Skipped unless COMETBFT_BIN names a v0.38 binary.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AbciServer } from '../../abci/server';
import { describeWithCometBFT, freePort } from '../cometbft';
import { sleep, tempDir } from './helpers';
import { KvApp, kvStateHash } from './kvApp';

interface RpcResult<T> {
  result?: T;
  error?: { code: number; message: string; data?: string };
}

interface Status {
  node_info: { version: string; network: string };
  sync_info: { latest_block_height: string; latest_app_hash: string };
}

async function rpc<T>(port: number, pathAndQuery: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${pathAndQuery}`);
  const body = (await res.json()) as RpcResult<T>;
  if (body.error || body.result === undefined) throw new Error(`${pathAndQuery}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/** Polls `check` until it returns a value, or fails with the node's recent output. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms: number, output: () => string): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what} (last error: ${String(last)})\n--- cometbft output ---\n${output().slice(-4000)}`);
}

describeWithCometBFT('kv app behind a real CometBFT node', (cometbft) => {
  let tmp: ReturnType<typeof tempDir>;
  let app: KvApp;
  let server: AbciServer;
  let node: ChildProcess | undefined;
  let output = '';
  let rpcPort: number;

  beforeAll(async () => {
    tmp = tempDir('cometbft-e2e-');
    const home = path.join(tmp.dir, 'home');
    execFileSync(cometbft.bin, ['init', '--home', home], { stdio: 'pipe' });
    // Short blocks keep the test quick; everything else stays at CometBFT's defaults.
    const configPath = path.join(home, 'config', 'config.toml');
    const config = fs.readFileSync(configPath, 'utf8');
    const patched = config.replace(/^timeout_commit = .*$/m, 'timeout_commit = "300ms"');
    if (patched === config) throw new Error(`no timeout_commit line in ${configPath}`);
    fs.writeFileSync(configPath, patched);

    app = new KvApp();
    server = new AbciServer(app);
    await server.listen('tcp://127.0.0.1:0');
    rpcPort = await freePort();
    const p2pPort = await freePort();
    node = spawn(
      cometbft.bin,
      [
        'node',
        '--home',
        home,
        '--proxy_app',
        server.address(),
        '--rpc.laddr',
        `tcp://127.0.0.1:${rpcPort}`,
        '--p2p.laddr',
        `tcp://127.0.0.1:${p2pPort}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const collect = (c: Buffer) => {
      output = (output + c.toString()).slice(-64_000);
    };
    node.stdout!.on('data', collect);
    node.stderr!.on('data', collect);
  }, 60_000);

  afterAll(async () => {
    if (node && node.exitCode === null) {
      const exited = new Promise((r) => node!.once('exit', r));
      node.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (node.exitCode === null) node.kill('SIGKILL');
    }
    await server?.close();
    tmp?.cleanup();
  });

  it('completes the handshake, runs InitChain and produces blocks', async () => {
    const status = await waitFor(
      'height 3',
      async () => {
        const s = await rpc<Status>(rpcPort, '/status');
        // CometBFT stores a block before the app commits it: wait for both.
        return Number(s.sync_info.latest_block_height) >= 3 && app.height >= 3n ? s : undefined;
      },
      60_000,
      () => output,
    );
    expect(status.node_info.version).toMatch(/^0\.38\./);
    expect(app.calls.slice(0, 2)).toEqual(['info', 'initChain']);
    expect(app.height).toBeGreaterThanOrEqual(3n);
    // The four connections CometBFT opens: query, snapshot, mempool, consensus.
    expect(server.connectionCount).toBe(4);
    const info = await rpc<{ response: { last_block_height: string; data: string } }>(rpcPort, '/abci_info');
    expect(info.response.data).toBe('kv');
    expect(BigInt(info.response.last_block_height)).toBeGreaterThanOrEqual(3n);
  }, 90_000);

  it('accepts a tx through the mempool, commits it and serves it through abci_query', async () => {
    const tx = Buffer.from('greeting=hello');
    const sent = await rpc<{ code: number; hash: string }>(rpcPort, `/broadcast_tx_sync?tx=0x${tx.toString('hex')}`);
    expect(sent.code).toBe(0);
    const value = await waitFor(
      'the tx to be committed',
      async () => {
        const q = await rpc<{ response: { code: number; value: string | null } }>(
          rpcPort,
          `/abci_query?path="/key"&data=0x${Buffer.from('greeting').toString('hex')}`,
        );
        return q.response.code === 0 && q.response.value ? Buffer.from(q.response.value, 'base64').toString() : undefined;
      },
      30_000,
      () => output,
    );
    expect(value).toBe('hello');
    const bad = await rpc<{ code: number }>(rpcPort, `/broadcast_tx_sync?tx=0x${Buffer.from('no-equals-sign').toString('hex')}`);
    expect(bad.code).not.toBe(0);
    // CometBFT's latest app hash is the one the app returned from FinalizeBlock. Blocks keep
    // coming, so compare when both sides report the same height.
    await waitFor(
      'a status at the app height',
      async () => {
        const st = await rpc<Status>(rpcPort, '/status');
        if (BigInt(st.sync_info.latest_block_height) !== app.height) return undefined;
        expect(st.sync_info.latest_app_hash.toLowerCase()).toBe(Buffer.from(kvStateHash(app.committed)).toString('hex'));
        return true;
      },
      10_000,
      () => output,
    );
  }, 60_000);
});
