/**
 * app.toml halt-height, end to end: `start` commits the halt height, says so, shuts down in
 * order and exits 0; started again with the same setting it refuses the next block with the
 * SDK's "halt per configuration" and a non-zero exit; with the setting cleared the chain goes
 * on from the halt height.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ok } from '../cli/cli';
import { cleanup, createDevHome, spawnCli, startEmbedded, type DevHome } from './cliChain';
import { freePort } from '../cometbft';

jest.setTimeout(180_000);

let dev: DevHome;

beforeAll(async () => {
  dev = await createDevHome();
}, 120_000);

afterAll(() => cleanup(dev?.home));

function setHaltHeight(height: number): void {
  const file = join(dev.home, 'config', 'app.toml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^halt-height = \d+$/m, `halt-height = ${height}`));
}

test('the node stops cleanly after committing halt-height, and goes on once it is cleared', async () => {
  setHaltHeight(4);
  const rpc = `tcp://127.0.0.1:${await freePort()}`;
  const node = await spawnCli(['start', '--home', dev.home, '--rpc.laddr', rpc, '--block-time', '200ms', '--log_level', 'warn'], /halt-height 4 reached/);
  // It stops by itself (no signal sent) with status 0.
  expect(node.child.exitCode ?? (await new Promise<number | null>((resolve) => node.child.once('exit', resolve)))).toBe(0);
  expect(node.stdout()).toMatch(/halt-height 4 reached: committed height 4, stopping the node/);

  // Same setting again: block 5 is refused before it executes, and the exit says why.
  const again = await spawnCli(['start', '--home', dev.home, '--rpc.laddr', `tcp://127.0.0.1:${await freePort()}`, '--block-time', '200ms', '--log_level', 'warn'], /RPC listening at /);
  // It stops by itself: wait for the exit (no signal), however slow the machine.
  const code = again.child.exitCode ?? (await new Promise<number | null>((resolve) => again.child.once('exit', resolve)));
  expect(code).not.toBe(0);
  expect(again.stderr()).toMatch(/halt per configuration height 4 time 0: block 5 is not executed/);

  setHaltHeight(0);
  const resumed = await startEmbedded(dev.home);
  try {
    const deadline = Date.now() + 60_000;
    let height = 0;
    while (height < 6 && Date.now() < deadline) {
      height = Number(JSON.parse((await ok(['status', '--node', resumed.rpc, '--output', 'json'])).stdout).sync_info.latest_block_height);
    }
    expect(height).toBeGreaterThanOrEqual(6);
  } finally {
    await resumed.node.stop();
  }
});
