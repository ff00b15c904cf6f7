/**
 * customgov CLI, as sekai's: `tx customgov permission|role|councilor|proposal …` and
 * `query customgov permissions|roles|role|network-properties|proposals|proposal|votes|councilors`.
 * Commands build messages and query requests; signing, broadcasting and output belong
 * to the CLI environment (client/cliEnv.ts). `--from` (a key name or an address) is the
 * proposer, voter or sender every message names.
 */
import { Command } from 'commander';
import { broadcast, query, senderOf, submitProposalMsg, type CliEnv, type EncodedMsg } from '../../client/cliEnv';
import { VoteOption, voteResultFromJSON } from '../../proto/gen/sekai/gov/v1/gov';
import * as P from '../../proto/gen/sekai/gov/v1/proposal';
import { ProposalResetWholeValidatorRank, ProposalUnjailValidator, SetNetworkPropertyProposal, SoftwareUpgradeProposal } from '../../proto/gen/sekai/gov/v1/proposal';
import * as Q from '../../proto/gen/sekai/gov/v1/query';
import * as Tx from '../../proto/gen/sekai/gov/v1/tx';
import { parsePermissionText } from './genesisEditor';
import * as J from './json';
import { parsePropertyName, specOf } from './types/networkProperties';

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

/**
 * A leaf action that signs with `--from`: `build` gets the sender's address (a key name is
 * looked up in the keyring), then commander's positional arguments and options.
 */
function signed(env: CliEnv, build: (from: string, ...args: never[]) => EncodedMsg): (...raw: unknown[]) => Promise<void> {
  return async (...raw) => {
    const cmd = raw[raw.length - 1] as Command;
    const from = await senderOf(env, cmd);
    await broadcast(env, cmd, [(build as (from: string, ...args: unknown[]) => EncodedMsg)(from, ...raw.slice(0, -1))]);
  };
}

export function govTxCommand(env: CliEnv): Command {
  const root = new Command('customgov').description('customgov transactions');
  const perm = root.command('permission').description('direct permission changes (needs permission 1)');
  for (const action of ['whitelist', 'blacklist', 'remove-whitelisted', 'remove-blacklisted'] as const) {
    perm
      .command(action)
      .requiredOption('--addr <address>')
      .requiredOption('--permission <perm>')
      .action(signed(env, (from, o: { addr: string; permission: string }) => permissionMsg(action, from, o.addr, o.permission)));
  }
  const role = root.command('role').description('roles (needs permission 9)');
  role.command('create <sid> <description>').action(signed(env, (from, sid: string, description: string) =>
    enc('/sekai.gov.v1.MsgCreateRole', Tx.MsgCreateRole, { proposer: from, roleSid: sid, roleDescription: description })));
  role.command('assign <role>').requiredOption('--addr <address>').action(signed(env, (from, r: string, o: { addr: string }) =>
    enc('/sekai.gov.v1.MsgAssignRole', Tx.MsgAssignRole, { proposer: from, address: o.addr, roleIdentifier: r })));
  role.command('unassign <role>').requiredOption('--addr <address>').action(signed(env, (from, r: string, o: { addr: string }) =>
    enc('/sekai.gov.v1.MsgUnassignRole', Tx.MsgUnassignRole, { proposer: from, address: o.addr, roleIdentifier: r })));
  role.command('whitelist-permission <role> <perm>').action(signed(env, (from, r: string, p: string) =>
    enc('/sekai.gov.v1.MsgWhitelistRolePermission', Tx.MsgWhitelistRolePermission, { proposer: from, roleIdentifier: r, permission: parsePermissionText(p) })));
  role.command('blacklist-permission <role> <perm>').action(signed(env, (from, r: string, p: string) =>
    enc('/sekai.gov.v1.MsgBlacklistRolePermission', Tx.MsgBlacklistRolePermission, { proposer: from, roleIdentifier: r, permission: parsePermissionText(p) })));

  const councilor = root.command('councilor');
  councilor.command('claim-seat').option('--moniker <m>', '', '').action(signed(env, (from, o: { moniker: string }) =>
    enc('/sekai.gov.v1.MsgClaimCouncilor', Tx.MsgClaimCouncilor, Tx.MsgClaimCouncilor.fromPartial({ sender: from, moniker: o.moniker }))));
  const status = { pause: ['MsgCouncilorPause', Tx.MsgCouncilorPause], unpause: ['MsgCouncilorUnpause', Tx.MsgCouncilorUnpause], activate: ['MsgCouncilorActivate', Tx.MsgCouncilorActivate] } as const;
  for (const name of ['pause', 'unpause', 'activate'] as const) {
    const [msgName, codec] = status[name];
    councilor.command(name).action(signed(env, (from) => enc(`/sekai.gov.v1.${msgName}`, codec as typeof Tx.MsgCouncilorPause, { sender: from })));
  }

  const proposal = root.command('proposal');
  proposal
    .command('set-network-property <name> <value>')
    .requiredOption('--title <t>')
    .requiredOption('--description <d>')
    .action(signed(env, (from, name: string, value: string, o: { title: string; description: string }) =>
      submitProposalMsg(from, o.title, o.description, setNetworkPropertyContent(name, value))));
  addProposalCommands(env, proposal);
  proposal
    .command('vote <id> <option>')
    .option('--slash <dec>', '', '')
    .action(signed(env, (from, id: string, option: string, o: { slash: string }) => voteMsg(from, id, option, o.slash)));
  return root;
}

