/**
 * `sekaid-ts export` as a real process on a chain made by the CLI (init, keys add,
 * add-genesis-account, gentx-claim, start on the embedded engine, two bank sends): the
 * one-line error while the node still holds the databases; after it stops, the document at
 * the last height and at earlier ones (balances before and between the sends), that
 * `genesis validate` accepts it, that consensus_params come from the block store, the errors
 * of bad --height values, and, after the node ran again with aggressive pruning, the errors of
 * heights whose state or block is gone.
 * The state round trip itself (a new chain from the export) is export.e2e.test.ts.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ok, oneLineError, removeDir, tempDir } from '../cli/cli';
import { freePort } from '../cometbft';
import { CHAIN_ID, cleanup, createDevHome, spawnCli, type DevHome, type NodeProcess } from './cliChain';

// Every step is a CLI process (about 0.5-1 s on an idle machine, several under load).
jest.setTimeout(120_000);

type Coins = Array<{ denom: string; amount: string }>;
type Doc = {
  chain_id: string;
  initial_height: string;
  genesis_time: string;
  app_hash: string;
  validators: Array<{ address: string; pub_key: { type: string; value: string }; power: string }>;
  app_state: Record<string, any>;
};

const MODULES = ['accountid', 'bank', 'customgov', 'customstaking', 'customslashing', 'notarypay', 'bridge'];

/** The coins of `address` in an exported bank section ([] when it has none). */
function balance(doc: Doc, address: string): Coins {
  return doc.app_state.bank.balances.find((b: { address: string }) => b.address === address)?.coins ?? [];
}

