/**
 * Genesis edits that belong to modules (accounts and balances, validators, governance actors,
 * permissions, network properties) go through small editor interfaces, and each module
 * supplies its own: x/customstaking seats validators (`stakingGenesisEditor`), x/gov edits
 * actors, roles, monikers, permissions and network properties (`govGenesisEditor`, with its
 * own property and permission parsers). The accounts editor below writes the shapes of
 * x/accountid and x/bank, which mirror their protobuf JSON (int64 as strings):
 *
 *   app_state.accountid.accounts[]        {address: "kira1…", account_number: "<n>"}   (n = 0, 1, … in order of addition)
 *   app_state.bank.balances[]             {address: "kira1…", coins: [{denom, amount}]} (sorted by address, coins by denom)
 *   app_state.bank.supply[]               sum of all balances, sorted by denom
 */
import { Coins, type Coin } from '../../types/coins';
import { decodeAddress } from '../../keyring';
import { ErrInvalidGenesis } from '../../node/config';
import { ErrUsage } from './errors';
import { stakingGenesisEditor } from '../../x/customstaking';
import { checkGenesisNetworkProperty, govGenesisEditor } from '../../x/gov';

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

/**
 * The editors of the app's modules: x/customstaking seats validators in its own shape
 * (moniker and operator address included, duplicates refused with its error codes) and
 * x/gov writes actors, roles, monikers, permissions and network properties by its own rules.
 */
export const DEFAULT_GENESIS_EDITORS: GenesisEditors = {
  accounts: defaultAccountEditor,
  validators: stakingGenesisEditor,
  gov: govGenesisEditor,
};

/**
 * Structural checks of the shapes the editors write, used by `genesis validate` when no module
 * registered its own validateGenesis (network properties by x/gov's rules).
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
      checkGenesisNetworkProperty(name, value);
    } catch (err) {
      fail(`customgov.network_properties.${name}`, err instanceof Error ? err.message : String(err));
    }
  }
}
