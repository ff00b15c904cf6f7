/**
 * x/customstaking's public face: the curated validator set with equal voting power,
 * two-step commission and jail. Its end-block hook is the only source of validator
 * updates, and it executes the unjail proposal. Wire it with `stakingModule(deps)`; hand
 * its keeper to x/customslashing.
 */
import { defineModule, type DefinedModule, type Invariant } from '../../runtime/module';
import { addressToBech32 } from '../../crypto/address';
import { stakingTxCommand, stakingQueryCommand } from './cli';
import { stakingGenesis } from './genesis';
import { StakingKeeper, consensusPower, type StakingKeeperDeps } from './keeper';
import { stakingMsgRoutes } from './msgServer';
import { unjailValidatorProposal } from './proposals';
import { stakingQueryRoutes } from './queryServer';
import { MODULE_NAME, STAKING_STORE_KEY, State } from './types/keys';

function invariants(keeper: StakingKeeper): Invariant[] {
  return [
    {
      name: 'nonnegative-rank',
      check(ctx) {
        let bad: string | undefined;
        keeper.forEachValidator(ctx, (v) => {
          if (v.rank < 0n || v.streak < 0n) bad = `${addressToBech32('validator', v.valKey)} has rank ${v.rank}, streak ${v.streak}`;
          return bad === undefined;
        });
        return bad;
      },
    },
    {
      // Outside a block, CometBFT's power for a validator equals its status's power unless
      // a change is queued for the end-block hook.
      name: 'power-follows-status',
      check(ctx) {
        const queued = new Set<string>();
        for (const valKey of State.powerChanges.keys(ctx)) queued.add(Buffer.from(valKey).toString('hex'));
        let bad: string | undefined;
        keeper.forEachValidator(ctx, (v) => {
          if (consensusPower(v) !== v.power && !queued.has(Buffer.from(v.valKey).toString('hex'))) {
            bad = `${addressToBech32('validator', v.valKey)} has power ${v.power} with status ${v.status} and no queued change`;
          }
          return bad === undefined;
        });
        return bad;
      },
    },
  ];
}

export function stakingModule(deps: StakingKeeperDeps): DefinedModule<StakingKeeper> {
  const keeper = new StakingKeeper(deps);
  return defineModule({
    name: MODULE_NAME,
    storeKeys: [STAKING_STORE_KEY],
    keeper,
    msgs: stakingMsgRoutes(keeper),
    queries: stakingQueryRoutes(keeper),
    genesis: stakingGenesis(keeper),
    endBlock: (ctx) => ({ validatorUpdates: keeper.endBlock(ctx) }),
    invariants: invariants(keeper),
    proposals: [unjailValidatorProposal(keeper)],
    cli: { tx: stakingTxCommand, query: stakingQueryCommand },
  });
}
