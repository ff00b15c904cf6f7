/**
 * The `sekaid-ts genesis set-network-property | whitelist-permission` editor, checked by
 * customgov's own rules (property types and ranges, including COMMISSION_CHANGE_DELAY and
 * JAIL_PERIOD; permission numbers and names). It writes the shape `govGenesis` reads.
 * Wire it as `{ ...DEFAULT_GENESIS_EDITORS, gov: { ...defaultGovEditor, ...govGenesisEditor } }`.
 */
import { ErrInvalidGenesis } from '../../runtime/errors';
import { permValueFromJSON } from '../../proto/gen/sekai/gov/v1/permission';
import { checkPermission } from './keeper';
import { canonicalValue, parsePropertyName, propertyName } from './types/networkProperties';

type AppState = Record<string, unknown>;

interface ActorJson {
  address: string;
  roles: string[];
  status: string;
  votes: string[];
  permissions: { blacklist: number[]; whitelist: number[] };
  skin: string;
}

function section(appState: AppState): Record<string, unknown> {
  const s = (appState.customgov ??= {});
  if (typeof s !== 'object' || s === null || Array.isArray(s)) throw ErrInvalidGenesis.wrap('app_state.customgov must be an object');
  return s as Record<string, unknown>;
}

/** A permission by number (2), enum name (PERMISSION_CLAIM_VALIDATOR) or short name (claim_validator). */
export function parsePermissionText(text: string): number {
  if (/^\d+$/.test(text)) return checkPermission(Number(text));
  const upper = text.toUpperCase();
  let v: number;
  try {
    v = permValueFromJSON(upper.startsWith('PERMISSION_') ? upper : `PERMISSION_${upper}`);
  } catch {
    return checkPermission(-1);
  }
  return checkPermission(v);
}

export const govGenesisEditor = {
  setNetworkProperty(appState: AppState, name: string, value: string): void {
    const p = parsePropertyName(name);
    const props = (section(appState).network_properties ??= {}) as Record<string, unknown>;
    props[propertyName(p).toLowerCase()] = canonicalValue(p, value);
  },

  whitelistPermission(appState: AppState, address: string, permission: number): void {
    checkPermission(permission);
    const gov = section(appState);
    const actors = (gov.network_actors ??= []) as ActorJson[];
    let a = actors.find((x) => x.address === address);
    if (!a) {
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
    if (a.permissions.blacklist.includes(permission)) throw ErrInvalidGenesis.wrap(`permission ${permission} is blacklisted for ${address}`);
    if (!a.permissions.whitelist.includes(permission)) a.permissions.whitelist = [...a.permissions.whitelist, permission].sort((x, y) => x - y);
  },
};