describe('sekaid-ts export through the CLI', () => {
  let dev: DevHome;
  let node: NodeProcess | undefined;
  let rpc: string;
  /** Heights of the blocks holding the two sends, and the last committed height. */
  let h1: number;
  let h2: number;
  let last: number;
  let valAfter: Coins;
  const q = (...a: string[]) => [...a, '--home', dev.home, '--node', rpc, '--output', 'json'];
  const exp = (...a: string[]) => ['export', '--home', dev.home, ...a];

  /** The embedded node; a long empty-block interval so the chain only moves on txs. */
  async function start(extra: string[] = []): Promise<void> {
    rpc = `tcp://127.0.0.1:${await freePort()}`;
    node = await spawnCli(['start', '--home', dev.home, '--rpc.laddr', rpc, '--block-time', '200ms', '--log_level', 'warn', ...extra], /RPC listening at /);
  }
  const height = async () => Number(JSON.parse((await ok(q('status'))).stdout).sync_info.latest_block_height);
  /** Waits until the height has not moved for a few block times, and returns it. */
  async function settledHeight(): Promise<number> {
    let h = await height();
    for (;;) {
      await new Promise((r) => setTimeout(r, 700));
      const next = await height();
      if (next === h) return h;
      h = next;
    }
  }
  async function send(amount: string): Promise<number> {
    const res = JSON.parse((await ok(q('tx', 'bank', 'send', 'val', dev.bob, amount, '--fees', '100ukex', '--chain-id', CHAIN_ID, '--yes', '--broadcast-mode', 'block'))).stdout);
    expect(res.code).toBe(0);
    return Number(res.height);
  }
  async function exported(...a: string[]): Promise<Doc> {
    return JSON.parse((await ok(exp(...a))).stdout) as Doc;
  }

  beforeAll(async () => {
    dev = await createDevHome();
    await start(['--empty-block-interval', '1h']);
  }, 90_000);

  afterAll(async () => {
    await node?.stop();
    cleanup(dev?.home);
  });

  test('while the node runs, export says to stop it (one line, non-zero exit)', async () => {
    const line = oneLineError(await cli(exp()));
    expect(line).toMatch(/^Error: the application state in \S+ is in use: stop the node running on \S+ before exporting/);
    expect(line).toContain(dev.home);
  });

  test('after two sends and a stop, export prints the last height as a genesis document', async () => {
    h1 = await send('1000ukex');
    h2 = await send('500ukex');
    expect(h2).toBeGreaterThan(h1);
    expect(JSON.parse((await ok(q('query', 'bank', 'balances', dev.bob))).stdout).balances).toEqual([{ denom: 'ukex', amount: '1500' }]);
    valAfter = JSON.parse((await ok(q('query', 'bank', 'balances', dev.val))).stdout).balances;
    last = await settledHeight();
    expect(await node!.stop()).toBe(0);
    node = undefined;

    const r = await ok(exp());
    const doc = JSON.parse(r.stdout) as Doc;
    const genesis = JSON.parse(readFileSync(join(dev.home, 'config', 'genesis.json'), 'utf8'));
    expect(doc.chain_id).toBe(CHAIN_ID);
    expect(doc.initial_height).toBe(String(last + 1));
    expect(doc.app_hash).toBe('');
    expect(doc.genesis_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(Date.parse(doc.genesis_time)).toBeGreaterThan(Date.parse(genesis.genesis_time));
    expect(doc.validators).toHaveLength(1);
    expect(doc.validators[0]).toMatchObject({ address: genesis.validators[0].address, pub_key: genesis.validators[0].pub_key });
    expect(Object.keys(doc.app_state)).toEqual(expect.arrayContaining(MODULES));
    expect(balance(doc, dev.bob)).toEqual([{ denom: 'ukex', amount: '1500' }]);
    expect(balance(doc, dev.val)).toEqual(valAfter);
    // Exporting reads; it changes nothing (the same document twice).
    expect((await ok(exp())).stdout).toBe(r.stdout);
    expect((await ok(exp('--height', String(last)))).stdout).toBe(r.stdout);
  });

  test('--height gives the state of an earlier block', async () => {
    const between = await exported('--height', String(h1));
    expect(between.initial_height).toBe(String(h1 + 1));
    expect(balance(between, dev.bob)).toEqual([{ denom: 'ukex', amount: '1000' }]);
    const before = await exported('--height', String(h1 - 1));
    expect(before.initial_height).toBe(String(h1));
    expect(balance(before, dev.bob)).toEqual([]);
    expect(balance(before, dev.val)).toEqual([{ denom: 'ukex', amount: '1000000000000' }]);
    expect(Date.parse(before.genesis_time)).toBeLessThanOrEqual(Date.parse(between.genesis_time));
  });

  test('genesis validate accepts the exported documents', async () => {
    const latest = join(dev.home, 'exported.json');
    writeFileSync(latest, (await ok(exp())).stdout);
    expect(JSON.parse((await ok(['genesis', 'validate', latest, '--home', dev.home, '--output', 'json'])).stdout)).toEqual({ file: latest, valid: true });
    const earlier = join(dev.home, 'exported-h1.json');
    await ok(exp('--height', String(h1), '--output-document', earlier));
    expect(JSON.parse((await ok(['genesis', 'validate', earlier, '--home', dev.home, '--output', 'json'])).stdout)).toEqual({ file: earlier, valid: true });
    expect(balance(JSON.parse(readFileSync(earlier, 'utf8')), dev.bob)).toEqual([{ denom: 'ukex', amount: '1000' }]);
  });

  test('a node starts from the exported document at initial_height, and its own export knows that height', async () => {
    // The same keys and config with the exported genesis and empty data: the new chain's first block is last + 1.
    const home = tempDir('sekai-e2e-exported-');
    try {
      cpSync(join(dev.home, 'config'), join(home, 'config'), { recursive: true });
      writeFileSync(join(home, 'config', 'genesis.json'), (await ok(exp())).stdout);
      mkdirSync(join(home, 'data'));
      writeFileSync(join(home, 'data', 'priv_validator_state.json'), '{"height":"0","round":0,"step":0}\n');
      const port = await freePort();
      const fresh = await spawnCli(['start', '--home', home, '--rpc.laddr', `tcp://127.0.0.1:${port}`, '--block-time', '200ms', '--empty-block-interval', '100ms', '--log_level', 'warn'], /RPC listening at /);
      try {
        const status = ['status', '--node', `tcp://127.0.0.1:${port}`, '--output', 'json'];
        while (Number(JSON.parse((await ok(status)).stdout).sync_info.latest_block_height) < last + 1) await new Promise((r) => setTimeout(r, 200));
      } finally {
        expect(await fresh.stop()).toBe(0);
      }
      const again = JSON.parse((await ok(['export', '--home', home])).stdout) as Doc;
      expect(Number(again.initial_height)).toBeGreaterThan(last + 1);
      expect(balance(again, dev.bob)).toEqual([{ denom: 'ukex', amount: '1500' }]);
      expect(oneLineError(await cli(['export', '--home', home, '--height', String(last)]))).toBe(`Error: height ${last} is below the chain's initial height ${last + 1}: invalid usage`);
    } finally {
      removeDir(home);
    }
  });

  test('consensus_params are the chain\'s, not whatever genesis.json says now', async () => {
    const file = join(dev.home, 'config', 'genesis.json');
    const original = readFileSync(file, 'utf8');
    const genesis = JSON.parse(original);
    try {
      // An edited genesis.json must not leak into the export: the block store records the
      // parameters each height ran with.
      writeFileSync(file, JSON.stringify({ ...genesis, consensus_params: { ...genesis.consensus_params, block: { max_bytes: '4096', max_gas: '7' } } }, null, 2));
      const doc = JSON.parse((await ok(exp('--height', String(h2)))).stdout) as Doc & { consensus_params: Record<string, unknown> };
      expect(doc.consensus_params).toEqual(genesis.consensus_params);
    } finally {
      writeFileSync(file, original);
    }
  });

  test('a bad --height is one error line and a non-zero exit', async () => {
    for (const bad of ['0', '-1', 'abc', '1.5', '']) {
      expect(oneLineError(await cli(exp(`--height=${bad}`)))).toBe(`Error: --height must be a positive integer, got "${bad}": invalid usage`);
    }
    expect(oneLineError(await cli(exp('--height', String(last + 1))))).toBe(`Error: height ${last + 1} is above the last committed height ${last}: invalid usage`);
    expect(oneLineError(await cli(exp('--height', '99999999999')))).toMatch(/height 99999999999 is above the last committed height/);
  });

  test('heights whose state or block was pruned are refused with what can be exported', async () => {
    // Keep 2 state versions and 1 block, then let the node commit a few empty blocks.
    const appToml = join(dev.home, 'config', 'app.toml');
    const text = readFileSync(appToml, 'utf8')
      .replace(/^pruning = .*$/m, 'pruning = "custom"')
      .replace(/^pruning-keep-recent = .*$/m, 'pruning-keep-recent = 2')
      .replace(/^pruning-interval = .*$/m, 'pruning-interval = 1')
      .replace(/^min-retain-blocks = .*$/m, 'min-retain-blocks = 1');
    writeFileSync(appToml, text);
    await start(['--empty-block-interval', '100ms']);
    while ((await height()) < last + 3) await new Promise((r) => setTimeout(r, 200));
    expect(await node!.stop()).toBe(0);
    node = undefined;

    const latest = await exported();
    const now = Number(latest.initial_height) - 1;
    expect(now).toBeGreaterThanOrEqual(last + 3);
    expect(balance(latest, dev.bob)).toEqual([{ denom: 'ukex', amount: '1500' }]);
    expect(oneLineError(await cli(exp('--height', String(h1))))).toBe(
      `Error: the state at height ${h1} was pruned (see pruning in app.toml); heights ${now - 1} to ${now} can be exported: invalid usage`,
    );
    // The state of now - 1 is kept but its block is not: its time is unknown.
    expect(oneLineError(await cli(exp('--height', String(now - 1))))).toMatch(
      new RegExp(`^Error: block ${now - 1} was pruned from the block store, which holds heights ${now} to ${now} \\(see min-retain-blocks in app.toml\\)`),
    );
  });
});