type ProposalOpts = { title: string; description: string };

/** A `proposal …` leaf: --title and --description, then the content `build` makes for the `--from` proposer. */
function proposalLeaf(env: CliEnv, parent: Command, usage: string, about: string, build: (args: string[], o: Record<string, string>, from: string) => EncodedMsg): Command {
  return parent
    .command(usage)
    .description(about)
    .requiredOption('--title <t>')
    .requiredOption('--description <d>')
    .action(async (...raw: unknown[]) => {
      const cmd = raw[raw.length - 1] as Command;
      const o = cmd.opts() as ProposalOpts & Record<string, string>;
      const args = raw.slice(0, -2) as string[];
      const from = await senderOf(env, cmd);
      await broadcast(env, cmd, [submitProposalMsg(from, o.title, o.description, build(args, o, from))]);
    });
}

const permList = (text: string | undefined): number[] => (text ? text.split(',').filter((x) => x !== '').map(parsePermissionText) : []);

/**
 * One proposal command per content type x/gov executes, in sekaid's shape (`tx customgov
 * proposal account|role …`, `set-proposal-durations-proposal`, `unjail-validator`, `text`):
 * none has to be hand-built JSON.
 */
function addProposalCommands(env: CliEnv, proposal: Command): void {
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
  proposalLeaf(env, proposal, 'unjail-validator <val_addr> <reference>', 'Propose ProposalUnjailValidator', ([val, reference], _o, from) => unjailValidatorContent(from, val, reference));
  proposalLeaf(env, proposal, 'text', 'Propose a TextProposal (title and description only)', () => enc('/sekai.gov.v1.TextProposal', P.TextProposal, {}));
}

/** `tx upgrade proposal <name> <version> <height>`. */
export function upgradeTxCommand(env: CliEnv): Command {
  const root = new Command('upgrade');
  root
    .command('proposal <name> <version> <height>')
    .requiredOption('--title <t>')
    .requiredOption('--description <d>')
    .action(signed(env, (from, name: string, version: string, height: string, o: { title: string; description: string }) =>
      submitProposalMsg(from, o.title, o.description, softwareUpgradeContent(name, version, height))));
  return root;
}

export function govQueryCommand(env: CliEnv): Command {
  const root = new Command('customgov').description('customgov queries');
  /** Queries `/sekai.gov.v1.Query/<method>` and prints the response as sekaid's JSON. */
  const run = async <T>(cmd: Command, method: string, data: Uint8Array, decode: (b: Uint8Array) => T, toJSON: (v: T) => unknown) =>
    env.print(toJSON(await query(env, cmd, `/sekai.gov.v1.Query/${method}`, data, decode)));
  root.command('permissions <addr>').action((addr: string, _o, cmd: Command) =>
    run(cmd, 'Permissions', Q.QueryPermissionsRequest.encode({ address: addr }).finish(), Q.QueryPermissionsResponse.decode, J.permissionsJson));
  root.command('roles').action((_o, cmd: Command) => run(cmd, 'Roles', new Uint8Array(), Q.QueryRolesResponse.decode, J.rolesJson));
  root.command('role <identifier>').action((identifier: string, _o, cmd: Command) =>
    run(cmd, 'Role', Q.QueryRoleRequest.encode({ identifier }).finish(), Q.QueryRoleResponse.decode, J.roleJson));
  root.command('network-properties').action((_o, cmd: Command) =>
    run(cmd, 'NetworkProperties', new Uint8Array(), Q.QueryNetworkPropertiesResponse.decode, J.networkPropertiesJson));
  root
    .command('proposals')
    .option('--status <result>', 'e.g. VOTE_RESULT_PASSED', '')
    .option('--voter <addr>', '', '')
    .action((o: { status: string; voter: string }, cmd: Command) =>
      run(
        cmd,
        'Proposals',
        Q.QueryProposalsRequest.encode({ result: o.status === '' ? 0 : voteResultFromJSON(o.status.startsWith('VOTE_RESULT_') ? o.status : `VOTE_RESULT_${o.status.toUpperCase()}`), voter: o.voter }).finish(),
        Q.QueryProposalsResponse.decode,
        J.proposalsJson,
      ));
  root.command('proposal <id>').action((id: string, _o, cmd: Command) =>
    run(cmd, 'Proposal', Q.QueryProposalRequest.encode({ proposalId: BigInt(id) }).finish(), Q.QueryProposalResponse.decode, J.proposalJson));
  root.command('votes <id>').action((id: string, _o, cmd: Command) =>
    run(cmd, 'Votes', Q.QueryVotesRequest.encode({ proposalId: BigInt(id) }).finish(), Q.QueryVotesResponse.decode, J.votesJson));
  root.command('councilors').action((_o, cmd: Command) => run(cmd, 'Councilors', new Uint8Array(), Q.QueryCouncilorsResponse.decode, J.councilorsJson));
  return root;
}
