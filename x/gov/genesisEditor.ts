/**
 * The `sekaid-ts genesis` editor of customgov: `gentx-claim` gives the validator the sudo role
 * and records its moniker; `set-network-property` and `whitelist-permission` are checked by
 * customgov's own rules (property names, types and ranges, including COMMISSION_CHANGE_DELAY
 * and JAIL_PERIOD; permission numbers and names). It writes the shape `govGenesis` reads:
 *
 *   app_state.customgov.network_actors[]   {address: "kira1…", roles: ["1"], status: "ACTIVE",
 *                                           votes: ["VOTE_OPTION_YES", "VOTE_OPTION_ABSTAIN", "VOTE_OPTION_NO", "VOTE_OPTION_NO_WITH_VETO"],
 *                                           permissions: {blacklist: [], whitelist: [<perm>…]}, skin: "0"}
 *   app_state.customgov.identity_records[] {id: "<n>", address, key: "moniker", value, date: <genesis_time>, verifiers: []}
 *   app_state.customgov.network_properties {<snake_case name>: <canonical value as a string>}
 */
import { ErrInvalidGenesis } from '../../runtime/errors';
import { permValueFromJSON } from '../../proto/gen/sekai/gov/v1/permission';
import { checkPermission } from './keeper';
import { ErrUnknownPermission } from './types/errors';
import { canonicalValue, parsePropertyName, propertyName } from './types/networkProperties';
import { MODULE_NAME } from './types/keys';
import { ALL_VOTE_OPTION_NAMES } from './types/actors';

type AppState = Record<string, unknown>;

interface ActorJson {
  address: string;
  roles: string[];
  status: string;
  votes: string[];
  permissions: { blacklist: number[]; whitelist: number[] };
  skin: string;
}

interface IdentityRecordJson {
  id: string;
  address: string;
  key: string;
  value: string;
  date: string;
  verifiers: string[];
}

function section(appState: AppState): Record<string, unknown> {
  const s = (appState[MODULE_NAME] ??= {});
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw ErrInvalidGenesis.wrap(`app_state.${MODULE_NAME} must be an object`);
  return s as Record<string, unknown>;
}

function list<T>(appState: AppState, key: string): T[] {
  const gov = section(appState);
  const l = (gov[key] ??= []);
  if (!Array.isArray(l)) throw ErrInvalidGenesis.wrap(`app_state.${MODULE_NAME}.${key} must be an array`);
  return l as T[];
}

/** The actor of `address`, created as x/gov's default actor (active, every vote option, no permissions) if new. */
function actor(appState: AppState, address: string): ActorJson {
  const actors = list<ActorJson>(appState, 'network_actors');
  let a = actors.find((x) => x.address === address);
  if (!a) {
    a = {
      address,
      roles: [],
      status: 'ACTIVE',
      votes: [...ALL_VOTE_OPTION_NAMES],
      permissions: { blacklist: [], whitelist: [] },
      skin: '0',
    };
    actors.push(a);
  }
  return a;
}

/** A permission by number (2), enum name (PERMISSION_CLAIM_VALIDATOR) or short name (claim_validator). */
export function parsePermissionText(text: string): number {
  if (/^\d+$/.test(text)) return checkPermission(Number(text));
  const upper = text.toUpperCase();
  let v: number;
  try {
    v = permValueFromJSON(upper.startsWith('PERMISSION_') ? upper : `PERMISSION_${upper}`);
  } catch {
    throw ErrUnknownPermission.wrap(`"${text}" is not a PermValue; use a number or a name such as PERMISSION_CLAIM_VALIDATOR`);
  }
  return checkPermission(v);
}

/**
 * Checks a network property as genesis.json holds it (`name` in snake case, `value` a string,
 * or a boolean as older editors wrote it) by customgov's rules; throws the property's error.
 */
export function checkGenesisNetworkProperty(name: string, value: unknown): void {
  canonicalValue(parsePropertyName(name), typeof value === 'string' ? value : String(value));
}

export const govGenesisEditor = {
  /** Creates the network actor if needed and gives it the role. */
  assignRole(appState: AppState, address: string, roleId: number): void {
    const a = actor(appState, address);
    if (!a.roles.includes(String(roleId))) a.roles.push(String(roleId));
  },

  /** `name` is the NetworkProperty enum name (MIN_TX_FEE …) in any case; `value` as typed by a person. */
  setNetworkProperty(appState: AppState, name: string, value: string): void {
    const p = parsePropertyName(name);
    const props = (section(appState).network_properties ??= {}) as Record<string, unknown>;
    props[propertyName(p).toLowerCase()] = canonicalValue(p, value);
  },

  whitelistPermission(appState: AppState, address: string, permission: number): void {
    checkPermission(permission);
    const a = actor(appState, address);
    if (a.permissions.blacklist.includes(permission)) throw ErrInvalidGenesis.wrap(`permission ${permission} is blacklisted for ${address}`);
    if (!a.permissions.whitelist.includes(permission)) a.permissions.whitelist = [...a.permissions.whitelist, permission].sort((x, y) => x - y);
  },

  /** Records the validator's moniker in the identity registrar (ids from 1, one moniker per address). */
  setMoniker(appState: AppState, address: string, moniker: string, genesisTime: string): void {
    const records = list<IdentityRecordJson>(appState, 'identity_records');
    const existing = records.find((r) => r.address === address && r.key === 'moniker');
    if (existing) {
      existing.value = moniker;
      return;
    }
    const next = records.reduce((max, r) => (BigInt(r.id) >= max ? BigInt(r.id) + 1n : max), 1n);
    records.push({ id: next.toString(), address, key: 'moniker', value: moniker, date: genesisTime, verifiers: [] });
  },
};
