/**
 * Thin message handlers: resolve the signer, check who may do it, call one keeper method.
 */
import { msgRoute, type MessageCodec, type MsgRoute } from '../../runtime/module';
import type { Context } from '../../runtime/context';
import { ErrInvalidAddress } from '../../runtime/errors';
import { PermValue } from '../../proto/gen/sekai/gov/v1/permission';
import { CouncilorStatus } from '../../proto/gen/sekai/gov/v1/gov';
import {
  MsgAssignRole,
  MsgBlacklistPermissions,
  MsgBlacklistRolePermission,
  MsgClaimCouncilor,
  MsgCouncilorActivate,
  MsgCouncilorPause,
  MsgCouncilorUnpause,
  MsgCreateRole,
  MsgCreateRoleResponse,
  MsgEmptyResponse,
  MsgRemoveBlacklistedPermissions,
  MsgRemoveBlacklistedRolePermission,
  MsgRemoveWhitelistedPermissions,
  MsgRemoveWhitelistedRolePermission,
  MsgSubmitProposal,
  MsgSubmitProposalResponse,
  MsgUnassignRole,
  MsgVoteProposal,
  MsgWhitelistPermissions,
  MsgWhitelistRolePermission,
} from '../../proto/gen/sekai/gov/v1/tx';
import { checkRecipientRef } from '../accountid';
import { checkPermission, permLabel, type GovKeeper } from './keeper';
import { ErrNotPermitted } from './types/errors';

const url = (name: string) => `/sekai.gov.v1.${name}`;
const EMPTY_URL = url('MsgEmptyResponse');

function required(v: string, field: string): void {
  if (v.trim() === '') throw ErrInvalidAddress.wrap(`${field} must not be empty`);
}

/** An account reference field: present, and a valid kira1 address when it is address-shaped (accountid code 9). */
function accountRef(v: string, field: string): void {
  required(v, field);
  checkRecipientRef(v);
}

/** A route whose response is MsgEmptyResponse. */
function emptyRoute<M>(name: string, codec: MessageCodec<M>, signer: (m: M) => string, validate: ((m: M) => void) | undefined, handle: (ctx: Context, m: M) => void): MsgRoute {
  return msgRoute<M, MsgEmptyResponse>({
    typeUrl: url(name),
    codec,
    responseTypeUrl: EMPTY_URL,
    responseCodec: MsgEmptyResponse,
    signers: (m) => [signer(m)],
    validateBasic: (m) => {
      required(signer(m), 'signer');
      validate?.(m);
    },
    handle: (ctx, m) => {
      handle(ctx, m);
      return {};
    },
  }) as MsgRoute;
}

interface AccountPermMsg {
  proposer: string;
  address: string;
  permission: number;
}

interface RolePermMsg {
  proposer: string;
  roleIdentifier: string;
  permission: number;
}

