/**
 * x/bank: balances per AccountID, Cosmos bank messages and queries, supply, denom
 * metadata and the transfer cap (per message and per tx).
 */
import type { AppModule } from '../../runtime/module';
import { bankQueryCommand, bankTxCommand } from './cli';
import { bankGenesis } from './genesis';
import type { BankKeeperImpl } from './keeper';
import { bankMsgs, bankTxRules } from './msgServer';
import { bankQueries } from './queryServer';
import { MODULE_NAME, STORE_KEY } from './types/keys';

export function bankModule(k: BankKeeperImpl): AppModule {
  return {
    name: MODULE_NAME,
    storeKeys: [STORE_KEY],
    msgs: bankMsgs(k),
    queries: bankQueries(k),
    genesis: bankGenesis(k),
    txRules: bankTxRules(k),
    invariants: [{ name: 'supply', check: (ctx) => k.checkSupplyInvariant(ctx) }],
    cli: { tx: bankTxCommand, query: bankQueryCommand },
  };
}
