/** Query routes of x/customslashing, at /sekai.slashing.v1.Query/<Method>. */
import { notFound } from '../../runtime/errors';
import { queryRoute, type QueryRoute } from '../../runtime/module';
import { addressFromBech32 } from '../../crypto/address';
import {
  QuerySigningInfoRequest,
  QuerySigningInfoResponse,
  QuerySigningInfosRequest,
  QuerySigningInfosResponse,
} from '../../proto/gen/sekai/slashing/v1/query';
import { paginateList } from '../../runtime/schema';
import { VALIDATOR_PAGE_LIMITS } from '../customstaking';
import type { SlashingKeeper } from './keeper';
import { ErrInvalidConsAddress } from './types/errors';

export const QueryPaths = {
  signingInfo: '/sekai.slashing.v1.Query/SigningInfo',
  signingInfos: '/sekai.slashing.v1.Query/SigningInfos',
} as const;

export function slashingQueryRoutes(keeper: SlashingKeeper): QueryRoute[] {
  return [
    queryRoute({
      path: QueryPaths.signingInfo,
      requestCodec: QuerySigningInfoRequest,
      responseCodec: QuerySigningInfoResponse,
      handle(ctx, req) {
        let consAddr: Uint8Array;
        try {
          consAddr = addressFromBech32('consensus', req.consAddress);
        } catch (err) {
          throw ErrInvalidConsAddress.wrap(`${JSON.stringify(req.consAddress)}: ${(err as Error).message}`);
        }
        const info = keeper.signingInfo(ctx, consAddr);
        if (!info) throw notFound(`signing info of ${req.consAddress}`);
        return { info };
      },
    }),
    queryRoute({
      path: QueryPaths.signingInfos,
      requestCodec: QuerySigningInfosRequest,
      responseCodec: QuerySigningInfosResponse,
      handle(ctx, req) {
        const { items, pagination } = paginateList(keeper.signingInfos(ctx), (i) => i.address, req.pagination, VALIDATOR_PAGE_LIMITS);
        return { infos: items, pagination };
      },
    }),
  ];
}
