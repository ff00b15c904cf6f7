/**
 * x/accountid: stable numeric account IDs, names, several keys and wallets per account.
 */
import type { AppModule } from '../../runtime/module';
import { accountIdTxCommand, accountIdQueryCommand } from './cli';
import { accountIdGenesis } from './genesis';
import type { AccountIdKeeper } from './keeper';
import { accountIdMsgs } from './msgServer';
import { accountIdQueries } from './queryServer';
import { MODULE_NAME, STORE_KEY } from './types/keys';

export function accountIdModule(k: AccountIdKeeper): AppModule {
  return {
    name: MODULE_NAME,
    storeKeys: [STORE_KEY],
    msgs: accountIdMsgs(k),
    queries: accountIdQueries(k),
    genesis: accountIdGenesis(k),
    invariants: [{ name: 'indexes', check: (ctx) => k.checkIndexes(ctx) }],
    cli: { tx: accountIdTxCommand, query: accountIdQueryCommand },
  };
}
