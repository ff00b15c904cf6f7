/**
 * customgov genesis: `app_state.customgov`, in the shape `sekaid-ts genesis` writes
 * (cmd/sekaid-ts/genesisEditors.ts) and sekai exports:
 *
 *   {
 *     "roles": [{ "id": 1, "sid": "sudo", "description": "…", "permissions": { "whitelist": [1, …], "blacklist": [] } }],
 *     "next_role_id": "3",
 *     "network_actors": [{ "address": "kira1…", "roles": ["1"], "status": "ACTIVE",
 *                          "votes": ["VOTE_OPTION_YES", …], "permissions": { "blacklist": [], "whitelist": [2] }, "skin": "0" }],
 *     "network_properties": { "min_tx_fee": "100", "vote_quorum": "0.33", "enable_foreign_fee_payments": true, … },
 *     "councilors": [{ "address": "kira1…", "status": "COUNCILOR_STATUS_ACTIVE", "rank": "0", "abstention_counter": "0" }],
 *     "proposals": [<Proposal JSON>], "votes": [<Vote JSON>], "starting_proposal_id": "1",
 *     "proposal_durations": { "SetNetworkProperty": "600" }
 *   }
 *
 * Every field is optional; missing roles mean sekai's defaults (sudo, validator) and
 * missing properties their defaults. Actors and councilors name accounts by address (an
 * unknown address becomes an account, so x/accountid's genesis must run first);
 * proposals and votes carry AccountIDs, which genesis export preserves.
 * `identity_records` (written by `gentx-claim`) belong to the identity registrar and are
 * accepted but not stored here.
 */
import type { Context } from '../../runtime/context';
import { ErrInvalidGenesis } from '../../runtime/errors';
import type { ModuleGenesis } from '../../runtime/module';
import { CodedError } from '../../types/errors';
import {
  ActorStatus,
  CouncilorStatus,
  Proposal,
  Vote,
  VoteOption,
  actorStatusFromJSON,
  councilorStatusFromJSON,
  voteOptionFromJSON,
} from '../../proto/gen/sekai/gov/v1/gov';
import { PermValue } from '../../proto/gen/sekai/gov/v1/permission';
import { checkPermission, isKnownPermission, type GovKeeper } from './keeper';
import { ALL_VOTE_OPTIONS, ROLE_SUDO, ROLE_VALIDATOR } from './types/actors';
import { allProperties, canonicalValue, defaultValue, isStoredValue, parsePropertyName, propertyName } from './types/networkProperties';

interface PermissionsJson {
  whitelist?: number[];
  blacklist?: number[];
}

interface RoleJson {
  id: number;
  sid: string;
  description?: string;
  permissions?: PermissionsJson;
}

interface ActorJson {
  address: string;
  roles?: string[];
  status?: string;
  votes?: string[];
  permissions?: PermissionsJson;
  skin?: string;
}

interface CouncilorJson {
  address: string;
  status?: string;
  rank?: string;
  abstention_counter?: string;
}

export interface GovGenesisJson {
  roles?: RoleJson[];
  next_role_id?: string;
  network_actors?: ActorJson[];
  network_properties?: Record<string, string | boolean>;
  councilors?: CouncilorJson[];
  proposals?: unknown[];
  votes?: unknown[];
  starting_proposal_id?: string;
  proposal_durations?: Record<string, string>;
  identity_records?: unknown[];
}

/** sekai's default roles: sudo holds every permission but PermChangeTxFee (7); validator holds PermClaimValidator. */
export function defaultRoles(): RoleJson[] {
  // eslint-disable-next-line no-restricted-syntax -- sorted right below
  const all = Object.values(PermValue)
    .filter((p): p is number => typeof p === 'number' && p > 0 && isKnownPermission(p) && p !== PermValue.PERMISSION_CHANGE_TX_FEE)
    .sort((a, b) => a - b);
  return [
    { id: ROLE_SUDO, sid: 'sudo', description: 'Sudo role', permissions: { whitelist: all, blacklist: [] } },
    { id: ROLE_VALIDATOR, sid: 'validator', description: 'Validator role', permissions: { whitelist: [PermValue.PERMISSION_CLAIM_VALIDATOR], blacklist: [] } },
  ];
}

