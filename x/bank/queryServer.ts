/**
 * Cosmos bank queries (`/cosmos.bank.v1beta1.Query/*`) over AccountID balances. The
 * `address` field accepts any account reference; an address that names no account has
 * zero balances (Balance always answers a Coin, as cosmjs asserts); any other reference that
 * names nothing is an invalid address (sdk code 7, InvalidArgument).
 *
 * Coin lists are paged by denom over the store (runtime/schema paginate): pagination.key is
 * the first denom of the next page; offset and reverse follow the Cosmos rules.
 */
import type { Coin as WireCoin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import type { PageRequest, PageResponse } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryDenomMetadataRequest,
  QueryDenomMetadataResponse,
  QueryDenomsMetadataRequest,
  QueryDenomsMetadataResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QuerySpendableBalanceByDenomRequest,
  QuerySpendableBalanceByDenomResponse,
  QuerySpendableBalancesRequest,
  QuerySpendableBalancesResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import type { QueryContext } from '../../runtime/context';
import { ErrInvalidAddress, notFound } from '../../runtime/errors';
import { queryRoute, type QueryRoute } from '../../runtime/module';
import { validateDenom } from '../../types/coins';
import { parseRef } from '../accountid';
import type { BankKeeperImpl } from './keeper';

/**
 * The account a balance query names. A valid address that no account holds yet has zero
 * balances (as in the Cosmos SDK); an id, name or wallet that names nothing is the caller's
 * mistake (a keyring name passed for an address), so it is an invalid address, not zero.
 */
function accountOf(k: BankKeeperImpl, ctx: QueryContext, ref: string): bigint | undefined {
  const id = k.accounts.tryResolve(ctx, ref);
  if (id === undefined && parseRef(ref).kind !== 'address') {
    throw ErrInvalidAddress.wrap(`${JSON.stringify(ref)} is not a kira address and names no account (id, name or wallet)`);
  }
  return id;
}

/** One page of an account's balances; an unknown address has none. */
function balancesPage(k: BankKeeperImpl, ctx: QueryContext, ref: string, page?: PageRequest): { balances: WireCoin[]; pagination: PageResponse } {
  const id = accountOf(k, ctx, ref);
  if (id === undefined) return { balances: [], pagination: { nextKey: new Uint8Array(), total: 0n } };
  const { items, pagination } = k.balancesPage(ctx, id, page);
  return { balances: items, pagination };
}

export function bankQueries(k: BankKeeperImpl): QueryRoute[] {
  const balance = (ctx: QueryContext, ref: string, denom: string): WireCoin => {
    validateDenom(denom);
    const id = accountOf(k, ctx, ref);
    return { denom, amount: (id === undefined ? 0n : k.balance(ctx, id, denom)).toString() };
  };
  return [
    // Every denom can be sent; there are no per-denom switches.
    queryRoute({
      path: '/cosmos.bank.v1beta1.Query/Params',
      requestCodec: QueryParamsRequest,
      responseCodec: QueryParamsResponse,
      handle: () => ({ params: { sendEnabled: [], defaultSendEnabled: true } }),
    }),
    queryRoute({
      path: '/cosmos.bank.v1beta1.Query/Balance',
      requestCodec: QueryBalanceRequest,
      responseCodec: QueryBalanceResponse,
      handle: (ctx, req) => ({ balance: balance(ctx, req.address, req.denom) }),
    }),
    queryRoute({
      path: '/cosmos.bank.v1beta1.Query/AllBalances',
      requestCodec: QueryAllBalancesRequest,
      responseCodec: QueryAllBalancesResponse,
      handle: (ctx, req) => balancesPage(k, ctx, req.address, req.pagination),
    }),
    // Nothing is locked (no vesting), so spendable equals the balance.
    queryRoute({
      path: '/cosmos.bank.v1beta1.Query/SpendableBalances',
      requestCodec: QuerySpendableBalancesRequest,
      responseCodec: QuerySpendableBalancesResponse,
      handle: (ctx, req) => balancesPage(k, ctx, req.address, req.pagination),
    }),
    queryRoute({
      path: '/cosmos.bank.v1beta1.Query/SpendableBalanceByDenom',
      requestCodec: QuerySpendableBalanceByDenomRequest,
      responseCodec: QuerySpendableBalanceByDenomResponse,
      handle: (ctx, req) => ({ balance: balance(ctx, req.address, req.denom) }),
    }),
    queryRoute({
      path: '/cosmos.bank.v1beta1.Query/TotalSupply',
      requestCodec: QueryTotalSupplyRequest,
      responseCodec: QueryTotalSupplyResponse,
      handle: (ctx, req) => {
        const { items, pagination } = k.supplyPage(ctx, req.pagination);
        return { supply: items, pagination };
      },
    }),
    queryRoute({
      path: '/cosmos.bank.v1beta1.Query/SupplyOf',
      requestCodec: QuerySupplyOfRequest,
      responseCodec: QuerySupplyOfResponse,
      handle: (ctx, req) => {
        validateDenom(req.denom);
        return { amount: { denom: req.denom, amount: k.supplyOf(ctx, req.denom).toString() } };
      },
    }),
    queryRoute({
      path: '/cosmos.bank.v1beta1.Query/DenomMetadata',
      requestCodec: QueryDenomMetadataRequest,
      responseCodec: QueryDenomMetadataResponse,
      handle: (ctx, req) => {
        validateDenom(req.denom);
        const md = k.metadata(ctx, req.denom);
        if (!md) throw notFound(`client metadata for denom ${req.denom}`);
        return { metadata: md };
      },
    }),
    queryRoute({
      path: '/cosmos.bank.v1beta1.Query/DenomsMetadata',
      requestCodec: QueryDenomsMetadataRequest,
      responseCodec: QueryDenomsMetadataResponse,
      handle: (ctx, req) => {
        const { items, pagination } = k.metadataPage(ctx, req.pagination);
        return { metadatas: items, pagination };
      },
    }),
  ];
}
