/**
 * The x/gov keeper: network actors, roles and the permission check, network properties,
 * councilors, proposals and their tally. Every read goes to the context's store branch;
 * nothing is cached across calls, so no result depends on the process's history.
 *
 * Identity: actors, councilors and votes are keyed by AccountID (see
 * types/expectedKeepers.ts); messages name accounts by any reference.
 */
import type { Context } from '../../runtime/context';
import type { FeeBounds, FeeParamsKeeper } from '../../runtime/expectedKeepers';
import type { KVStore } from '../../store/types';
import { Dec } from '../../types/dec';
import type { Any } from '../../proto/gen/google/protobuf/any';
import {
  ActorStatus,
  Councilor,
  CouncilorStatus,
  NetworkActor,
  Proposal,
  Role,
  Vote,
  VoteOption,
  VoteResult,
} from '../../proto/gen/sekai/gov/v1/gov';
import { PermValue, permValueToJSON } from '../../proto/gen/sekai/gov/v1/permission';
import {
  ErrAlreadyBlacklisted,
  ErrAlreadyWhitelisted,
  ErrCouncilorExists,
  ErrCouncilorStatus,
  ErrInvalidNetworkProperty,
  ErrInvalidRoleSid,
  ErrNotBlacklisted,
  ErrNotPermitted,
  ErrNotWhitelisted,
  ErrRoleAlreadyAssigned,
  ErrRoleExists,
  ErrRoleNotAssigned,
  ErrUnknownAccount,
  ErrUnknownCouncilor,
  ErrUnknownPermission,
  ErrUnknownRole,
} from './types/errors';
import type { GovAccountKeeper, GovUpgradeKeeper, StoreReader } from './types/expectedKeepers';
import { GovEvents, councilorEvent, permissionEvent } from './types/events';
import { Keys, MODULE_NAME, STORE_KEY, prefixEnd, readU64, u64 } from './types/keys';
import {
  NetworkProperty,
  allProperties,
  canonicalValue,
  defaultValue,
  isStoredValue,
  propertyName,
  specOf,
  type DepositNetworkProperties,
  type ValidatorNetworkProperties,
} from './types/networkProperties';
import { ProposalRegistry, type ProposalHandler } from './types/proposalRouter';
import { ALL_VOTE_OPTIONS } from './types/actors';
import { decodeContent, endBlock, enact, finishVoting, submitProposal, vote } from './proposalLifecycle';

/** An account as callers name it: an AccountID, or any reference x/accountid resolves. */
export type AccountRef = bigint | string;

const text = new TextEncoder();
const untext = new TextDecoder();

/**
 * Decoded property text by the identity of the stored bytes: stored arrays are never
 * mutated (store contract), so the text is a pure function of the array, and entries die
 * with the arrays. Saves a UTF-8 decode per fee check.
 */
const propertyText = new WeakMap<Uint8Array, string>();

/** True for a number sekai defines in PermValue (0–69 without the retired 6, 14, 15). */
export function isKnownPermission(p: number): p is PermValue {
  return Number.isInteger(p) && p >= 0 && p !== PermValue.UNRECOGNIZED && PermValue[p] !== undefined;
}

/** "PERMISSION_CREATE_RESET_WHOLE_VALIDATOR_RANK_PROPOSAL (26)". */
export function permLabel(p: number): string {
  return isKnownPermission(p) ? `${permValueToJSON(p)} (${p})` : `permission ${p}`;
}

export function checkPermission(p: number): PermValue {
  if (!isKnownPermission(p)) throw ErrUnknownPermission.wrap(`${p} is not a PermValue (0–69; 6, 14 and 15 are retired)`);
  return p;
}

function sortedInsert(list: number[], v: number): number[] {
  return [...list, v].sort((a, b) => a - b);
}

