import { MsgSubmitProposal, MsgVoteProposal, MsgWhitelistPermissions } from '../../proto/gen/sekai/gov/v1/tx';
import { SetNetworkPropertyProposal } from '../../proto/gen/sekai/gov/v1/proposal';
import { NetworkProperty } from '../../proto/gen/sekai/gov/v1/network_properties';
import { govTxCommand, type EncodedMsg, type GovCliEnv } from './cli';

function recorder() {
  const sent: { from: string; msgs: EncodedMsg[] }[] = [];
  const env: GovCliEnv = { broadcast: async (from, msgs) => void sent.push({ from, msgs }), query: async () => undefined };
  return { env, sent };
}

describe('customgov tx CLI', () => {
  test('permission whitelist --addr --permission builds MsgWhitelistPermissions', async () => {
    const { env, sent } = recorder();
    await govTxCommand(env).parseAsync(['permission', 'whitelist', '--addr', 'kira1b', '--permission', '26', '--from', 'kira1a'], { from: 'user' });
    expect(sent[0].msgs[0].typeUrl).toBe('/sekai.gov.v1.MsgWhitelistPermissions');
    expect(MsgWhitelistPermissions.decode(sent[0].msgs[0].value)).toEqual({ proposer: 'kira1a', address: 'kira1b', permission: 26 });
  });

  test('proposal set-network-property and vote', async () => {
    const { env, sent } = recorder();
    await govTxCommand(env).parseAsync(['proposal', 'set-network-property', 'MIN_TX_FEE', '500', '--title', 't', '--description', 'd', '--from', 'kira1a'], { from: 'user' });
    const sub = MsgSubmitProposal.decode(sent[0].msgs[0].value);
    expect(sub.content!.typeUrl).toBe('/sekai.gov.v1.SetNetworkPropertyProposal');
    expect(SetNetworkPropertyProposal.decode(sub.content!.value)).toEqual({ networkProperty: NetworkProperty.MIN_TX_FEE, value: { value: 500n, strValue: '' } });
    await govTxCommand(env).parseAsync(['proposal', 'vote', '3', 'yes', '--from', 'kira1a'], { from: 'user' });
    expect(MsgVoteProposal.decode(sent[1].msgs[0].value)).toMatchObject({ proposalId: 3n, option: 1 });
  });
});
