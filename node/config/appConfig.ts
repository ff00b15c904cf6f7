/**
 * config/app.toml: settings of the sekai-ts application process (fees it accepts into its
 * mempool, state pruning, and the servers it runs beside the ABCI socket).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseCoins } from '../../types/coins';
import { CodedError } from '../../types/errors';
import { ErrInvalidConfig } from './errors';
import { checkHostPort, checkListenAddress, checkNonNegative, checkOneOf, readToml, renderToml, type SectionSpec, type TomlScalar, type TomlSection } from './toml';

export type PruningStrategy = 'default' | 'nothing' | 'everything' | 'custom';

/** Pruning presets, as in the Cosmos SDK: keep-recent versions, prune every `interval` blocks. */
export const PRUNING_PRESETS: Record<Exclude<PruningStrategy, 'custom'>, { keepRecent: number; keepEvery: number; interval: number }> = {
  // 362880 versions ≈ 3.5 weeks at 5 s blocks: covers an unbonding-period worth of queries.
  default: { keepRecent: 362880, keepEvery: 0, interval: 10 },
  nothing: { keepRecent: 0, keepEvery: 1, interval: 0 },
  // Keep only the last 2 versions (the one being written and the last committed).
  everything: { keepRecent: 2, keepEvery: 0, interval: 10 },
};

export function defaultAppConfig() {
  return {
    base: {
      'minimum-gas-prices': '',
      'minimum-fees': '100ukex',
      pruning: 'default',
      'pruning-keep-recent': 0,
      'pruning-keep-every': 0,
      'pruning-interval': 0,
      'iavl-write-ahead-log': true,
      'halt-height': 0,
      'halt-time': 0,
      'min-retain-blocks': 0,
      'index-events': [] as string[],
    },
    'state-sync': {
      'snapshot-interval': 0,
      'snapshot-keep-recent': 2,
    },
    abci: {
      address: 'tcp://127.0.0.1:26658',
    },
    rpc: {
      laddr: 'tcp://127.0.0.1:26657',
    },
    'grpc-web': {
      enable: true,
      address: '127.0.0.1:9091',
    },
    api: {
      enable: true,
      address: 'tcp://127.0.0.1:1317',
      'enabled-unsafe-cors': false,
      'cors-allowed-origins': [] as string[],
    },
    metrics: {
      enable: true,
      address: '127.0.0.1:26661',
    },
    ui: {
      enable: true,
      address: '127.0.0.1:8080',
    },
  };
}

export type AppConfig = ReturnType<typeof defaultAppConfig>;

/** "{eventType}.{attributeKey}": no spaces, a dot after a non-empty type. */
const INDEX_EVENT = /^[^\s.]+\.\S+$/;

const DEC_COINS = /^(\d+(\.\d+)?[a-zA-Z][a-zA-Z0-9/:._-]{2,127})(,\d+(\.\d+)?[a-zA-Z][a-zA-Z0-9/:._-]{2,127})*$/;

function checkCoins(v: TomlScalar): string | undefined {
  if (typeof v !== 'string') return 'must be a string';
  try {
    parseCoins(v);
    return undefined;
  } catch (err) {
    return `must be coins such as "100ukex" (${err instanceof CodedError ? err.message : 'unparsable'})`;
  }
}

