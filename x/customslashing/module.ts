/**
 * x/customslashing's public face: KIRA's ranks from each block's votes, double-sign jail,
 * and the operator's pause / unpause / activate. It changes statuses only through
 * x/customstaking, whose end-block hook sends the resulting power changes.
 */
import type { AppModule } from '../../runtime/module';
import { slashingQueryCommand, slashingTxCommand } from './cli';
import { slashingGenesis } from './genesis';
import { SlashingKeeper, type SlashingKeeperDeps } from './keeper';
import { slashingMsgRoutes } from './msgServer';
import { slashingQueryRoutes } from './queryServer';
import { SLASHING_STORE_KEY } from './types/keys';

export const SLASHING_MODULE = 'customslashing';

export interface SlashingModule extends AppModule {
  readonly keeper: SlashingKeeper;
}

export function createSlashingModule(deps: SlashingKeeperDeps): SlashingModule {
  const keeper = new SlashingKeeper(deps);
  return {
    name: SLASHING_MODULE,
    storeKeys: [SLASHING_STORE_KEY],
    keeper,
    msgs: slashingMsgRoutes(keeper),
    queries: slashingQueryRoutes(keeper),
    genesis: slashingGenesis(keeper),
    beginBlock: (ctx) => keeper.beginBlock(ctx),
    cli: {
      tx: slashingTxCommand,
      query: slashingQueryCommand,
    },
  };
}
