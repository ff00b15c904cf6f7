/**
 * The customgov module: permissioned governance as KIRA sekai runs it.
 *
 * Wiring (app/app.ts):
 *
 *   const gov = createGovModule({ accounts: accountIdKeeper, slashing, staking });
 *   // other modules' proposal types: gov.keeper.proposals.register(handler)
 *   new BaseApp({ …, feeParams: gov.keeper });   // MIN_TX_FEE / MAX_TX_FEE bound every fee
 *   // staking and slashing receive gov.keeper for isAllowed(ctx, account, perm) and validatorProperties(ctx)
 */
import type { AppModule } from '../../runtime/module';
import { govQueryCommand, govTxCommand, upgradeTxCommand } from './cli';
import { govGenesis } from './genesis';
import { GovKeeper, type GovKeeperDeps } from './keeper';
import { govMsgRoutes } from './msgServer';
import { registerGovProposals } from './proposals';
import { govQueryRoutes } from './queryServer';
import { MODULE_NAME, STORE_KEY } from './types/keys';

export interface GovModule {
  keeper: GovKeeper;
  module: AppModule;
}

/** Builds the keeper, registers x/gov's proposal types and returns the AppModule. */
export function createGovModule(deps: GovKeeperDeps): GovModule {
  const keeper = new GovKeeper(deps);
  registerGovProposals(keeper, deps);
  const module: AppModule = {
    name: MODULE_NAME,
    storeKeys: [STORE_KEY],
    msgs: govMsgRoutes(keeper),
    queries: govQueryRoutes(keeper),
    genesis: govGenesis(keeper),
    endBlock: (ctx) => keeper.endBlock(ctx),
    cli: { tx: govTxCommand, query: govQueryCommand, txRoots: [upgradeTxCommand] },
  };
  return { keeper, module };
}