export function govMsgRoutes(k: GovKeeper): MsgRoute[] {
  const accountPerm = <M extends AccountPermMsg>(name: string, codec: MessageCodec<M>, list: 'whitelist' | 'blacklist', add: boolean) =>
    emptyRoute<M>(
      name,
      codec,
      (m) => m.proposer,
      (m) => {
        accountRef(m.address, 'address');
        checkPermission(m.permission);
      },
      (ctx, m) => {
        const proposer = k.accountOf(ctx, m.proposer);
        const direct = k.isAllowed(ctx, proposer, PermValue.PERMISSION_SET_PERMISSIONS);
        // sekai: perm 30 lets its holder whitelist perm 2 (claim validator) and nothing else.
        const claimValidatorOnly =
          list === 'whitelist' && add && m.permission === PermValue.PERMISSION_CLAIM_VALIDATOR &&
          k.isAllowed(ctx, proposer, PermValue.PERMISSION_SET_CLAIM_VALIDATOR_PERMISSION);
        if (!direct && !claimValidatorOnly) {
          throw ErrNotPermitted.wrap(`${permLabel(PermValue.PERMISSION_SET_PERMISSIONS)} is required to change ${permLabel(m.permission)} of an account`);
        }
        k.editAccountPermission(ctx, m.address, list, add, m.permission);
      },
    );

  const requireUpsertRole = (ctx: Context, proposer: string) =>
    k.requirePermission(ctx, k.accountOf(ctx, proposer), PermValue.PERMISSION_UPSERT_ROLE, 'change roles');

  const rolePerm = <M extends RolePermMsg>(name: string, codec: MessageCodec<M>, list: 'whitelist' | 'blacklist', add: boolean) =>
    emptyRoute<M>(
      name,
      codec,
      (m) => m.proposer,
      (m) => {
        required(m.roleIdentifier, 'role_identifier');
        checkPermission(m.permission);
      },
      (ctx, m) => {
        requireUpsertRole(ctx, m.proposer);
        k.editRolePermission(ctx, m.roleIdentifier, list, add, m.permission);
      },
    );

  const councilor = <M extends { sender: string }>(name: string, codec: MessageCodec<M>, from: CouncilorStatus, to: CouncilorStatus, action: string) =>
    emptyRoute<M>(name, codec, (m) => m.sender, undefined, (ctx, m) => k.setCouncilorStatus(ctx, k.accountOf(ctx, m.sender), from, to, action));

  const S = CouncilorStatus;
  return [
    accountPerm('MsgWhitelistPermissions', MsgWhitelistPermissions, 'whitelist', true),
    accountPerm('MsgBlacklistPermissions', MsgBlacklistPermissions, 'blacklist', true),
    accountPerm('MsgRemoveWhitelistedPermissions', MsgRemoveWhitelistedPermissions, 'whitelist', false),
    accountPerm('MsgRemoveBlacklistedPermissions', MsgRemoveBlacklistedPermissions, 'blacklist', false),
    msgRoute<MsgCreateRole, MsgCreateRoleResponse>({
      typeUrl: url('MsgCreateRole'),
      codec: MsgCreateRole,
      responseTypeUrl: url('MsgCreateRoleResponse'),
      responseCodec: MsgCreateRoleResponse,
      signers: (m) => [m.proposer],
      validateBasic: (m) => required(m.proposer, 'proposer'),
      handle: (ctx, m) => {
        requireUpsertRole(ctx, m.proposer);
        return { roleId: k.createRole(ctx, m.roleSid, m.roleDescription) };
      },
    }) as MsgRoute,
    emptyRoute<MsgAssignRole>('MsgAssignRole', MsgAssignRole, (m) => m.proposer, (m) => accountRef(m.address, 'address'), (ctx, m) => {
      requireUpsertRole(ctx, m.proposer);
      k.assignRole(ctx, m.address, m.roleIdentifier);
    }),
    emptyRoute<MsgUnassignRole>('MsgUnassignRole', MsgUnassignRole, (m) => m.proposer, (m) => accountRef(m.address, 'address'), (ctx, m) => {
      requireUpsertRole(ctx, m.proposer);
      k.unassignRole(ctx, m.address, m.roleIdentifier);
    }),
    rolePerm('MsgWhitelistRolePermission', MsgWhitelistRolePermission, 'whitelist', true),
    rolePerm('MsgBlacklistRolePermission', MsgBlacklistRolePermission, 'blacklist', true),
    rolePerm('MsgRemoveWhitelistedRolePermission', MsgRemoveWhitelistedRolePermission, 'whitelist', false),
    rolePerm('MsgRemoveBlacklistedRolePermission', MsgRemoveBlacklistedRolePermission, 'blacklist', false),
    emptyRoute<MsgClaimCouncilor>('MsgClaimCouncilor', MsgClaimCouncilor, (m) => m.sender, undefined, (ctx, m) => k.claimCouncilor(ctx, k.accountOf(ctx, m.sender))),
    councilor('MsgCouncilorPause', MsgCouncilorPause, S.COUNCILOR_STATUS_ACTIVE, S.COUNCILOR_STATUS_PAUSED, 'pause'),
    councilor('MsgCouncilorUnpause', MsgCouncilorUnpause, S.COUNCILOR_STATUS_PAUSED, S.COUNCILOR_STATUS_ACTIVE, 'unpause'),
    councilor('MsgCouncilorActivate', MsgCouncilorActivate, S.COUNCILOR_STATUS_INACTIVE, S.COUNCILOR_STATUS_ACTIVE, 'activate'),
    msgRoute<MsgSubmitProposal, MsgSubmitProposalResponse>({
      typeUrl: url('MsgSubmitProposal'),
      codec: MsgSubmitProposal,
      responseTypeUrl: url('MsgSubmitProposalResponse'),
      responseCodec: MsgSubmitProposalResponse,
      signers: (m) => [m.proposer],
      // The content's own checks (its address fields among them) run here, free of charge.
      validateBasic: (m) => {
        required(m.proposer, 'proposer');
        k.decodeContent(m.content);
      },
      handle: (ctx, m) => ({ proposalId: k.submitProposal(ctx, k.accountOf(ctx, m.proposer), m.title, m.description, m.content) }),
    }) as MsgRoute,
    emptyRoute<MsgVoteProposal>('MsgVoteProposal', MsgVoteProposal, (m) => m.voter, undefined, (ctx, m) =>
      k.vote(ctx, k.accountOf(ctx, m.voter), m.proposalId, m.option, m.slash),
    ),
  ];
}
