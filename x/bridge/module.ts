/**
 * x/bridge: a Kolme-style bridge between sekai-ts and external chains. Listeners attest
 * contract events in strict order; approvers and the processor sign outgoing actions;
 * admin changes need two of the three groups.
 */
import { defineModule, type DefinedModule } from '../../runtime/module';
import { bridgeQueryCommand, bridgeTxCommand } from './cli';
import { bridgeGenesis } from './genesis';
import { BridgeKeeper, type BridgeKeeperDeps } from './keeper';
import { bridgeMsgs, bridgeTxRules } from './msgServer';
import { bridgeQueries } from './queryServer';
import { MODULE_ACCOUNT, MODULE_NAME, STORE_KEY } from './types/keys';

export function bridgeModule(deps: BridgeKeeperDeps): DefinedModule<BridgeKeeper> {
  const keeper = new BridgeKeeper(deps);
  return defineModule({
    name: MODULE_NAME,
    storeKeys: [STORE_KEY],
    keeper,
    msgs: bridgeMsgs(keeper),
    queries: bridgeQueries(keeper),
    genesis: bridgeGenesis(keeper),
    txRules: bridgeTxRules(keeper),
    invariants: [{ name: 'counters', check: (ctx) => keeper.checkCounters(ctx) }],
    moduleAccounts: [MODULE_ACCOUNT],
    cli: { tx: bridgeTxCommand, query: bridgeQueryCommand },
  });
}
