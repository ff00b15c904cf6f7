/**
 * Queries of x/multistaking (`sekai.multistaking.v1.Query`, routed from its generated service
 * definition, so gRPC-web and the REST gateway serve them too), and the two Cosmos distribution queries wallets read (Keplr's
 * staking view): DelegationTotalRewards and DelegatorWithdrawAddress. Cosmos DecCoin
 * amounts travel as the 18-decimal integer (10^18 × ukex), as cosmos-sdk encodes sdk.Dec.
 */
import { queryRoute, type QueryRoute } from '../../runtime/module';
import type { QueryContext } from '../../runtime/context';
import { addressToBech32 } from '../../crypto/address';
import {
  QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse,
  QueryDelegatorWithdrawAddressRequest,
  QueryDelegatorWithdrawAddressResponse,
} from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import { QueryDefinition, type QueryRewardsResponse, type QueryVaultsResponse } from '../../proto/gen/sekai/multistaking/v1/query';
import { methodPath, serviceQueries } from '../../runtime/descriptors';
import { paginate } from '../../runtime/schema';
import { parseValAddress, type MultistakingKeeper } from './keeper';
import { ErrNotActive, ErrUnknownAccount } from './types/errors';
import type { ValidatorSource } from './types/expectedKeepers';
import { Vaults } from './types/keys';
import { DELEGATION_DENOM, REWARD_SCALE } from './types/params';

/** The ABCI query (and gRPC-web) path of each query, from the generated service definition. */
export const QueryPaths = {
  vault: methodPath(QueryDefinition, 'vault'),
  vaults: methodPath(QueryDefinition, 'vaults'),
  delegations: methodPath(QueryDefinition, 'delegations'),
  rewards: methodPath(QueryDefinition, 'rewards'),
  pool: methodPath(QueryDefinition, 'pool'),
  delegationTotalRewards: '/cosmos.distribution.v1beta1.Query/DelegationTotalRewards',
  delegatorWithdrawAddress: '/cosmos.distribution.v1beta1.Query/DelegatorWithdrawAddress',
} as const;

export interface QueryDeps {
  keeper: MultistakingKeeper;
  validators: ValidatorSource;
  accounts: { tryResolve(ctx: QueryContext, ref: string): bigint | undefined; addressOf(ctx: QueryContext, id: bigint): string };
  isActive(height: number): boolean;
}

/** What each of a delegator's delegations can claim, and the commission it may claim as a withdraw account. */
export function rewardsOf(d: QueryDeps, ctx: QueryContext, delegator: string): QueryRewardsResponse {
  if (!d.isActive(ctx.height)) return { rewards: [], total: '0', commission: [] };
  const id = d.accounts.tryResolve(ctx, delegator);
  if (id === undefined) throw ErrUnknownAccount.wrap(delegator);
  const rewards = d.keeper.delegationsOf(ctx, id).map((x) => ({ valKey: addressToBech32('validator', x.valKey), amount: d.keeper.claimable(ctx, x).toString() }));
  const total = rewards.reduce((s, r) => s + BigInt(r.amount), 0n);
  const commission = [];
  for (const v of d.keeper.vaults(ctx)) {
    if (v.commission === '') continue;
    const val = d.validators.validator(ctx, v.valKey);
    if (val && d.keeper.commissionAccount(ctx, val) === id) commission.push({ valKey: addressToBech32('validator', v.valKey), amount: v.commission });
  }
  return { rewards, total: total.toString(), commission };
}

const decCoin = (ukex: bigint) => ({ denom: DELEGATION_DENOM, amount: (ukex * REWARD_SCALE).toString() });

export function multistakingQueryRoutes(d: QueryDeps): QueryRoute[] {
  const active = (ctx: QueryContext): void => {
    if (!d.isActive(ctx.height)) throw ErrNotActive.wrap(`height ${ctx.height} is before the "multistaking" upgrade`);
  };
  return [
    ...serviceQueries(QueryDefinition, {
      vault(ctx, req) {
        active(ctx);
        return { vault: d.keeper.vault(ctx, parseValAddress(req.valKey)) };
      },
      vaults(ctx, req) {
        active(ctx);
        const page = paginate(ctx, Vaults, req.pagination, { map: (_k, v) => v });
        return { vaults: page.items, pagination: page.pagination as QueryVaultsResponse['pagination'] };
      },
      delegations(ctx, req) {
        active(ctx);
        const id = d.accounts.tryResolve(ctx, req.delegator);
        if (id === undefined) throw ErrUnknownAccount.wrap(req.delegator);
        const period = d.keeper.properties(ctx).minDelegationPeriod;
        return {
          delegations: d.keeper.delegationsOf(ctx, id).map((x) => ({
            delegation: x,
            valKey: addressToBech32('validator', x.valKey),
            amount: d.keeper.delegatedAmount(ctx, x).toString(),
            rewards: d.keeper.claimable(ctx, x).toString(),
            undelegatableAfter: x.lastDelegatedAt + period,
          })),
        };
      },
      rewards: (ctx, req) => rewardsOf(d, ctx, req.delegator),
      pool: (ctx) => (d.isActive(ctx.height) ? { pool: d.keeper.pool(ctx), active: true } : { pool: undefined, active: false }),
    }),
    queryRoute({
      path: QueryPaths.delegationTotalRewards,
      requestCodec: QueryDelegationTotalRewardsRequest,
      responseCodec: QueryDelegationTotalRewardsResponse,
      handle(ctx, req) {
        const r = rewardsOf(d, ctx, req.delegatorAddress);
        return {
          rewards: r.rewards.map((x) => ({ validatorAddress: x.valKey, reward: BigInt(x.amount) > 0n ? [decCoin(BigInt(x.amount))] : [] })),
          total: BigInt(r.total) > 0n ? [decCoin(BigInt(r.total))] : [],
        };
      },
    }),
    queryRoute({
      path: QueryPaths.delegatorWithdrawAddress,
      requestCodec: QueryDelegatorWithdrawAddressRequest,
      responseCodec: QueryDelegatorWithdrawAddressResponse,
      // Delegation rewards are always paid to the delegator itself.
      handle(ctx, req) {
        const id = d.accounts.tryResolve(ctx, req.delegatorAddress);
        if (id === undefined) throw ErrUnknownAccount.wrap(req.delegatorAddress);
        return { withdrawAddress: d.accounts.addressOf(ctx, id) };
      },
    }),
  ];
}
