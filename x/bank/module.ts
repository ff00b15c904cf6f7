/**
 * x/bank: balances per AccountID, Cosmos bank messages and queries, supply, denom
 * metadata and the transfer cap (per message and per tx).
 */
import { defineModule, type DefinedModule } from '../../runtime/module';
import { bankQueryCommand, bankTxCommand } from './cli';
import { bankGenesis } from './genesis';
import { BankKeeperImpl, type BankKeeperDeps } from './keeper';
import { bankMsgs, bankTxRules } from './msgServer';
import { bankQueries } from './queryServer';
import { MODULE_NAME, STORE_KEY } from './types/keys';

export function bankModule(deps: BankKeeperDeps): DefinedModule<BankKeeperImpl> {
  const keeper = new BankKeeperImpl(deps);
  return defineModule({
    name: MODULE_NAME,
    storeKeys: [STORE_KEY],
    keeper,
    msgs: bankMsgs(keeper),
    queries: bankQueries(keeper),
    genesis: bankGenesis(keeper),
    txRules: bankTxRules(keeper),
    invariants: [{ name: 'supply', check: (ctx) => keeper.checkSupplyInvariant(ctx) }],
    cli: { tx: bankTxCommand, query: bankQueryCommand },
  });
}