function fail(field: string, why: string): never {
  throw ErrInvalidGenesis.wrap(`customgov.${field}: ${why}`);
}

function uintText(v: unknown, field: string): bigint {
  if (typeof v !== 'string' || !/^\d+$/.test(v) || BigInt(v) >= 1n << 64n) fail(field, `${JSON.stringify(v)} is not a uint64 decimal string`);
  return BigInt(v as string);
}

function perms(p: PermissionsJson | undefined, field: string): { whitelist: number[]; blacklist: number[] } {
  const norm = (l: unknown, f: string): number[] => {
    if (l === undefined) return [];
    if (!Array.isArray(l)) fail(f, 'must be an array');
    const out = (l as unknown[]).map((x, i) => {
      const n = typeof x === 'string' && /^\d+$/.test(x) ? Number(x) : x;
      if (typeof n !== 'number' || !isKnownPermission(n)) fail(`${f}[${i}]`, `${JSON.stringify(x)} is not a PermValue`);
      return n as number;
    });
    // eslint-disable-next-line determinism/no-unordered-iteration -- sorted right here
    return [...new Set(out)].sort((a, b) => a - b);
  };
  return { whitelist: norm(p?.whitelist, `${field}.whitelist`), blacklist: norm(p?.blacklist, `${field}.blacklist`) };
}

function actorStatus(s: string | undefined, field: string): ActorStatus {
  if (s === undefined) return ActorStatus.ACTOR_STATUS_ACTIVE;
  try {
    const v = actorStatusFromJSON(s.startsWith('ACTOR_STATUS_') ? s : `ACTOR_STATUS_${s}`);
    if (v !== ActorStatus.UNRECOGNIZED) return v;
  } catch {
    // reported below
  }
  return fail(field, `unknown actor status ${JSON.stringify(s)}`);
}

function councilorStatus(s: string | undefined, field: string): CouncilorStatus {
  if (s === undefined) return CouncilorStatus.COUNCILOR_STATUS_ACTIVE;
  try {
    const v = councilorStatusFromJSON(s.startsWith('COUNCILOR_STATUS_') ? s : `COUNCILOR_STATUS_${s}`);
    if (v !== CouncilorStatus.UNRECOGNIZED) return v;
  } catch {
    // reported below
  }
  return fail(field, `unknown councilor status ${JSON.stringify(s)}`);
}

function voteOptions(list: string[] | undefined, field: string): VoteOption[] {
  if (list === undefined) return [...ALL_VOTE_OPTIONS];
  return list.map((o, i) => {
    try {
      const v = voteOptionFromJSON(o);
      if (v !== VoteOption.UNRECOGNIZED && v !== VoteOption.VOTE_OPTION_UNSPECIFIED) return v;
    } catch {
      // reported below
    }
    return fail(`${field}[${i}]`, `unknown vote option ${JSON.stringify(o)}`);
  });
}

function asObject(json: unknown): GovGenesisJson {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw ErrInvalidGenesis.wrap('customgov: must be an object');
  return json as GovGenesisJson;
}

function propertyEntries(g: GovGenesisJson): Map<number, string> {
  const out = new Map<number, string>();
  const props = g.network_properties ?? {};
  if (typeof props !== 'object' || Array.isArray(props)) fail('network_properties', 'must be an object');
  // eslint-disable-next-line no-restricted-syntax -- sorted right here
  for (const name of Object.keys(props).sort()) {
    try {
      const p = parsePropertyName(name);
      const raw = props[name];
      out.set(p, canonicalValue(p, typeof raw === 'boolean' ? String(raw) : String(raw)));
    } catch (err) {
      fail(`network_properties.${name}`, err instanceof CodedError ? err.message : String(err));
    }
  }
  return out;
}

