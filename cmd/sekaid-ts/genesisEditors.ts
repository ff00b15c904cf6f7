/**
 * Genesis edits that belong to modules (accounts and balances, validators, governance actors,
 * permissions, network properties) go through small editor interfaces. A module replaces the
 * default editor with its own when its genesis shape differs; the defaults write the shapes
 * below, which mirror the modules' protobuf JSON (int64 as strings, enums by name):
 *
 *   app_state.accountid.accounts[]        {address: "kira1…", account_number: "<n>"}   (n = 0, 1, … in order of addition)
 *   app_state.bank.balances[]             {address: "kira1…", coins: [{denom, amount}]} (sorted by address, coins by denom)
 *   app_state.bank.supply[]               sum of all balances, sorted by denom
 *   app_state.customstaking.validators[]  {val_key: "kiravaloper1…", pub_key: {"@type": "/cosmos.crypto.ed25519.PubKey", key: "<base64>"},
 *                                          status: "ACTIVE", rank: "0", streak: "0"}
 *   app_state.customgov.network_actors[]  {address: "kira1…", roles: ["1"], status: "ACTIVE",
 *                                          votes: ["VOTE_OPTION_YES", "VOTE_OPTION_ABSTAIN", "VOTE_OPTION_NO", "VOTE_OPTION_NO_WITH_VETO"],
 *                                          permissions: {blacklist: [], whitelist: [<perm>…]}, skin: "0"}
 *   app_state.customgov.identity_records[] {id: "<n>", address, key: "moniker", value, date: <genesis_time>, verifiers: []}
 *   app_state.customgov.network_properties {<snake_case name>: <value>}  (uint64 and Dec as strings, bool as bool)
 */
import { Coins, type Coin } from '../../types/coins';
import { CodedError } from '../../types/errors';
import { Dec } from '../../types/dec';
import { PermValue, permValueFromJSON } from '../../proto/gen/sekai/gov/v1/permission';
import { decodeAddress, toBech } from '../../keyring';
import { ErrInvalidGenesis } from '../../node/config';
import { ErrGenesisConflict, ErrUsage } from './errors';
import { stakingGenesisEditor } from '../../x/customstaking';
import { govGenesisEditor } from '../../x/gov/genesisEditor';

export type AppState = Record<string, unknown>;

export interface AccountGenesisEditor {
  /** Creates the account if new and adds `coins` to its genesis balance. */
  addAccount(appState: AppState, address: string, coins: Coins): void;
}

export interface GenesisValidatorClaim {
  /** Account address (kira1…) of the validator's operator key. */
  address: string;
  /** 32-byte ed25519 consensus public key. */
  consPubKey: Uint8Array;
  moniker: string;
  genesisTime: string;
}

export interface ValidatorGenesisEditor {
  /** Adds a genesis validator; refuses a second validator for the same account or consensus key. */
  addValidator(appState: AppState, claim: GenesisValidatorClaim): void;
}

export interface GovGenesisEditor {
  /** Creates the network actor if needed and gives it the role. */
  assignRole(appState: AppState, address: string, roleId: number): void;
  whitelistPermission(appState: AppState, address: string, permission: number): void;
  /** `name` is the NetworkProperty enum name (MIN_TX_FEE …); `value` as typed by a person. */
  setNetworkProperty(appState: AppState, name: string, value: string): void;
  /** Records the validator's moniker in the identity registrar. */
  setMoniker(appState: AppState, address: string, moniker: string, genesisTime: string): void;
}

export interface GenesisEditors {
  accounts: AccountGenesisEditor;
  validators: ValidatorGenesisEditor;
  gov: GovGenesisEditor;
}

/** sekai role IDs (x/gov): 1 = sudo, 2 = validator. */
export const ROLE_SUDO = 1;
export const ROLE_VALIDATOR = 2;

function section(appState: AppState, name: string): Record<string, unknown> {
  const s = appState[name];
  if (s === undefined) return (appState[name] = {}) as Record<string, unknown>;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw ErrInvalidGenesis.wrap(`app_state.${name} must be an object`);
  return s as Record<string, unknown>;
}

function list<T>(obj: Record<string, unknown>, key: string, where: string): T[] {
  const l = obj[key];
  if (l === undefined) return (obj[key] = []) as T[];
  if (!Array.isArray(l)) throw ErrInvalidGenesis.wrap(`${where}.${key} must be an array`);
  return l as T[];
}

function accountBytes(address: string): Uint8Array {
  const { kind, bytes } = decodeAddress(address);
  if (kind !== 'acc') throw ErrUsage.wrap(`${address} is not an account address (kira1…)`);
  return bytes;
}

