import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAppConfig, parseCometConfig, validateGenesisDoc } from '../../node/config';
import { appModules } from '../../app/app';
import { cli, ok, oneLineError, readJson, removeDir, tempDir } from './cli';

// Each step spawns a CLI process (about 1 s on an idle machine, several under load).
jest.setTimeout(180_000);
/** Genesis edits of a module are only possible once the app includes it. */
const withModules = (...names: string[]) => (names.every((n) => appModules().modules.some((m) => m.name === n)) ? test : test.skip);


let dir: string;
beforeAll(() => {
  dir = tempDir('cli-testnet-');
});
afterAll(() => removeDir(dir));

const port = (addr: string) => Number(/:(\d+)$/.exec(addr)![1]);
const nodeId = (home: string) =>
  createHash('sha256')
    .update(Buffer.from(readJson(join(home, 'config/node_key.json')).priv_key.value, 'base64').subarray(32))
    .digest()
    .subarray(0, 20)
    .toString('hex');

describe('sekaid-ts testnet', () => {
  withModules('customstaking', 'customgov')('four validators on one host: shared genesis, distinct ports, full peer mesh', async () => {
    const out = join(dir, 'local');
    const summary = JSON.parse((await ok(['testnet', '--validators', '4', '--output-dir', out, '--chain-id', 'kira-net-1', '-o', 'json', '--log_level', 'warn'])).stdout);
    expect(summary.nodes).toHaveLength(4);
    const homes = [0, 1, 2, 3].map((i) => join(out, `node${i}`));
    const ids = homes.map(nodeId);

    const genesisText = readFileSync(join(homes[0], 'config/genesis.json'), 'utf8');
    for (const home of homes) expect(readFileSync(join(home, 'config/genesis.json'), 'utf8')).toBe(genesisText);
    const genesis = validateGenesisDoc(JSON.parse(genesisText));
    expect(genesis.chain_id).toBe('kira-net-1');
    expect(genesis.validators).toHaveLength(4);
    expect(genesis.validators.map((v) => v.pub_key.value)).toEqual(homes.map((h) => readJson(join(h, 'config/priv_validator_key.json')).pub_key.value));
    expect((genesis.app_state as any).customstaking.validators).toHaveLength(4);
    expect((genesis.app_state as any).bank.balances).toHaveLength(4);
    const addresses = summary.nodes.map((n: { address: string }) => n.address).sort();
    expect((genesis.app_state as any).bank.balances.map((b: { address: string }) => b.address)).toEqual(addresses);
    for (const b of (genesis.app_state as any).bank.balances) expect(b.coins).toEqual([{ denom: 'ukex', amount: '1000000000000' }]);
    expect((genesis.app_state as any).customgov.network_actors.every((a: { roles: string[] }) => a.roles.includes('1'))).toBe(true);

    const allPorts: number[] = [];
    homes.forEach((home, i) => {
      const c = parseCometConfig(readFileSync(join(home, 'config/config.toml'), 'utf8'));
      const a = parseAppConfig(readFileSync(join(home, 'config/app.toml'), 'utf8'));
      expect(c.base.moniker).toBe(`node${i}`);
      expect(c.p2p.allow_duplicate_ip).toBe(true);
      expect(c.p2p.addr_book_strict).toBe(false);
      expect(a.abci.address).toBe(c.base.proxy_app);
      const ports = [c.p2p.laddr, c.rpc.laddr, c.base.proxy_app, c.instrumentation.prometheus_listen_addr, a['grpc-web'].address, a.metrics.address].map(port);
      allPorts.push(...ports);
      // Peers: every other node, by its node ID, at its p2p port.
      const expected = homes
        .map((other, j) => ({ other, j }))
        .filter(({ j }) => j !== i)
        .map(({ other, j }) => `${ids[j]}@127.0.0.1:${port(parseCometConfig(readFileSync(join(other, 'config/config.toml'), 'utf8')).p2p.laddr)}`);
      expect(c.p2p.persistent_peers.split(',')).toEqual(expected);
      expect(existsSync(join(home, 'keyring-test', 'validator.info'))).toBe(true);
      // The node's client commands use the keyring its key is in, without a flag.
      expect(readFileSync(join(home, 'config', 'client.toml'), 'utf8')).toMatch(/^keyring-backend = "test"$/m);
      expect(readJson(join(home, 'key_seed.json')).secret.split(' ')).toHaveLength(24);
    });
    expect(new Set(allPorts).size).toBe(allPorts.length);

    // The written homes are ordinary homes: keys and comet commands work on them.
    const addr = (await ok(['keys', 'show', 'validator', '-a', '--home', homes[2]])).stdout.trim();
    expect(addr).toBe(summary.nodes[2].address);
    expect(oneLineError(await cli(['testnet', '--validators', '2', '--output-dir', out]))).toMatch(/already holds a node/);
  });

  test('--starting-ip-address gives consecutive addresses with standard ports', async () => {
    const out = join(dir, 'ips');
    await ok(['testnet', '--validators', '3', '--output-dir', out, '--starting-ip-address', '192.168.10.254', '--log_level', 'warn']);
    const homes = [0, 1, 2].map((i) => join(out, `node${i}`));
    const ids = homes.map(nodeId);
    const c1 = parseCometConfig(readFileSync(join(homes[1], 'config/config.toml'), 'utf8'));
    expect(c1.p2p.laddr).toBe('tcp://0.0.0.0:26656');
    expect(c1.p2p.external_address).toBe('192.168.10.255:26656');
    expect(c1.p2p.persistent_peers).toBe(`${ids[0]}@192.168.10.254:26656,${ids[2]}@192.168.11.0:26656`);
    expect(oneLineError(await cli(['testnet', '--output-dir', join(dir, 'x'), '--starting-ip-address', '300.1.1.1']))).toMatch(/not an IPv4 address/);
    expect(oneLineError(await cli(['testnet', '--output-dir', join(dir, 'y'), '--validators', 'four']))).toMatch(/--validators must be an integer/);
  });
});
