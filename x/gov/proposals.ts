/**
 * The proposal types x/gov executes itself, as a table of handlers that module.ts declares
 * (`defineModule({ proposals })`). Other modules declare their own (x/customstaking's
 * unjail, x/customslashing's reset of every rank, x/notarypay's eras).
 */
import type { Context } from '../../runtime/context';
import type { AnyProposalHandler, ProposalHandler } from '../../runtime/module';
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

const url = (name: string) => `/sekai.gov.v1.${name}`;
const P = PermValue;

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

function accountPermHandler<C extends AccountPermContent>(
  k: GovKeeper,
  name: string,
  type: string,
  codec: ProposalHandler<C>['codec'],
  create: PermValue,
  vote: PermValue,
  list: 'whitelist' | 'blacklist',
  add: boolean,
): ProposalHandler<C> {
  return {
    typeUrl: url(name),
    type,
    codec,
    createPermission: create,
    votePermission: vote,
    validate: (c) => {
      nonEmpty(c.address, 'address');
      checkRecipientRef(c.address);
      checkPermission(c.permission);
    },
    execute: (ctx, c) => void k.editAccountPermission(ctx, c.address, list, add, c.permission),
  };
}

interface RolePermContent {
  roleIdentifier: string;
  permission: number;
}

function rolePermHandler<C extends RolePermContent>(
  k: GovKeeper,
  name: string,
  codec: ProposalHandler<C>['codec'],
  create: PermValue,
  vote: PermValue,
  list: 'whitelist' | 'blacklist',
  add: boolean,
): ProposalHandler<C> {
  return {
    typeUrl: url(name),
    type: name.replace(/Proposal$/, ''),
    codec,
    createPermission: create,
    votePermission: vote,
    validate: (c) => {
      nonEmpty(c.roleIdentifier, 'role_identifier');
      checkPermission(c.permission);
    },
    execute: (ctx, c) => k.editRolePermission(ctx, c.roleIdentifier, list, add, c.permission),
  };
}