const coinsJson = (coins: Coins): { denom: string; amount: string }[] => coins.toArray().map((c: Coin) => ({ denom: c.denom, amount: c.amount.toString() }));

export const defaultAccountEditor: AccountGenesisEditor = {
  addAccount(appState, address, coins) {
    accountBytes(address);
    const accountid = section(appState, 'accountid');
    const accounts = list<{ address: string; account_number: string }>(accountid, 'accounts', 'app_state.accountid');
    if (!accounts.some((a) => a.address === address)) {
      const next = accounts.reduce((max, a) => (BigInt(a.account_number) >= max ? BigInt(a.account_number) + 1n : max), 0n);
      accounts.push({ address, account_number: next.toString() });
    }
    const bank = section(appState, 'bank');
    const balances = list<{ address: string; coins: { denom: string; amount: string }[] }>(bank, 'balances', 'app_state.bank');
    const existing = balances.find((b) => b.address === address);
    if (existing) existing.coins = coinsJson(Coins.fromProto(existing.coins).add(coins));
    else balances.push({ address, coins: coinsJson(coins) });
    balances.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    const supply = balances.reduce((sum, b) => sum.add(Coins.fromProto(b.coins)), Coins.empty());
    bank.supply = coinsJson(supply);
  },
};

const ED25519_ANY = '/cosmos.crypto.ed25519.PubKey';

export const defaultValidatorEditor: ValidatorGenesisEditor = {
  addValidator(appState, claim) {
    const valKey = toBech('val', accountBytes(claim.address));
    const staking = section(appState, 'customstaking');
    const validators = list<{ val_key: string; pub_key: { key: string } }>(staking, 'validators', 'app_state.customstaking');
    const key = Buffer.from(claim.consPubKey).toString('base64');
    if (validators.some((v) => v.val_key === valKey)) throw ErrGenesisConflict.wrap(`${valKey} is already a genesis validator`);
    // A consensus key shared by two validators halts the chain (KIRA testnet issue #7).
    if (validators.some((v) => v.pub_key?.key === key)) throw ErrGenesisConflict.wrap(`consensus key ${key} already belongs to a genesis validator`);
    validators.push({ val_key: valKey, pub_key: { '@type': ED25519_ANY, key } as { key: string }, status: 'ACTIVE', rank: '0', streak: '0' } as never);
  },
};

interface NetworkActorJson {
  address: string;
  roles: string[];
  status: string;
  votes: string[];
  permissions: { blacklist: number[]; whitelist: number[] };
  skin: string;
}

function actor(appState: AppState, address: string): NetworkActorJson {
  accountBytes(address);
  const gov = section(appState, 'customgov');
  const actors = list<NetworkActorJson>(gov, 'network_actors', 'app_state.customgov');
  let a = actors.find((x) => x.address === address);
  if (!a) {
    // x/gov NewDefaultActor: active, may cast every vote option, no permissions of its own.
    a = {
      address,
      roles: [],
      status: 'ACTIVE',
      votes: ['VOTE_OPTION_YES', 'VOTE_OPTION_ABSTAIN', 'VOTE_OPTION_NO', 'VOTE_OPTION_NO_WITH_VETO'],
      permissions: { blacklist: [], whitelist: [] },
      skin: '0',
    };
    actors.push(a);
  }
  return a;
}

type PropertyKind = 'uint' | 'dec' | 'bool' | 'string';

