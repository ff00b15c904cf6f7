/** Query routes of x/customstaking, at /sekai.staking.v1.Query/<Method>. */
import { notFound } from '../../runtime/errors';
import { queryRoute, type QueryRoute } from '../../runtime/module';
import { addressFromBech32 } from '../../crypto/address';
import type { PageRequest, PageResponse } from '../../proto/gen/cosmos/base/query/v1beta1/pagination';
import {
  QueryValidatorRequest,
  QueryValidatorResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
} from '../../proto/gen/sekai/staking/v1/query';
import { Validator, ValidatorStatus, validatorStatusFromJSON } from '../../proto/gen/sekai/staking/v1/staking';
import { compareBytes } from '../../types/sorted';
import { parseValAddress, type StakingKeeper } from './keeper';
import { ErrInvalidQuery } from './types/errors';
import type { StoreReader } from './types/expected_keepers';

export const QueryPaths = {
  validator: '/sekai.staking.v1.Query/Validator',
  validators: '/sekai.staking.v1.Query/Validators',
} as const;

/** Default and largest page (a page of records stays well under the 4 MB query response). */
export const DEFAULT_PAGE_LIMIT = 100n;
export const MAX_PAGE_LIMIT = 1000n;

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

/** Pages a key-ordered list by `key` (from next_key) or by offset. */
export function paginate<T>(items: T[], keyOf: (t: T) => Uint8Array, page: PageRequest | undefined): { items: T[]; pagination: PageResponse } {
  const limit = page && page.limit > 0n ? (page.limit > MAX_PAGE_LIMIT ? MAX_PAGE_LIMIT : page.limit) : DEFAULT_PAGE_LIMIT;
  const list = page?.reverse ? items.slice().reverse() : items;
  let start = 0;
  if (page && page.key.length > 0) {
    start = list.findIndex((t) => (page.reverse ? compareBytes(keyOf(t), page.key) <= 0 : compareBytes(keyOf(t), page.key) >= 0));
    if (start < 0) start = list.length;
  } else if (page) start = Number(page.offset > BigInt(list.length) ? BigInt(list.length) : page.offset);
  const slice = list.slice(start, start + Number(limit));
  const next = list[start + Number(limit)];
  return {
    items: slice,
    pagination: { nextKey: next ? Buffer.from(keyOf(next)) : Buffer.alloc(0), total: page?.countTotal ? BigInt(items.length) : 0n },
  };
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
        const all = keeper.validators(ctx).filter((v) => status === undefined || v.status === status);
        const { items, pagination } = paginate(all, (v) => v.valKey, req.pagination);
        return { validators: items, pagination };
      },
    }),
  ];
}
