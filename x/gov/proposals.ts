/**
 * The proposal types x/gov executes itself, plus the reset-rank and unjail types that
 * call x/customslashing and x/customstaking through their expected keepers.
 */
import type { Context } from '../../runtime/context';
import { RUNTIME_STORE, scheduleUpgrade } from '../../runtime/upgrade';
import { CodedError } from '../../types/errors';
import { PermValue } from '../../proto/gen/sekai/gov/v1/permission';
import {
  AssignRoleToAccountProposal,
  BlacklistAccountPermissionProposal,
  BlacklistRolePermissionProposal,
  CreateRoleProposal,
  ProposalResetWholeValidatorRank,
  ProposalUnjailValidator,
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
import type { SlashingKeeper, StakingKeeper } from './types/expectedKeepers';
import { NetworkProperty, canonicalValue, specOf } from './types/networkProperties';
import type { ProposalHandler } from './types/proposalRouter';

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

/** Registers x/gov's own proposal types, and the staking/slashing ones when their keepers are given. */
export function registerGovProposals(k: GovKeeper, deps: { slashing?: SlashingKeeper; staking?: StakingKeeper }): void {
  const r = k.proposals;
  r.register<SetNetworkPropertyProposal>({
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

  r.register(accountPermHandler(k, 'WhitelistAccountPermissionProposal', 'WhitelistAccountPermission', WhitelistAccountPermissionProposal,
    P.PERMISSION_WHITELIST_ACCOUNT_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_WHITELIST_ACCOUNT_PERMISSION_PROPOSAL, 'whitelist', true));
  r.register(accountPermHandler(k, 'BlacklistAccountPermissionProposal', 'BlacklistAccountPermission', BlacklistAccountPermissionProposal,
    P.PERMISSION_BLACKLIST_ACCOUNT_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_BLACKLIST_ACCOUNT_PERMISSION_PROPOSAL, 'blacklist', true));
  r.register(accountPermHandler(k, 'RemoveWhitelistedAccountPermissionProposal', 'RemoveWhitelistedAccountPermission', RemoveWhitelistedAccountPermissionProposal,
    P.PERMISSION_REMOVE_WHITELISTED_ACCOUNT_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_REMOVE_WHITELISTED_ACCOUNT_PERMISSION_PROPOSAL, 'whitelist', false));
  r.register(accountPermHandler(k, 'RemoveBlacklistedAccountPermissionProposal', 'RemoveBlacklistedAccountPermission', RemoveBlacklistedAccountPermissionProposal,
    P.PERMISSION_REMOVE_BLACKLISTED_ACCOUNT_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_REMOVE_BLACKLISTED_ACCOUNT_PERMISSION_PROPOSAL, 'blacklist', false));

  r.register<CreateRoleProposal>({
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
  r.register(rolePermHandler(k, 'WhitelistRolePermissionProposal', WhitelistRolePermissionProposal,
    P.PERMISSION_WHITELIST_ROLE_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_WHITELIST_ROLE_PERMISSION_PROPOSAL, 'whitelist', true));
  r.register(rolePermHandler(k, 'BlacklistRolePermissionProposal', BlacklistRolePermissionProposal,
    P.PERMISSION_BLACKLIST_ROLE_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_BLACKLIST_ROLE_PERMISSION_PROPOSAL, 'blacklist', true));
  r.register(rolePermHandler(k, 'RemoveWhitelistedRolePermissionProposal', RemoveWhitelistedRolePermissionProposal,
    P.PERMISSION_REMOVE_WHITELISTED_ROLE_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_REMOVE_WHITELISTED_ROLE_PERMISSION_PROPOSAL, 'whitelist', false));
  r.register(rolePermHandler(k, 'RemoveBlacklistedRolePermissionProposal', RemoveBlacklistedRolePermissionProposal,
    P.PERMISSION_REMOVE_BLACKLISTED_ROLE_PERMISSION_PROPOSAL, P.PERMISSION_VOTE_REMOVE_BLACKLISTED_ROLE_PERMISSION_PROPOSAL, 'blacklist', false));
  r.register<AssignRoleToAccountProposal>({
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
  r.register<UnassignRoleFromAccountProposal>({
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
  r.register<RemoveRoleProposal>({
    typeUrl: url('RemoveRoleProposal'),
    type: 'RemoveRole',
    codec: RemoveRoleProposal,
    createPermission: P.PERMISSION_REMOVE_ROLE_PROPOSAL,
    votePermission: P.PERMISSION_VOTE_REMOVE_ROLE_PROPOSAL,
    validate: (c) => nonEmpty(c.roleSid, 'role_sid'),
    execute: (ctx, c) => k.removeRole(ctx, c.roleSid),
  });

  r.register<SetProposalDurationsProposal>({
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

  r.register<SoftwareUpgradeProposal>({
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
        scheduleUpgrade(ctx.store(RUNTIME_STORE), { name: c.name, version: c.version, height: Number(c.height) }, ctx.height);
      } catch (err) {
        if (err instanceof CodedError) throw ErrInvalidUpgrade.wrap(err.message);
        throw err;
      }
      ctx.events.emit('upgrade_scheduled', { name: c.name, version: c.version, height: c.height.toString() });
    },
  });

  r.register<TextProposal>({
    typeUrl: url('TextProposal'),
    type: 'Text',
    codec: TextProposal,
    // Councilors receive 66 when they claim their seat: a text proposal is a council poll.
    createPermission: P.PERMISSION_CREATE_POLL_PROPOSAL,
    votePermission: P.PERMISSION_CREATE_POLL_PROPOSAL,
    execute: () => undefined,
  });

  if (deps.slashing) {
    const slashing = deps.slashing;
    r.register<ProposalResetWholeValidatorRank>({
      typeUrl: url('ProposalResetWholeValidatorRank'),
      type: 'ResetWholeValidatorRank',
      codec: ProposalResetWholeValidatorRank,
      createPermission: P.PERMISSION_CREATE_RESET_WHOLE_VALIDATOR_RANK_PROPOSAL,
      votePermission: P.PERMISSION_VOTE_RESET_WHOLE_VALIDATOR_RANK_PROPOSAL,
      execute: (ctx) => slashing.resetWholeValidatorRank(ctx),
    });
  }
  if (deps.staking) {
    const staking = deps.staking;
    r.register<ProposalUnjailValidator>({
      typeUrl: url('ProposalUnjailValidator'),
      type: 'UnjailValidator',
      codec: ProposalUnjailValidator,
      createPermission: P.PERMISSION_CREATE_UNJAIL_VALIDATOR_PROPOSAL,
      votePermission: P.PERMISSION_VOTE_UNJAIL_VALIDATOR_PROPOSAL,
      validate: (c) => nonEmpty(c.valAddr, 'val_addr'),
      execute: (ctx, c) => staking.unjailValidator(ctx, c.valAddr, c.reference),
    });
  }
}
