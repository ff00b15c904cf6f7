/**
 * x/multistaking: delegation to validator vaults and on-chain rewards. Its
 * store joins the state at the "multistaking" upgrade (or at genesis on a chain started
 * with it); until then the module touches nothing, so a chain keeps today's AppHash.
 *
 * Wire it with `multistakingModule(deps, activation)`; `activation.from` is set by the
 * app when it opens the state (the height from which the store is mounted).
 */
import { defineModule, type DefinedModule, type Invariant } from '../../runtime/module';
import type { Context } from '../../runtime/context';
import { multistakingTxCommand, multistakingQueryCommand } from './cli';
import { multistakingGenesis } from './genesis';
import { MultistakingKeeper, type MultistakingKeeperDeps } from './keeper';
import { multistakingMsgRoutes } from './msgServer';
import { multistakingQueryRoutes, type QueryDeps } from './queryServer';
import { MultistakingEvents } from './types/events';
import { ActivatedAt, MULTISTAKING_STORE_KEY } from './types/keys';
import { MULTISTAKING_UPGRADE } from './types/params';

export const MULTISTAKING_MODULE = 'multistaking';

/** When the module's store is part of the state. */
export interface StoreActivation {
  /** First height at which the store is mounted; undefined while it is not. */
  from?: number;
  /** Height of a pending "multistaking" upgrade plan (the runtime's plan store), if any. */
  pendingUpgrade?(ctx: Context): number | undefined;
}

export function multistakingModule(
  deps: MultistakingKeeperDeps & { accounts: QueryDeps['accounts'] & MultistakingKeeperDeps['accounts'] },
  activation: StoreActivation = {},
): DefinedModule<MultistakingKeeper> {
  const keeper = new MultistakingKeeper(deps);
  const isActive = (height: number): boolean => activation.from !== undefined && height >= activation.from;
  const books: Invariant = {
    name: 'books',
    check: (ctx) => (isActive(ctx.height) ? keeper.checkBooks(ctx) : undefined),
  };
  return defineModule({
    name: MULTISTAKING_MODULE,
    storeKeys: [MULTISTAKING_STORE_KEY],
    keeper,
    msgs: multistakingMsgRoutes(keeper, (ctx) => isActive(ctx.height)),
    queries: multistakingQueryRoutes({ keeper, validators: deps.validators, accounts: deps.accounts, isActive }),
    genesis: multistakingGenesis(keeper, isActive),
    beginBlock(ctx) {
      if (!isActive(ctx.height)) return;
      if (!ActivatedAt.has(ctx)) {
        ActivatedAt.set(ctx, ctx.height);
        ctx.events.emit(MultistakingEvents.activate, [['height', String(ctx.height)]]);
      }
      keeper.distribute(ctx);
    },
    endBlock(ctx) {
      if (isActive(ctx.height)) return;
      // A node that opened its state before the plan was stored has no store to mount at the
      // upgrade height: it stops before that block, and a restart mounts the store (as a
      // Cosmos node is restarted at an upgrade). Every node that continues agrees on the state.
      const at = activation.pendingUpgrade?.(ctx);
      if (at !== undefined && at === ctx.height + 1 && activation.from !== at) {
        throw new Error(`the "${MULTISTAKING_UPGRADE}" upgrade adds the multistaking store at height ${at}: restart the node so that it mounts the store`);
      }
    },
    invariants: [books],
    cli: { tx: multistakingTxCommand, query: multistakingQueryCommand },
  });
}