export function govGenesis(k: GovKeeper): ModuleGenesis {
  return {
    defaultGenesis: (): GovGenesisJson => ({
      roles: defaultRoles(),
      next_role_id: '3',
      network_actors: [],
      network_properties: Object.fromEntries(allProperties().map((p) => [propertyName(p).toLowerCase(), defaultValue(p)])),
      councilors: [],
      proposals: [],
      votes: [],
      starting_proposal_id: '1',
      proposal_durations: {},
    }),

    validateGenesis(json) {
      const g = asObject(json);
      const roles = g.roles ?? defaultRoles();
      const ids = new Set<number>();
      const sids = new Set<string>();
      roles.forEach((r, i) => {
        if (!Number.isInteger(r.id) || r.id <= 0 || r.id > 0xffffffff) fail(`roles[${i}].id`, `${JSON.stringify(r.id)} is not a positive uint32`);
        if (ids.has(r.id) || sids.has(r.sid)) fail(`roles[${i}]`, `role ${r.id} / ${r.sid} is listed twice`);
        if (typeof r.sid !== 'string' || r.sid === '') fail(`roles[${i}].sid`, 'must be a non-empty string');
        ids.add(r.id);
        sids.add(r.sid);
        perms(r.permissions, `roles[${i}].permissions`);
      });
      const next = g.next_role_id === undefined ? undefined : Number(uintText(g.next_role_id, 'next_role_id'));
      // eslint-disable-next-line determinism/no-unordered-iteration -- an order-free test (some)
      if (next !== undefined && [...ids].some((id) => id >= next)) fail('next_role_id', `${next} is not above every role id`);
      const seen = new Set<string>();
      (g.network_actors ?? []).forEach((a, i) => {
        if (typeof a.address !== 'string' || a.address === '') fail(`network_actors[${i}].address`, 'must be an account reference');
        if (seen.has(a.address)) fail(`network_actors[${i}]`, `${a.address} is listed twice`);
        seen.add(a.address);
        (a.roles ?? []).forEach((r, j) => uintText(r, `network_actors[${i}].roles[${j}]`));
        actorStatus(a.status, `network_actors[${i}].status`);
        voteOptions(a.votes, `network_actors[${i}].votes`);
        perms(a.permissions, `network_actors[${i}].permissions`);
        if (a.skin !== undefined) uintText(a.skin, `network_actors[${i}].skin`);
      });
      const props = propertyEntries(g);
      const min = BigInt(props.get(0) ?? defaultValue(0));
      const max = BigInt(props.get(1) ?? defaultValue(1));
      if (min > max) fail('network_properties.min_tx_fee', `${min} exceeds max_tx_fee ${max}`);
      (g.councilors ?? []).forEach((c, i) => {
        if (typeof c.address !== 'string' || c.address === '') fail(`councilors[${i}].address`, 'must be an account reference');
        councilorStatus(c.status, `councilors[${i}].status`);
      });
      (g.proposals ?? []).forEach((p, i) => {
        const prop = Proposal.fromJSON(p);
        if (prop.proposalId === 0n) fail(`proposals[${i}].proposal_id`, 'must be positive');
        try {
          k.decodeContent(prop.content);
        } catch (err) {
          fail(`proposals[${i}].content`, err instanceof CodedError ? err.message : String(err));
        }
      });
      if (g.starting_proposal_id !== undefined) uintText(g.starting_proposal_id, 'starting_proposal_id');
      // eslint-disable-next-line no-restricted-syntax -- sorted right here
      for (const type of Object.keys(g.proposal_durations ?? {}).sort()) uintText(g.proposal_durations![type], `proposal_durations.${type}`);
    },

    initGenesis(ctx: Context, json) {
      const g = asObject(json);
      const roles = g.roles ?? defaultRoles();
      for (const r of roles) {
        k.setRole(ctx, { id: r.id, sid: r.sid, description: r.description ?? '', permissions: perms(r.permissions, 'roles') });
      }
      const maxRole = roles.reduce((m, r) => Math.max(m, r.id), 2);
      k.setNextRoleId(ctx, g.next_role_id === undefined ? maxRole + 1 : Number(g.next_role_id));
      for (const a of g.network_actors ?? []) {
        const id = k.accounts.resolveOrCreate(ctx, a.address);
        k.setActor(ctx, {
          accountId: id,
          roles: (a.roles ?? []).map((r) => BigInt(r)).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
          status: actorStatus(a.status, 'network_actors'),
          votes: voteOptions(a.votes, 'network_actors'),
          permissions: perms(a.permissions, 'network_actors'),
          skin: BigInt(a.skin ?? '0'),
        });
      }
      // Every property is stored, defaults included (sparse ones only when set), so export
      // then import reproduces the same bytes.
      const props = propertyEntries(g);
      for (const p of allProperties()) {
        const v = props.get(p) ?? defaultValue(p);
        k.importProperty(ctx, p, v);
      }
      for (const c of g.councilors ?? []) {
        k.setCouncilor(ctx, {
          accountId: k.accounts.resolveOrCreate(ctx, c.address),
          status: councilorStatus(c.status, 'councilors'),
          rank: BigInt(c.rank ?? '0'),
          abstentionCounter: BigInt(c.abstention_counter ?? '0'),
        });
      }
      let next = BigInt(g.starting_proposal_id ?? '1');
      for (const raw of g.proposals ?? []) {
        const p = Proposal.fromJSON(raw);
        k.setProposal(ctx, p);
        if (p.proposalId >= next) next = p.proposalId + 1n;
        k.requeueProposal(ctx, p);
      }
      k.setNextProposalId(ctx, next);
      for (const raw of g.votes ?? []) k.setVote(ctx, Vote.fromJSON(raw));
      // eslint-disable-next-line no-restricted-syntax -- sorted right here
      for (const type of Object.keys(g.proposal_durations ?? {}).sort()) k.setProposalDuration(ctx, type, BigInt(g.proposal_durations![type]));
    },

    exportGenesis(ctx: Context): GovGenesisJson {
      const proposals = k.proposalsList(ctx);
      return {
        roles: k.roles(ctx).map((r) => ({ id: r.id, sid: r.sid, description: r.description, permissions: { whitelist: r.permissions?.whitelist ?? [], blacklist: r.permissions?.blacklist ?? [] } })),
        next_role_id: String(k.nextRoleId(ctx)),
        network_actors: k.actors(ctx).map((a) => ({
          address: k.accounts.addressOf(ctx, a.accountId),
          roles: a.roles.map(String),
          status: ActorStatus[a.status].replace(/^ACTOR_STATUS_/, ''),
          votes: a.votes.map((v) => VoteOption[v]),
          permissions: { blacklist: a.permissions?.blacklist ?? [], whitelist: a.permissions?.whitelist ?? [] },
          skin: a.skin.toString(),
        })),
        network_properties: Object.fromEntries(
          k.properties(ctx).filter((e) => isStoredValue(e.property, e.value)).map((e) => [propertyName(e.property).toLowerCase(), e.value]),
        ),
        councilors: k.councilors(ctx).map((c) => ({
          address: k.accounts.addressOf(ctx, c.accountId),
          status: CouncilorStatus[c.status],
          rank: c.rank.toString(),
          abstention_counter: c.abstentionCounter.toString(),
        })),
        proposals: proposals.map((p) => Proposal.toJSON(p)),
        votes: proposals.flatMap((p) => k.votes(ctx, p.proposalId).map((v) => Vote.toJSON(v))),
        starting_proposal_id: k.nextProposalId(ctx).toString(),
        proposal_durations: Object.fromEntries(k.proposalDurations(ctx).map((d) => [d.type, d.seconds.toString()])),
      };
    },
  };
}

export { checkPermission };
