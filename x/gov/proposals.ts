/**
 * The proposal types x/gov executes itself, as one table: a row per content type with its
 * type URL, sekai type name, codec, the permissions to raise and to vote on it, what it does,
 * its stateless checks and its effect on the keeper. module.ts turns the rows into handlers
 * (`defineModule({ proposals })`); the README's table of proposal types is checked against
 * the rows. Other modules declare their own (x/customstaking's unjail, x/customslashing's
 * reset of every rank, x/notarypay's eras).
 */
import type { Context } from '../../runtime/context';
import type { AnyProposalHandler, MessageCodec, ProposalHandler } from '../../runtime/module';
import { CodedError } from '../../types/errors';
import { PermValue } from '../../proto/gen/sekai/gov/v1/permission';
import {
  AssignRoleToAccountProposal,
  BlacklistAccountPermissionProposal,
  BlacklistRolePermissionProposal,
  CreateRoleProposal,
  RemoveBlacklistedAccountPermissionProposal,
  RemoveBlacklistedRolePermissionProposal,
  RemoveRoleProposal,
  RemoveWhitelistedAccountPermissionProposal,
  RemoveWhitelistedRolePermissionProposal,
  SetNetworkPropertyProposal,
  SetProposalDurationsProposal,
  SoftwareUpgradeProposal,
  TextProposal,
  UnassignRoleFromAccountProposal,
  WhitelistAccountPermissionProposal,
  WhitelistRolePermissionProposal,
} from '../../proto/gen/sekai/gov/v1/proposal';
import { checkRecipientRef } from '../accountid';
import { checkPermission, type GovKeeper } from './keeper';
import { ErrInvalidProposalContent, ErrInvalidProposalDuration, ErrInvalidUpgrade } from './types/errors';
import { GovEvents } from './types/events';
import { NetworkProperty, canonicalValue, specOf } from './types/networkProperties';

const P = PermValue;

/** One proposal type of x/gov: what a handler holds, with the keeper passed at execution. */
export interface GovProposalType<C> {
  /** Message name in `sekai.gov.v1`; the type URL is `/sekai.gov.v1.<message>`. */
  readonly message: string;
  /** sekai's type name (per-type durations are stored under it). */
  readonly type: string;
  readonly codec: MessageCodec<C>;
  readonly create: PermValue;
  readonly vote: PermValue;
  /** What enacting it does, in one sentence. */
  readonly description: string;
  validate?(content: C): void;
  execute(k: GovKeeper, ctx: Context, content: C): void;
}

/** The text a SetNetworkPropertyProposal carries: `value` for integers, `str_value` otherwise. */
export function proposedPropertyValue(c: SetNetworkPropertyProposal): string {
  const spec = specOf(c.networkProperty);
  return spec.kind === 'uint' ? (c.value?.value ?? 0n).toString() : (c.value?.strValue ?? '');
}

function nonEmpty(v: string, field: string): void {
  if (v.trim() === '') throw ErrInvalidProposalContent.wrap(`${field} must not be empty`);
}

interface AccountPermContent {
  address: string;
  permission: number;
}

/** The four proposals on one account's permission lists. */
function accountPerm<C extends AccountPermContent>(
  message: string,
  codec: MessageCodec<C>,
  create: PermValue,
  vote: PermValue,
  list: 'whitelist' | 'blacklist',
  add: boolean,
): GovProposalType<C> {
  return {
    message,
    type: message.replace(/Proposal$/, ''),
    codec,
    create,
    vote,
    description: `${add ? 'adds the permission to' : 'removes the permission from'} the account's ${list}`,
    validate: (c) => {
      nonEmpty(c.address, 'address');
      checkRecipientRef(c.address);
      checkPermission(c.permission);
    },
    execute: (k, ctx, c) => void k.editAccountPermission(ctx, c.address, list, add, c.permission),
  };
}

interface RolePermContent {
  roleIdentifier: string;
  permission: number;
}

/** The four proposals on one role's permission lists. */
function rolePerm<C extends RolePermContent>(
  message: string,
  codec: MessageCodec<C>,
  create: PermValue,
  vote: PermValue,
  list: 'whitelist' | 'blacklist',
  add: boolean,
): GovProposalType<C> {
  return {
    message,
    type: message.replace(/Proposal$/, ''),
    codec,
    create,
    vote,
    description: `${add ? 'adds the permission to' : 'removes the permission from'} the role's ${list}`,
    validate: (c) => {
      nonEmpty(c.roleIdentifier, 'role_identifier');
      checkPermission(c.permission);
    },
    execute: (k, ctx, c) => k.editRolePermission(ctx, c.roleIdentifier, list, add, c.permission),
  };
}

const row = <C>(t: GovProposalType<C>): GovProposalType<C> => t;

