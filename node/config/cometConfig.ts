/**
 * config/config.toml in CometBFT v0.38's format: the same sections and keys `cometbft init`
 * writes, so a real CometBFT node accepts the home unchanged, with sekai-ts defaults for the
 * proxy app address and moniker. The same typed object configures the embedded engine.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import {
  checkDuration,
  checkHostPort,
  checkListenAddress,
  checkNonNegative,
  checkOneOf,
  readToml,
  renderToml,
  type SectionSpec,
  type TomlSection,
} from './toml';

/** The CometBFT release whose config format this file follows (written as `version`). */
export const COMETBFT_VERSION = '0.38.17';

/** CometBFT's defaults, except where sekai-ts needs its own (noted beside the value). */
export function defaultCometConfig() {
  return {
    base: {
      version: COMETBFT_VERSION,
      proxy_app: 'tcp://127.0.0.1:26658',
      moniker: 'sekai-node',
      db_backend: 'goleveldb',
      db_dir: 'data',
      log_level: 'info',
      log_format: 'plain',
      genesis_file: 'config/genesis.json',
      priv_validator_key_file: 'config/priv_validator_key.json',
      priv_validator_state_file: 'data/priv_validator_state.json',
      priv_validator_laddr: '',
      node_key_file: 'config/node_key.json',
      abci: 'socket',
      filter_peers: false,
    },
    rpc: {
      laddr: 'tcp://127.0.0.1:26657',
      cors_allowed_origins: [] as string[],
      cors_allowed_methods: ['HEAD', 'GET', 'POST'],
      cors_allowed_headers: ['Origin', 'Accept', 'Content-Type', 'X-Requested-With', 'X-Server-Time'],
      grpc_laddr: '',
      grpc_max_open_connections: 900,
      unsafe: false,
      max_open_connections: 900,
      max_subscription_clients: 100,
      max_subscriptions_per_client: 5,
      experimental_subscription_buffer_size: 200,
      experimental_websocket_write_buffer_size: 200,
      experimental_close_on_slow_client: false,
      timeout_broadcast_tx_commit: '10s',
      max_request_batch_size: 10,
      max_body_bytes: 1000000,
      max_header_bytes: 1048576,
      tls_cert_file: '',
      tls_key_file: '',
      pprof_laddr: '',
    },
    p2p: {
      laddr: 'tcp://0.0.0.0:26656',
      external_address: '',
      seeds: '',
      persistent_peers: '',
      addr_book_file: 'config/addrbook.json',
      addr_book_strict: true,
      max_num_inbound_peers: 40,
      max_num_outbound_peers: 10,
      unconditional_peer_ids: '',
      persistent_peers_max_dial_period: '0s',
      flush_throttle_timeout: '10ms',
      max_packet_msg_payload_size: 1024,
      send_rate: 5120000,
      recv_rate: 5120000,
      pex: true,
      seed_mode: false,
      private_peer_ids: '',
      allow_duplicate_ip: false,
      handshake_timeout: '20s',
      dial_timeout: '3s',
    },
    mempool: {
      type: 'flood',
      recheck: true,
      recheck_timeout: '1s',
      broadcast: true,
      wal_dir: '',
      // Twice CometBFT's 5,000: a 1 s block holds up to 3,000 sends (DEFAULT_BLOCK_MAX_GAS), and a
      // mempool that fills drops txs whose CheckTx already passed (bench/RESULTS.md, G9).
      size: 10000,
      max_txs_bytes: 1073741824,
      // At least the mempool's size, as CometBFT's defaults keep it.
      cache_size: 20000,
      'keep-invalid-txs-in-cache': false,
      max_tx_bytes: 1048576,
      max_batch_bytes: 0,
      experimental_max_gossip_connections_to_persistent_peers: 0,
      experimental_max_gossip_connections_to_non_persistent_peers: 0,
    },
    statesync: {
      enable: false,
      rpc_servers: '',
      trust_height: 0,
      trust_hash: '',
      trust_period: '168h0m0s',
      discovery_time: '15s',
      temp_dir: '',
      chunk_request_timeout: '10s',
      chunk_fetchers: '4',
    },
    blocksync: {
      version: 'v0',
    },
    consensus: {
      wal_file: 'data/cs.wal/wal',
      timeout_propose: '3s',
      timeout_propose_delta: '500ms',
      timeout_prevote: '1s',
      timeout_prevote_delta: '500ms',
      timeout_precommit: '1s',
      timeout_precommit_delta: '500ms',
      timeout_commit: '1s',
      double_sign_check_height: 0,
      skip_timeout_commit: false,
      create_empty_blocks: true,
      create_empty_blocks_interval: '0s',
      peer_gossip_sleep_duration: '100ms',
      peer_query_maj23_sleep_duration: '2s',
    },
    storage: {
      discard_abci_responses: false,
    },
    tx_index: {
      indexer: 'kv',
      'psql-conn': '',
    },
    instrumentation: {
      prometheus: false,
      prometheus_listen_addr: ':26660',
      max_open_connections: 3,
      namespace: 'cometbft',
    },
  };
}