/** NetworkProperty enum order (proto/kira/gov/network_properties.proto); the JSON key is the lower-case name. */
export const NETWORK_PROPERTIES: readonly (readonly [string, PropertyKind])[] = [
  ['MIN_TX_FEE', 'uint'], ['MAX_TX_FEE', 'uint'], ['VOTE_QUORUM', 'dec'], ['MINIMUM_PROPOSAL_END_TIME', 'uint'],
  ['PROPOSAL_ENACTMENT_TIME', 'uint'], ['MIN_PROPOSAL_END_BLOCKS', 'uint'], ['MIN_PROPOSAL_ENACTMENT_BLOCKS', 'uint'],
  ['ENABLE_FOREIGN_FEE_PAYMENTS', 'bool'], ['MISCHANCE_RANK_DECREASE_AMOUNT', 'uint'], ['MAX_MISCHANCE', 'uint'],
  ['MISCHANCE_CONFIDENCE', 'uint'], ['INACTIVE_RANK_DECREASE_PERCENT', 'dec'], ['POOR_NETWORK_MAX_BANK_SEND', 'uint'],
  ['MIN_VALIDATORS', 'uint'], ['UNJAIL_MAX_TIME', 'uint'], ['ENABLE_TOKEN_WHITELIST', 'bool'], ['ENABLE_TOKEN_BLACKLIST', 'bool'],
  ['MIN_IDENTITY_APPROVAL_TIP', 'uint'], ['UNIQUE_IDENTITY_KEYS', 'string'], ['UBI_HARDCAP', 'uint'], ['VALIDATORS_FEE_SHARE', 'dec'],
  ['INFLATION_RATE', 'dec'], ['INFLATION_PERIOD', 'uint'], ['UNSTAKING_PERIOD', 'uint'], ['MAX_DELEGATORS', 'uint'],
  ['MIN_DELEGATION_PUSHOUT', 'uint'], ['SLASHING_PERIOD', 'uint'], ['MAX_JAILED_PERCENTAGE', 'dec'], ['MAX_SLASHING_PERCENTAGE', 'dec'],
  ['MIN_CUSTODY_REWARD', 'uint'], ['MAX_CUSTODY_BUFFER_SIZE', 'uint'], ['MAX_CUSTODY_TX_SIZE', 'uint'], ['ABSTENTION_RANK_DECREASE_AMOUNT', 'uint'],
  ['MAX_ABSTENTION', 'uint'], ['MIN_COLLECTIVE_BOND', 'uint'], ['MIN_COLLECTIVE_BONDING_TIME', 'uint'], ['MAX_COLLECTIVE_OUTPUTS', 'uint'],
  ['MIN_COLLECTIVE_CLAIM_PERIOD', 'uint'], ['VALIDATOR_RECOVERY_BOND', 'uint'], ['MAX_ANNUAL_INFLATION', 'dec'],
  ['MAX_PROPOSAL_TITLE_SIZE', 'uint'], ['MAX_PROPOSAL_DESCRIPTION_SIZE', 'uint'], ['MAX_PROPOSAL_POLL_OPTION_SIZE', 'uint'],
  ['MAX_PROPOSAL_POLL_OPTION_COUNT', 'uint'], ['MAX_PROPOSAL_REFERENCE_SIZE', 'uint'], ['MAX_PROPOSAL_CHECKSUM_SIZE', 'uint'],
  ['MIN_DAPP_BOND', 'uint'], ['MAX_DAPP_BOND', 'uint'], ['DAPP_LIQUIDATION_THRESHOLD', 'uint'], ['DAPP_LIQUIDATION_PERIOD', 'uint'],
  ['DAPP_BOND_DURATION', 'uint'], ['DAPP_VERIFIER_BOND', 'dec'], ['DAPP_AUTO_DENOUNCE_TIME', 'uint'], ['DAPP_MISCHANCE_RANK_DECREASE_AMOUNT', 'uint'],
  ['DAPP_MAX_MISCHANCE', 'uint'], ['DAPP_INACTIVE_RANK_DECREASE_PERCENT', 'dec'], ['DAPP_POOL_SLIPPAGE_DEFAULT', 'dec'],
  ['MINTING_FT_FEE', 'uint'], ['MINTING_NFT_FEE', 'uint'], ['VETO_THRESHOLD', 'dec'], ['AUTOCOMPOUND_INTERVAL_NUM_BLOCKS', 'uint'],
  ['DOWNTIME_INACTIVE_DURATION', 'uint'], ['BRIDGE_ADDRESS', 'string'],
];

const UINT64_MAX = (1n << 64n) - 1n;

/** Parses a property value by its kind; returns the JSON value to store. */
export function networkPropertyValue(name: string, value: string): string | boolean {
  const upper = name.toUpperCase();
  const entry = NETWORK_PROPERTIES.find(([n]) => n === upper);
  if (!entry) throw ErrUsage.wrap(`unknown network property "${name}"; known: ${NETWORK_PROPERTIES.map(([n]) => n).join(', ')}`);
  switch (entry[1]) {
    case 'uint':
      if (!/^\d+$/.test(value) || BigInt(value) > UINT64_MAX) throw ErrUsage.wrap(`${upper} takes an unsigned integer, got "${value}"`);
      return BigInt(value).toString();
    case 'dec':
      try {
        return Dec.fromString(value).toString();
      } catch (err) {
        throw ErrUsage.wrap(`${upper} takes a decimal such as 0.33, got "${value}" (${err instanceof CodedError ? err.message : 'unparsable'})`);
      }
    case 'bool':
      if (value !== 'true' && value !== 'false') throw ErrUsage.wrap(`${upper} takes true or false, got "${value}"`);
      return value === 'true';
    case 'string':
      return value;
  }
}

