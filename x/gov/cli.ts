/**
 * customgov CLI, as sekai's: `tx customgov permission|role|councilor|proposal …` and
 * `query customgov permissions|roles|role|network-properties|proposals|proposal|votes|councilors`.
 * Commands build messages and query requests; signing, broadcasting and output belong
 * to the CLI environment (`GovCliEnv`), which the CLI supplies.
 */
import { Command } from 'commander';
import { Any } from '../../proto/gen/google/protobuf/any';
import { VoteOption, voteResultFromJSON } from '../../proto/gen/sekai/gov/v1/gov';
import { ProposalResetWholeValidatorRank, ProposalUnjailValidator, SetNetworkPropertyProposal, SoftwareUpgradeProposal } from '../../proto/gen/sekai/gov/v1/proposal';
import * as Q from '../../proto/gen/sekai/gov/v1/query';
import * as Tx from '../../proto/gen/sekai/gov/v1/tx';
import { parsePermissionText } from './genesisEditor';
import { parsePropertyName, specOf } from './types/networkProperties';

export interface EncodedMsg {
  typeUrl: string;
  value: Uint8Array;
}

export interface GovCliEnv {
  /** Signs with the `--from` key and broadcasts; prints the result. */
  broadcast(from: string, msgs: EncodedMsg[]): Promise<void>;
  /** ABCI query at `path`; prints the decoded response. */
  query<T>(path: string, data: Uint8Array, decode: (b: Uint8Array) => T, toJSON: (v: T) => unknown): Promise<void>;
}

const enc = <T>(typeUrl: string, codec: { encode(m: T): { finish(): Uint8Array } }, m: T): EncodedMsg => ({ typeUrl, value: codec.encode(m).finish() });

// ------------------------------------------------------------------ msg builders

export type PermissionAction = 'whitelist' | 'blacklist' | 'remove-whitelisted' | 'remove-blacklisted';

export function permissionMsg(action: PermissionAction, proposer: string, address: string, permission: string): EncodedMsg {
  const m = { proposer, address, permission: parsePermissionText(permission) };
  switch (action) {
    case 'whitelist':
      return enc('/sekai.gov.v1.MsgWhitelistPermissions', Tx.MsgWhitelistPermissions, m);
    case 'blacklist':
      return enc('/sekai.gov.v1.MsgBlacklistPermissions', Tx.MsgBlacklistPermissions, m);
    case 'remove-whitelisted':
      return enc('/sekai.gov.v1.MsgRemoveWhitelistedPermissions', Tx.MsgRemoveWhitelistedPermissions, m);
    case 'remove-blacklisted':
      return enc('/sekai.gov.v1.MsgRemoveBlacklistedPermissions', Tx.MsgRemoveBlacklistedPermissions, m);
  }
}

export function submitProposalMsg(proposer: string, title: string, description: string, content: EncodedMsg): EncodedMsg {
  return enc('/sekai.gov.v1.MsgSubmitProposal', Tx.MsgSubmitProposal, {
    proposer,
    title,
    description,
    content: Any.fromPartial({ typeUrl: content.typeUrl, value: Buffer.from(content.value) }),
  });
}

export function setNetworkPropertyContent(name: string, value: string): EncodedMsg {
  const p = parsePropertyName(name);
  const isUint = specOf(p).kind === 'uint';
  if (isUint && !/^\d+$/.test(value)) throw new Error(`${name} takes an unsigned integer`);
  return enc('/sekai.gov.v1.SetNetworkPropertyProposal', SetNetworkPropertyProposal, {
    networkProperty: p,
    value: { value: isUint ? BigInt(value) : 0n, strValue: isUint ? '' : value },
  });
}

const OPTIONS: Record<string, VoteOption> = { '1': 1, '2': 2, '3': 3, '4': 4, yes: 1, abstain: 2, no: 3, no_with_veto: 4 };

export function voteMsg(voter: string, proposalId: string, option: string, slash = ''): EncodedMsg {
  const o = OPTIONS[option.toLowerCase()];
  if (o === undefined) throw new Error(`vote option ${option}: use 1 yes, 2 abstain, 3 no, 4 no_with_veto`);
  return enc('/sekai.gov.v1.MsgVoteProposal', Tx.MsgVoteProposal, { proposalId: BigInt(proposalId), voter, option: o, slash });
}