/** x/gov's own proposal types, in a fixed order. */
export function govProposals(k: GovKeeper): AnyProposalHandler[] {
  const handlers: AnyProposalHandler[] = [];
  const add = <C>(h: ProposalHandler<C>) => void handlers.push(h);
  add<SetNetworkPropertyProposal>({
    typeUrl: url('SetNetworkPropertyProposal'),
    type: 'SetNetworkProperty',
    codec: SetNetworkPropertyProposal,
    createPermission: P.PERMISSION_CREATE_SET_NETWORK_PROPERTY_PROPOSAL,
    votePermission: P.PERMISSION_VOTE_SET_NETWORK_PROPERTY_PROPOSAL,
    validate: (c) => {
      try {
        canonicalValue(c.networkProperty, proposedPropertyValue(c));
      } catch (err) {
        if (err instanceof CodedError) throw ErrInvalidProposalContent.wrap(err.message);
        throw err;
      }
    },
    execute: (ctx, c) => k.setProperty(ctx, c.networkProperty, proposedPropertyValue(c)),
  });

  add(accountPermHandler(k, 'WhitelistAccountPermissionProposal', 'WhitelistAccountPermission', WhitelistAccountPermissionProposal,
    P.PERMISSION_WHITELIST_ACCOUNT_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_WHITELIST_ACCOUNT_PERMISSION_PROPOSAL, 'whitelist', true));
  add(accountPermHandler(k, 'BlacklistAccountPermissionProposal', 'BlacklistAccountPermission', BlacklistAccountPermissionProposal,
    P.PERMISSION_BLACKLIST_ACCOUNT_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_BLACKLIST_ACCOUNT_PERMISSION_PROPOSAL, 'blacklist', true));
  add(accountPermHandler(k, 'RemoveWhitelistedAccountPermissionProposal', 'RemoveWhitelistedAccountPermission', RemoveWhitelistedAccountPermissionProposal,
    P.PERMISSION_REMOVE_WHITELISTED_ACCOUNT_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_REMOVE_WHITELISTED_ACCOUNT_PERMISSION_PROPOSAL, 'whitelist', false));
  add(accountPermHandler(k, 'RemoveBlacklistedAccountPermissionProposal', 'RemoveBlacklistedAccountPermission', RemoveBlacklistedAccountPermissionProposal,
    P.PERMISSION_REMOVE_BLACKLISTED_ACCOUNT_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_REMOVE_BLACKLISTED_ACCOUNT_PERMISSION_PROPOSAL, 'blacklist', false));

  add<CreateRoleProposal>({
    typeUrl: url('CreateRoleProposal'),
    type: 'CreateRole',
    codec: CreateRoleProposal,
    createPermission: P.PERMISSION_CREATE_ROLE_PROPOSAL,
    votePermission: P.PERMISSION_VOTE_CREATE_ROLE_PROPOSAL,
    validate: (c) => {
      nonEmpty(c.roleSid, 'role_sid');
      [...c.whitelistedPermissions, ...c.blacklistedPermissions].forEach(checkPermission);
    },
    execute: (ctx, c) => void k.createRole(ctx, c.roleSid, c.roleDescription, c.whitelistedPermissions, c.blacklistedPermissions),
  });
  add(rolePermHandler(k, 'WhitelistRolePermissionProposal', WhitelistRolePermissionProposal,
    P.PERMISSION_WHITELIST_ROLE_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_WHITELIST_ROLE_PERMISSION_PROPOSAL, 'whitelist', true));
  add(rolePermHandler(k, 'BlacklistRolePermissionProposal', BlacklistRolePermissionProposal,
    P.PERMISSION_BLACKLIST_ROLE_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_BLACKLIST_ROLE_PERMISSION_PROPOSAL, 'blacklist', true));
  add(rolePermHandler(k, 'RemoveWhitelistedRolePermissionProposal', RemoveWhitelistedRolePermissionProposal,
    P.PERMISSION_REMOVE_WHITELISTED_ROLE_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_REMOVE_WHITELISTED_ROLE_PERMISSION_PROPOSAL, 'whitelist', false));
  add(rolePermHandler(k, 'RemoveBlacklistedRolePermissionProposal', RemoveBlacklistedRolePermissionProposal,
    P.PERMISSION_REMOVE_BLACKLISTED_ROLE_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_REMOVE_BLACKLISTED_ROLE_PERMISSION_PROPOSAL, 'blacklist', false));
  add<AssignRoleToAccountProposal>({
    typeUrl: url('AssignRoleToAccountProposal'),
    type: 'AssignRoleToAccount',
    codec: AssignRoleToAccountProposal,
    createPermission: P.PERMISSION_ASSIGN_ROLE_TO_ACCOUNT_PROPOSAL,
    votePermission: P.PERMISSION_VOTE_ASSIGN_ROLE_TO_ACCOUNT_PROPOSAL,
    validate: (c) => {
      nonEmpty(c.address, 'address');
      checkRecipientRef(c.address);
      nonEmpty(c.roleIdentifier, 'role_identifier');
    },
    execute: (ctx, c) => k.assignRole(ctx, c.address, c.roleIdentifier),
  });
  add<UnassignRoleFromAccountProposal>({
    typeUrl: url('UnassignRoleFromAccountProposal'),
    type: 'UnassignRoleFromAccount',
    codec: UnassignRoleFromAccountProposal,
    createPermission: P.PERMISSION_UNASSIGN_ROLE_FROM_ACCOUNT_PROPOSAL,
    votePermission: P.PERMISSION_VOTE_UNASSIGN_ROLE_FROM_ACCOUNT_PROPOSAL,
    validate: (c) => {
      nonEmpty(c.address, 'address');
      checkRecipientRef(c.address);
      nonEmpty(c.roleIdentifier, 'role_identifier');
    },
    execute: (ctx, c) => k.unassignRole(ctx, c.address, c.roleIdentifier),
  });
  add<RemoveRoleProposal>({
    typeUrl: url('RemoveRoleProposal'),
    type: 'RemoveRole',
    codec: RemoveRoleProposal,
    createPermission: P.PERMISSION_REMOVE_ROLE_PROPOSAL,
    votePermission: P.PERMISSION_VOTE_REMOVE_ROLE_PROPOSAL,
    validate: (c) => nonEmpty(c.roleSid, 'role_sid'),
    execute: (ctx, c) => k.removeRole(ctx, c.roleSid),
  });

  add<SetProposalDurationsProposal>({
    typeUrl: url('SetProposalDurationsProposal'),
    type: 'SetProposalDurations',
    codec: SetProposalDurationsProposal,
    createPermission: P.PERMISSION_CREATE_SET_PROPOSAL_DURATION_PROPOSAL,
    votePermission: P.PERMISSION_VOTE_SET_PROPOSAL_DURATION_PROPOSAL,
    validate: (c) => {
      if (c.typeofProposals.length === 0 || c.typeofProposals.length !== c.proposalDurations.length) {
        throw ErrInvalidProposalDuration.wrap(`${c.typeofProposals.length} types and ${c.proposalDurations.length} durations; give one duration per type`);
      }
    },
    execute: (ctx: Context, c) => {
      const min = k.uint(ctx, NetworkProperty.MINIMUM_PROPOSAL_END_TIME);
      c.typeofProposals.forEach((type, i) => {
        if (!k.proposals.byType(type)) throw ErrInvalidProposalDuration.wrap(`unknown proposal type ${JSON.stringify(type)}`);
        const d = c.proposalDurations[i];
        if (d < min || d > 1n << 40n) throw ErrInvalidProposalDuration.wrap(`${type}: ${d} s is below MINIMUM_PROPOSAL_END_TIME ${min} s or absurdly long`);
        k.setProposalDuration(ctx, type, d);
      });
    },
  });

  add<SoftwareUpgradeProposal>({
    typeUrl: url('SoftwareUpgradeProposal'),
    type: 'SoftwareUpgrade',
    codec: SoftwareUpgradeProposal,
    createPermission: P.PERMISSION_CREATE_SOFTWARE_UPGRADE_PROPOSAL,
    votePermission: P.PERMISSION_VOTE_SOFTWARE_UPGRADE_PROPOSAL,
    validate: (c) => {
      nonEmpty(c.name, 'name');
      nonEmpty(c.version, 'version');
      if (c.height <= 0n || c.height > BigInt(Number.MAX_SAFE_INTEGER)) throw ErrInvalidUpgrade.wrap(`height ${c.height} must be a positive block height`);
    },
    // The runtime's upgrade gate (runtime/upgrade.ts) switches the chain version at the plan's
    // height and stops any binary of another version there.
    execute: (ctx, c) => {
      try {
        k.upgrades.scheduleUpgrade(ctx, { name: c.name, version: c.version, height: Number(c.height) });
      } catch (err) {
        if (err instanceof CodedError) throw ErrInvalidUpgrade.wrap(err.message);
        throw err;
      }
      ctx.events.emit(GovEvents.upgradeScheduled, { name: c.name, version: c.version, height: c.height.toString() });
    },
  });

  add<TextProposal>({
    typeUrl: url('TextProposal'),
    type: 'Text',
    codec: TextProposal,
    // Councilors receive 66 when they claim their seat: a text proposal is a council poll.
    createPermission: P.PERMISSION_CREATE_POLL_PROPOSAL,
    votePermission: P.PERMISSION_CREATE_POLL_PROPOSAL,
    execute: () => undefined,
  });

  return handlers;
}
