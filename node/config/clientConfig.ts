/**
 * config/client.toml: the defaults of client commands (`tx`, `query`, `keys`, `status`), as the
 * Cosmos SDK's client.toml holds them. `init` writes it with the new chain's ID; `sekaid-ts
 * config <key> <value>` edits it. A flag on the command line always wins over the file.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { checkOneOf, readToml, renderToml, type SectionSpec, type TomlScalar, type TomlSection } from './toml';

/** Backends a client.toml may name (keyring/keyring.ts decides which this machine can open). */
export const CLIENT_KEYRING_BACKENDS = ['os', 'file', 'test'] as const;
export const CLIENT_OUTPUTS = ['text', 'json'] as const;
export const CLIENT_BROADCAST_MODES = ['sync', 'async', 'block'] as const;

export function defaultClientConfig() {
  return {
    base: {
      'chain-id': '',
      // The encrypted keyring: a home made for real funds never keeps keys in plaintext unless
      // asked to. The SDK's default is "os", which sekaid-ts cannot offer (README "Keys");
      // development homes name "test" (`init --keyring-backend test`, `testnet`, `npm start`).
      'keyring-backend': 'file',
      output: 'text',
      node: 'tcp://localhost:26657',
      'broadcast-mode': 'sync',
    },
  };
}

export type ClientConfig = ReturnType<typeof defaultClientConfig>;
export type ClientConfigKey = keyof ClientConfig['base'];
export const CLIENT_CONFIG_KEYS = Object.keys(defaultClientConfig().base) as ClientConfigKey[];

/** tcp://host:port, http(s)://host[:port][/path] or unix://path. */
export const checkNodeUrl = (v: TomlScalar): string | undefined =>
  typeof v === 'string' && /^(tcp|https?):\/\/[^\s/]+(:\d{1,5})?(\/\S*)?$|^unix:\/\/\S+$/.test(v) ? undefined : 'must look like tcp://host:port or http(s)://host:port';

export const CLIENT_SCHEMA: SectionSpec[] = [
  {
    name: '',
    title: 'Client configuration',
    keys: [
      { key: 'chain-id', doc: 'Chain ID txs are signed for; empty = ask the node.' },
      { key: 'keyring-backend', doc: 'Where keys are kept: file (encrypted with a passphrase, the default) | test (plaintext, development only) | os (the SDK\'s system secret service: not supported by sekaid-ts).', check: checkOneOf(...CLIENT_KEYRING_BACKENDS) },
      { key: 'output', doc: 'Output format of client commands: text (YAML) | json.', check: checkOneOf(...CLIENT_OUTPUTS) },
      { key: 'node', doc: 'CometBFT RPC endpoint of the node client commands talk to.', check: checkNodeUrl },
      { key: 'broadcast-mode', doc: 'How tx commands wait: sync (CheckTx) | async (nothing) | block (the block).', check: checkOneOf(...CLIENT_BROADCAST_MODES) },
    ],
  },
];

const HEADER = `Client settings of sekaid-ts (client.toml), read by tx, query, keys and status commands.
A flag on the command line wins over the value here. Edit with \`sekaid-ts config <key> <value>\`.`;

export function renderClientConfig(config: ClientConfig): string {
  return renderToml(HEADER, CLIENT_SCHEMA, { '': config.base as TomlSection });
}

export function parseClientConfig(text: string, file = 'client.toml'): ClientConfig {
  const { '': base } = readToml(file, text, CLIENT_SCHEMA, { '': defaultClientConfig().base as TomlSection });
  return { base } as unknown as ClientConfig;
}

/** The file's settings, or the defaults when the home has no client.toml. */
export function readClientConfig(path: string): ClientConfig {
  return existsSync(path) ? parseClientConfig(readFileSync(path, 'utf8'), path) : defaultClientConfig();
}

export function writeClientConfig(path: string, config: ClientConfig): void {
  writeFileSync(path, renderClientConfig(config), { mode: 0o644 });
}

/** Checks `value` for `key` as the reader would; returns the reason when it is refused. */
export function checkClientSetting(key: string, value: string): string | undefined {
  const spec = CLIENT_SCHEMA[0].keys.find((k) => k.key === key);
  if (!spec) return `unknown key "${key}"; client.toml has ${CLIENT_CONFIG_KEYS.join(', ')}`;
  const reason = spec.check?.(value);
  return reason ? `${key} ${reason}, got "${value}"` : undefined;
}
