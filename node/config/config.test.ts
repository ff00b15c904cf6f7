import { CodedError } from '../../types/errors';
import {
  checkClientSetting,
  defaultAppConfig,
  defaultClientConfig,
  parseClientConfig,
  readClientConfig,
  renderClientConfig,
  defaultCometConfig,
  ed25519FromSeed,
  formatGenesisTime,
  genesisValidator,
  newGenesisDoc,
  parseAppConfig,
  parseCometConfig,
  pruningOptions,
  renderAppConfig,
  renderCometConfig,
  validateGenesisDoc,
} from './index';

function errorOf(fn: () => unknown): CodedError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CodedError);
    return err as CodedError;
  }
  throw new Error('expected an error');
}

describe('config.toml', () => {
  test('render then parse gives the same object, including awkward strings', () => {
    const c = defaultCometConfig();
    c.base.moniker = 'quote " back\\slash \t tab ünï';
    c.p2p.persistent_peers = `${'a'.repeat(40)}@10.0.0.1:26656,${'b'.repeat(40)}@host.example:26666`;
    c.rpc.cors_allowed_origins = ['*', 'https://x.example'];
    expect(parseCometConfig(renderCometConfig(c))).toEqual(c);
  });

  test('absent keys take defaults; unknown keys are ignored', () => {
    const c = parseCometConfig('moniker = "m"\n[p2p]\nseeds = ""\n[future_section]\nx = 1\n');
    expect(c.base.moniker).toBe('m');
    expect(c.consensus.timeout_commit).toBe(defaultCometConfig().consensus.timeout_commit);
  });

  test.each([
    ['[consensus]\ntimeout_commit = 5', /consensus\.timeout_commit must be a string/],
    ['[consensus]\ntimeout_commit = "5 seconds"', /consensus\.timeout_commit must be a duration/],
    ['[rpc]\nladdr = "127.0.0.1:26657"', /rpc\.laddr must look like tcp:\/\/host:port/],
    ['[mempool]\nsize = -1', /mempool\.size must not be negative/],
    ['[p2p]\npex = "yes"', /p2p\.pex must be a boolean/],
    ['[p2p]\npersistent_peers = "nodeid@1.2.3.4:26656"', /p2p\.persistent_peers has "nodeid@1\.2\.3\.4:26656"/],
    ['abci = "http"', /abci must be one of socket\|grpc/],
    ['p2p = 3', /\[p2p\] must be a table/],
  ])('%s is refused naming the key', (text, message) => {
    const err = errorOf(() => parseCometConfig(text));
    expect(err.codespace).toBe('config');
    expect(err.message).toMatch(message);
  });

  test('syntax errors give the line', () => {
    expect(errorOf(() => parseCometConfig('a = 1\n[p2p\n', 'x.toml')).message).toMatch(/x\.toml \(line 2, column \d+\)/);
  });
});

describe('app.toml', () => {
  test('round trip and pruning presets', () => {
    const a = defaultAppConfig();
    expect(parseAppConfig(renderAppConfig(a))).toEqual(a);
    expect(pruningOptions(a)).toEqual({ keepRecent: 362880, keepEvery: 0, interval: 10 });
  });

  test('custom pruning needs its keys; fees must be coins', () => {
    expect(errorOf(() => parseAppConfig('pruning = "custom"\npruning-keep-recent = 100')).message).toMatch(/pruning-interval must be positive/);
    expect(pruningOptions(parseAppConfig('pruning = "custom"\npruning-keep-recent = 100\npruning-interval = 5'))).toEqual({ keepRecent: 100, keepEvery: 0, interval: 5 });
    expect(errorOf(() => parseAppConfig('pruning = "sometimes"')).message).toMatch(/pruning must be one of default\|nothing\|everything\|custom/);
    expect(errorOf(() => parseAppConfig('minimum-fees = "100 ukex"')).message).toMatch(/minimum-fees must be coins/);
    expect(parseAppConfig('').base['min-retain-blocks']).toBe(0);
    expect(parseAppConfig('min-retain-blocks = 100').base['min-retain-blocks']).toBe(100);
    expect(errorOf(() => parseAppConfig('min-retain-blocks = -1')).message).toMatch(/min-retain-blocks must be a whole number of blocks/);
    expect(errorOf(() => parseAppConfig('min-retain-blocks = 2.5')).message).toMatch(/min-retain-blocks must be an integer/);
    expect(errorOf(() => parseAppConfig('[grpc-web]\naddress = "9091"')).message).toMatch(/grpc-web\.address must look like host:port/);
    expect(parseAppConfig('').base['index-events']).toEqual([]);
    expect(parseAppConfig('index-events = ["message.sender", "transfer.recipient"]').base['index-events']).toEqual(['message.sender', 'transfer.recipient']);
    expect(errorOf(() => parseAppConfig('index-events = ["sender"]')).message).toMatch(/index-events must be a list of "\{eventType\}\.\{attributeKey\}" strings/);
    expect(errorOf(() => parseAppConfig('index-events = ["message. sender"]')).message).toMatch(/index-events must be a list/);
  });
});

