/**
 * Cosmos bank queries (`/cosmos.bank.v1beta1.Query/*`) over AccountID balances. The
 * `address` field accepts any account reference; an address that names no account has
 * zero balances (Balance always answers a Coin, as cosmjs asserts); any other reference that
 * names nothing is an invalid address (sdk code 7, InvalidArgument).
 *
 * Coin lists are paged by denom: pagination.key is the first denom of the next page.
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
import { ErrInvalidAddress, ErrInvalidRequest, notFound } from '../../runtime/errors';
import { queryRoute, type QueryRoute } from '../../runtime/module';
import { Coins, validateDenom } from '../../types/coins';
import { parseRef } from '../accountid';
import type { BankKeeperImpl } from './keeper';

export const DEFAULT_PAGE_LIMIT = 100n;
export const MAX_PAGE_LIMIT = 1000n;

/** One page of a denom-sorted list. */
export function pageByDenom<T>(list: readonly T[], denomOf: (t: T) => string, page?: PageRequest): { items: T[]; pagination: PageResponse } {
  if (page && (page.offset !== 0n || page.reverse)) throw ErrInvalidRequest.wrap('lists are paged forward by key; offset and reverse are not supported');
  const limit = page && page.limit > 0n ? page.limit : DEFAULT_PAGE_LIMIT;
  if (limit > MAX_PAGE_LIMIT) throw ErrInvalidRequest.wrap(`limit ${limit} exceeds ${MAX_PAGE_LIMIT}`);
  const from = page && page.key.length > 0 ? new TextDecoder().decode(page.key) : '';
  const rest = list.filter((t) => denomOf(t) >= from);
  const items = rest.slice(0, Number(limit));
  const next = rest.length > items.length ? new TextEncoder().encode(denomOf(rest[items.length])) : new Uint8Array();
  return { items, pagination: { nextKey: next, total: page?.countTotal ? BigInt(list.length) : 0n } };
}

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

function balancesOf(k: BankKeeperImpl, ctx: QueryContext, ref: string): Coins {
  const id = accountOf(k, ctx, ref);
  return id === undefined ? Coins.empty() : k.allBalances(ctx, id);
}

function coinsPage(coins: Coins, page?: PageRequest): { balances: WireCoin[]; pagination: PageResponse } {
  const { items, pagination } = pageByDenom(coins.toProto(), (c) => c.denom, page);
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
      handle: (ctx, req) => coinsPage(balancesOf(k, ctx, req.address), req.pagination),
    }),
    // Nothing is locked (no vesting), so spendable equals the balance.
    queryRoute({
      path: '/cosmos.bank.v1beta1.Query/SpendableBalances',
      requestCodec: QuerySpendableBalancesRequest,
      responseCodec: QuerySpendableBalancesResponse,
      handle: (ctx, req) => coinsPage(balancesOf(k, ctx, req.address), req.pagination),
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
        const { balances, pagination } = coinsPage(k.totalSupply(ctx), req.pagination);
        return { supply: balances, pagination };
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
        const { items, pagination } = pageByDenom(k.allMetadata(ctx), (m) => m.base, req.pagination);
        return { metadatas: items, pagination };
      },
    }),
  ];
}
