/**
 * `sekaid-ts testnet start`: one command runs a local network under real CometBFT (homes,
 * an app and a cometbft node per validator, the RPCs printed, the first blocks awaited) and
 * Ctrl-C stops every process. Without a CometBFT binary it says where to get one.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { latestHeight } from '../../cmd/sekaid-ts/localnet';
import { BIN, cli, ok, oneLineError, removeDir, tempDir } from '../cli/cli';
import { describeWithCometBFT } from '../cometbft';
import { moveToFreePorts } from '../network';

jest.setTimeout(180_000);

test('without --cometbft, COMETBFT_BIN or cometbft on PATH it fails in one line and writes nothing', async () => {
  const dir = tempDir('sekai-testnet-');
  try {
    const r = await cli(['testnet', 'start', '--output-dir', join(dir, 'net')], { env: { COMETBFT_BIN: '', PATH: `${dirname(process.execPath)}:/usr/bin:/bin` } });
    expect(oneLineError(r)).toMatch(/^Error: no CometBFT binary: pass --cometbft <path> or set COMETBFT_BIN \(get CometBFT from https:\/\/github\.com\/cometbft\/cometbft\/releases \(v0\.38\.x\)\)/);
    const wrong = await cli(['testnet', 'start', '--output-dir', join(dir, 'net'), '--cometbft', '/nonexistent/cometbft']);
    expect(oneLineError(wrong)).toMatch(/^Error: CometBFT binary \/nonexistent\/cometbft does not run/);
    expect(existsSync(join(dir, 'net'))).toBe(false);
    expect((await cli(['testnet', 'start', '--help'])).stdout).toMatch(/--cometbft <path>/);
  } finally {
    removeDir(dir);
  }
});

describeWithCometBFT('testnet start', (cometbft) => {
  test('runs the homes under CometBFT, prints each RPC, commits blocks and stops every node on SIGINT', async () => {
    const dir = tempDir('sekai-testnet-');
    try {
      // Homes written first and moved to free ports, so the run cannot meet a busy default port.
      await ok(['testnet', '--validators', '2', '--output-dir', dir, '--log_level', 'warn']);
      await moveToFreePorts([join(dir, 'node0'), join(dir, 'node1')]);
      const child = spawn(BIN, ['testnet', 'start', '--output-dir', dir, '--cometbft', cometbft.bin, '--log_level', 'warn'], {
        env: { ...process.env, SEKAID_TS_FROM_SOURCE: '1', SEKAID_HOME: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const deadline = Date.now() + 150_000;
      while (!/Network running at height \d+/.test(out)) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`testnet start did not come up\nstdout: ${out}\nstderr: ${err}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(out).toMatch(/^Resuming the 2 node homes in /m);
      const rpcs = [...out.matchAll(/node\d: RPC (http:\/\/127\.0\.0\.1:\d+)/g)].map((m) => m[1]);
      expect(rpcs).toHaveLength(2);
      for (const rpc of rpcs) expect(await latestHeight(rpc)).toBeGreaterThanOrEqual(1);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out).toMatch(/All nodes stopped\n$/);
      // Every process is gone: no RPC answers.
      for (const rpc of rpcs) expect(await latestHeight(rpc)).toBeUndefined();
    } finally {
      removeDir(dir);
    }
  });
});
