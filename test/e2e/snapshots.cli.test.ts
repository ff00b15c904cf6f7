/**
 * `sekaid-ts snapshots` as real processes on a chain made by the CLI (embedded engine, two
 * bank sends): export refuses while the node runs; after it stops, export at a height whose
 * AppHash the next block header names, list, delete, dump to a .tar.gz, load it into a fresh
 * home and restore there: the restored AppHash is the one in the chain's header. A damaged
 * archive is refused with nothing added.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { cli, ok, oneLineError, removeDir, tempDir } from '../cli/cli';
import { freePort } from '../cometbft';
import { CHAIN_ID, cleanup, createDevHome, spawnCli, type DevHome, type NodeProcess } from './cliChain';

jest.setTimeout(120_000);

describe('sekaid-ts snapshots through the CLI', () => {
  let dev: DevHome;
  let node: NodeProcess | undefined;
  let rpc: string;
  let fresh: string;
  /** A height and its AppHash, as block height+1's header names it. */
  let height: number;
  let appHash: string;
  let last: number;
  const snap = (home: string, ...a: string[]) => ['snapshots', ...a, '--home', home, '--output', 'json'];

  beforeAll(async () => {
    dev = await createDevHome();
    fresh = tempDir('sekai-snap-fresh-');
    rpc = `tcp://127.0.0.1:${await freePort()}`;
    node = await spawnCli(['start', '--home', dev.home, '--rpc.laddr', rpc, '--block-time', '200ms', '--empty-block-interval', '1h', '--log_level', 'warn'], /RPC listening at /);
  }, 90_000);

  afterAll(async () => {
    await node?.stop();
    cleanup(dev?.home);
    if (fresh) removeDir(fresh);
  });

  test('list beside a running node leaves the snapshot draft it may be writing alone', async () => {
    const draft = join(dev.home, 'data', 'snapshots', '999999', '1.partial');
    mkdirSync(draft, { recursive: true });
    writeFileSync(join(draft, '0'), 'chunk being written');
    try {
      expect(JSON.parse((await ok(snap(dev.home, 'list'))).stdout).snapshots).toEqual([]);
      expect(readFileSync(join(draft, '0'), 'utf8')).toBe('chunk being written');
    } finally {
      rmSync(join(dev.home, 'data', 'snapshots', '999999'), { recursive: true, force: true });
    }
  });

  test('export refuses while the node runs, then snapshots a stopped node at the AppHash its chain recorded', async () => {
    expect(oneLineError(await cli(snap(dev.home, 'export')))).toMatch(/^Error: the application state in \S+ is in use: stop the node running on \S+ before exporting a snapshot/);
    for (const amount of ['1000ukex', '500ukex']) {
      const res = JSON.parse((await ok(['tx', 'bank', 'send', 'val', dev.bob, amount, '--fees', '100ukex', '--chain-id', CHAIN_ID, '--yes', '--broadcast-mode', 'block', '--home', dev.home, '--node', rpc, '--output', 'json'])).stdout);
      expect(res.code).toBe(0);
    }
    const status = (await (await fetch(`${rpc.replace('tcp', 'http')}/status`)).json()) as any;
    last = Number(status.result.sync_info.latest_block_height);
    height = last - 1;
    const block = (await (await fetch(`${rpc.replace('tcp', 'http')}/block?height=${last}`)).json()) as any;
    appHash = block.result.block.header.app_hash;
    expect(appHash).toMatch(/^[0-9A-F]{64}$/);
    expect(await node!.stop()).toBe(0);
    node = undefined;

    const made = JSON.parse((await ok(snap(dev.home, 'export', '--height', String(height)))).stdout);
    expect(made).toMatchObject({ height, format: 1, chunks: 1, app_hash: appHash });
    expect(made.keys).toBeGreaterThan(10);
    const latest = JSON.parse((await ok(snap(dev.home, 'export'))).stdout);
    expect(latest.height).toBe(last);
    expect(JSON.parse((await ok(snap(dev.home, 'list'))).stdout).snapshots.map((s: { height: number }) => s.height)).toEqual([last, height]);
    await ok(snap(dev.home, 'delete', String(last), '1'));
    expect(JSON.parse((await ok(snap(dev.home, 'list'))).stdout).snapshots.map((s: { height: number }) => s.height)).toEqual([height]);
    expect(oneLineError(await cli(snap(dev.home, 'delete', String(last), '1')))).toMatch(/no snapshot at height \d+ in format 1/);
  });

  test('dump, load into a fresh home and restore reproduce the AppHash; restoring twice is refused', async () => {
    const archive = join(fresh, 'snap.tar.gz');
    await ok(snap(dev.home, 'dump', String(height), '1', '-O', archive));
    await ok(['init', 'fresh-node', '--chain-id', CHAIN_ID, '--home', fresh, '--output', 'json']);
    copyFileSync(join(dev.home, 'config', 'genesis.json'), join(fresh, 'config', 'genesis.json'));
    expect(oneLineError(await cli(snap(fresh, 'restore', String(height), '1')))).toMatch(/no snapshot at height/);

    // A flipped byte inside a chunk: the archive is refused and nothing is added.
    const tar = gunzipSync(readFileSync(archive));
    const damaged = Buffer.from(tar);
    damaged[512 * 3 + 100] ^= 0xff;
    const bad = join(fresh, 'bad.tar.gz');
    writeFileSync(bad, gzipSync(damaged));
    expect(oneLineError(await cli(snap(fresh, 'load', bad)))).toMatch(/does not match its hash|first entry|where chunk/);
    expect(JSON.parse((await ok(snap(fresh, 'list'))).stdout).snapshots).toEqual([]);

    const loaded = JSON.parse((await ok(snap(fresh, 'load', archive))).stdout);
    expect(loaded).toMatchObject({ height, format: 1, app_hash: appHash });
    const restored = await ok(snap(fresh, 'restore', String(height), '1'));
    expect(JSON.parse(restored.stdout)).toEqual({ height, app_hash: appHash });
    expect(restored.stderr).toMatch(/restore \d+: 100% \(1\/1 chunks\)/);
    expect(oneLineError(await cli(snap(fresh, 'restore', String(height), '1')))).toMatch(/already holds height \d+; restore into a home without state/);
    // The dump of the restored home's snapshot is byte-identical to the original's.
    const again = join(fresh, 'again.tar.gz');
    await ok(snap(fresh, 'dump', String(height), '1', '-O', again));
    expect(gunzipSync(readFileSync(again)).equals(tar)).toBe(true);
  });
});