function bigSorted(list: bigint[]): bigint[] {
  return list.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface GovKeeperDeps {
  accounts: GovAccountKeeper;
  /** The runtime's upgrade store, where `SoftwareUpgradeProposal` schedules its plan. */
  upgrades: GovUpgradeKeeper;
  /** Denom of MIN_TX_FEE / MAX_TX_FEE; KIRA's is ukex. */
  feeDenom?: string;
}

export class GovKeeper implements FeeParamsKeeper {
  readonly storeKey = STORE_KEY;
  readonly accounts: GovAccountKeeper;
  readonly upgrades: GovUpgradeKeeper;
  /** Every module's proposal types, registered by the app's wiring (`defineModule({ proposals })`). */
  readonly proposals = new ProposalRegistry();
  readonly feeDenom: string;

  constructor(deps: GovKeeperDeps) {
    this.accounts = deps.accounts;
    this.upgrades = deps.upgrades;
    this.feeDenom = deps.feeDenom ?? 'ukex';
  }

  /** The module's store (also read by proposalLifecycle.ts). */
  kv(ctx: StoreReader): KVStore {
    return ctx.store(this.storeKey) as KVStore;
  }

  // ------------------------------------------------------------------ accounts

  /** The AccountID of a reference; ErrUnknownAccount when it names none. */
  accountOf(ctx: StoreReader, ref: AccountRef): bigint {
    if (typeof ref === 'bigint') return ref;
    const id = this.accounts.tryResolve(ctx, ref);
    if (id === undefined) throw ErrUnknownAccount.wrap(`no account is ${JSON.stringify(ref)}`);
    return id;
  }

  // ------------------------------------------------------------------ actors

  getActor(ctx: StoreReader, id: bigint): NetworkActor | undefined {
    const raw = this.kv(ctx).get(Keys.actor(id));
    return raw && NetworkActor.decode(raw);
  }

  setActor(ctx: Context, actor: NetworkActor): void {
    this.kv(ctx).set(Keys.actor(actor.accountId), NetworkActor.encode(actor).finish());
  }

  /** The actor, or sekai's default one (active, every vote option, no permissions) if new. */
  actorOrDefault(ctx: StoreReader, id: bigint): NetworkActor {
    return (
      this.getActor(ctx, id) ??
      NetworkActor.fromPartial({
        accountId: id,
        roles: [],
        status: ActorStatus.ACTOR_STATUS_ACTIVE,
        votes: [...ALL_VOTE_OPTIONS],
        permissions: { whitelist: [], blacklist: [] },
        skin: 0n,
      })
    );
  }

  /** Every actor in AccountID order. O(actors). */
  actors(ctx: StoreReader): NetworkActor[] {
    const p = Keys.actorPrefix();
    const out: NetworkActor[] = [];
    for (const [, v] of this.kv(ctx).iterator(p, prefixEnd(p))) out.push(NetworkActor.decode(v));
    return out;
  }

  // ------------------------------------------------------------------ roles

  getRole(ctx: StoreReader, id: number): Role | undefined {
    const raw = this.kv(ctx).get(Keys.role(id));
    return raw && Role.decode(raw);
  }

  /** A role by numeric id or sid; ErrUnknownRole when none. */
  roleByIdentifier(ctx: StoreReader, identifier: string): Role {
    let role: Role | undefined;
    if (/^\d+$/.test(identifier) && Number(identifier) <= 0xffffffff) role = this.getRole(ctx, Number(identifier));
    else {
      const raw = this.kv(ctx).get(Keys.roleSid(identifier));
      role = raw && this.getRole(ctx, Number(readU64(raw)));
    }
    if (!role) throw ErrUnknownRole.wrap(`no role ${JSON.stringify(identifier)}`);
    return role;
  }

  setRole(ctx: Context, role: Role): void {
    const kv = this.kv(ctx);
    kv.set(Keys.role(role.id), Role.encode(role).finish());
    kv.set(Keys.roleSid(role.sid), u64(BigInt(role.id)));
  }

  roles(ctx: StoreReader): Role[] {
    const p = Keys.rolePrefix();
    const out: Role[] = [];
    for (const [, v] of this.kv(ctx).iterator(p, prefixEnd(p))) out.push(Role.decode(v));
    return out;
  }

  nextRoleId(ctx: StoreReader): number {
    const raw = this.kv(ctx).get(Keys.nextRoleId());
    return raw ? Number(readU64(raw)) : 3;
  }

  setNextRoleId(ctx: Context, id: number): void {
    this.kv(ctx).set(Keys.nextRoleId(), u64(BigInt(id)));
  }

  /** Creates a role; its sid is lower-case letters, digits and underscores (at most 64). */
  createRole(ctx: Context, sid: string, description: string, whitelist: number[] = [], blacklist: number[] = []): number {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(sid)) throw ErrInvalidRoleSid.wrap(`${JSON.stringify(sid)} must be 1–64 of a-z, 0-9, _ starting with a letter`);
    if (this.kv(ctx).has(Keys.roleSid(sid))) throw ErrRoleExists.wrap(`sid ${sid}`);
    // eslint-disable-next-line determinism/no-unordered-iteration -- sorted right here
    const wl = [...new Set(whitelist.map(checkPermission))].sort((a, b) => a - b);
    // eslint-disable-next-line determinism/no-unordered-iteration -- sorted right here
    const bl = [...new Set(blacklist.map(checkPermission))].sort((a, b) => a - b);
    const id = this.nextRoleId(ctx);
    this.setRole(ctx, Role.fromPartial({ id, sid, description, permissions: { whitelist: wl, blacklist: bl } }));
    this.setNextRoleId(ctx, id + 1);
    ctx.events.emit(GovEvents.createRole, { role_id: String(id), role_sid: sid });
    return id;
  }

  /** Removes a role and takes it from every actor holding it. O(actors). */
  removeRole(ctx: Context, sid: string): void {
    const role = this.roleByIdentifier(ctx, sid);
    const kv = this.kv(ctx);
    kv.delete(Keys.role(role.id));
    kv.delete(Keys.roleSid(role.sid));
    for (const a of this.actors(ctx)) {
      if (a.roles.includes(BigInt(role.id))) this.setActor(ctx, { ...a, roles: a.roles.filter((r) => r !== BigInt(role.id)) });
    }
    ctx.events.emit(GovEvents.removeRole, { role_id: String(role.id), role_sid: role.sid });
  }

  /** Edits one list of a role: `list` whitelist/blacklist, `add` or remove. */
  editRolePermission(ctx: Context, identifier: string, list: 'whitelist' | 'blacklist', add: boolean, permission: number): void {
    checkPermission(permission);
    const role = this.roleByIdentifier(ctx, identifier);
    const perms = { whitelist: role.permissions?.whitelist ?? [], blacklist: role.permissions?.blacklist ?? [] };
    const has = perms[list].includes(permission);
    const what = `role ${role.sid} (${role.id}), ${permLabel(permission)}`;
    if (add && has) throw (list === 'whitelist' ? ErrAlreadyWhitelisted : ErrAlreadyBlacklisted).wrap(what);
    if (!add && !has) throw (list === 'whitelist' ? ErrNotWhitelisted : ErrNotBlacklisted).wrap(what);
    perms[list] = add ? sortedInsert(perms[list], permission) : perms[list].filter((p) => p !== permission);
    this.setRole(ctx, { ...role, permissions: perms });
  }

  assignRole(ctx: Context, account: AccountRef, identifier: string): void {
    const role = this.roleByIdentifier(ctx, identifier);
    const id = this.resolveTarget(ctx, account);
    const a = this.actorOrDefault(ctx, id);
    if (a.roles.includes(BigInt(role.id))) throw ErrRoleAlreadyAssigned.wrap(`role ${role.sid} (${role.id})`);
    this.setActor(ctx, { ...a, roles: bigSorted([...a.roles, BigInt(role.id)]) });
    ctx.events.emit(GovEvents.assignRole, { account_id: id.toString(), role_id: String(role.id) });
  }

  unassignRole(ctx: Context, account: AccountRef, identifier: string): void {
    const role = this.roleByIdentifier(ctx, identifier);
    const id = this.accountOf(ctx, account);
    const a = this.getActor(ctx, id);
    if (!a || !a.roles.includes(BigInt(role.id))) throw ErrRoleNotAssigned.wrap(`role ${role.sid} (${role.id})`);
    this.setActor(ctx, { ...a, roles: a.roles.filter((r) => r !== BigInt(role.id)) });
    ctx.events.emit(GovEvents.unassignRole, { account_id: id.toString(), role_id: String(role.id) });
  }

  // ------------------------------------------------------------------ permissions

  /**
   * Whether an actor holds a permission: whitelisted by itself or one of its roles, and
   * blacklisted by neither (a blacklist always wins). `roles` may be a preloaded map.
   */
  actorAllowed(ctx: StoreReader, actor: NetworkActor, perm: number, roles?: ReadonlyMap<number, Role>): boolean {
    let white = actor.permissions?.whitelist.includes(perm) ?? false;
    if (actor.permissions?.blacklist.includes(perm)) return false;
    for (const r of actor.roles) {
      const role = roles ? roles.get(Number(r)) : this.getRole(ctx, Number(r));
      if (!role) continue;
      if (role.permissions?.blacklist.includes(perm)) return false;
      if (role.permissions?.whitelist.includes(perm)) white = true;
    }
    return white;
  }

  /** The permission check every module uses. An account with no actor holds nothing. */
  isAllowed(ctx: StoreReader, account: AccountRef, perm: PermValue | number): boolean {
    const id = typeof account === 'bigint' ? account : this.accounts.tryResolve(ctx, account);
    if (id === undefined) return false;
    const actor = this.getActor(ctx, id);
    return actor !== undefined && this.actorAllowed(ctx, actor, perm);
  }

  /** The addresses of every actor holding `perm` (blacklists applied), in account-ID order. O(actors). */
  holders(ctx: StoreReader, perm: PermValue | number): string[] {
    return this.actors(ctx).filter((a) => this.actorAllowed(ctx, a, perm)).map((a) => this.accounts.addressOf(ctx, a.accountId));
  }

  /** Throws ErrNotPermitted naming the permission unless the account holds it. */
  requirePermission(ctx: StoreReader, account: bigint, perm: PermValue, action: string): void {
    if (!this.isAllowed(ctx, account, perm)) throw ErrNotPermitted.wrap(`${permLabel(perm)} is required to ${action}`);
  }

  /** An account named as the target of a grant: an unknown bech32 address becomes an account, as sekai grants to any address. */
  private resolveTarget(ctx: Context, account: AccountRef): bigint {
    return typeof account === 'bigint' ? account : this.accounts.resolveOrCreate(ctx, account);
  }

  /** Edits one list of an actor (created with defaults if new). */
  editAccountPermission(ctx: Context, account: AccountRef, list: 'whitelist' | 'blacklist', add: boolean, permission: number): bigint {
    checkPermission(permission);
    const id = add ? this.resolveTarget(ctx, account) : this.accountOf(ctx, account);
    const a = this.actorOrDefault(ctx, id);
    const perms = { whitelist: a.permissions?.whitelist ?? [], blacklist: a.permissions?.blacklist ?? [] };
    const has = perms[list].includes(permission);
    const what = `account ${id}, ${permLabel(permission)}`;
    if (add && has) throw (list === 'whitelist' ? ErrAlreadyWhitelisted : ErrAlreadyBlacklisted).wrap(what);
    if (!add && !has) throw (list === 'whitelist' ? ErrNotWhitelisted : ErrNotBlacklisted).wrap(what);
    perms[list] = add ? sortedInsert(perms[list], permission) : perms[list].filter((p) => p !== permission);
    this.setActor(ctx, { ...a, permissions: perms });
    ctx.events.emit(permissionEvent(list, add), { account_id: id.toString(), permission: String(permission) });
    return id;
  }

  // ------------------------------------------------------------------ network properties

  /** Canonical text of a property (its default until set). */
  property(ctx: StoreReader, p: NetworkProperty): string {
    const raw = this.kv(ctx).get(Keys.property(p));
    if (!raw) return defaultValue(p);
    let v = propertyText.get(raw);
    if (v === undefined) {
      v = untext.decode(raw);
      propertyText.set(raw, v);
    }
    return v;
  }

  uint(ctx: StoreReader, p: NetworkProperty): bigint {
    if (specOf(p).kind !== 'uint') throw new Error(`${propertyName(p)} is not an integer property`);
    return BigInt(this.property(ctx, p));
  }

  dec(ctx: StoreReader, p: NetworkProperty): Dec {
    if (specOf(p).kind !== 'dec') throw new Error(`${propertyName(p)} is not a decimal property`);
    return Dec.fromString(this.property(ctx, p));
  }

  bool(ctx: StoreReader, p: NetworkProperty): boolean {
    return this.property(ctx, p) === 'true';
  }

  /** Genesis: stores a property's canonical text as exported (sparse properties only when set). */
  importProperty(ctx: Context, p: NetworkProperty, canonical: string): void {
    if (isStoredValue(p, canonical)) this.kv(ctx).set(Keys.property(p), text.encode(canonical));
  }

  /** Genesis: puts an imported proposal back in the voting or enactment queue its result calls for. */
  requeueProposal(ctx: Context, p: Proposal): void {
    if (p.result === VoteResult.VOTE_RESULT_PENDING) this.kv(ctx).set(Keys.activeQueue(p.votingEndTime, p.proposalId), new Uint8Array());
    if (p.result === VoteResult.VOTE_RESULT_ENACTMENT) this.kv(ctx).set(Keys.enactmentQueue(p.enactmentEndTime, p.proposalId), new Uint8Array());
  }

  /** Sets a property after checking its type, range and MIN_TX_FEE ≤ MAX_TX_FEE. */
  setProperty(ctx: Context, p: NetworkProperty, value: string): void {
    const v = canonicalValue(p, value);
    this.checkFeeOrder(ctx, p, v);
    if (isStoredValue(p, v)) this.kv(ctx).set(Keys.property(p), text.encode(v));
    else this.kv(ctx).delete(Keys.property(p));
    ctx.events.emit(GovEvents.setNetworkProperty, { property: propertyName(p), value: v });
  }

  private checkFeeOrder(ctx: StoreReader, p: NetworkProperty, v: string): void {
    const min = p === NetworkProperty.MIN_TX_FEE ? BigInt(v) : this.uint(ctx, NetworkProperty.MIN_TX_FEE);
    const max = p === NetworkProperty.MAX_TX_FEE ? BigInt(v) : this.uint(ctx, NetworkProperty.MAX_TX_FEE);
    if (min > max) throw ErrInvalidNetworkProperty.wrap(`MIN_TX_FEE ${min} would exceed MAX_TX_FEE ${max}`);
  }

  /** Every property in enum order, as canonical text. */
  properties(ctx: StoreReader): { property: NetworkProperty; value: string }[] {
    return allProperties().map((p) => ({ property: p, value: this.property(ctx, p) }));
  }

  /** The ante pipeline's fee bounds (runtime/expectedKeepers.ts). */
  feeBounds(ctx: Context): FeeBounds {
    return { denom: this.feeDenom, minTxFee: this.uint(ctx, NetworkProperty.MIN_TX_FEE), maxTxFee: this.uint(ctx, NetworkProperty.MAX_TX_FEE) };
  }

  /** The properties x/customstaking and x/customslashing read. */
  validatorProperties(ctx: StoreReader): ValidatorNetworkProperties {
    const P = NetworkProperty;
    return {
      mischanceConfidence: this.uint(ctx, P.MISCHANCE_CONFIDENCE),
      maxMischance: this.uint(ctx, P.MAX_MISCHANCE),
      mischanceRankDecreaseAmount: this.uint(ctx, P.MISCHANCE_RANK_DECREASE_AMOUNT),
      inactiveRankDecreasePercent: this.dec(ctx, P.INACTIVE_RANK_DECREASE_PERCENT),
      minValidators: this.uint(ctx, P.MIN_VALIDATORS),
      commissionChangeDelay: this.uint(ctx, P.COMMISSION_CHANGE_DELAY),
      jailPeriod: this.uint(ctx, P.JAIL_PERIOD),
      downtimeInactiveDuration: this.uint(ctx, P.DOWNTIME_INACTIVE_DURATION),
      unjailMaxTime: this.uint(ctx, P.UNJAIL_MAX_TIME),
    };
  }

  /**
   * The deposit and delegation properties, apart from `validatorProperties` so that the
   * txs reading those pay the same gas as before the properties existed.
   */
  depositProperties(ctx: StoreReader): DepositNetworkProperties {
    return {
      minValidatorDeposit: this.uint(ctx, NetworkProperty.MIN_VALIDATOR_DEPOSIT),
      minDelegationPeriod: this.uint(ctx, NetworkProperty.MIN_DELEGATION_PERIOD),
    };
  }

  // ------------------------------------------------------------------ councilors

  getCouncilor(ctx: StoreReader, id: bigint): Councilor | undefined {
    const raw = this.kv(ctx).get(Keys.councilor(id));
    return raw && Councilor.decode(raw);
  }

  setCouncilor(ctx: Context, c: Councilor): void {
    this.kv(ctx).set(Keys.councilor(c.accountId), Councilor.encode(c).finish());
  }

  councilors(ctx: StoreReader): Councilor[] {
    const p = Keys.councilorPrefix();
    const out: Councilor[] = [];
    for (const [, v] of this.kv(ctx).iterator(p, prefixEnd(p))) out.push(Councilor.decode(v));
    return out;
  }

  /** Claims a council seat (perm 3) and grants PermCreatePollProposal (66), as sekai does. */
  claimCouncilor(ctx: Context, id: bigint): void {
    this.requirePermission(ctx, id, PermValue.PERMISSION_CLAIM_COUNCILOR, 'claim a councilor seat');
    if (this.getCouncilor(ctx, id)) throw ErrCouncilorExists.wrap(`account ${id}`);
    this.setCouncilor(ctx, { accountId: id, status: CouncilorStatus.COUNCILOR_STATUS_ACTIVE, rank: 0n, abstentionCounter: 0n });
    const a = this.actorOrDefault(ctx, id);
    const wl = a.permissions?.whitelist ?? [];
    if (!wl.includes(PermValue.PERMISSION_CREATE_POLL_PROPOSAL)) {
      this.setActor(ctx, { ...a, permissions: { blacklist: a.permissions?.blacklist ?? [], whitelist: sortedInsert(wl, PermValue.PERMISSION_CREATE_POLL_PROPOSAL) } });
    }
    ctx.events.emit(GovEvents.claimCouncilor, { account_id: id.toString() });
  }

  /** Moves a councilor from `from` to `to`; ErrCouncilorStatus otherwise. */
  setCouncilorStatus(ctx: Context, id: bigint, from: CouncilorStatus, to: CouncilorStatus, action: string): void {
    const c = this.getCouncilor(ctx, id);
    if (!c) throw ErrUnknownCouncilor.wrap(`account ${id}`);
    if (c.status !== from) throw ErrCouncilorStatus.wrap(`cannot ${action} a councilor whose status is ${CouncilorStatus[c.status]}`);
    // Activation (INACTIVE → ACTIVE) starts the abstention count afresh, as sekai's
    // CouncilorActivate does; otherwise one more absence would make the councilor INACTIVE again.
    const reactivated = from === CouncilorStatus.COUNCILOR_STATUS_INACTIVE && to === CouncilorStatus.COUNCILOR_STATUS_ACTIVE;
    const abstentionCounter = reactivated ? 0n : c.abstentionCounter;
    this.setCouncilor(ctx, { ...c, status: to, abstentionCounter });
    ctx.events.emit(councilorEvent(action), { account_id: id.toString() });
  }

  /** On submitting a proposal or a first vote: rank + 1, abstentions reset (ACTIVE councilors only). */
  onCouncilorAct(ctx: Context, id: bigint): void {
    const c = this.getCouncilor(ctx, id);
    if (!c || c.status !== CouncilorStatus.COUNCILOR_STATUS_ACTIVE) return;
    this.setCouncilor(ctx, { ...c, rank: c.rank + 1n, abstentionCounter: 0n });
  }

  /**
   * An eligible ACTIVE councilor that did not vote: abstention + 1, rank down by
   * ABSTENTION_RANK_DECREASE_AMOUNT (floor 0); at MAX_ABSTENTION it becomes INACTIVE, rank 0.
   */
  onCouncilorAbsent(ctx: Context, id: bigint): void {
    const c = this.getCouncilor(ctx, id);
    if (!c || c.status !== CouncilorStatus.COUNCILOR_STATUS_ACTIVE) return;
    const counter = c.abstentionCounter + 1n;
    let rank = c.rank - this.uint(ctx, NetworkProperty.ABSTENTION_RANK_DECREASE_AMOUNT);
    if (rank < 0n) rank = 0n;
    let status: CouncilorStatus = c.status;
    if (counter >= this.uint(ctx, NetworkProperty.MAX_ABSTENTION)) {
      status = CouncilorStatus.COUNCILOR_STATUS_INACTIVE;
      rank = 0n;
    }
    this.setCouncilor(ctx, { ...c, rank, abstentionCounter: counter, status });
  }

  /** Jails a councilor (also called when the validator of the same account is jailed). */
  jailCouncilor(ctx: Context, id: bigint): void {
    const c = this.getCouncilor(ctx, id);
    if (!c) return;
    this.setCouncilor(ctx, { ...c, status: CouncilorStatus.COUNCILOR_STATUS_JAILED, rank: 0n });
  }

  // ------------------------------------------------------------------ proposals

  getProposal(ctx: StoreReader, id: bigint): Proposal | undefined {
    const raw = this.kv(ctx).get(Keys.proposal(id));
    return raw && Proposal.decode(raw);
  }

  setProposal(ctx: Context, p: Proposal): void {
    this.kv(ctx).set(Keys.proposal(p.proposalId), Proposal.encode(p).finish());
  }

  proposalsList(ctx: StoreReader): Proposal[] {
    const p = Keys.proposalPrefix();
    const out: Proposal[] = [];
    for (const [, v] of this.kv(ctx).iterator(p, prefixEnd(p))) out.push(Proposal.decode(v));
    return out;
  }

  nextProposalId(ctx: StoreReader): bigint {
    const raw = this.kv(ctx).get(Keys.nextProposalId());
    return raw ? readU64(raw) : 1n;
  }

  setNextProposalId(ctx: Context, id: bigint): void {
    this.kv(ctx).set(Keys.nextProposalId(), u64(id));
  }

  votes(ctx: StoreReader, proposalId: bigint): Vote[] {
    const p = Keys.votesOf(proposalId);
    const out: Vote[] = [];
    for (const [, v] of this.kv(ctx).iterator(p, prefixEnd(p))) out.push(Vote.decode(v));
    return out;
  }

  setVote(ctx: Context, v: Vote): void {
    this.kv(ctx).set(Keys.vote(v.proposalId, v.voter), Vote.encode(v).finish());
  }

  /** Per-type voting duration in seconds (0 when unset). */
  proposalDuration(ctx: StoreReader, type: string): bigint {
    const raw = this.kv(ctx).get(Keys.duration(type));
    return raw ? readU64(raw) : 0n;
  }

  setProposalDuration(ctx: Context, type: string, seconds: bigint): void {
    this.kv(ctx).set(Keys.duration(type), u64(seconds));
  }

  proposalDurations(ctx: StoreReader): { type: string; seconds: bigint }[] {
    const p = Keys.durationPrefix();
    const out: { type: string; seconds: bigint }[] = [];
    for (const [k, v] of this.kv(ctx).iterator(p, prefixEnd(p))) out.push({ type: untext.decode(k.subarray(1)), seconds: readU64(v) });
    return out;
  }

  /** The handler and decoded content of an Any; registered errors for an unknown type or bad bytes. */
  decodeContent(content: Any | undefined): { handler: ProposalHandler; value: unknown } {
    return decodeContent(this, content);
  }

  /** Submits a proposal (proposalLifecycle.ts: checks, dry run, timings); returns its ID. */
  submitProposal(ctx: Context, proposer: bigint, title: string, description: string, content: Any | undefined): bigint {
    return submitProposal(this, ctx, proposer, title, description, content);
  }

  /** Casts or replaces a vote. */
  vote(ctx: Context, voter: bigint, proposalId: bigint, option: VoteOption, slash: string): void {
    vote(this, ctx, voter, proposalId, option, slash);
  }

  /** End of block: enact due proposals, then tally those whose voting ended. */
  endBlock(ctx: Context): void {
    endBlock(this, ctx);
  }

  /** Tallies a proposal; a passed one waits in the enactment queue, others are final. */
  finishVoting(ctx: Context, p: Proposal): VoteResult {
    return finishVoting(this, ctx, p);
  }

  /** Executes a passed proposal: PASSED, or PASSED_WITH_EXEC_FAIL with the failure. */
  enact(ctx: Context, p: Proposal): void {
    enact(this, ctx, p);
  }
}

export { MODULE_NAME };
