import { MsgSubmitProposal, MsgVoteProposal, MsgWhitelistPermissions } from '../../proto/gen/sekai/gov/v1/tx';
import { SetNetworkPropertyProposal, SoftwareUpgradeProposal } from '../../proto/gen/sekai/gov/v1/proposal';
import { NetworkProperty } from '../../proto/gen/sekai/gov/v1/network_properties';
import { NetworkActor, Proposal, VoteOption, VoteResult } from '../../proto/gen/sekai/gov/v1/gov';
import * as Q from '../../proto/gen/sekai/gov/v1/query';
import { Command } from 'commander';
import type { ChainClient, CliEnv, EncodedMsg } from '../../client';
import { govQueryCommand, govTxCommand, upgradeTxCommand } from './cli';
import { proposalContentTypes } from './json';
import { GOV_PROPOSAL_TYPES } from './proposals';

/** An environment whose client records what it would broadcast and answers queries with `response`. */
function recorder(response: Uint8Array = new Uint8Array()) {
  const sent: { from: string; msgs: EncodedMsg[] }[] = [];
  const printed: unknown[] = [];
  const env: CliEnv = {
    print: (v) => void printed.push(v),
    keyring: () => {
      throw new Error('the tests give --from as an address');
    },
    chainClient: async (cmd: Command): Promise<ChainClient> => ({
      query: async () => response,
      broadcast: async (msgs) => {
        sent.push({ from: (cmd.optsWithGlobals() as { from: string }).from, msgs: msgs as EncodedMsg[] });
        return { code: 0, transactionHash: 'AB', height: 1 };
      },
      fromKey: async () => ({ name: 'a', address: 'kira1a', pubKey: new Uint8Array(33) }),
      privateKey: async () => new Uint8Array(32),
    }),
  };
  return { env, sent, printed };
}

/** Mounts a module command under `tx`, which carries `--from` as the CLI's tx root does. */
function underTx(command: Command): (args: string[]) => Promise<unknown> {
  const tx = new Command('tx').option('--from <key>').exitOverride();
  tx.addCommand(command);
  return (args) => tx.parseAsync([command.name(), ...args], { from: 'user' });
}

describe('customgov tx CLI', () => {
  test('permission whitelist --addr --permission builds MsgWhitelistPermissions', async () => {
    const { env, sent } = recorder();
    await underTx(govTxCommand(env))(['permission', 'whitelist', '--addr', 'kira1b', '--permission', '26', '--from', 'kira1a']);
    expect(sent[0].msgs[0].typeUrl).toBe('/sekai.gov.v1.MsgWhitelistPermissions');
    expect(MsgWhitelistPermissions.decode(sent[0].msgs[0].value)).toEqual({ proposer: 'kira1a', address: 'kira1b', permission: 26 });
  });

  test('proposal set-network-property and vote', async () => {
    const { env, sent } = recorder();
    await underTx(govTxCommand(env))(['proposal', 'set-network-property', 'MIN_TX_FEE', '500', '--title', 't', '--description', 'd', '--from', 'kira1a']);
    const sub = MsgSubmitProposal.decode(sent[0].msgs[0].value);
    expect(sub.content!.typeUrl).toBe('/sekai.gov.v1.SetNetworkPropertyProposal');
    expect(SetNetworkPropertyProposal.decode(sub.content!.value)).toEqual({ networkProperty: NetworkProperty.MIN_TX_FEE, value: { value: 500n, strValue: '' } });
    await underTx(govTxCommand(env))(['proposal', 'vote', '3', 'yes', '--from', 'kira1a']);
    expect(MsgVoteProposal.decode(sent[1].msgs[0].value)).toMatchObject({ proposalId: 3n, option: 1 });
  });
});

describe('customgov query JSON', () => {
  /** Runs a query command against a node that answers with `response` (real protobuf bytes). */
  async function printed(args: string[], response: Uint8Array): Promise<unknown> {
    const { env, printed } = recorder(response);
    await govQueryCommand(env).parseAsync(args, { from: 'user' });
    return JSON.parse(JSON.stringify(printed[0]));
  }

  test('votes keep voter 0, network properties name property 0, proposals keep proposer 0 and decode their content', async () => {
    const votes = Q.QueryVotesResponse.encode({ votes: [{ proposalId: 1n, voter: 0n, option: VoteOption.VOTE_OPTION_YES, slash: '' }] }).finish();
    expect(await printed(['votes', '1'], votes)).toEqual({ votes: [{ proposal_id: '1', voter: '0', option: 'VOTE_OPTION_YES', slash: '' }] });

    const props = Q.QueryNetworkPropertiesResponse.encode({ properties: [{ property: NetworkProperty.MIN_TX_FEE, value: '100' }, { property: NetworkProperty.MAX_TX_FEE, value: '1000000' }] }).finish();
    expect(await printed(['network-properties'], props)).toEqual({
      properties: [
        { property: 'MIN_TX_FEE', value: '100' },
        { property: 'MAX_TX_FEE', value: '1000000' },
      ],
    });

    const content = SetNetworkPropertyProposal.encode({ networkProperty: NetworkProperty.MIN_TX_FEE, value: { value: 0n, strValue: '' } }).finish();
    const proposal = Q.QueryProposalsResponse.encode({
      proposals: [
        Proposal.fromPartial({ proposalId: 1n, title: 't', content: { typeUrl: '/sekai.gov.v1.SetNetworkPropertyProposal', value: Buffer.from(content) }, proposer: 0n, result: VoteResult.VOTE_RESULT_PENDING }),
      ],
    }).finish();
    const { proposals } = (await printed(['proposals'], proposal)) as { proposals: Record<string, unknown>[] };
    expect(proposals[0]).toMatchObject({
      proposal_id: '1',
      proposer: '0',
      result: 'VOTE_RESULT_PENDING',
      exec_result: '',
      submit_time: '0',
      content: { '@type': '/sekai.gov.v1.SetNetworkPropertyProposal', network_property: 'MIN_TX_FEE', value: { value: '0', str_value: '' } },
    });
  });

  test('permissions print sekaid\'s Permissions: both lists, also for an account with no standing', async () => {
    const some = Q.QueryPermissionsResponse.encode({ address: 'kira1a', actor: NetworkActor.fromPartial({ accountId: 0n, permissions: { whitelist: [26], blacklist: [] } }) }).finish();
    expect(await printed(['permissions', 'kira1a'], some)).toEqual({ blacklist: [], whitelist: [26] });
    expect(await printed(['permissions', 'kira1b'], Q.QueryPermissionsResponse.encode({ address: 'kira1b', actor: undefined }).finish())).toEqual({ blacklist: [], whitelist: [] });
  });
});

