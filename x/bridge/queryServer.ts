/** Queries of x/bridge at /sekai.bridge.v1.Query/<Method>. */
import type { QueryContext } from '../../runtime/context';
import { queryRoute, type MessageCodec, type QueryRoute } from '../../runtime/module';
import {
  QueryActionsRequest,
  QueryActionsResponse,
  QueryChainsRequest,
  QueryChainsResponse,
  QueryConfigRequest,
  QueryConfigResponse,
  QueryEventsRequest,
  QueryEventsResponse,
  QueryHistoryRequest,
  QueryHistoryResponse,
  QueryPendingWithdrawalsRequest,
  QueryPendingWithdrawalsResponse,
  QueryProposalsRequest,
  QueryProposalsResponse,
} from '../../proto/gen/sekai/bridge/v1/query';
import { DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT, type BridgeViewKeeper } from './keeper';
import { ErrInvalidQuery } from './types/errors';

const Q = '/sekai.bridge.v1.Query/';
export const BridgeQueryPaths = {
  config: `${Q}Config`,
  chains: `${Q}Chains`,
  events: `${Q}Events`,
  actions: `${Q}Actions`,
  pendingWithdrawals: `${Q}PendingWithdrawals`,
  proposals: `${Q}Proposals`,
  history: `${Q}History`,
} as const;

function limitOf(limit: number): number {
  if (limit > MAX_QUERY_LIMIT) throw ErrInvalidQuery.wrap(`limit ${limit} is above ${MAX_QUERY_LIMIT}`);
  return limit === 0 ? DEFAULT_QUERY_LIMIT : limit;
}

export function bridgeQueries(k: BridgeViewKeeper): QueryRoute[] {
  /** A query about one chain: an unknown chain is refused before `handle` runs. */
  const perChain = <Q extends { chain: string }, S>(path: string, requestCodec: MessageCodec<Q>, responseCodec: MessageCodec<S>, handle: (ctx: QueryContext, req: Q) => S) =>
    queryRoute({
      path,
      requestCodec,
      responseCodec,
      handle: (ctx, req: Q) => {
        k.chain(ctx, req.chain);
        return handle(ctx, req);
      },
    }) as QueryRoute;
  return [
    queryRoute({
      path: BridgeQueryPaths.config,
      requestCodec: QueryConfigRequest,
      responseCodec: QueryConfigResponse,
      handle: (ctx) => ({ validatorSet: k.validatorSet(ctx), historyLength: k.historyLength(ctx), nextProposalId: k.nextProposalId(ctx) }),
    }) as QueryRoute,
    queryRoute({
      path: BridgeQueryPaths.chains,
      requestCodec: QueryChainsRequest,
      responseCodec: QueryChainsResponse,
      handle: (ctx) => ({ chains: k.chains(ctx) }),
    }) as QueryRoute,
    perChain(BridgeQueryPaths.events, QueryEventsRequest, QueryEventsResponse, (ctx, req) => ({
      events: k.events(ctx, req.chain, req.startId, limitOf(req.limit)),
      reverted: k.revertedEvents(ctx, req.chain),
    })),
    perChain(BridgeQueryPaths.actions, QueryActionsRequest, QueryActionsResponse, (ctx, req) => ({
      actions: k.actions(ctx, req.chain, req.startId, limitOf(req.limit)),
      overrides: k.overrides(ctx, req.chain),
    })),
    perChain(BridgeQueryPaths.pendingWithdrawals, QueryPendingWithdrawalsRequest, QueryPendingWithdrawalsResponse, (ctx, req) => ({
      withdrawals: k.pendingWithdrawals(ctx, req.chain),
    })),
    queryRoute({
      path: BridgeQueryPaths.proposals,
      requestCodec: QueryProposalsRequest,
      responseCodec: QueryProposalsResponse,
      handle: (ctx) => ({ proposals: k.proposals(ctx) }),
    }) as QueryRoute,
    queryRoute({
      path: BridgeQueryPaths.history,
      requestCodec: QueryHistoryRequest,
      responseCodec: QueryHistoryResponse,
      handle: (ctx) => ({ entries: k.history(ctx) }),
    }) as QueryRoute,
  ];
}
