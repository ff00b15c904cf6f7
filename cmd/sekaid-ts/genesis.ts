/**
 * `genesis add-genesis-account | gentx-claim | validate | set-network-property | whitelist-permission`.
 * Every edit reads config/genesis.json, applies one editor call and writes it back; the file is
 * checked against CometBFT's rules before it is written, so a bad edit never lands.
 */
import { Command } from 'commander';
import { parseCoins } from '../../types/coins';
import {
  EMPTY_GENESIS_REGISTRY,
  genesisValidator,
  readCometConfig,
  readJsonFile,
  readPrivValidatorKey,
  validateGenesisDoc,
  writeJsonFile,
  type GenesisDoc,
  type GenesisModuleRegistry,
} from '../../node/config';
import type { SekaidEnv } from './env';
import { ErrGenesisConflict, ErrUsage } from './errors';
import { validateDefaultShapes, type GenesisEditors } from './genesisEditors';
import { ROLE_SUDO, parsePermissionText } from '../../x/gov';
import { resolveAccount, withKeyringFlags } from './keys';
import { bridgeGenesisCommands } from './bridge';
import { notaryGenesisCommands } from './notary';

/** The registry's validation, or the default shape checks while no module registered one. */
export function genesisChecks(registry: GenesisModuleRegistry): GenesisModuleRegistry {
  return registry === EMPTY_GENESIS_REGISTRY ? { ...registry, validateGenesis: validateDefaultShapes } : registry;
}

function loadGenesis(env: SekaidEnv, path = env.layout().genesis): GenesisDoc {
  return validateGenesisDoc(readJsonFile(path), EMPTY_GENESIS_REGISTRY);
}

function saveGenesis(env: SekaidEnv, doc: GenesisDoc, path = env.layout().genesis): void {
  validateGenesisDoc(doc, genesisChecks(env.genesisRegistry));
  writeJsonFile(path, doc);
}

export interface ClaimOptions {
  address: string;
  consPubKey: Uint8Array;
  moniker: string;
}

/**
 * Makes `address` a genesis validator with the given consensus key and the sudo role, and lists
 * the key in genesis.json `validators` (power 1, as every active sekai validator has).
 */
export function claimGenesisValidator(doc: GenesisDoc, editors: GenesisEditors, claim: ClaimOptions): void {
  const entry = genesisValidator(claim.consPubKey, claim.moniker);
  if (doc.validators.some((v) => v.pub_key.value === entry.pub_key.value)) {
    throw ErrGenesisConflict.wrap(`consensus key ${entry.pub_key.value} is already a genesis validator`);
  }
  editors.validators.addValidator(doc.app_state, { address: claim.address, consPubKey: claim.consPubKey, moniker: claim.moniker, genesisTime: doc.genesis_time });
  editors.gov.assignRole(doc.app_state, claim.address, ROLE_SUDO);
  editors.gov.setMoniker(doc.app_state, claim.address, claim.moniker, doc.genesis_time);
  doc.validators.push(entry);
}

export function addGenesisAccountCommand(env: SekaidEnv, name = 'add-genesis-account'): Command {
  return withKeyringFlags(
    new Command(name)
      .description('Fund an account in genesis.json (creates the account if new)')
      .argument('<key-or-address>', 'key name in the keyring, or kira1… address')
      .argument('<coins>', 'coins such as 1000000ukex,10utest'),
  ).action(async (keyOrAddress: string, coinsText: string, _opts: unknown, cmd: Command) => {
    const coins = parseCoins(coinsText);
    if (coins.isZero()) throw ErrUsage.wrap('coins must not be empty');
    const address = await resolveAccount(env, cmd, keyOrAddress);
    const doc = loadGenesis(env);
    env.genesisEditors.accounts.addAccount(doc.app_state, address, coins);
    saveGenesis(env, doc);
    env.print({ address, coins: coins.toString() });
  });
}