describe('customgov proposal commands', () => {
  const A = 'kira1a';
  const flags = ['--title', 't', '--description', 'd', '--from', A];
  /** Every content type x/gov executes, with the command line that proposes it. */
  const lines: [string, string[]][] = [
    ['/sekai.gov.v1.SetNetworkPropertyProposal', ['proposal', 'set-network-property', 'MIN_TX_FEE', '150']],
    ['/sekai.gov.v1.WhitelistAccountPermissionProposal', ['proposal', 'account', 'whitelist-permission', '26', '--addr', 'kira1b']],
    ['/sekai.gov.v1.BlacklistAccountPermissionProposal', ['proposal', 'account', 'blacklist-permission', '26', '--addr', 'kira1b']],
    ['/sekai.gov.v1.RemoveWhitelistedAccountPermissionProposal', ['proposal', 'account', 'remove-whitelisted-permission', '26', '--addr', 'kira1b']],
    ['/sekai.gov.v1.RemoveBlacklistedAccountPermissionProposal', ['proposal', 'account', 'remove-blacklisted-permission', '26', '--addr', 'kira1b']],
    ['/sekai.gov.v1.CreateRoleProposal', ['proposal', 'role', 'create', 'auditor', 'reads', '--whitelist', '26,27']],
    ['/sekai.gov.v1.WhitelistRolePermissionProposal', ['proposal', 'role', 'whitelist-permission', 'auditor', '26']],
    ['/sekai.gov.v1.BlacklistRolePermissionProposal', ['proposal', 'role', 'blacklist-permission', 'auditor', '26']],
    ['/sekai.gov.v1.RemoveWhitelistedRolePermissionProposal', ['proposal', 'role', 'remove-whitelisted-permission', 'auditor', '26']],
    ['/sekai.gov.v1.RemoveBlacklistedRolePermissionProposal', ['proposal', 'role', 'remove-blacklisted-permission', 'auditor', '26']],
    ['/sekai.gov.v1.AssignRoleToAccountProposal', ['proposal', 'role', 'assign', 'auditor', '--addr', 'kira1b']],
    ['/sekai.gov.v1.UnassignRoleFromAccountProposal', ['proposal', 'role', 'unassign', 'auditor', '--addr', 'kira1b']],
    ['/sekai.gov.v1.RemoveRoleProposal', ['proposal', 'role', 'remove', 'auditor']],
    ['/sekai.gov.v1.SetProposalDurationsProposal', ['proposal', 'set-proposal-durations-proposal', 'SetNetworkProperty,CreateRole', '300,600']],
    ['/sekai.gov.v1.ProposalUnjailValidator', ['proposal', 'unjail-validator', 'kiravaloper1x', 'ref']],
    ['/sekai.gov.v1.TextProposal', ['proposal', 'text']],
  ];

  test.each(lines)('%s from the command line', async (typeUrl, args) => {
    const { env, sent } = recorder();
    await underTx(govTxCommand(env))([...args, ...flags]);
    const sub = MsgSubmitProposal.decode(sent[0].msgs[0].value);
    expect({ proposer: sub.proposer, title: sub.title, typeUrl: sub.content!.typeUrl }).toEqual({ proposer: A, title: 't', typeUrl });
    // The content decodes with its own codec and carries what the line said.
    const decoded = proposalContentTypes()[typeUrl].decode(sub.content!.value) as Record<string, unknown>;
    if (args.includes('--addr')) expect(decoded.address).toBe('kira1b');
    if (typeUrl.endsWith('DurationsProposal')) expect(decoded).toEqual({ typeofProposals: ['SetNetworkProperty', 'CreateRole'], proposalDurations: [300n, 600n] });
    if (typeUrl.endsWith('CreateRoleProposal')) expect(decoded).toMatchObject({ roleSid: 'auditor', whitelistedPermissions: [26, 27] });
  });

  test('tx upgrade proposal builds SoftwareUpgradeProposal; every gov content type has a command', async () => {
    const { env, sent } = recorder();
    await underTx(upgradeTxCommand(env))(['proposal', 'v2-up', 'v2', '1000', ...flags]);
    const sub = MsgSubmitProposal.decode(sent[0].msgs[0].value);
    expect(sub.content!.typeUrl).toBe('/sekai.gov.v1.SoftwareUpgradeProposal');
    expect(SoftwareUpgradeProposal.decode(sub.content!.value)).toMatchObject({ name: 'v2-up', version: 'v2', height: 1000n });
    // Every row of x/gov's proposal table has a command (other modules' contents have their module's).
    const covered = new Set([...lines.map(([t]) => t), '/sekai.gov.v1.SoftwareUpgradeProposal']);
    expect(GOV_PROPOSAL_TYPES.map((t) => `/sekai.gov.v1.${t.message}`).filter((url) => !covered.has(url))).toEqual([]);
  });
});
