import { CodedError } from '../../types/errors';
import { UpgradeKeeper } from '../../runtime/upgrade';
import { govModule } from './module';
import { govGenesisEditor, parsePermissionText } from './genesisEditor';

const accounts = { tryResolve: () => undefined, resolveOrCreate: () => 0n, addressOf: () => '' };

describe('genesis editor', () => {
  test('writes properties and permissions that customgov genesis accepts', () => {
    const state: Record<string, unknown> = {};
    govGenesisEditor.setNetworkProperty(state, 'minimum_proposal_end_time', '10');
    govGenesisEditor.setNetworkProperty(state, 'VOTE_QUORUM', '0.5');
    govGenesisEditor.setNetworkProperty(state, 'JAIL_PERIOD', '60');
    govGenesisEditor.whitelistPermission(state, 'kira1x', parsePermissionText('claim_validator'));
    govGenesisEditor.whitelistPermission(state, 'kira1x', 26);
    expect(state.customgov).toMatchObject({
      network_properties: { minimum_proposal_end_time: '10', vote_quorum: '0.500000000000000000', jail_period: '60' },
      network_actors: [{ address: 'kira1x', permissions: { whitelist: [2, 26], blacklist: [] } }],
    });
    govModule({ accounts, upgrades: new UpgradeKeeper() }).module.genesis!.validateGenesis(state.customgov);
  });

  test.each([
    ['MIN_TX_FEE', '-1', /MIN_TX_FEE takes an unsigned integer/],
    ['VOTE_QUORUM', '0', /VOTE_QUORUM must be between 0.01 and 1/],
    ['NO_SUCH', '1', /unknown network property/],
  ])('refuses %s=%s', (name, value, re) => {
    expect(() => govGenesisEditor.setNetworkProperty({}, name, value)).toThrow(re);
  });

  test('refuses an unknown permission with a registered error', () => {
    expect(() => parsePermissionText('6')).toThrow(CodedError);
    expect(() => parsePermissionText('no_such')).toThrow(/not a PermValue/);
  });
});
