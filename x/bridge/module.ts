/**
 * x/bridge: a Kolme-style bridge between sekai-ts and external chains. Listeners attest
 * contract events in strict order; approvers and the processor sign outgoing actions;
 * admin changes need two of the three groups.
 */
import type { AppModule } from '../../runtime/module';
import { bridgeQueryCommand, bridgeTxCommand } from './cli';
import { bridgeGenesis } from './genesis';
import type { BridgeKeeper } from './keeper';
import { bridgeMsgs, bridgeTxRules } from './msgServer';
import { bridgeQueries } from './queryServer';
import { MODULE_NAME, STORE_KEY } from './types/keys';

export function bridgeModule(k: BridgeKeeper): AppModule {
  return {
    name: MODULE_NAME,
    storeKeys: [STORE_KEY],
    msgs: bridgeMsgs(k),
    queries: bridgeQueries(k),
    genesis: bridgeGenesis(k),
    txRules: bridgeTxRules(k),
    invariants: [{ name: 'counters', check: (ctx) => k.checkCounters(ctx) }],
    cli: { tx: bridgeTxCommand, query: bridgeQueryCommand },
  };
}