export type CometConfig = ReturnType<typeof defaultCometConfig>;

const HEADER = `This is a TOML config file for CometBFT v0.38, written by sekaid-ts.
For more information, see https://github.com/toml-lang/toml

Relative paths below are resolved against the node's home directory.`;

const dur = checkDuration;
const nonNeg = checkNonNegative;

/** Sections and keys in the order CometBFT v0.38 writes them; `name: ''` is the top-level table. */
export const COMET_SCHEMA: SectionSpec[] = [
  {
    name: '',
    title: 'Main base config options',
    keys: [
      { key: 'version', doc: 'CometBFT release whose format this file follows. Do not edit.', cometOnly: true },
      { key: 'proxy_app', doc: 'Address of the ABCI application (the sekai-ts app), TCP or UNIX socket.', check: checkListenAddress(false), cometOnly: true },
      { key: 'moniker', doc: 'Human-readable name of this node.' },
      { key: 'db_backend', doc: 'Database backend: goleveldb | cleveldb | boltdb | rocksdb | badgerdb', check: checkOneOf('goleveldb', 'cleveldb', 'boltdb', 'rocksdb', 'badgerdb', 'memdb', 'pebbledb'), cometOnly: true },
      { key: 'db_dir', doc: 'Database directory.', cometOnly: true },
      { key: 'log_level', doc: 'Log level, with optional per-module levels (e.g. "consensus:info,*:error").' },
      { key: 'log_format', doc: "Log output format: 'plain' or 'json'.", check: checkOneOf('plain', 'json') },
      { key: 'genesis_file', doc: 'Genesis document: initial validator set, chain id and app state.', cometOnly: true },
      { key: 'priv_validator_key_file', doc: "The validator's consensus private key.", cometOnly: true },
      { key: 'priv_validator_state_file', doc: 'Last height/round/step signed, guarding against double signing.', cometOnly: true },
      { key: 'priv_validator_laddr', doc: 'Listen address for an external signer (remote PrivValidator); empty to sign locally.', check: checkListenAddress(true), cometOnly: true },
      { key: 'node_key_file', doc: 'Private key that identifies this node on the p2p network.', cometOnly: true },
      { key: 'abci', doc: 'How to connect to the ABCI application: socket | grpc', check: checkOneOf('socket', 'grpc'), cometOnly: true },
      { key: 'filter_peers', doc: 'Ask the application whether to keep each new peer.', cometOnly: true },
    ],
  },
  {
    name: 'rpc',
    title: 'RPC server',
    keys: [
      { key: 'laddr', doc: "Listen address of CometBFT's RPC server (the embedded engine listens at app.toml [rpc] laddr; init writes both the same).", check: checkListenAddress(true) },
      { key: 'cors_allowed_origins', doc: 'Origins allowed to make cross-domain requests; [] disables CORS, ["*"] allows any.' },
      { key: 'cors_allowed_methods', doc: 'Methods allowed in cross-domain requests.', cometOnly: true },
      { key: 'cors_allowed_headers', doc: 'Non-simple headers allowed in cross-domain requests.', cometOnly: true },
      { key: 'grpc_laddr', doc: 'Listen address of the broadcast-only gRPC server; empty disables it.', check: checkListenAddress(true), cometOnly: true },
      { key: 'grpc_max_open_connections', doc: 'Maximum simultaneous gRPC connections (0 = unlimited).', check: nonNeg, cometOnly: true },
      { key: 'unsafe', doc: 'Enable unsafe RPC methods such as /dial_seeds and /unsafe_flush_mempool.', cometOnly: true },
      { key: 'max_open_connections', doc: 'Maximum simultaneous HTTP and WebSocket connections (0 = unlimited).', check: nonNeg },
      { key: 'max_subscription_clients', doc: 'Maximum distinct clients that may /subscribe.', check: nonNeg },
      { key: 'max_subscriptions_per_client', doc: 'Maximum queries one client may /subscribe to.', check: nonNeg },
      { key: 'experimental_subscription_buffer_size', doc: 'Events buffered per subscription before it is closed (at least 100).', check: (v) => (typeof v === 'number' && v >= 100 ? undefined : 'must be at least 100') },
      { key: 'experimental_websocket_write_buffer_size', doc: 'Responses buffered per WebSocket client (at least the subscription buffer size).', check: nonNeg, cometOnly: true },
      { key: 'experimental_close_on_slow_client', doc: 'Close a WebSocket that cannot keep up instead of dropping events.' },
      { key: 'timeout_broadcast_tx_commit', doc: 'How long /broadcast_tx_commit waits for the tx to be committed.', check: dur },
      { key: 'max_request_batch_size', doc: 'Maximum requests in one JSON-RPC batch (0 = no limit).', check: nonNeg },
      { key: 'max_body_bytes', doc: 'Maximum request body size in bytes.', check: nonNeg },
      { key: 'max_header_bytes', doc: 'Maximum request header size in bytes.', check: nonNeg, cometOnly: true },
      { key: 'tls_cert_file', doc: 'Certificate for HTTPS (relative to config/); both TLS files are needed for HTTPS.', cometOnly: true },
      { key: 'tls_key_file', doc: 'Private key for HTTPS (relative to config/).', cometOnly: true },
      { key: 'pprof_laddr', doc: 'Listen address of the pprof profiler; empty disables it.', cometOnly: true },
    ],
  },
  {
    name: 'p2p',
    title: 'Peer-to-peer networking',
    keys: [
      { key: 'laddr', doc: 'Listen address for incoming peer connections.', check: checkListenAddress(false), cometOnly: true },
      { key: 'external_address', doc: 'Address advertised to peers (ip:port); empty to use the listen address.', check: checkHostPort(true), cometOnly: true },
      { key: 'seeds', doc: 'Comma-separated seed nodes (id@host:port).', cometOnly: true },
      { key: 'persistent_peers', doc: 'Comma-separated peers to stay connected to (id@host:port).', check: checkPeerList, cometOnly: true },
      { key: 'addr_book_file', doc: 'Path of the address book.', cometOnly: true },
      { key: 'addr_book_strict', doc: 'Strict routability rules for addresses; false for private or local networks.', cometOnly: true },
      { key: 'max_num_inbound_peers', doc: 'Maximum inbound peers.', check: nonNeg, cometOnly: true },
      { key: 'max_num_outbound_peers', doc: 'Maximum outbound peers, not counting persistent peers.', check: nonNeg, cometOnly: true },
      { key: 'unconditional_peer_ids', doc: 'Node IDs always (re)connected regardless of limits.', cometOnly: true },
      { key: 'persistent_peers_max_dial_period', doc: 'Longest pause between redials of a persistent peer (0s = exponential backoff).', check: dur, cometOnly: true },
      { key: 'flush_throttle_timeout', doc: 'How long to wait before flushing messages on a connection.', check: dur, cometOnly: true },
      { key: 'max_packet_msg_payload_size', doc: 'Maximum packet payload size in bytes.', check: nonNeg, cometOnly: true },
      { key: 'send_rate', doc: 'Send rate limit in bytes per second.', check: nonNeg, cometOnly: true },
      { key: 'recv_rate', doc: 'Receive rate limit in bytes per second.', check: nonNeg, cometOnly: true },
      { key: 'pex', doc: 'Enable the peer-exchange reactor.', cometOnly: true },
      { key: 'seed_mode', doc: 'Seed mode: crawl the network, hand out addresses, then disconnect (needs pex).', cometOnly: true },
      { key: 'private_peer_ids', doc: 'Comma-separated peer IDs never gossiped to others.', cometOnly: true },
      { key: 'allow_duplicate_ip', doc: 'Allow several peers from one IP (needed when all nodes run on one machine).', cometOnly: true },
      { key: 'handshake_timeout', doc: 'Peer handshake timeout.', check: dur, cometOnly: true },
      { key: 'dial_timeout', doc: 'Peer dial timeout.', check: dur, cometOnly: true },
    ],
  },
  {
    name: 'mempool',
    title: 'Mempool',
    keys: [
      { key: 'type', doc: 'Mempool implementation: "flood" (default) or "nop" (the app keeps and gossips txs).', check: checkOneOf('flood', 'nop'), cometOnly: true },
      { key: 'recheck', doc: 'Re-run CheckTx on the remaining txs after each block.', cometOnly: true },
      { key: 'recheck_timeout', doc: 'How long the app has to answer rechecks once all were sent.', check: dur, cometOnly: true },
      { key: 'broadcast', doc: 'Relay txs to peers.', cometOnly: true },
      { key: 'wal_dir', doc: 'Mempool write-ahead log directory; empty disables it.', cometOnly: true },
      { key: 'size', doc: 'Maximum number of txs in the mempool.', check: nonNeg },
      { key: 'max_txs_bytes', doc: 'Maximum total size of the txs in the mempool, in bytes.', check: nonNeg },
      { key: 'cache_size', doc: 'Number of recently seen txs remembered to filter duplicates.', check: nonNeg },
      { key: 'keep-invalid-txs-in-cache', doc: 'Keep invalid txs in the cache (when they can never become valid).', cometOnly: true },
      { key: 'max_tx_bytes', doc: 'Maximum size of one tx in bytes.', check: nonNeg },
      { key: 'max_batch_bytes', doc: 'Maximum size of a batch of txs sent to a peer (unused by v0.38).', check: nonNeg, cometOnly: true },
      { key: 'experimental_max_gossip_connections_to_persistent_peers', doc: 'Gossip txs to at most this many persistent peers (0 = all).', check: nonNeg, cometOnly: true },
      { key: 'experimental_max_gossip_connections_to_non_persistent_peers', doc: 'Gossip txs to at most this many other peers (0 = all).', check: nonNeg, cometOnly: true },
    ],
  },
  {
    name: 'statesync',
    title: 'State sync',
    keys: [
      { key: 'enable', doc: 'Bootstrap from an application snapshot offered by peers instead of replaying blocks.', cometOnly: true },
      { key: 'rpc_servers', doc: 'Comma-separated RPC servers for light-client verification of the snapshot.', cometOnly: true },
      { key: 'trust_height', doc: 'Trusted height for light-client verification.', check: nonNeg, cometOnly: true },
      { key: 'trust_hash', doc: 'Header hash at trust_height.', cometOnly: true },
      { key: 'trust_period', doc: 'How long validators can be trusted (about 2/3 of the unbonding time).', check: dur, cometOnly: true },
      { key: 'discovery_time', doc: 'Time spent discovering snapshots before restoring.', check: dur, cometOnly: true },
      { key: 'temp_dir', doc: 'Directory for snapshot chunks (default: the OS temp dir).', cometOnly: true },
      { key: 'chunk_request_timeout', doc: 'Timeout before re-requesting a chunk.', check: dur, cometOnly: true },
      { key: 'chunk_fetchers', doc: 'Number of concurrent chunk fetchers.', cometOnly: true },
    ],
  },
  {
    name: 'blocksync',
    title: 'Block sync',
    keys: [{ key: 'version', doc: 'Block sync protocol version; "v0" is the only one.', check: checkOneOf('v0'), cometOnly: true }],
  },
  {
    name: 'consensus',
    title: 'Consensus',
    keys: [
      { key: 'wal_file', doc: 'Consensus write-ahead log.', cometOnly: true },
      { key: 'timeout_propose', doc: 'How long to wait for a proposal before prevoting nil.', check: dur, cometOnly: true },
      { key: 'timeout_propose_delta', doc: 'Increase of timeout_propose per round.', check: dur, cometOnly: true },
      { key: 'timeout_prevote', doc: 'How long to wait after +2/3 prevotes for anything.', check: dur, cometOnly: true },
      { key: 'timeout_prevote_delta', doc: 'Increase of timeout_prevote per round.', check: dur, cometOnly: true },
      { key: 'timeout_precommit', doc: 'How long to wait after +2/3 precommits for anything.', check: dur, cometOnly: true },
      { key: 'timeout_precommit_delta', doc: 'Increase of timeout_precommit per round.', check: dur, cometOnly: true },
      { key: 'timeout_commit', doc: 'How long to wait after committing a block before the next height (sets the block time; the embedded engine takes start --block-time).', check: dur, cometOnly: true },
      { key: 'double_sign_check_height', doc: 'Blocks to look back for our own votes before signing (0 = off).', check: nonNeg, cometOnly: true },
      { key: 'skip_timeout_commit', doc: 'Go on as soon as all precommits are in (as if timeout_commit = 0).', cometOnly: true },
      { key: 'create_empty_blocks', doc: 'Produce blocks without txs.', cometOnly: true },
      { key: 'create_empty_blocks_interval', doc: 'Interval between empty blocks when create_empty_blocks is true.', check: dur, cometOnly: true },
      { key: 'peer_gossip_sleep_duration', doc: 'Reactor sleep between gossip rounds.', check: dur, cometOnly: true },
      { key: 'peer_query_maj23_sleep_duration', doc: 'Reactor sleep between maj23 queries.', check: dur, cometOnly: true },
    ],
  },
  {
    name: 'storage',
    title: 'Storage',
    keys: [{ key: 'discard_abci_responses', doc: 'Drop FinalizeBlock responses from the state store (breaks /block_results).', cometOnly: true }],
  },
  {
    name: 'tx_index',
    title: 'Transaction indexer',
    keys: [
      { key: 'indexer', doc: 'Tx indexer: "null", "kv" (default) or "psql".', check: checkOneOf('null', 'kv', 'psql'), cometOnly: true },
      { key: 'psql-conn', doc: 'PostgreSQL connection string for the psql indexer.', cometOnly: true },
    ],
  },
  {
    name: 'instrumentation',
    title: 'Instrumentation',
    keys: [
      { key: 'prometheus', doc: 'Serve Prometheus metrics under /metrics.' },
      { key: 'prometheus_listen_addr', doc: 'Listen address of the Prometheus endpoint.', check: checkHostPort(false) },
      { key: 'max_open_connections', doc: 'Maximum simultaneous metrics connections (0 = unlimited).', check: nonNeg },
      { key: 'namespace', doc: 'Metrics namespace.', cometOnly: true },
    ],
  },
];

