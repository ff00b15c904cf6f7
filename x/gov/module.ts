/**
 * The customgov module: permissioned governance as KIRA sekai runs it.
 *
 * Wiring (app/app.ts): `govModule({ accounts, upgrades })`; its keeper is the runtime's
 * `FeeParamsKeeper` (MIN_TX_FEE / MAX_TX_FEE bound every fee), x/customstaking and
 * x/customslashing read permissions and network properties from it, and the app registers
 * every module's `proposals` in `keeper.proposals`.
 */
import { defineModule, type DefinedModule } from '../../runtime/module';
import { govQueryCommand, govTxCommand, upgradeTxCommand } from './cli';
import { govGenesis } from './genesis';
import { GovKeeper, type GovKeeperDeps } from './keeper';
import { govMsgRoutes } from './msgServer';
import { govProposals } from './proposals';
import { govQueryRoutes } from './queryServer';
import { MODULE_NAME, STORE_KEY } from './types/keys';

export function govModule(deps: GovKeeperDeps): DefinedModule<GovKeeper> {
  const keeper = new GovKeeper(deps);
  return defineModule({
    name: MODULE_NAME,
    storeKeys: [STORE_KEY],
    keeper,
    msgs: govMsgRoutes(keeper),
    queries: govQueryRoutes(keeper),
    genesis: govGenesis(keeper),
    endBlock: (ctx) => keeper.endBlock(ctx),
    proposals: govProposals(keeper),
    cli: { tx: govTxCommand, query: govQueryCommand, txRoots: [upgradeTxCommand] },
  });
}
