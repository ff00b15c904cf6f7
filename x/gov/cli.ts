/**
 * customgov CLI, as sekai's: `tx customgov permission|role|councilor|proposal …` and
 * `query customgov permissions|roles|role|network-properties|proposals|proposal|votes|councilors`.
 * Commands build messages and query requests; signing, broadcasting and output belong
 * to the CLI environment (`GovCliEnv`), which the CLI supplies.
 */
import { Command } from 'commander';
import { Any } from '../../proto/gen/google/protobuf/any';
import { VoteOption, voteResultFromJSON } from '../../proto/gen/sekai/gov/v1/gov';
import * as P from '../../proto/gen/sekai/gov/v1/proposal';
import { ProposalResetWholeValidatorRank, ProposalUnjailValidator, SetNetworkPropertyProposal, SoftwareUpgradeProposal } from '../../proto/gen/sekai/gov/v1/proposal';
import * as Q from '../../proto/gen/sekai/gov/v1/query';
import * as Tx from '../../proto/gen/sekai/gov/v1/tx';
import { parsePermissionText } from './genesisEditor';
import * as J from './json';
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
  addProposalCommands(env, proposal);
  proposal
    .command('vote <id> <option>')
    .requiredOption('--from <key>')
    .option('--slash <dec>', '', '')
    .action((id: string, option: string, o: { from: string; slash: string }) => env.broadcast(o.from, [voteMsg(o.from, id, option, o.slash)]));
  return root;
}

type ProposalOpts = { title: string; description: string; from: string };

/** A `proposal …` leaf: --title, --description and --from, then the content `build` makes. */
function proposalLeaf(env: GovCliEnv, parent: Command, usage: string, about: string, build: (args: string[], o: Record<string, string>) => EncodedMsg): Command {
  return parent
    .command(usage)
    .description(about)
    .requiredOption('--title <t>')
    .requiredOption('--description <d>')
    .requiredOption('--from <key>')
    .action((...raw: unknown[]) => {
      const cmd = raw[raw.length - 1] as Command;
      const o = cmd.opts() as ProposalOpts & Record<string, string>;
      const args = raw.slice(0, -2) as string[];
      return env.broadcast(o.from, [submitProposalMsg(o.from, o.title, o.description, build(args, o))]);
    });
}

const permList = (text: string | undefined): number[] => (text ? text.split(',').filter((x) => x !== '').map(parsePermissionText) : []);

/**
 * One proposal command per content type x/gov executes, in sekaid's shape (`tx customgov
 * proposal account|role …`, `set-proposal-durations-proposal`, `unjail-validator`, `text`):
 * none has to be hand-built JSON.
 */