export function gentxClaimCommand(env: SekaidEnv, name = 'gentx-claim'): Command {
  return withKeyringFlags(
    new Command(name)
      .description("Make a key's account a genesis validator with this home's consensus key, holding the sudo role")
      .argument('<key-or-address>', 'key name in the keyring, or kira1… address')
      .option('--moniker <moniker>', 'validator moniker (default: moniker in config.toml)')
      .option('--pubkey <json>', 'consensus key as {"@type":"/cosmos.crypto.ed25519.PubKey","key":"…"} (default: config/priv_validator_key.json)'),
  ).action(async (keyOrAddress: string, opts: { moniker?: string; pubkey?: string }, cmd: Command) => {
    const address = await resolveAccount(env, cmd, keyOrAddress);
    const layout = env.layout();
    const consPubKey = opts.pubkey ? parseConsPubKey(opts.pubkey) : readPrivValidatorKey(layout.privValidatorKey).pubKey;
    const moniker = opts.moniker ?? readCometConfig(layout.configToml).base.moniker;
    const doc = loadGenesis(env);
    claimGenesisValidator(doc, env.genesisEditors, { address, consPubKey, moniker });
    saveGenesis(env, doc);
    env.print({ address, moniker, pub_key: Buffer.from(consPubKey).toString('base64') });
  });
}

function parseConsPubKey(text: string): Uint8Array {
  let json: { '@type'?: unknown; key?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw ErrUsage.wrap('--pubkey must be JSON such as {"@type":"/cosmos.crypto.ed25519.PubKey","key":"<base64>"}');
  }
  if (json['@type'] !== '/cosmos.crypto.ed25519.PubKey' || typeof json.key !== 'string') throw ErrUsage.wrap('--pubkey must be an ed25519 key in Cosmos JSON');
  const key = Buffer.from(json.key, 'base64');
  if (key.length !== 32) throw ErrUsage.wrap(`--pubkey key must be 32 bytes, has ${key.length}`);
  return key;
}

export function genesisCommand(env: SekaidEnv): Command {
  const genesis = new Command('genesis').description('Build and check genesis.json');
  genesis.addCommand(addGenesisAccountCommand(env));
  genesis.addCommand(gentxClaimCommand(env));
  // x/notarypay's genesis eras: `genesis add-notary`, `genesis set-notary-pay`.
  for (const c of notaryGenesisCommands(env)) genesis.addCommand(c);
  // x/bridge's validator set and external chains: `genesis bridge-set`, `genesis bridge-add-chain`.
  for (const c of bridgeGenesisCommands(env)) genesis.addCommand(c);

  genesis
    .command('validate')
    .alias('validate-genesis')
    .description("Check genesis.json: CometBFT's rules, then each module's")
    .argument('[file]', 'genesis file (default: <home>/config/genesis.json)')
    .action((file: string | undefined) => {
      const path = file ?? env.layout().genesis;
      validateGenesisDoc(readJsonFile(path), genesisChecks(env.genesisRegistry));
      env.print({ file: path, valid: true });
    });

  genesis
    .command('set-network-property')
    .description('Set a network property (customgov), e.g. MIN_TX_FEE 100')
    .argument('<name>', 'property name, e.g. MIN_TX_FEE')
    .argument('<value>')
    .action((name: string, value: string) => {
      const doc = loadGenesis(env);
      env.genesisEditors.gov.setNetworkProperty(doc.app_state, name, value);
      saveGenesis(env, doc);
      env.print({ name: name.toUpperCase(), value });
    });

  withKeyringFlags(
    genesis
      .command('whitelist-permission')
      .description('Whitelist a permission for an account in genesis (customgov)')
      .argument('<key-or-address>')
      .argument('<permission>', 'number or name, e.g. 2 or PERMISSION_CLAIM_VALIDATOR'),
  ).action(async (keyOrAddress: string, permText: string, _opts: unknown, cmd: Command) => {
    const permission = parsePermissionText(permText);
    const address = await resolveAccount(env, cmd, keyOrAddress);
    const doc = loadGenesis(env);
    env.genesisEditors.gov.whitelistPermission(doc.app_state, address, permission);
    saveGenesis(env, doc);
    env.print({ address, permission });
  });
  return genesis;
}
