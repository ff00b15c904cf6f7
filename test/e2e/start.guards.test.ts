/**
 * What `sekaid-ts start` (embedded engine) refuses before it makes a block: a validator set
 * its key cannot sign alone (a `testnet --validators 4` home), a busy RPC, gRPC-web or metrics
 * port, and a home another node is already running on. Each is one line on stderr, and
 * nothing is written.
 */
import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ok, oneLineError, removeDir, tempDir } from '../cli/cli';
import { freePort } from '../cometbft';
import { CHAIN_ID, cleanup, createDevHome, sideDoorFlags, startEmbedded, type DevHome } from './cliChain';

async function waitFor(cond: () => Promise<boolean>, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`condition not met in ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

jest.setTimeout(180_000);

const ports = () => sideDoorFlags([]);

test('a home of a 4-validator testnet is refused in one line that points to CometBFT', async () => {
  const dir = tempDir('sekai-guard-');
  try {
    await ok(['testnet', '--validators', '4', '--output-dir', dir, '--log_level', 'warn']);
    const home = join(dir, 'node0');
    const r = await cli(['start', '--home', home, '--rpc.laddr', `tcp://127.0.0.1:${await freePort()}`, ...(await ports())]);
    expect(oneLineError(r)).toMatch(/holds 1 of 4 voting power in the genesis validator set \(4 validators\).*`sekaid-ts start --with-comet=false` beside `cometbft node`/);
    // Refused before the state or the block store was opened.
    expect(existsSync(join(home, 'data', 'application.db'))).toBe(false);
    expect(existsSync(join(home, 'data', 'blockstore.db'))).toBe(false);
  } finally {
    removeDir(dir);
  }
});

describe('on a one-validator home', () => {
  let dev: DevHome;
  beforeAll(async () => {
    dev = await createDevHome();
  });
  afterAll(() => cleanup(dev?.home));

  test('a busy RPC port is refused before block 1', async () => {
    const busy: Server = createServer();
    const port = await new Promise<number>((resolve) => busy.listen(0, '127.0.0.1', () => resolve((busy.address() as { port: number }).port)));
    try {
      const r = await cli(['start', '--home', dev.home, '--rpc.laddr', `tcp://127.0.0.1:${port}`, ...(await ports())]);
      expect(oneLineError(r)).toBe(`Error: the RPC address tcp://127.0.0.1:${port} is in use: set another with --rpc.laddr or in config/app.toml: invalid usage`);
      expect(existsSync(join(dev.home, 'data', 'blockstore.db'))).toBe(false);
    } finally {
      busy.close();
    }
  });

  test.each([
    ['gRPC-web', '--grpc-web.address'],
    ['metrics', '--metrics.address'],
  ])('a busy %s port is refused before block 1', async (what, flag) => {
    const busy: Server = createServer();
    const port = await new Promise<number>((resolve) => busy.listen(0, '127.0.0.1', () => resolve((busy.address() as { port: number }).port)));
    try {
      const r = await cli(['start', '--home', dev.home, '--rpc.laddr', `tcp://127.0.0.1:${await freePort()}`, flag, `127.0.0.1:${port}`, ...(await sideDoorFlags([flag]))]);
      expect(oneLineError(r)).toBe(`Error: the ${what} address 127.0.0.1:${port} is in use: set another with ${flag} or in config/app.toml: invalid usage`);
      expect(existsSync(join(dev.home, 'data', 'blockstore.db'))).toBe(false);
    } finally {
      busy.close();
    }
  });

  test('a second start on a home in use says the home is locked', async () => {
    const { node } = await startEmbedded(dev.home);
    try {
      const r = await cli(['start', '--home', dev.home, '--rpc.laddr', `tcp://127.0.0.1:${await freePort()}`, ...(await ports()), '--log_level', 'warn']);
      expect(oneLineError(r)).toMatch(new RegExp(`^Error: the home ${dev.home} is locked: another sekaid-ts process \\(a running node\\) is using it; stop that one first`));
    } finally {
      expect(await node.stop()).toBe(0);
    }
  });
});

describe('on a home whose validator set grew after genesis', () => {
  let dev: DevHome;
  beforeAll(async () => {
    dev = await createDevHome();
  });
  afterAll(() => cleanup(dev?.home));

  test('a validator that joined after genesis counts: the current set is checked, not only the genesis set', async () => {
    // bob may claim a seat; a second home lends him a consensus key.
    const other = tempDir('sekai-guard-key-');
    try {
      const g = (...a: string[]) => [...a, '--home', dev.home];
      await ok(g('add-genesis-account', 'bob', '1000000000ukex'));
      await ok(g('genesis', 'whitelist-permission', 'bob', 'PERMISSION_CLAIM_VALIDATOR'));
      await ok(['init', 'other', '--chain-id', CHAIN_ID, '--home', other]);
      const pubkey = (await ok(['comet', 'show-validator', '--home', other])).stdout.trim();
      const { node, rpc } = await startEmbedded(dev.home);
      try {
        const claim = JSON.parse((await ok(['tx', 'customstaking', 'claim-validator-seat', '--moniker', 'bob-seat', '--pubkey', pubkey,
          '--from', 'bob', '--fees', '100ukex', '--chain-id', CHAIN_ID, '--yes', '--broadcast-mode', 'block',
          '--keyring-backend', 'test', '--home', dev.home, '--node', rpc, '--output', 'json'])).stdout);
        expect(claim.code).toBe(0);
        // The block store records the new set once CometBFT's rules make it current (H+2).
        await waitFor(async () => {
          const res = await fetch(`${rpc.replace('tcp://', 'http://')}/validators`);
          const body = (await res.json()) as { result?: { total?: string } };
          return body.result?.total === '2';
        }, 60_000);
      } finally {
        expect(await node.stop()).toBe(0);
      }
      const r = await cli(['start', '--home', dev.home, '--rpc.laddr', `tcp://127.0.0.1:${await freePort()}`, ...(await ports())]);
      expect(oneLineError(r)).toMatch(/holds 1 of 2 voting power in the current validator set \(2 validators\).*`sekaid-ts start --with-comet=false` beside `cometbft node`/);
    } finally {
      removeDir(other);
    }
  });
});
