/**
 * x/customslashing's public face: KIRA's ranks from each block's votes, double-sign jail,
 * the operator's pause / unpause / activate and the reset-whole-validator-rank proposal.
 * It changes statuses only through x/customstaking, whose end-block hook sends the
 * resulting power changes.
 */
import { defineModule, type DefinedModule } from '../../runtime/module';
import { slashingQueryCommand, slashingTxCommand } from './cli';
import { slashingGenesis } from './genesis';
import { SlashingKeeper, type SlashingKeeperDeps } from './keeper';
import { slashingMsgRoutes } from './msgServer';
import { resetWholeValidatorRankProposal } from './proposals';
import { slashingQueryRoutes } from './queryServer';
import { MODULE_NAME, SLASHING_STORE_KEY } from './types/keys';

export function slashingModule(deps: SlashingKeeperDeps): DefinedModule<SlashingKeeper> {
  const keeper = new SlashingKeeper(deps);
  return defineModule({
    name: MODULE_NAME,
    storeKeys: [SLASHING_STORE_KEY],
    keeper,
    msgs: slashingMsgRoutes(keeper),
    queries: slashingQueryRoutes(keeper),
    genesis: slashingGenesis(keeper),
    beginBlock: (ctx) => keeper.beginBlock(ctx),
    proposals: [resetWholeValidatorRankProposal(keeper)],
    cli: { tx: slashingTxCommand, query: slashingQueryCommand },
  });
}
