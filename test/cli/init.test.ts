import { fromBech32 } from '@cosmjs/encoding';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMET_SCHEMA, parseToml, parseAppConfig, parseCometConfig, validateGenesisDoc } from '../../node/config';
import { appModules } from '../../app/app';
import { cli, ok, oneLineError, readJson, removeDir, tempDir } from './cli';

// Each step spawns a CLI process (about 1 s on an idle machine, several under load).
jest.setTimeout(180_000);

const sha20 = (b: Buffer) => createHash('sha256').update(b).digest().subarray(0, 20);

let dir: string;
beforeAll(() => {
  dir = tempDir('cli-init-');
});
afterAll(() => removeDir(dir));

describe('sekaid-ts init', () => {
  test('writes a complete CometBFT v0.38 home', async () => {
    const home = join(dir, 'a');
    await ok(['init', 'my-node', '--chain-id', 'kira-local-1', '--home', home, '--timeout-commit', '2s']);
    for (const f of ['config/config.toml', 'config/app.toml', 'config/genesis.json', 'config/priv_validator_key.json', 'config/node_key.json', 'data/priv_validator_state.json']) {
      expect(existsSync(join(home, f))).toBe(true);
    }

    // config.toml: plain TOML with every section and key of CometBFT's template, our values in place.
    const toml = parseToml(readFileSync(join(home, 'config/config.toml'), 'utf8')) as Record<string, any>;
    for (const section of COMET_SCHEMA) {
      const table = section.name === '' ? toml : toml[section.name];
      expect(table).toBeDefined();
      for (const { key } of section.keys) expect(table[key]).toBeDefined();
    }
    expect(toml.proxy_app).toBe('tcp://127.0.0.1:26658');
    expect(toml.moniker).toBe('my-node');
    expect(toml.rpc.laddr).toBe('tcp://127.0.0.1:26657');
    expect(toml.p2p.laddr).toBe('tcp://0.0.0.0:26656');
    expect(toml.consensus.timeout_commit).toBe('2s');
    expect(toml.mempool.type).toBe('flood');
    expect(parseCometConfig(readFileSync(join(home, 'config/config.toml'), 'utf8')).base.moniker).toBe('my-node');

    const app = parseAppConfig(readFileSync(join(home, 'config/app.toml'), 'utf8'));
    expect(app.base['minimum-fees']).toBe('100ukex');
    expect(app['grpc-web'].address).toBe('127.0.0.1:9091');
    expect(app.abci.address).toBe(toml.proxy_app);

    // genesis.json: CometBFT's shape and rules.
    const genesis = readJson(join(home, 'config/genesis.json'));
    expect(() => validateGenesisDoc(genesis)).not.toThrow();
    expect(genesis.chain_id).toBe('kira-local-1');
    expect(genesis.initial_height).toBe('1');
    expect(Number.isNaN(Date.parse(genesis.genesis_time))).toBe(false);
    expect(genesis.consensus_params).toEqual({
      block: { max_bytes: '22020096', max_gas: '300000000' },
      evidence: { max_age_num_blocks: '100000', max_age_duration: '172800000000000', max_bytes: '1048576' },
      validator: { pub_key_types: ['ed25519'] },
      version: { app: '0' },
      abci: { vote_extensions_enable_height: '0' },
    });
    expect(genesis.validators).toEqual([]);
    expect(genesis.app_hash).toBe('');
    // Every module of the app contributes its default genesis section.
    expect(genesis.app_state).toEqual(appModules().defaultGenesis());

    // Key files: CometBFT's JSON, address = upper-hex sha256(pubkey)[:20], priv = seed || pub.
    const pv = readJson(join(home, 'config/priv_validator_key.json'));
    const pub = Buffer.from(pv.pub_key.value, 'base64');
    const priv = Buffer.from(pv.priv_key.value, 'base64');
    expect(pv.pub_key.type).toBe('tendermint/PubKeyEd25519');
    expect(pv.priv_key.type).toBe('tendermint/PrivKeyEd25519');
    expect(pub).toHaveLength(32);
    expect(priv.subarray(32).equals(pub)).toBe(true);
    expect(pv.address).toBe(sha20(pub).toString('hex').toUpperCase());
    expect(readJson(join(home, 'data/priv_validator_state.json'))).toEqual({ height: '0', round: 0, step: 0 });

    // comet show-*: derived from the same files.
    const nodeKey = readJson(join(home, 'config/node_key.json'));
    const nodePub = Buffer.from(nodeKey.priv_key.value, 'base64').subarray(32);
    expect((await ok(['comet', 'show-node-id', '--home', home])).stdout.trim()).toBe(sha20(nodePub).toString('hex'));
    expect(JSON.parse((await ok(['comet', 'show-validator', '--home', home])).stdout)).toEqual({ '@type': '/cosmos.crypto.ed25519.PubKey', key: pv.pub_key.value });
    const cons = fromBech32((await ok(['comet', 'show-address', '--home', home])).stdout.trim(), 90);
    expect(cons.prefix).toBe('kiravalcons');
    expect(Buffer.from(cons.data).equals(sha20(pub))).toBe(true);
  });

  test('refuses to overwrite an existing home unless --overwrite', async () => {
    const home = join(dir, 'b');
    await ok(['init', 'n', '--chain-id', 'c-1', '--home', home]);
    const before = readFileSync(join(home, 'config/priv_validator_key.json'), 'utf8');
    const line = oneLineError(await cli(['init', 'n', '--chain-id', 'c-1', '--home', home]));
    expect(line).toMatch(/already holds a node; pass --overwrite/);
    expect(readFileSync(join(home, 'config/priv_validator_key.json'), 'utf8')).toBe(before);
    await ok(['init', 'n2', '--chain-id', 'c-2', '--home', home, '--overwrite']);
    expect(readFileSync(join(home, 'config/priv_validator_key.json'), 'utf8')).not.toBe(before);
    expect(readJson(join(home, 'config/genesis.json')).chain_id).toBe('c-2');
  });

  test('client.toml names the encrypted file keyring unless init is told test; key commands follow it', async () => {
    const home = join(dir, 'kr-file');
    await ok(['init', 'n', '--chain-id', 'c-1', '--home', home]);
    expect(readFileSync(join(home, 'config/client.toml'), 'utf8')).toMatch(/^keyring-backend = "file"$/m);
    // No flag: the file keyring, which wants a passphrase (none on a pipe) and never writes plaintext.
    expect(oneLineError(await cli(['keys', 'add', 'k', '--home', home]))).toMatch(/no input on stdin for "Enter keyring passphrase"/);
    const added = JSON.parse((await ok(['keys', 'add', 'k', '--home', home, '--keyring-passphrase', 'secret-1', '-o', 'json'])).stdout);
    expect(existsSync(join(home, 'keyring-file/k.info'))).toBe(true);
    expect(existsSync(join(home, 'keyring-test'))).toBe(false);
    expect(readFileSync(join(home, 'keyring-file/k.info'), 'utf8')).not.toContain(added.address);

    const dev = join(dir, 'kr-test');
    await ok(['init', 'n', '--chain-id', 'c-1', '--home', dev, '--keyring-backend', 'test']);
    expect(readFileSync(join(dev, 'config/client.toml'), 'utf8')).toMatch(/^keyring-backend = "test"$/m);
    await ok(['keys', 'add', 'k', '--home', dev]);
    expect(existsSync(join(dev, 'keyring-test/k.info'))).toBe(true);
    expect(oneLineError(await cli(['init', 'n', '--chain-id', 'c-1', '--home', join(dir, 'kr-os'), '--keyring-backend', 'os']))).toMatch(/Allowed choices are file, test/);
  });

  test('SEKAID_HOME chooses the home when --home is absent', async () => {
    const home = join(dir, 'env-home');
    await ok(['init', 'n', '--chain-id', 'c-1'], { env: { SEKAID_HOME: home } });
    expect(existsSync(join(home, 'config/genesis.json'))).toBe(true);
  });

  test('a chain id over 50 characters is refused', async () => {
    const line = oneLineError(await cli(['init', 'n', '--chain-id', 'x'.repeat(51), '--home', join(dir, 'c')]));
    expect(line).toMatch(/chain id .* must be 1 to 50 characters/);
    expect(existsSync(join(dir, 'c', 'config'))).toBe(false);
  });
});