export function resetWholeValidatorRankContent(proposer: string, description: string): EncodedMsg {
  return enc('/sekai.gov.v1.ProposalResetWholeValidatorRank', ProposalResetWholeValidatorRank, { proposer, description });
}

export function unjailValidatorContent(proposer: string, valAddr: string, reference: string): EncodedMsg {
  return enc('/sekai.gov.v1.ProposalUnjailValidator', ProposalUnjailValidator, { proposer, valAddr, reference });
}

export function softwareUpgradeContent(name: string, version: string, height: string, info = ''): EncodedMsg {
  return enc('/sekai.gov.v1.SoftwareUpgradeProposal', SoftwareUpgradeProposal, { name, version, height: BigInt(height), info });
}

// ------------------------------------------------------------------ commands

export function govTxCommand(env: GovCliEnv): Command {
  const root = new Command('customgov').description('customgov transactions');
  const perm = root.command('permission').description('direct permission changes (needs permission 1)');
  for (const action of ['whitelist', 'blacklist', 'remove-whitelisted', 'remove-blacklisted'] as const) {
    perm
      .command(action)
      .requiredOption('--addr <address>')
      .requiredOption('--permission <perm>')
      .requiredOption('--from <key>')
      .action((o: { addr: string; permission: string; from: string }) => env.broadcast(o.from, [permissionMsg(action, o.from, o.addr, o.permission)]));
  }
  const role = root.command('role').description('roles (needs permission 9)');
  role.command('create <sid> <description>').requiredOption('--from <key>').action((sid: string, description: string, o: { from: string }) =>
    env.broadcast(o.from, [enc('/sekai.gov.v1.MsgCreateRole', Tx.MsgCreateRole, { proposer: o.from, roleSid: sid, roleDescription: description })]));
  role.command('assign <role>').requiredOption('--addr <address>').requiredOption('--from <key>').action((r: string, o: { addr: string; from: string }) =>
    env.broadcast(o.from, [enc('/sekai.gov.v1.MsgAssignRole', Tx.MsgAssignRole, { proposer: o.from, address: o.addr, roleIdentifier: r })]));
  role.command('unassign <role>').requiredOption('--addr <address>').requiredOption('--from <key>').action((r: string, o: { addr: string; from: string }) =>
    env.broadcast(o.from, [enc('/sekai.gov.v1.MsgUnassignRole', Tx.MsgUnassignRole, { proposer: o.from, address: o.addr, roleIdentifier: r })]));
  role.command('whitelist-permission <role> <perm>').requiredOption('--from <key>').action((r: string, p: string, o: { from: string }) =>
    env.broadcast(o.from, [enc('/sekai.gov.v1.MsgWhitelistRolePermission', Tx.MsgWhitelistRolePermission, { proposer: o.from, roleIdentifier: r, permission: parsePermissionText(p) })]));
  role.command('blacklist-permission <role> <perm>').requiredOption('--from <key>').action((r: string, p: string, o: { from: string }) =>
    env.broadcast(o.from, [enc('/sekai.gov.v1.MsgBlacklistRolePermission', Tx.MsgBlacklistRolePermission, { proposer: o.from, roleIdentifier: r, permission: parsePermissionText(p) })]));

  const councilor = root.command('councilor');
  councilor.command('claim-seat').requiredOption('--from <key>').option('--moniker <m>', '', '').action((o: { from: string; moniker: string }) =>
    env.broadcast(o.from, [enc('/sekai.gov.v1.MsgClaimCouncilor', Tx.MsgClaimCouncilor, Tx.MsgClaimCouncilor.fromPartial({ sender: o.from, moniker: o.moniker }))]));
  const status = { pause: ['MsgCouncilorPause', Tx.MsgCouncilorPause], unpause: ['MsgCouncilorUnpause', Tx.MsgCouncilorUnpause], activate: ['MsgCouncilorActivate', Tx.MsgCouncilorActivate] } as const;
  for (const name of ['pause', 'unpause', 'activate'] as const) {
    const [msgName, codec] = status[name];
    councilor.command(name).requiredOption('--from <key>').action((o: { from: string }) => env.broadcast(o.from, [enc(`/sekai.gov.v1.${msgName}`, codec as typeof Tx.MsgCouncilorPause, { sender: o.from })]));
  }

  const proposal = root.command('proposal');
  proposal
    .command('set-network-property <name> <value>')
    .requiredOption('--title <t>')
    .requiredOption('--description <d>')
    .requiredOption('--from <key>')
    .action((name: string, value: string, o: { title: string; description: string; from: string }) =>
      env.broadcast(o.from, [submitProposalMsg(o.from, o.title, o.description, setNetworkPropertyContent(name, value))]));
  proposal
    .command('vote <id> <option>')
    .requiredOption('--from <key>')
    .option('--slash <dec>', '', '')
    .action((id: string, option: string, o: { from: string; slash: string }) => env.broadcast(o.from, [voteMsg(o.from, id, option, o.slash)]));
  return root;
}