describe('genesis.json', () => {
  const key = ed25519FromSeed(new Uint8Array(32).fill(1));

  test('a new genesis with a validator passes CometBFT rules', () => {
    const doc = newGenesisDoc('chain-1', new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 600)));
    expect(doc.genesis_time).toBe('2024-01-02T03:04:05.6Z');
    doc.validators.push(genesisValidator(key.pubKey, 'v'));
    expect(validateGenesisDoc(JSON.parse(JSON.stringify(doc)))).toEqual(doc);
    expect(formatGenesisTime(new Date(Date.UTC(2024, 0, 2)))).toBe('2024-01-02T00:00:00Z');
  });

  const mutate = (edit: (d: any) => void) => {
    const d: any = JSON.parse(JSON.stringify(newGenesisDoc('chain-1', new Date(0))));
    d.validators.push(genesisValidator(key.pubKey, 'v'));
    edit(d);
    return d;
  };

  test.each([
    [(d: any) => (d.chain_id = ''), /chain_id: must not be empty/],
    [(d: any) => (d.chain_id = 'x'.repeat(51)), /chain_id: must be at most 50/],
    [(d: any) => (d.genesis_time = 'yesterday'), /genesis_time: must be an RFC 3339 time/],
    [(d: any) => (d.initial_height = 1), /initial_height: must be an integer in a string/],
    [(d: any) => (d.initial_height = '-1'), /initial_height: must not be negative/],
    [(d: any) => (d.consensus_params.block.max_bytes = '104857601'), /block\.max_bytes: must be at most 104857600/],
    [(d: any) => (d.consensus_params.block.max_gas = '-2'), /block\.max_gas: must be -1 or more/],
    [(d: any) => (d.consensus_params.evidence.max_bytes = '22020097'), /evidence\.max_bytes: must not exceed block\.max_bytes/],
    [(d: any) => (d.consensus_params.evidence.max_age_duration = '0'), /max_age_duration: must be a positive/],
    [(d: any) => (d.consensus_params.validator.pub_key_types = []), /pub_key_types: must list at least one/],
    [(d: any) => (d.validators[0].power = '0'), /validators\[0\]\.power: genesis validators must have positive voting power/],
    [(d: any) => (d.validators[0].pub_key.value = 'AAAA'), /validators\[0\]\.pub_key\.value: must be 32 bytes/],
    [(d: any) => d.validators.push(d.validators[0]), /validators\[1\]\.pub_key: the same consensus key appears twice/],
    [(d: any) => (d.app_hash = 'xyz'), /app_hash: must be hex/],
    [(d: any) => (d.app_state = []), /app_state: must be an object/],
  ])('refuses %#', (edit, message) => {
    const err = errorOf(() => validateGenesisDoc(mutate(edit)));
    expect(err.message).toMatch(message);
  });

  test('module validation runs through the registry hook', () => {
    const registry = {
      defaultGenesis: () => ({ bank: { balances: [] } }),
      validateGenesis: (s: Record<string, unknown>) => {
        if (!('bank' in s)) throw new Error('bank section missing');
      },
    };
    const doc = newGenesisDoc('c', new Date(0), registry);
    expect(doc.app_state).toEqual({ bank: { balances: [] } });
    expect(() => validateGenesisDoc(doc, registry)).not.toThrow();
    expect(() => validateGenesisDoc({ ...doc, app_state: {} }, registry)).toThrow(/bank section missing/);
  });
});

describe('client.toml', () => {
  test('round trip; absent file gives the defaults; bad values name the key', () => {
    const c = defaultClientConfig();
    c.base['chain-id'] = 'kira-1';
    c.base.node = 'http://10.0.0.1:36657';
    expect(parseClientConfig(renderClientConfig(c))).toEqual(c);
    expect(readClientConfig('/nonexistent/client.toml')).toEqual(defaultClientConfig());
    expect(errorOf(() => parseClientConfig('output = "yaml"')).message).toMatch(/output must be one of text\|json/);
    expect(errorOf(() => parseClientConfig('node = "localhost:26657"')).message).toMatch(/node must look like tcp:\/\/host:port/);
    expect(checkClientSetting('broadcast-mode', 'block')).toBeUndefined();
    expect(checkClientSetting('gas', '1')).toMatch(/unknown key "gas"/);
  });
});
