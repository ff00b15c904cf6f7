/**
 * x/accountid queries: the Cosmos auth queries wallets call (cosmjs `getAccount`,
 * `getSequence`) and `sekai.accountid.v1.Query`.
 *
 * `/cosmos.auth.v1beta1.Query/Account` accepts any reference, but wallets pass a bech32
 * address; the answer is a BaseAccount (ModuleAccount for module accounts) whose
 * account_number is the AccountID, address the home address and pub_key the first key.
 * A missing account answers `rpc error: code = NotFound …`, which cosmjs reads as null.
 */
import { BaseAccount, ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import {
  AddressBytesToStringRequest,
  AddressBytesToStringResponse,
  AddressStringToBytesRequest,
  AddressStringToBytesResponse,
  Bech32PrefixRequest,
  Bech32PrefixResponse,
  QueryAccountsRequest as CosmosAccountsRequest,
  QueryAccountsResponse as CosmosAccountsResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryAccountAddressByIDRequest,
  QueryAccountAddressByIDResponse,
  QueryAccountInfoRequest,
  QueryAccountInfoResponse,
  QueryAccountRequest,
  QueryAccountResponse,
} from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { QueryContext } from '../../runtime/context';
import type { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import { DEFAULT_ANTE_PARAMS } from '../../runtime/ante';
import { ErrInvalidAddress, ErrInvalidRequest, notFound } from '../../runtime/errors';
import { TxGas } from '../../runtime/gas';
import { queryRoute, type QueryRoute } from '../../runtime/module';
import { accAddressFromSecp256k1, ADDRESS_LENGTH, addressFromBech32, addressToBech32, Bech32Prefix } from '../../crypto/address';
import type { Account, AccountView } from '../../proto/gen/sekai/accountid/v1/account';
import { QueryDefinition } from '../../proto/gen/sekai/accountid/v1/query';
import { serviceQueries } from '../../runtime/descriptors';
import { paginate } from '../../runtime/schema';
import type { AccountIdKeeper } from './keeper';
import { State } from './types/keys';

export function baseAccountOf(a: Account): BaseAccount {
  return BaseAccount.fromPartial({
    address: addressToBech32('account', a.address),
    accountNumber: a.id,
    sequence: a.sequence,
    pubKey: a.pubKeys[0] ? { typeUrl: PubKey.typeUrl, value: PubKey.encode({ key: a.pubKeys[0] }).finish() } : undefined,
  });
}

/** The Any a wallet decodes: BaseAccount, or ModuleAccount for module accounts. */
export function accountAny(a: Account): Any {
  const base = baseAccountOf(a);
  if (a.module !== '') {
    return { typeUrl: ModuleAccount.typeUrl, value: ModuleAccount.encode({ baseAccount: base, name: a.module, permissions: [] }).finish() };
  }
  return { typeUrl: BaseAccount.typeUrl, value: BaseAccount.encode(base).finish() };
}

export function accountView(a: Account): AccountView {
  return {
    id: a.id,
    name: a.name,
    address: addressToBech32('account', a.address),
    pubKeys: a.pubKeys,
    keyAddresses: a.pubKeys.map((k) => addressToBech32('account', accAddressFromSecp256k1(k))),
    wallets: a.wallets,
    sequence: a.sequence,
    module: a.module,
  };
}

function found(k: AccountIdKeeper, ctx: QueryContext, ref: string): Account {
  const id = k.tryResolve(ctx, ref);
  if (id === undefined) throw notFound(`account ${ref}`);
  return k.mustGet(ctx, id);
}

/** One page of accounts in AccountID order; pagination.key is the 8-byte id of the next one. */
function accountsPage<T>(ctx: QueryContext, page: PageRequest | undefined, view: (a: Account) => T) {
  return paginate(ctx, State.accounts, page, { map: (_, a) => view(a) });
}

export function accountIdQueries(k: AccountIdKeeper): QueryRoute[] {
  return [
    queryRoute({
      path: '/cosmos.auth.v1beta1.Query/Account',
      requestCodec: QueryAccountRequest,
      responseCodec: QueryAccountResponse,
      handle: (ctx, req) => ({ account: accountAny(found(k, ctx, req.address)) }),
    }),
    queryRoute({
      path: '/cosmos.auth.v1beta1.Query/AccountInfo',
      requestCodec: QueryAccountInfoRequest,
      responseCodec: QueryAccountInfoResponse,
      handle: (ctx, req) => ({ info: baseAccountOf(found(k, ctx, req.address)) }),
    }),
    queryRoute({
      path: '/cosmos.auth.v1beta1.Query/AccountAddressByID',
      requestCodec: QueryAccountAddressByIDRequest,
      responseCodec: QueryAccountAddressByIDResponse,
      handle: (ctx, req) => {
        const id = req.accountId !== 0n ? req.accountId : req.id;
        if (id < 0n) throw ErrInvalidRequest.wrap(`account id ${id} is negative`);
        const a = k.get(ctx, id);
        if (!a) throw notFound(`account ${id}`);
        return { accountAddress: addressToBech32('account', a.address) };
      },
    }),
    ...serviceQueries(QueryDefinition, {
      account: (ctx, req) => ({ account: accountView(found(k, ctx, req.ref)) }),
      accounts: (ctx, req) => {
        const { items, pagination } = accountsPage(ctx, req.pagination, accountView);
        return { accounts: items, pagination };
      },
    }),
    queryRoute({
      path: '/cosmos.auth.v1beta1.Query/Accounts',
      requestCodec: CosmosAccountsRequest,
      responseCodec: CosmosAccountsResponse,
      handle: (ctx, req) => {
        const { items, pagination } = accountsPage(ctx, req.pagination, accountAny);
        return { accounts: items, pagination };
      },
    }),
    // The ante's limits and the SDK's gas constants it charges (runtime/ante.ts, runtime/gas.ts).
    queryRoute({
      path: '/cosmos.auth.v1beta1.Query/Params',
      requestCodec: QueryParamsRequest,
      responseCodec: QueryParamsResponse,
      handle: () => ({
        params: {
          maxMemoCharacters: BigInt(DEFAULT_ANTE_PARAMS.maxMemoChars),
          txSigLimit: BigInt(DEFAULT_ANTE_PARAMS.txSigLimit),
          txSizeCostPerByte: BigInt(TxGas.txSizeCostPerByte),
          // ed25519 keys cannot sign txs here; the SDK's default is reported for completeness.
          sigVerifyCostEd25519: 590n,
          sigVerifyCostSecp256k1: BigInt(TxGas.sigVerifyCostSecp256k1),
        },
      }),
    }),
    queryRoute({
      path: '/cosmos.auth.v1beta1.Query/Bech32Prefix',
      requestCodec: Bech32PrefixRequest,
      responseCodec: Bech32PrefixResponse,
      handle: () => ({ bech32Prefix: Bech32Prefix.account }),
    }),
    queryRoute({
      path: '/cosmos.auth.v1beta1.Query/AddressBytesToString',
      requestCodec: AddressBytesToStringRequest,
      responseCodec: AddressBytesToStringResponse,
      handle: (_ctx, req) => {
        if (req.addressBytes.length !== ADDRESS_LENGTH) throw ErrInvalidAddress.wrap(`address_bytes must be ${ADDRESS_LENGTH} bytes, got ${req.addressBytes.length}`);
        return { addressString: addressToBech32('account', req.addressBytes) };
      },
    }),
    queryRoute({
      path: '/cosmos.auth.v1beta1.Query/AddressStringToBytes',
      requestCodec: AddressStringToBytesRequest,
      responseCodec: AddressStringToBytesResponse,
      handle: (_ctx, req) => {
        try {
          return { addressBytes: addressFromBech32('account', req.addressString) };
        } catch (err) {
          throw ErrInvalidAddress.wrap(`${JSON.stringify(req.addressString)} is not a kira account address: ${err instanceof Error ? err.message : String(err)}`);
        }
      },
    }),
  ];
}
