/** Query routes at /sekai.gov.v1.Query/<Method>. */
import { notFound } from '../../runtime/errors';
import { queryRoute, type QueryRoute } from '../../runtime/module';
import { VoteResult } from '../../proto/gen/sekai/gov/v1/gov';
import {
  QueryCouncilorsRequest,
  QueryCouncilorsResponse,
  QueryNetworkPropertiesRequest,
  QueryNetworkPropertiesResponse,
  QueryPermissionsRequest,
  QueryPermissionsResponse,
  QueryProposalRequest,
  QueryProposalResponse,
  QueryProposalsRequest,
  QueryProposalsResponse,
  QueryRoleRequest,
  QueryRoleResponse,
  QueryRolesRequest,
  QueryRolesResponse,
  QueryVotesRequest,
  QueryVotesResponse,
} from '../../proto/gen/sekai/gov/v1/query';
import type { GovKeeper } from './keeper';

const path = (m: string) => `/sekai.gov.v1.Query/${m}`;

export function govQueryRoutes(k: GovKeeper): QueryRoute[] {
  return [
    queryRoute({
      path: path('Permissions'),
      requestCodec: QueryPermissionsRequest,
      responseCodec: QueryPermissionsResponse,
      handle: (ctx, req) => {
        const id = k.accountOf(ctx, req.address);
        return { actor: k.getActor(ctx, id), address: k.accounts.addressOf(ctx, id) };
      },
    }),
    queryRoute({ path: path('Roles'), requestCodec: QueryRolesRequest, responseCodec: QueryRolesResponse, handle: (ctx) => ({ roles: k.roles(ctx) }) }),
    queryRoute({
      path: path('Role'),
      requestCodec: QueryRoleRequest,
      responseCodec: QueryRoleResponse,
      handle: (ctx, req) => ({ role: k.roleByIdentifier(ctx, req.identifier) }),
    }),
    queryRoute({
      path: path('NetworkProperties'),
      requestCodec: QueryNetworkPropertiesRequest,
      responseCodec: QueryNetworkPropertiesResponse,
      handle: (ctx) => ({ properties: k.properties(ctx) }),
    }),
    queryRoute({
      path: path('Proposals'),
      requestCodec: QueryProposalsRequest,
      responseCodec: QueryProposalsResponse,
      handle: (ctx, req) => {
        const voter = req.voter === '' ? undefined : k.accountOf(ctx, req.voter);
        const proposals = k
          .proposalsList(ctx)
          .filter((p) => req.result === VoteResult.VOTE_RESULT_UNKNOWN || p.result === req.result)
          .filter((p) => voter === undefined || k.votes(ctx, p.proposalId).some((v) => v.voter === voter));
        return { proposals };
      },
    }),
    queryRoute({
      path: path('Proposal'),
      requestCodec: QueryProposalRequest,
      responseCodec: QueryProposalResponse,
      handle: (ctx, req) => {
        const proposal = k.getProposal(ctx, req.proposalId);
        if (!proposal) throw notFound(`proposal ${req.proposalId}`);
        return { proposal, votes: k.votes(ctx, req.proposalId) };
      },
    }),
    queryRoute({
      path: path('Votes'),
      requestCodec: QueryVotesRequest,
      responseCodec: QueryVotesResponse,
      handle: (ctx, req) => ({ votes: k.votes(ctx, req.proposalId) }),
    }),
    queryRoute({
      path: path('Councilors'),
      requestCodec: QueryCouncilorsRequest,
      responseCodec: QueryCouncilorsResponse,
      handle: (ctx) => ({ councilors: k.councilors(ctx) }),
    }),
  ];
}