function addProposalCommands(env: GovCliEnv, proposal: Command): void {
  const account = proposal.command('account').description('proposals that change one account\'s permissions');
  const accountTypes = [
    ['whitelist-permission', 'WhitelistAccountPermissionProposal', P.WhitelistAccountPermissionProposal],
    ['blacklist-permission', 'BlacklistAccountPermissionProposal', P.BlacklistAccountPermissionProposal],
    ['remove-whitelisted-permission', 'RemoveWhitelistedAccountPermissionProposal', P.RemoveWhitelistedAccountPermissionProposal],
    ['remove-blacklisted-permission', 'RemoveBlacklistedAccountPermissionProposal', P.RemoveBlacklistedAccountPermissionProposal],
  ] as const;
  for (const [name, type, codec] of accountTypes) {
    proposalLeaf(env, account, `${name} <perm>`, `Propose ${type}`, ([perm], o) =>
      enc(`/sekai.gov.v1.${type}`, codec as typeof P.WhitelistAccountPermissionProposal, { address: o.addr, permission: parsePermissionText(perm) }),
    ).requiredOption('--addr <address>');
  }
  const role = proposal.command('role').description('proposals that change roles');
  proposalLeaf(env, role, 'create <sid> <description>', 'Propose CreateRoleProposal', ([sid, about], o) =>
    enc('/sekai.gov.v1.CreateRoleProposal', P.CreateRoleProposal, { roleSid: sid, roleDescription: about, whitelistedPermissions: permList(o.whitelist), blacklistedPermissions: permList(o.blacklist) }),
  )
    .option('--whitelist <perms>', 'comma-separated permissions')
    .option('--blacklist <perms>', 'comma-separated permissions');
  const roleTypes = [
    ['whitelist-permission', 'WhitelistRolePermissionProposal', P.WhitelistRolePermissionProposal],
    ['blacklist-permission', 'BlacklistRolePermissionProposal', P.BlacklistRolePermissionProposal],
    ['remove-whitelisted-permission', 'RemoveWhitelistedRolePermissionProposal', P.RemoveWhitelistedRolePermissionProposal],
    ['remove-blacklisted-permission', 'RemoveBlacklistedRolePermissionProposal', P.RemoveBlacklistedRolePermissionProposal],
  ] as const;
  for (const [name, type, codec] of roleTypes) {
    proposalLeaf(env, role, `${name} <role> <perm>`, `Propose ${type}`, ([r, perm]) =>
      enc(`/sekai.gov.v1.${type}`, codec as typeof P.WhitelistRolePermissionProposal, { roleIdentifier: r, permission: parsePermissionText(perm) }),
    );
  }
  proposalLeaf(env, role, 'assign <role>', 'Propose AssignRoleToAccountProposal', ([r], o) =>
    enc('/sekai.gov.v1.AssignRoleToAccountProposal', P.AssignRoleToAccountProposal, { address: o.addr, roleIdentifier: r }),
  ).requiredOption('--addr <address>');
  proposalLeaf(env, role, 'unassign <role>', 'Propose UnassignRoleFromAccountProposal', ([r], o) =>
    enc('/sekai.gov.v1.UnassignRoleFromAccountProposal', P.UnassignRoleFromAccountProposal, { address: o.addr, roleIdentifier: r }),
  ).requiredOption('--addr <address>');
  proposalLeaf(env, role, 'remove <sid>', 'Propose RemoveRoleProposal', ([sid]) => enc('/sekai.gov.v1.RemoveRoleProposal', P.RemoveRoleProposal, { roleSid: sid }));
  proposalLeaf(env, proposal, 'set-proposal-durations-proposal <types> <durations>', 'Propose voting durations (seconds) per proposal type, comma-separated', ([types, durations]) => {
    const ds = durations.split(',');
    if (ds.some((d) => !/^\d+$/.test(d))) throw new Error(`durations ${durations}: comma-separated seconds`);
    return enc('/sekai.gov.v1.SetProposalDurationsProposal', P.SetProposalDurationsProposal, { typeofProposals: types.split(','), proposalDurations: ds.map(BigInt) });
  });
  proposalLeaf(env, proposal, 'unjail-validator <val_addr> <reference>', 'Propose ProposalUnjailValidator', ([val, reference], o) => unjailValidatorContent(o.from, val, reference));
  proposalLeaf(env, proposal, 'text', 'Propose a TextProposal (title and description only)', () => enc('/sekai.gov.v1.TextProposal', P.TextProposal, {}));
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
    env.query(path('Permissions'), Q.QueryPermissionsRequest.encode({ address: addr }).finish(), Q.QueryPermissionsResponse.decode, J.permissionsJson));
  root.command('roles').action(() => env.query(path('Roles'), new Uint8Array(), Q.QueryRolesResponse.decode, J.rolesJson));
  root.command('role <identifier>').action((identifier: string) =>
    env.query(path('Role'), Q.QueryRoleRequest.encode({ identifier }).finish(), Q.QueryRoleResponse.decode, J.roleJson));
  root.command('network-properties').action(() =>
    env.query(path('NetworkProperties'), new Uint8Array(), Q.QueryNetworkPropertiesResponse.decode, J.networkPropertiesJson));
  root
    .command('proposals')
    .option('--status <result>', 'e.g. VOTE_RESULT_PASSED', '')
    .option('--voter <addr>', '', '')
    .action((o: { status: string; voter: string }) =>
      env.query(
        path('Proposals'),
        Q.QueryProposalsRequest.encode({ result: o.status === '' ? 0 : voteResultFromJSON(o.status.startsWith('VOTE_RESULT_') ? o.status : `VOTE_RESULT_${o.status.toUpperCase()}`), voter: o.voter }).finish(),
        Q.QueryProposalsResponse.decode,
        J.proposalsJson,
      ));
  root.command('proposal <id>').action((id: string) =>
    env.query(path('Proposal'), Q.QueryProposalRequest.encode({ proposalId: BigInt(id) }).finish(), Q.QueryProposalResponse.decode, J.proposalJson));
  root.command('votes <id>').action((id: string) =>
    env.query(path('Votes'), Q.QueryVotesRequest.encode({ proposalId: BigInt(id) }).finish(), Q.QueryVotesResponse.decode, J.votesJson));
  root.command('councilors').action(() => env.query(path('Councilors'), new Uint8Array(), Q.QueryCouncilorsResponse.decode, J.councilorsJson));
  return root;
}