/** "id@host:port,id@host:port" with 40-hex node IDs; empty is fine. */
function checkPeerList(v: unknown): string | undefined {
  if (typeof v !== 'string') return 'must be a string';
  if (v.trim() === '') return undefined;
  for (const peer of v.split(',')) {
    if (!/^[0-9a-f]{40}@[^\s@]+:\d{1,5}$/.test(peer.trim())) return `has "${peer}", which is not <40-hex node id>@host:port`;
  }
  return undefined;
}

function toSections(config: CometConfig): Record<string, TomlSection> {
  const { base, ...rest } = config;
  return { '': base, ...rest } as Record<string, TomlSection>;
}

/** Renders config.toml text. */
export function renderCometConfig(config: CometConfig): string {
  return renderToml(HEADER, COMET_SCHEMA, toSections(config));
}

/** Parses config.toml text over the defaults; `file` is used in error messages. */
export function parseCometConfig(text: string, file = 'config.toml'): CometConfig {
  const defaults = defaultCometConfig();
  const sections = readToml(file, text, COMET_SCHEMA, toSections(defaults));
  const { '': base, ...rest } = sections;
  return { base, ...rest } as unknown as CometConfig;
}

export function writeCometConfig(path: string, config: CometConfig): void {
  writeFileSync(path, renderCometConfig(config), { mode: 0o644 });
}

export function readCometConfig(path: string): CometConfig {
  return parseCometConfig(readFileSync(path, 'utf8'), path);
}
