/**
 * The REST (LCD) routes: the Cosmos SDK's grpc-gateway paths (the `google.api.http` rules of
 * its protos) for the query services the app serves, and the tx and tendermint services the
 * node serves from its CometBFT RPC.
 */
import {
  AddressStringToBytesRequest,
  AddressStringToBytesResponse,
  Bech32PrefixRequest,
  Bech32PrefixResponse,
  QueryAccountAddressByIDRequest,
  QueryAccountAddressByIDResponse,
  QueryAccountInfoRequest,
  QueryAccountInfoResponse,
  QueryAccountRequest,
  QueryAccountResponse,
  QueryAccountsRequest,
  QueryAccountsResponse,
  QueryParamsRequest as AuthParamsRequest,
  QueryParamsResponse as AuthParamsResponse,
} from 'cosmjs-types/cosmos/auth/v1beta1/query';
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryDenomMetadataRequest,
  QueryDenomMetadataResponse,
  QueryDenomsMetadataRequest,
  QueryDenomsMetadataResponse,
  QueryParamsRequest as BankParamsRequest,
  QueryParamsResponse as BankParamsResponse,
  QuerySpendableBalanceByDenomRequest,
  QuerySpendableBalanceByDenomResponse,
  QuerySpendableBalancesRequest,
  QuerySpendableBalancesResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import {
  ListAllInterfacesRequest,
  ListAllInterfacesResponse,
  ListImplementationsRequest,
  ListImplementationsResponse,
} from 'cosmjs-types/cosmos/base/reflection/v1beta1/reflection';
import {
  QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse,
  QueryDelegatorWithdrawAddressRequest,
  QueryDelegatorWithdrawAddressResponse,
} from 'cosmjs-types/cosmos/distribution/v1beta1/query';
import type { MessageType } from '../../client/registry';

/** A gRPC query method served over REST: `pattern` segments `{field}` fill request fields. */
export interface QueryRoute {
  method: 'GET' | 'POST';
  pattern: string;
  grpcPath: string;
  request: MessageType;
  response: MessageType;
}

const q = (pattern: string, grpcPath: string, request: unknown, response: unknown): QueryRoute => ({
  method: 'GET',
  pattern,
  grpcPath,
  request: request as MessageType,
  response: response as MessageType,
});

/** The Cosmos SDK's gateway paths of the auth, bank, distribution (rewards) and v1beta1 reflection queries the app serves. */
export const COSMOS_QUERY_ROUTES: QueryRoute[] = [
  q('/cosmos/auth/v1beta1/params', '/cosmos.auth.v1beta1.Query/Params', AuthParamsRequest, AuthParamsResponse),
  q('/cosmos/auth/v1beta1/accounts', '/cosmos.auth.v1beta1.Query/Accounts', QueryAccountsRequest, QueryAccountsResponse),
  q('/cosmos/auth/v1beta1/bech32', '/cosmos.auth.v1beta1.Query/Bech32Prefix', Bech32PrefixRequest, Bech32PrefixResponse),
  // The SDK's gateway registers AddressBytesToString and AddressStringToBytes on this one
  // pattern; the later registration (string → bytes) is the one that answers.
  q('/cosmos/auth/v1beta1/bech32/{address_string}', '/cosmos.auth.v1beta1.Query/AddressStringToBytes', AddressStringToBytesRequest, AddressStringToBytesResponse),
  q('/cosmos/bank/v1beta1/params', '/cosmos.bank.v1beta1.Query/Params', BankParamsRequest, BankParamsResponse),
  q('/cosmos/auth/v1beta1/accounts/{address}', '/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest, QueryAccountResponse),
  q('/cosmos/auth/v1beta1/account_info/{address}', '/cosmos.auth.v1beta1.Query/AccountInfo', QueryAccountInfoRequest, QueryAccountInfoResponse),
  q('/cosmos/auth/v1beta1/address_by_id/{id}', '/cosmos.auth.v1beta1.Query/AccountAddressByID', QueryAccountAddressByIDRequest, QueryAccountAddressByIDResponse),
  q('/cosmos/bank/v1beta1/balances/{address}', '/cosmos.bank.v1beta1.Query/AllBalances', QueryAllBalancesRequest, QueryAllBalancesResponse),
  q('/cosmos/bank/v1beta1/balances/{address}/by_denom', '/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest, QueryBalanceResponse),
  q('/cosmos/bank/v1beta1/spendable_balances/{address}', '/cosmos.bank.v1beta1.Query/SpendableBalances', QuerySpendableBalancesRequest, QuerySpendableBalancesResponse),
  q(
    '/cosmos/bank/v1beta1/spendable_balances/{address}/by_denom',
    '/cosmos.bank.v1beta1.Query/SpendableBalanceByDenom',
    QuerySpendableBalanceByDenomRequest,
    QuerySpendableBalanceByDenomResponse,
  ),
  q('/cosmos/bank/v1beta1/supply', '/cosmos.bank.v1beta1.Query/TotalSupply', QueryTotalSupplyRequest, QueryTotalSupplyResponse),
  q('/cosmos/bank/v1beta1/supply/by_denom', '/cosmos.bank.v1beta1.Query/SupplyOf', QuerySupplyOfRequest, QuerySupplyOfResponse),
  q('/cosmos/bank/v1beta1/denoms_metadata', '/cosmos.bank.v1beta1.Query/DenomsMetadata', QueryDenomsMetadataRequest, QueryDenomsMetadataResponse),
  q('/cosmos/bank/v1beta1/denoms_metadata/{denom}', '/cosmos.bank.v1beta1.Query/DenomMetadata', QueryDenomMetadataRequest, QueryDenomMetadataResponse),
  q(
    '/cosmos/distribution/v1beta1/delegators/{delegator_address}/rewards',
    '/cosmos.distribution.v1beta1.Query/DelegationTotalRewards',
    QueryDelegationTotalRewardsRequest,
    QueryDelegationTotalRewardsResponse,
  ),
  q(
    '/cosmos/distribution/v1beta1/delegators/{delegator_address}/withdraw_address',
    '/cosmos.distribution.v1beta1.Query/DelegatorWithdrawAddress',
    QueryDelegatorWithdrawAddressRequest,
    QueryDelegatorWithdrawAddressResponse,
  ),
  q('/cosmos/base/reflection/v1beta1/interfaces', '/cosmos.base.reflection.v1beta1.ReflectionService/ListAllInterfaces', ListAllInterfacesRequest, ListAllInterfacesResponse),
  q(
    '/cosmos/base/reflection/v1beta1/interfaces/{interface_name}/implementations',
    '/cosmos.base.reflection.v1beta1.ReflectionService/ListImplementations',
    ListImplementationsRequest,
    ListImplementationsResponse,
  ),
];

/** Matches `path` against a pattern; the captured fields, or undefined. */
export function matchPattern(pattern: string, path: string): [string, string][] | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const fields: [string, string][] = [];
  for (let i = 0; i < want.length; i++) {
    const m = /^\{([a-z_.]+)\}$/.exec(want[i]);
    if (m) {
      if (got[i] === '') return undefined;
      let v: string;
      try {
        v = decodeURIComponent(got[i]);
      } catch {
        return undefined;
      }
      fields.push([m[1], v]);
    } else if (want[i] !== got[i]) return undefined;
  }
  return fields;
}