export const APP_SCHEMA: SectionSpec[] = [
  {
    name: '',
    title: 'Base configuration',
    keys: [
      { key: 'minimum-gas-prices', doc: 'Minimum gas prices this node accepts into its mempool, per unit of gas (e.g. "0.01ukex"); empty = none.', check: (v) => (v === '' || (typeof v === 'string' && DEC_COINS.test(v)) ? undefined : 'must be decimal coins such as "0.01ukex" or empty') },
      { key: 'minimum-fees', doc: 'Minimum flat fee per transaction this node accepts into its mempool (KIRA style, e.g. "100ukex"); empty = none.', check: checkCoins },
      { key: 'pruning', doc: 'Pruning of old state versions: default | nothing | everything | custom\n  default: keep 362880 recent versions, prune every 10 blocks\n  nothing: keep every version (archive node)\n  everything: keep the 2 latest versions\n  custom: use pruning-keep-recent, pruning-keep-every and pruning-interval', check: checkOneOf('default', 'nothing', 'everything', 'custom') },
      { key: 'pruning-keep-recent', doc: 'custom pruning: number of recent versions to keep.', check: checkNonNegative },
      { key: 'pruning-keep-every', doc: 'custom pruning: also keep every N-th version (0 = none).', check: checkNonNegative },
      { key: 'pruning-interval', doc: 'custom pruning: prune every N blocks.', check: checkNonNegative },
      {
        key: 'iavl-write-ahead-log',
        doc: 'Commit appends the block\'s state changes to data/application.db/changes.wal and returns; the state trees are\nwritten right after, in the background, and replayed from that file after a crash. false = Commit writes them itself.',
      },
      { key: 'halt-height', doc: 'Stop the node after committing this height (0 = never); a later block is refused ("halt per configuration").', check: checkNonNegative },
      { key: 'halt-time', doc: 'Stop the node after committing the first block whose time is at or past this Unix time in seconds (0 = never).', check: checkNonNegative },
      {
        key: 'min-retain-blocks',
        doc: 'Blocks the node keeps: Commit asks CometBFT (or the embedded engine) to prune blocks older than the latest N (0 = keep all).',
        check: (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? undefined : 'must be a whole number of blocks, 0 or more'),
      },
      {
        key: 'index-events',
        doc: 'Event attributes the tx indexer (CometBFT\'s, or the embedded engine\'s) indexes, as "{eventType}.{attributeKey}",\ne.g. ["message.sender", "transfer.recipient"]; [] (default) = every attribute. tx.hash and tx.height are always indexed.\nA validator that serves no tx_search can list few or none and spend less CPU per tx (or set config.toml tx_index.indexer = "null").',
        check: (v) => (Array.isArray(v) && v.every((e) => typeof e === 'string' && INDEX_EVENT.test(e)) ? undefined : 'must be a list of "{eventType}.{attributeKey}" strings such as "message.sender"'),
      },
    ],
  },
  {
    name: 'state-sync',
    title: 'State sync snapshots (served to CometBFT nodes that join with [statesync] enable = true)',
    keys: [
      {
        key: 'snapshot-interval',
        doc: 'Take a snapshot of the state every N heights, in the background after Commit, into data/snapshots (0 = never).\nThe height is kept from state pruning until its snapshot is written.',
        check: checkNonNegative,
      },
      { key: 'snapshot-keep-recent', doc: 'Number of recent snapshots kept on disk (0 = keep all).', check: checkNonNegative },
    ],
  },
  {
    name: 'abci',
    title: 'ABCI server (CometBFT connects here: config.toml proxy_app)',
    keys: [{ key: 'address', doc: 'Listen address of the ABCI socket server.', check: checkListenAddress(false) }],
  },
  {
    name: 'rpc',
    title: 'CometBFT-compatible RPC (served by the embedded engine)',
    keys: [{ key: 'laddr', doc: 'Listen address of the JSON-RPC server.', check: checkListenAddress(true) }],
  },
  {
    name: 'grpc-web',
    title: 'gRPC-web',
    keys: [
      { key: 'enable', doc: 'Serve gRPC-web queries and tx broadcast.' },
      { key: 'address', doc: 'Listen address of the gRPC-web server.', check: checkHostPort(false) },
    ],
  },
  {
    name: 'api',
    title: 'REST (LCD) API and the CORS rule of every HTTP server',
    keys: [
      { key: 'enable', doc: 'Serve the Cosmos REST API (grpc-gateway paths: /cosmos/bank/v1beta1/balances/{address}, /cosmos/tx/v1beta1/txs, …).' },
      { key: 'address', doc: 'Listen address of the REST server.', check: checkListenAddress(false) },
      { key: 'enabled-unsafe-cors', doc: 'Allow cross-origin requests from any origin to the RPC, REST, gRPC-web and metrics servers (development only).' },
      {
        key: 'cors-allowed-origins',
        doc: 'Origins (e.g. "https://wallet.example") whose pages may call the RPC, REST, gRPC-web and metrics servers;\n[] (default) = none, unless enabled-unsafe-cors. config.toml rpc.cors_allowed_origins is added to this list.',
      },
    ],
  },
  {
    name: 'metrics',
    title: 'Application metrics (Prometheus text format)',
    keys: [
      { key: 'enable', doc: 'Serve application metrics under /metrics.' },
      { key: 'address', doc: 'Listen address of the metrics endpoint.', check: checkHostPort(false) },
    ],
  },
  {
    name: 'ui',
    title: 'Web UI: validator ranking and network explorer (built by `npm run build`)',
    keys: [
      { key: 'enable', doc: 'Serve the web UI at / and this node\'s RPC under /rpc on the same origin.' },
      { key: 'address', doc: 'Listen address of the web UI.', check: checkHostPort(false) },
    ],
  },
];

const HEADER = `sekai-ts application config (app.toml).
Relative paths are resolved against the node's home directory.`;

function toSections(config: AppConfig): Record<string, TomlSection> {
  const { base, ...rest } = config;
  return { '': base, ...rest } as Record<string, TomlSection>;
}

export function renderAppConfig(config: AppConfig): string {
  return renderToml(HEADER, APP_SCHEMA, toSections(config));
}

/** The pruning settings in force: the preset's, or the custom keys' (validated). */
export function pruningOptions(config: AppConfig, file = 'app.toml'): { keepRecent: number; keepEvery: number; interval: number } {
  const strategy = config.base.pruning as PruningStrategy;
  if (strategy !== 'custom') return PRUNING_PRESETS[strategy];
  const opts = { keepRecent: config.base['pruning-keep-recent'], keepEvery: config.base['pruning-keep-every'], interval: config.base['pruning-interval'] };
  if (opts.interval === 0) throw ErrInvalidConfig.wrap(`${file}: pruning-interval must be positive when pruning = "custom"`);
  if (opts.keepRecent < 2) throw ErrInvalidConfig.wrap(`${file}: pruning-keep-recent must be at least 2 when pruning = "custom"`);
  return opts;
}

export function parseAppConfig(text: string, file = 'app.toml'): AppConfig {
  const { '': base, ...rest } = readToml(file, text, APP_SCHEMA, toSections(defaultAppConfig()));
  const config = { base, ...rest } as unknown as AppConfig;
  pruningOptions(config, file);
  return config;
}

export function writeAppConfig(path: string, config: AppConfig): void {
  writeFileSync(path, renderAppConfig(config), { mode: 0o644 });
}

export function readAppConfig(path: string): AppConfig {
  return parseAppConfig(readFileSync(path, 'utf8'), path);
}