/** x/gov's own proposal types, in registration order. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of different content types; each row is typed where it is written
export const GOV_PROPOSAL_TYPES: readonly GovProposalType<any>[] = [
  row<SetNetworkPropertyProposal>({
    message: 'SetNetworkPropertyProposal',
    type: 'SetNetworkProperty',
    codec: SetNetworkPropertyProposal,
    create: P.PERMISSION_CREATE_SET_NETWORK_PROPERTY_PROPOSAL,
    vote: P.PERMISSION_VOTE_SET_NETWORK_PROPERTY_PROPOSAL,
    description: 'sets one network property, checked by its kind and bounds',
    validate: (c) => {
      try {
        canonicalValue(c.networkProperty, proposedPropertyValue(c));
      } catch (err) {
        if (err instanceof CodedError) throw ErrInvalidProposalContent.wrap(err.message);
        throw err;
      }
    },
    execute: (k, ctx, c) => k.setProperty(ctx, c.networkProperty, proposedPropertyValue(c)),
  }),
  accountPerm('WhitelistAccountPermissionProposal', WhitelistAccountPermissionProposal,
    P.PERMISSION_WHITELIST_ACCOUNT_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_WHITELIST_ACCOUNT_PERMISSION_PROPOSAL, 'whitelist', true),
  accountPerm('BlacklistAccountPermissionProposal', BlacklistAccountPermissionProposal,
    P.PERMISSION_BLACKLIST_ACCOUNT_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_BLACKLIST_ACCOUNT_PERMISSION_PROPOSAL, 'blacklist', true),
  accountPerm('RemoveWhitelistedAccountPermissionProposal', RemoveWhitelistedAccountPermissionProposal,
    P.PERMISSION_REMOVE_WHITELISTED_ACCOUNT_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_REMOVE_WHITELISTED_ACCOUNT_PERMISSION_PROPOSAL, 'whitelist', false),
  accountPerm('RemoveBlacklistedAccountPermissionProposal', RemoveBlacklistedAccountPermissionProposal,
    P.PERMISSION_REMOVE_BLACKLISTED_ACCOUNT_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_REMOVE_BLACKLISTED_ACCOUNT_PERMISSION_PROPOSAL, 'blacklist', false),
  row<CreateRoleProposal>({
    message: 'CreateRoleProposal',
    type: 'CreateRole',
    codec: CreateRoleProposal,
    create: P.PERMISSION_CREATE_ROLE_PROPOSAL,
    vote: P.PERMISSION_VOTE_CREATE_ROLE_PROPOSAL,
    description: 'creates a role with its whitelisted and blacklisted permissions',
    validate: (c) => {
      nonEmpty(c.roleSid, 'role_sid');
      [...c.whitelistedPermissions, ...c.blacklistedPermissions].forEach(checkPermission);
    },
    execute: (k, ctx, c) => void k.createRole(ctx, c.roleSid, c.roleDescription, c.whitelistedPermissions, c.blacklistedPermissions),
  }),
  rolePerm('WhitelistRolePermissionProposal', WhitelistRolePermissionProposal,
    P.PERMISSION_WHITELIST_ROLE_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_WHITELIST_ROLE_PERMISSION_PROPOSAL, 'whitelist', true),
  rolePerm('BlacklistRolePermissionProposal', BlacklistRolePermissionProposal,
    P.PERMISSION_BLACKLIST_ROLE_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_BLACKLIST_ROLE_PERMISSION_PROPOSAL, 'blacklist', true),
  rolePerm('RemoveWhitelistedRolePermissionProposal', RemoveWhitelistedRolePermissionProposal,
    P.PERMISSION_REMOVE_WHITELISTED_ROLE_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_REMOVE_WHITELISTED_ROLE_PERMISSION_PROPOSAL, 'whitelist', false),
  rolePerm('RemoveBlacklistedRolePermissionProposal', RemoveBlacklistedRolePermissionProposal,
    P.PERMISSION_REMOVE_BLACKLISTED_ROLE_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_REMOVE_BLACKLISTED_ROLE_PERMISSION_PROPOSAL, 'blacklist', false),
  row<AssignRoleToAccountProposal>({
    message: 'AssignRoleToAccountProposal',
    type: 'AssignRoleToAccount',
    codec: AssignRoleToAccountProposal,
    create: P.PERMISSION_ASSIGN_ROLE_TO_ACCOUNT_PROPOSAL,
    vote: P.PERMISSION_VOTE_ASSIGN_ROLE_TO_ACCOUNT_PROPOSAL,
    description: 'gives the account a role',
    validate: (c) => {
      nonEmpty(c.address, 'address');
      checkRecipientRef(c.address);
      nonEmpty(c.roleIdentifier, 'role_identifier');
    },
    execute: (k, ctx, c) => k.assignRole(ctx, c.address, c.roleIdentifier),
  }),
  row<UnassignRoleFromAccountProposal>({
    message: 'UnassignRoleFromAccountProposal',
    type: 'UnassignRoleFromAccount',
    codec: UnassignRoleFromAccountProposal,
    create: P.PERMISSION_UNASSIGN_ROLE_FROM_ACCOUNT_PROPOSAL,
    vote: P.PERMISSION_VOTE_UNASSIGN_ROLE_FROM_ACCOUNT_PROPOSAL,
    description: 'takes a role from the account',
    validate: (c) => {
      nonEmpty(c.address, 'address');
      checkRecipientRef(c.address);
      nonEmpty(c.roleIdentifier, 'role_identifier');
    },
    execute: (k, ctx, c) => k.unassignRole(ctx, c.address, c.roleIdentifier),
  }),
  row<RemoveRoleProposal>({
    message: 'RemoveRoleProposal',
    type: 'RemoveRole',
    codec: RemoveRoleProposal,
    create: P.PERMISSION_REMOVE_ROLE_PROPOSAL,
    vote: P.PERMISSION_VOTE_REMOVE_ROLE_PROPOSAL,
    description: 'removes a role',
    validate: (c) => nonEmpty(c.roleSid, 'role_sid'),
    execute: (k, ctx, c) => k.removeRole(ctx, c.roleSid),
  }),
  row<SetProposalDurationsProposal>({
    message: 'SetProposalDurationsProposal',
    type: 'SetProposalDurations',
    codec: SetProposalDurationsProposal,
    create: P.PERMISSION_CREATE_SET_PROPOSAL_DURATION_PROPOSAL,
    vote: P.PERMISSION_VOTE_SET_PROPOSAL_DURATION_PROPOSAL,
    description: 'sets the voting duration of proposal types, at least MINIMUM_PROPOSAL_END_TIME',
    validate: (c) => {
      if (c.typeofProposals.length === 0 || c.typeofProposals.length !== c.proposalDurations.length) {
        throw ErrInvalidProposalDuration.wrap(`${c.typeofProposals.length} types and ${c.proposalDurations.length} durations; give one duration per type`);
      }
    },
    execute: (k, ctx, c) => {
      const min = k.uint(ctx, NetworkProperty.MINIMUM_PROPOSAL_END_TIME);
      c.typeofProposals.forEach((type, i) => {
        if (!k.proposals.byType(type)) throw ErrInvalidProposalDuration.wrap(`unknown proposal type ${JSON.stringify(type)}`);
        const d = c.proposalDurations[i];
        if (d < min || d > 1n << 40n) throw ErrInvalidProposalDuration.wrap(`${type}: ${d} s is below MINIMUM_PROPOSAL_END_TIME ${min} s or absurdly long`);
        k.setProposalDuration(ctx, type, d);
      });
    },
  }),
  row<SoftwareUpgradeProposal>({
    message: 'SoftwareUpgradeProposal',
    type: 'SoftwareUpgrade',
    codec: SoftwareUpgradeProposal,
    create: P.PERMISSION_CREATE_SOFTWARE_UPGRADE_PROPOSAL,
    vote: P.PERMISSION_VOTE_SOFTWARE_UPGRADE_PROPOSAL,
    description: 'schedules a software upgrade plan (name, version, height)',
    validate: (c) => {
      nonEmpty(c.name, 'name');
      nonEmpty(c.version, 'version');
      if (c.height <= 0n || c.height > BigInt(Number.MAX_SAFE_INTEGER)) throw ErrInvalidUpgrade.wrap(`height ${c.height} must be a positive block height`);
    },
    // The runtime's upgrade gate (runtime/upgrade.ts) switches the chain version at the plan's
    // height and stops any binary of another version there.
    execute: (k, ctx, c) => {
      try {
        k.upgrades.scheduleUpgrade(ctx, { name: c.name, version: c.version, height: Number(c.height) });
      } catch (err) {
        if (err instanceof CodedError) throw ErrInvalidUpgrade.wrap(err.message);
        throw err;
      }
      ctx.events.emit(GovEvents.upgradeScheduled, { name: c.name, version: c.version, height: c.height.toString() });
    },
  }),
  row<TextProposal>({
    message: 'TextProposal',
    type: 'Text',
    codec: TextProposal,
    // Councilors receive 66 when they claim their seat: a text proposal is a council poll.
    create: P.PERMISSION_CREATE_POLL_PROPOSAL,
    vote: P.PERMISSION_CREATE_POLL_PROPOSAL,
    description: 'a poll: title and description only, nothing is executed',
    execute: () => undefined,
  }),
];

/** The type URL of a row. */
export const govProposalTypeUrl = (t: GovProposalType<unknown>): string => `/sekai.gov.v1.${t.message}`;

/** x/gov's own proposal handlers, in the table's order, executing on `k`. */
export function govProposals(k: GovKeeper): AnyProposalHandler[] {
  return GOV_PROPOSAL_TYPES.map(
    <C>(t: GovProposalType<C>): ProposalHandler<C> => ({
      typeUrl: govProposalTypeUrl(t),
      type: t.type,
      codec: t.codec,
      createPermission: t.create,
      votePermission: t.vote,
      description: t.description,
      validate: t.validate,
      execute: (ctx, c) => t.execute(k, ctx, c),
    }),
  );
}
