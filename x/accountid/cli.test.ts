import type { ChainClient, CliEnv } from '../../client';
import { QueryAccountResponse } from '../../proto/gen/sekai/accountid/v1/query';
import { accountIdQueryCommand } from './cli';

test('query accountid account prints every field with its default (account 0, sequence 0) under snake_case names', async () => {
  const printed: unknown[] = [];
  const response = QueryAccountResponse.encode({
    account: { id: 0n, name: '', address: 'kira1zero', pubKeys: [], keyAddresses: [], wallets: [], sequence: 0n, module: '' },
  }).finish();
  const env: CliEnv = {
    print: (v) => void printed.push(v),
    keyring: () => {
      throw new Error('no keyring needed');
    },
    chainClient: async (): Promise<ChainClient> => ({
      query: async () => response,
      broadcast: async () => ({ code: 0, transactionHash: '', height: 0 }),
      fromKey: async () => ({ name: '', address: '', pubKey: new Uint8Array() }),
      privateKey: async () => new Uint8Array(),
    }),
  };
  await accountIdQueryCommand(env).parseAsync(['account', '0'], { from: 'user' });
  expect(JSON.parse(JSON.stringify(printed[0]))).toEqual({ id: '0', name: '', address: 'kira1zero', pub_keys: [], key_addresses: [], wallets: [], sequence: '0', module: '' });
});