/** `tx upgrade proposal <name> <version> <height>`. */
export function upgradeTxCommand(env: GovCliEnv): Command {
  const root = new Command('upgrade');
  root
    .command('proposal <name> <version> <height>')
    .requiredOption('--title <t>')
    .requiredOption('--description <d>')
    .requiredOption('--from <key>')
    .action((name: string, version: string, height: string, o: { title: string; description: string; from: string }) =>
      env.broadcast(o.from, [submitProposalMsg(o.from, o.title, o.description, softwareUpgradeContent(name, version, height))]));
  return root;
}

export function govQueryCommand(env: GovCliEnv): Command {
  const root = new Command('customgov').description('customgov queries');
  const path = (m: string) => `/sekai.gov.v1.Query/${m}`;
  root.command('permissions <addr>').action((addr: string) =>
    env.query(path('Permissions'), Q.QueryPermissionsRequest.encode({ address: addr }).finish(), Q.QueryPermissionsResponse.decode, Q.QueryPermissionsResponse.toJSON));
  root.command('roles').action(() => env.query(path('Roles'), new Uint8Array(), Q.QueryRolesResponse.decode, Q.QueryRolesResponse.toJSON));
  root.command('role <identifier>').action((identifier: string) =>
    env.query(path('Role'), Q.QueryRoleRequest.encode({ identifier }).finish(), Q.QueryRoleResponse.decode, Q.QueryRoleResponse.toJSON));
  root.command('network-properties').action(() =>
    env.query(path('NetworkProperties'), new Uint8Array(), Q.QueryNetworkPropertiesResponse.decode, Q.QueryNetworkPropertiesResponse.toJSON));
  root
    .command('proposals')
    .option('--status <result>', 'e.g. VOTE_RESULT_PASSED', '')
    .option('--voter <addr>', '', '')
    .action((o: { status: string; voter: string }) =>
      env.query(
        path('Proposals'),
        Q.QueryProposalsRequest.encode({ result: o.status === '' ? 0 : voteResultFromJSON(o.status.startsWith('VOTE_RESULT_') ? o.status : `VOTE_RESULT_${o.status.toUpperCase()}`), voter: o.voter }).finish(),
        Q.QueryProposalsResponse.decode,
        Q.QueryProposalsResponse.toJSON,
      ));
  root.command('proposal <id>').action((id: string) =>
    env.query(path('Proposal'), Q.QueryProposalRequest.encode({ proposalId: BigInt(id) }).finish(), Q.QueryProposalResponse.decode, Q.QueryProposalResponse.toJSON));
  root.command('votes <id>').action((id: string) =>
    env.query(path('Votes'), Q.QueryVotesRequest.encode({ proposalId: BigInt(id) }).finish(), Q.QueryVotesResponse.decode, Q.QueryVotesResponse.toJSON));
  root.command('councilors').action(() => env.query(path('Councilors'), new Uint8Array(), Q.QueryCouncilorsResponse.decode, Q.QueryCouncilorsResponse.toJSON));
  return root;
}
