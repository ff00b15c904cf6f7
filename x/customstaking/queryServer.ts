/** Query routes of x/customstaking, at /sekai.staking.v1.Query/<Method>. */
import { notFound } from '../../runtime/errors';
import { queryRoute, type QueryRoute } from '../../runtime/module';
import { addressFromBech32 } from '../../crypto/address';
import {
  QueryValidatorRequest,
  QueryValidatorResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
} from '../../proto/gen/sekai/staking/v1/query';
import { Validator, ValidatorStatus, validatorStatusFromJSON } from '../../proto/gen/sekai/staking/v1/staking';
import { parseValAddress, type StakingKeeper } from './keeper';
import { ErrInvalidQuery } from './types/errors';
import type { StoreReader } from './types/expectedKeepers';

export const QueryPaths = {
  validator: '/sekai.staking.v1.Query/Validator',
  validators: '/sekai.staking.v1.Query/Validators',
} as const;


/** The validator a query names by exactly one of --addr, --val-addr, --moniker, --cons-addr. */
export function findValidator(keeper: StakingKeeper, ctx: StoreReader, req: QueryValidatorRequest): Validator {
  const given = [req.addr, req.valAddr, req.moniker, req.consAddr].filter((s) => s !== '').length;
  if (given !== 1) throw ErrInvalidQuery.wrap('name the validator by exactly one of --addr, --val-addr, --moniker, --cons-addr');
  let v: Validator | undefined;
  if (req.valAddr !== '') v = keeper.validator(ctx, parseValAddress(req.valAddr));
  else if (req.moniker !== '') v = keeper.validatorByMoniker(ctx, req.moniker);
  else if (req.consAddr !== '') v = keeper.validatorByConsAddr(ctx, addressFromBech32('consensus', req.consAddr));
  else {
    v = keeper.validatorByAccountRef(ctx, req.addr);
    // An address x/accountid does not know may still be an operator's (same 20 bytes).
    if (!v && req.addr.startsWith('kira1')) v = keeper.validator(ctx, addressFromBech32('account', req.addr));
  }
  if (!v) throw notFound(`validator ${req.addr || req.valAddr || req.moniker || req.consAddr}`);
  return v;
}

export function stakingQueryRoutes(keeper: StakingKeeper): QueryRoute[] {
  return [
    queryRoute({
      path: QueryPaths.validator,
      requestCodec: QueryValidatorRequest,
      responseCodec: QueryValidatorResponse,
      handle: (ctx, req) => ({ validator: findValidator(keeper, ctx, req) }),
    }),
    queryRoute({
      path: QueryPaths.validators,
      requestCodec: QueryValidatorsRequest,
      responseCodec: QueryValidatorsResponse,
      handle(ctx, req) {
        let status: ValidatorStatus | undefined;
        if (req.status !== '') {
          status = validatorStatusFromJSON(req.status.toUpperCase());
          if (status === ValidatorStatus.UNRECOGNIZED || status === ValidatorStatus.UNDEFINED) {
            throw ErrInvalidQuery.wrap(`--status must be ACTIVE, INACTIVE, PAUSED or JAILED, got ${JSON.stringify(req.status)}`);
          }
        }
        const { items, pagination } = keeper.validatorsPage(ctx, req.pagination, status);
        return { validators: items, pagination, actors: keeper.seatClaimants(ctx) };
      },
    }),
  ];
}
