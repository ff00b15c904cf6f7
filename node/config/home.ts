/**
 * The node home directory, laid out as CometBFT expects so that `cometbft start --home <dir>`
 * runs on it unchanged:
 *
 *   <home>/config/config.toml              CometBFT settings
 *   <home>/config/app.toml                 sekai-ts application settings
 *   <home>/config/client.toml              defaults of client commands (node, chain-id, keyring, output)
 *   <home>/config/genesis.json
 *   <home>/config/priv_validator_key.json  consensus key (ed25519)
 *   <home>/config/node_key.json            p2p identity (ed25519)
 *   <home>/data/priv_validator_state.json  double-sign guard
 *   <home>/keyring-test/, keyring-file/    account keys (see keyring/)
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultAppConfig, writeAppConfig, type AppConfig } from './appConfig';
import { defaultClientConfig, writeClientConfig, type ClientConfig } from './clientConfig';
import { defaultCometConfig, writeCometConfig, type CometConfig } from './cometConfig';
import { ErrHomeExists, ErrInvalidConfig } from './errors';
import { EMPTY_GENESIS_REGISTRY, MAX_CHAIN_ID_LEN, newGenesisDoc, type GenesisDoc, type GenesisModuleRegistry } from './genesis';
import {
  FRESH_PRIV_VALIDATOR_STATE,
  generateEd25519,
  nodeIdOf,
  nodeKeyJson,
  privValidatorKeyJson,
  writeJsonFile,
  type Ed25519Key,
} from './nodeKeys';

export const DEFAULT_HOME_DIRNAME = '.sekaid-ts';
export const HOME_ENV = 'SEKAID_HOME';

/** --home if given, else $SEKAID_HOME, else ~/.sekaid-ts. */
export function resolveHome(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env[HOME_ENV];
  return resolve(chosen && chosen !== '' ? chosen : join(homedir(), DEFAULT_HOME_DIRNAME));
}

export interface HomeLayout {
  home: string;
  configDir: string;
  dataDir: string;
  configToml: string;
  appToml: string;
  clientToml: string;
  genesis: string;
  privValidatorKey: string;
  nodeKey: string;
  privValidatorState: string;
}

export function homeLayout(home: string): HomeLayout {
  const configDir = join(home, 'config');
  const dataDir = join(home, 'data');
  return {
    home,
    configDir,
    dataDir,
    configToml: join(configDir, 'config.toml'),
    appToml: join(configDir, 'app.toml'),
    clientToml: join(configDir, 'client.toml'),
    genesis: join(configDir, 'genesis.json'),
    privValidatorKey: join(configDir, 'priv_validator_key.json'),
    nodeKey: join(configDir, 'node_key.json'),
    privValidatorState: join(dataDir, 'priv_validator_state.json'),
  };
}

/** True when the home already holds a node (any of the files `init` writes). */
export function isInitialized(home: string): boolean {
  const l = homeLayout(home);
  return [l.configToml, l.genesis, l.privValidatorKey, l.nodeKey].some((p) => existsSync(p));
}

/** Chain IDs: 1–50 characters, no whitespace (CometBFT's limit plus what a shell can pass). */
export function checkChainId(chainId: string): void {
  if (chainId === '' || chainId.length > MAX_CHAIN_ID_LEN || /\s/.test(chainId)) {
    throw ErrInvalidConfig.wrap(`chain id "${chainId}" must be 1 to ${MAX_CHAIN_ID_LEN} characters without spaces`);
  }
}

export interface InitHomeOptions {
  home: string;
  moniker: string;
  chainId: string;
  /** Replace an existing home's config, keys and genesis (the keyrings are kept). */
  overwrite?: boolean;
  genesisTime?: Date;
  registry?: GenesisModuleRegistry;
  /** Adjust the configs before they are written (ports, peers, timeouts). */
  cometConfig?: (c: CometConfig) => void;
  appConfig?: (c: AppConfig) => void;
  clientConfig?: (c: ClientConfig) => void;
  /** Keys to use instead of fresh ones (tests). */
  consensusKey?: Ed25519Key;
  nodeKey?: Ed25519Key;
}

export interface InitHomeResult {
  layout: HomeLayout;
  nodeId: string;
  consensusKey: Ed25519Key;
  nodeKey: Ed25519Key;
  genesis: GenesisDoc;
}

/** Writes a complete home: both configs, both keys, a fresh signing state and a genesis. */
export function initHome(opts: InitHomeOptions): InitHomeResult {
  checkChainId(opts.chainId);
  if (opts.moniker.trim() === '') throw ErrInvalidConfig.wrap('moniker must not be empty');
  const layout = homeLayout(opts.home);
  if (isInitialized(opts.home)) {
    if (!opts.overwrite) throw ErrHomeExists.wrap(`${opts.home} already holds a node; pass --overwrite to replace its config, keys and genesis`);
    // The old chain's block and state data would not match the new genesis.
    rmSync(layout.dataDir, { recursive: true, force: true });
  }
  // 0700 as CometBFT creates them: the directories hold private keys.
  mkdirSync(layout.configDir, { recursive: true, mode: 0o700 });
  mkdirSync(layout.dataDir, { recursive: true, mode: 0o700 });

  const comet = defaultCometConfig();
  comet.base.moniker = opts.moniker;
  opts.cometConfig?.(comet);
  writeCometConfig(layout.configToml, comet);

  const app = defaultAppConfig();
  app.abci.address = comet.base.proxy_app;
  app.rpc.laddr = comet.rpc.laddr;
  opts.appConfig?.(app);
  writeAppConfig(layout.appToml, app);

  // Client commands run on this home then reach this node and sign for this chain without flags.
  const client = defaultClientConfig();
  client.base['chain-id'] = opts.chainId;
  client.base.node = comet.rpc.laddr.replace('://0.0.0.0:', '://localhost:') || client.base.node;
  opts.clientConfig?.(client);
  writeClientConfig(layout.clientToml, client);

  const consensusKey = opts.consensusKey ?? generateEd25519();
  const nodeKey = opts.nodeKey ?? generateEd25519();
  writeJsonFile(layout.privValidatorKey, privValidatorKeyJson(consensusKey), 0o600);
  writeJsonFile(layout.nodeKey, nodeKeyJson(nodeKey), 0o600);
  writeJsonFile(layout.privValidatorState, FRESH_PRIV_VALIDATOR_STATE, 0o600);

  const genesis = newGenesisDoc(opts.chainId, opts.genesisTime ?? new Date(), opts.registry ?? EMPTY_GENESIS_REGISTRY);
  writeJsonFile(layout.genesis, genesis);
  return { layout, nodeId: nodeIdOf(nodeKey.pubKey), consensusKey, nodeKey, genesis };
}