/** A permission by number (2), enum name (PERMISSION_CLAIM_VALIDATOR) or short name (claim_validator). */
export function parsePermission(text: string): number {
  const candidate = /^\d+$/.test(text) ? Number(text) : text.toUpperCase().startsWith('PERMISSION_') ? text.toUpperCase() : `PERMISSION_${text.toUpperCase()}`;
  let value: PermValue;
  try {
    value = permValueFromJSON(candidate);
  } catch {
    throw ErrUsage.wrap(`unknown permission "${text}"; use a number or a name such as PERMISSION_CLAIM_VALIDATOR`);
  }
  if (value === PermValue.UNRECOGNIZED || value < 0 || PermValue[value] === undefined) throw ErrUsage.wrap(`unknown permission "${text}"`);
  return value;
}

export const defaultGovEditor: GovGenesisEditor = {
  assignRole(appState, address, roleId) {
    const a = actor(appState, address);
    if (!a.roles.includes(String(roleId))) a.roles.push(String(roleId));
  },
  whitelistPermission(appState, address, permission) {
    const a = actor(appState, address);
    if (a.permissions.blacklist.includes(permission)) throw ErrGenesisConflict.wrap(`permission ${permission} is blacklisted for ${address}`);
    if (!a.permissions.whitelist.includes(permission)) a.permissions.whitelist.push(permission);
  },
  setNetworkProperty(appState, name, value) {
    const stored = networkPropertyValue(name, value);
    const gov = section(appState, 'customgov');
    const props = (gov.network_properties ??= {}) as Record<string, unknown>;
    props[name.toLowerCase()] = stored;
  },
  setMoniker(appState, address, moniker, genesisTime) {
    const gov = section(appState, 'customgov');
    const records = list<{ id: string; address: string; key: string; value: string }>(gov, 'identity_records', 'app_state.customgov');
    const existing = records.find((r) => r.address === address && r.key === 'moniker');
    if (existing) {
      existing.value = moniker;
      return;
    }
    const next = records.reduce((max, r) => (BigInt(r.id) >= max ? BigInt(r.id) + 1n : max), 1n);
    records.push({ id: next.toString(), address, key: 'moniker', value: moniker, date: genesisTime, verifiers: [] } as never);
  },
};

/**
 * The editors of the app's modules: x/customstaking seats validators in its own shape
 * (moniker and operator address included, duplicates refused with its error codes) and
 * x/gov checks network properties and permissions by its own rules. Roles and monikers
 * keep the default shapes above, which x/gov's genesis reads as they are.
 */
export const DEFAULT_GENESIS_EDITORS: GenesisEditors = {
  accounts: defaultAccountEditor,
  validators: stakingGenesisEditor,
  gov: { ...defaultGovEditor, ...govGenesisEditor },
};

/**
 * Structural checks of the default shapes above, used by `genesis validate` until the modules
 * register their own validateGenesis.
 */
export function validateDefaultShapes(appState: AppState): void {
  const fail = (field: string, why: string): never => {
    throw ErrInvalidGenesis.wrap(`app_state.${field}: ${why}`);
  };
  const bank = appState.bank as { balances?: { address: string; coins: { denom: string; amount: string }[] }[] } | undefined;
  (bank?.balances ?? []).forEach((b, i) => {
    try {
      accountBytes(b.address);
      Coins.fromProto(b.coins);
    } catch (err) {
      fail(`bank.balances[${i}]`, err instanceof Error ? err.message : String(err));
    }
  });
  const staking = appState.customstaking as { validators?: { val_key: string; pub_key?: { key?: string } }[] } | undefined;
  const keys = new Set<string>();
  (staking?.validators ?? []).forEach((v, i) => {
    const { kind } = decodeAddress(v.val_key);
    if (kind !== 'val') fail(`customstaking.validators[${i}].val_key`, `${v.val_key} is not a kiravaloper address`);
    const key = v.pub_key?.key ?? '';
    if (Buffer.from(key, 'base64').length !== 32) fail(`customstaking.validators[${i}].pub_key`, 'must hold a 32-byte ed25519 key');
    if (keys.has(key)) fail(`customstaking.validators[${i}].pub_key`, 'consensus key used twice');
    keys.add(key);
  });
  const gov = appState.customgov as { network_properties?: Record<string, unknown> } | undefined;
  for (const [name, value] of Object.entries(gov?.network_properties ?? {})) {
    try {
      networkPropertyValue(name, typeof value === 'string' ? value : String(value));
    } catch (err) {
      fail(`customgov.network_properties.${name}`, err instanceof Error ? err.message : String(err));
    }
  }
}
