/**
 * x/accountid: stable numeric account IDs, names, several keys and wallets per account.
 * Declares the runtime's fee collector account; other modules declare their own.
 */
import { FEE_COLLECTOR } from '../../runtime/expectedKeepers';
import { defineModule, type DefinedModule } from '../../runtime/module';
import { accountIdTxCommand, accountIdQueryCommand } from './cli';
import { accountIdGenesis } from './genesis';
import { AccountIdKeeper, type AccountIdKeeperDeps } from './keeper';
import { accountIdMsgs } from './msgServer';
import { accountIdQueries } from './queryServer';
import { MODULE_NAME, STORE_KEY } from './types/keys';

export function accountIdModule(deps: AccountIdKeeperDeps = {}): DefinedModule<AccountIdKeeper> {
  const keeper = new AccountIdKeeper(deps);
  return defineModule({
    name: MODULE_NAME,
    storeKeys: [STORE_KEY],
    keeper,
    msgs: accountIdMsgs(keeper),
    queries: accountIdQueries(keeper),
    genesis: accountIdGenesis(keeper),
    invariants: [{ name: 'indexes', check: (ctx) => keeper.checkIndexes(ctx) }],
    moduleAccounts: [FEE_COLLECTOR],
    cli: { tx: accountIdTxCommand, query: accountIdQueryCommand },
  });
}
