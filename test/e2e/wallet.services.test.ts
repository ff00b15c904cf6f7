/**
 * The Cosmos services wallets and explorers call, over gRPC-web through a real client
 * (nice-grpc-web with service definitions over cosmjs-types' generated codecs) and over REST,
 * against a live node: the tx service's event search and block-with-txs, the whole tendermint
 * service, auth and bank params, bech32 conversion, account listing, the sekai services at
 * their `google.api.http` paths with every default present, and invalid addresses refused
 * with InvalidArgument.
 */
import { ClientError, createChannel, createClient, Status } from 'nice-grpc-web';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import {
  AddressBytesToStringRequest,
  AddressBytesToStringResponse,
  AddressStringToBytesRequest,
  AddressStringToBytesResponse,
  Bech32PrefixRequest,
  Bech32PrefixResponse,
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
  QueryParamsRequest as BankParamsRequest,
  QueryParamsResponse as BankParamsResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import {
  ABCIQueryRequest,
  ABCIQueryResponse,
  GetBlockByHeightRequest,
  GetBlockByHeightResponse,
  GetLatestBlockRequest,
  GetLatestBlockResponse,
  GetLatestValidatorSetRequest,
  GetLatestValidatorSetResponse,
  GetNodeInfoRequest,
  GetNodeInfoResponse,
  GetSyncingRequest,
  GetSyncingResponse,
  GetValidatorSetByHeightRequest,
  GetValidatorSetByHeightResponse,
} from 'cosmjs-types/cosmos/base/tendermint/v1beta1/query';
import { GetBlockWithTxsRequest, GetBlockWithTxsResponse, GetTxsEventRequest, GetTxsEventResponse, OrderBy } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { FileDescriptorsRequest, FileDescriptorsResponse } from 'cosmjs-types/cosmos/reflection/v1/reflection';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import {
  ListAllInterfacesRequest,
  ListAllInterfacesResponse,
  ListImplementationsRequest,
  ListImplementationsResponse,
} from 'cosmjs-types/cosmos/base/reflection/v1beta1/reflection';
import { ReflectionServiceDefinition } from '../../proto/gen/cosmos/base/reflection/v2alpha1/reflection';
import { cosmjsRegistry } from '../../client/registry';
import { MsgAssignRole, MsgSubmitProposal, MsgWhitelistPermissions } from '../../proto/gen/sekai/gov/v1/tx';
import { WhitelistAccountPermissionProposal } from '../../proto/gen/sekai/gov/v1/proposal';
import { MsgSetPubkey } from '../../proto/gen/sekai/notarypay/v1/tx';
import { decodeBech32, encodeBech32 } from '../../crypto/bech32';
import { QueryDefinition as GovQueryDefinition } from '../../proto/gen/sekai/gov/v1/query';
import { QueryDefinition as StakingQueryDefinition } from '../../proto/gen/sekai/staking/v1/query';
import { gatewayRoutes, protoRegistry } from '../../node/rest/gateway';
import { codec, service } from '../fixtures/grpcService';
import { ALICE_MNEMONIC, startWalletNode, type WalletNode } from '../fixtures/walletNode';

jest.setTimeout(120_000);

const TendermintService = service('cosmos.base.tendermint.v1beta1.Service', {
  GetNodeInfo: [codec(GetNodeInfoRequest), codec(GetNodeInfoResponse)],
  GetSyncing: [codec(GetSyncingRequest), codec(GetSyncingResponse)],
  GetLatestBlock: [codec(GetLatestBlockRequest), codec(GetLatestBlockResponse)],
  GetBlockByHeight: [codec(GetBlockByHeightRequest), codec(GetBlockByHeightResponse)],
  GetLatestValidatorSet: [codec(GetLatestValidatorSetRequest), codec(GetLatestValidatorSetResponse)],
  GetValidatorSetByHeight: [codec(GetValidatorSetByHeightRequest), codec(GetValidatorSetByHeightResponse)],
  ABCIQuery: [codec(ABCIQueryRequest), codec(ABCIQueryResponse)],
});
const TxService = service('cosmos.tx.v1beta1.Service', {
  GetTxsEvent: [codec(GetTxsEventRequest), codec(GetTxsEventResponse)],
  GetBlockWithTxs: [codec(GetBlockWithTxsRequest), codec(GetBlockWithTxsResponse)],
});
const AuthQuery = service('cosmos.auth.v1beta1.Query', {
  Params: [codec(AuthParamsRequest), codec(AuthParamsResponse)],
  Accounts: [codec(QueryAccountsRequest), codec(QueryAccountsResponse)],
  Bech32Prefix: [codec(Bech32PrefixRequest), codec(Bech32PrefixResponse)],
  AddressBytesToString: [codec(AddressBytesToStringRequest), codec(AddressBytesToStringResponse)],
  AddressStringToBytes: [codec(AddressStringToBytesRequest), codec(AddressStringToBytesResponse)],
});
const BankQuery = service('cosmos.bank.v1beta1.Query', {
  Params: [codec(BankParamsRequest), codec(BankParamsResponse)],
  Balance: [codec(QueryBalanceRequest), codec(QueryBalanceResponse)],
  AllBalances: [codec(QueryAllBalancesRequest), codec(QueryAllBalancesResponse)],
});

const Reflection = service('cosmos.reflection.v1.ReflectionService', {
  FileDescriptors: [codec(FileDescriptorsRequest), codec(FileDescriptorsResponse)],
});

const ReflectionV1beta1 = service('cosmos.base.reflection.v1beta1.ReflectionService', {
  ListAllInterfaces: [codec(ListAllInterfacesRequest), codec(ListAllInterfacesResponse)],
  ListImplementations: [codec(ListImplementationsRequest), codec(ListImplementationsResponse)],
});

const BOB = encodeBech32('kira', new Uint8Array(20).fill(9));

let chain: WalletNode;
let sentHash: string;
let sentHeight: bigint;

async function rest(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(chain.rest.url + path);
  return { status: res.status, body: JSON.parse(await res.text()) };
}

const grpc = <S extends Parameters<typeof createClient>[0]>(def: S) => createClient(def, createChannel(chain.grpcWeb.url));

beforeAll(async () => {
  chain = await startWalletNode('sekai-services-1');
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(ALICE_MNEMONIC, { prefix: 'kira' });
  const signer = await SigningStargateClient.connectWithSigner(chain.rpc.url, wallet, { gasPrice: GasPrice.fromString('0.025ukex') });
  try {
    const r = await signer.sendTokens(chain.alice, BOB, [{ denom: 'ukex', amount: '777' }], { amount: [{ denom: 'ukex', amount: '100' }], gas: '200000' }, 'services');
    expect(r.code).toBe(0);
    sentHash = r.transactionHash;
    sentHeight = BigInt(r.height);
  } finally {
    signer.disconnect();
  }
});

afterAll(async () => {
  await chain?.stop();
});

describe('gRPC-web', () => {
  it('serves the tendermint service', async () => {
    const tm = grpc(TendermintService);
    const info = await tm.getNodeInfo({});
    expect(info.defaultNodeInfo?.network).toBe('sekai-services-1');
    expect(info.applicationVersion?.appName).toBe('sekaid-ts');
    expect((await tm.getSyncing({})).syncing).toBe(false);

    const latest = await tm.getLatestBlock({});
    expect(latest.block?.header?.height).toBeGreaterThanOrEqual(sentHeight);
    expect(latest.blockId?.hash).toHaveLength(32);
    expect(latest.sdkBlock?.header?.proposerAddress).toMatch(/^kiravalcons1/);
    expect(latest.block?.header?.chainId).toBe('sekai-services-1');

    const atSend = await tm.getBlockByHeight({ height: sentHeight });
    expect(atSend.block?.header?.height).toBe(sentHeight);
    expect(atSend.block?.data?.txs).toHaveLength(1);
    // The header time keeps CometBFT's nanoseconds and the commit carries the signature.
    const rpcBlock = (await (await fetch(`${chain.rpc.url}/block?height=${sentHeight}`)).json()) as { result: { block: { header: { time: string } } } };
    const nanos = /\.(\d+)Z$/.exec(rpcBlock.result.block.header.time)?.[1] ?? '';
    expect(atSend.block?.header?.time?.nanos).toBe(Number(nanos.padEnd(9, '0')));
    expect(atSend.block?.lastCommit?.signatures[0]?.signature).toHaveLength(64);

    const set = await tm.getLatestValidatorSet({});
    expect(set.validators).toEqual([expect.objectContaining({ votingPower: 10n, address: expect.stringMatching(/^kiravalcons1/) })]);
    expect(set.validators[0].pubKey?.typeUrl).toBe('/cosmos.crypto.ed25519.PubKey');
    const set1 = await tm.getValidatorSetByHeight({ height: 1n });
    expect(set1.blockHeight).toBe(1n);
    expect(set1.validators[0].address).toBe(set.validators[0].address);

    const q = await tm.aBCIQuery({ path: '/cosmos.bank.v1beta1.Query/Balance', data: QueryBalanceRequest.encode({ address: BOB, denom: 'ukex' }).finish(), height: 0n, prove: false });
    expect(q.code).toBe(0);
    expect(QueryBalanceResponse.decode(q.value).balance?.amount).toBe('777');

    await expect(tm.getBlockByHeight({ height: 0n })).rejects.toMatchObject({ code: Status.INVALID_ARGUMENT });
    await expect(tm.getBlockByHeight({ height: 99_999_999n })).rejects.toMatchObject({ code: Status.INVALID_ARGUMENT });
  });

  it('serves GetTxsEvent and GetBlockWithTxs', async () => {
    const tx = grpc(TxService);
    for (const req of [{ events: [`message.sender='${chain.alice}'`] }, { query: `tx.height=${sentHeight}` }]) {
      const found = await tx.getTxsEvent({ ...req, orderBy: OrderBy.ORDER_BY_DESC, page: 1n, limit: 10n });
      expect(found.total).toBeGreaterThanOrEqual(1n);
      const i = found.txResponses.findIndex((r) => r.txhash === sentHash);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(found.txResponses[i].height).toBe(sentHeight);
      expect(found.txs[i].body?.memo).toBe('services');
      expect(found.txResponses[i].timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    await expect(tx.getTxsEvent({ events: ['nonsense'] })).rejects.toMatchObject({ code: Status.INVALID_ARGUMENT });
    await expect(tx.getTxsEvent({})).rejects.toMatchObject({ code: Status.INVALID_ARGUMENT });

    const withTxs = await tx.getBlockWithTxs({ height: sentHeight });
    expect(withTxs.block?.header?.height).toBe(sentHeight);
    expect(withTxs.txs.map((t) => t.body?.memo)).toEqual(['services']);
    expect(withTxs.pagination?.total).toBe(1n);
    const pastEnd = await tx.getBlockWithTxs({ height: sentHeight, pagination: { offset: 5n, limit: 1n } });
    expect(pastEnd.txs).toEqual([]);
  });

  it('serves auth and bank params, accounts and bech32 conversion', async () => {
    const auth = grpc(AuthQuery);
    const { params } = await auth.params({});
    expect(params).toEqual({ maxMemoCharacters: 256n, txSigLimit: 7n, txSizeCostPerByte: 10n, sigVerifyCostEd25519: 590n, sigVerifyCostSecp256k1: 1000n });
    expect((await auth.bech32Prefix({})).bech32Prefix).toBe('kira');
    const bytes = decodeBech32(chain.alice).data;
    expect((await auth.addressBytesToString({ addressBytes: bytes })).addressString).toBe(chain.alice);
    expect(new Uint8Array((await auth.addressStringToBytes({ addressString: chain.alice })).addressBytes)).toEqual(new Uint8Array(bytes));
    await expect(auth.addressStringToBytes({ addressString: 'notanaddress' })).rejects.toMatchObject({ code: Status.INVALID_ARGUMENT });
    await expect(auth.addressBytesToString({ addressBytes: new Uint8Array(3) })).rejects.toMatchObject({ code: Status.INVALID_ARGUMENT });

    const first = await auth.accounts({ pagination: { limit: 1n, countTotal: true } });
    expect(first.accounts).toHaveLength(1);
    expect(first.pagination?.total).toBeGreaterThanOrEqual(2n);
    const rest1 = await auth.accounts({ pagination: { key: first.pagination!.nextKey } });
    expect(rest1.accounts.length + 1).toBe(Number(first.pagination!.total));

    const bank = grpc(BankQuery);
    expect((await bank.params({})).params).toEqual({ sendEnabled: [], defaultSendEnabled: true });
  });

  it('answers InvalidArgument for a balance of something that is not an address', async () => {
    const bank = grpc(BankQuery);
    for (const address of ['notanaddress', 'kira1zt50azupanqlfam5afhv3hexwyutnuke0s4u7z', '424242']) {
      const err = await bank.allBalances({ address }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClientError);
      expect({ address, code: (err as ClientError).code }).toEqual({ address, code: Status.INVALID_ARGUMENT });
    }
    await expect(bank.balance({ address: 'notanaddress', denom: 'ukex' })).rejects.toMatchObject({ code: Status.INVALID_ARGUMENT });
    // A valid address nobody holds yet has nothing, as in the Cosmos SDK.
    expect((await bank.allBalances({ address: encodeBech32('kira', new Uint8Array(20).fill(3)) })).balances).toEqual([]);
  });

  it('describes the sekai services through cosmos.reflection.v1', async () => {
    const { files } = await grpc(Reflection).fileDescriptors({});
    const gov = files.find((f) => f.name === 'sekai/gov/v1/query.proto');
    expect(gov?.service.map((s) => s.name)).toEqual(['Query']);
    expect(gov?.service[0].method.map((m) => m.name)).toContain('NetworkProperties');
    for (const m of ['accountid', 'bridge', 'gov', 'notarypay', 'slashing', 'staking']) {
      expect(files.map((f) => f.name)).toContain(`sekai/${m}/v1/query.proto`);
    }
  });

  it('describes the application through cosmos.base.reflection.v2alpha1 and v1beta1', async () => {
    const r = grpc(ReflectionServiceDefinition);
    expect((await r.getChainDescriptor({})).chain).toEqual({ id: 'sekai-services-1' });
    expect((await r.getConfigurationDescriptor({})).config).toEqual({ bech32AccountAddressPrefix: 'kira' });
    expect((await r.getAuthnDescriptor({})).authn?.signModes).toEqual([
      { name: 'SIGN_MODE_DIRECT', number: 1, authnInfoProviderMethodFullname: '' },
      { name: 'SIGN_MODE_LEGACY_AMINO_JSON', number: 127, authnInfoProviderMethodFullname: '' },
    ]);
    const tx = (await r.getTxDescriptor({})).tx!;
    expect(tx.fullname).toBe('cosmos.tx.v1beta1.Tx');
    const msgs = tx.msgs.map((m) => m.msgTypeUrl);
    for (const url of ['/cosmos.bank.v1beta1.MsgSend', '/sekai.gov.v1.MsgSubmitProposal', '/sekai.staking.v1.MsgClaimValidator', '/sekai.multistaking.v1.MsgDelegate']) {
      expect(msgs).toContain(url);
    }
    expect([...msgs].sort()).toEqual(msgs);

    // Every query path listed answers over gRPC-web (an empty request may be refused, but never as unknown).
    const services = (await r.getQueryServicesDescriptor({})).queries!.queryServices;
    const names = services.map((s) => s.fullname);
    for (const n of ['cosmos.auth.v1beta1.Query', 'cosmos.bank.v1beta1.Query', 'sekai.gov.v1.Query', 'cosmos.base.reflection.v2alpha1.ReflectionService', 'cosmos.tx.v1beta1.Service']) {
      expect(names).toContain(n);
    }
    expect(services.find((s) => s.fullname === 'sekai.gov.v1.Query')).toMatchObject({ isModule: true });
    const paths = services.flatMap((s) => s.methods.map((m) => m.fullQueryPath));
    expect(paths).toContain('/sekai.staking.v1.Query/Validators');
    for (const path of paths) {
      const res = await chain.node.query({ path, data: new Uint8Array(), height: 0n, prove: false });
      expect({ path, log: res.log }).not.toEqual({ path, log: expect.stringMatching(/unknown query path/) });
    }

    const codec = (await r.getCodecDescriptor({})).codec!;
    const iface = (name: string) => codec.interfaces.find((i) => i.fullname === name);
    expect(iface('cosmos.base.v1beta1.Msg')?.interfaceImplementers.map((i) => i.typeUrl)).toEqual(msgs);
    expect(iface('cosmos.base.v1beta1.Msg')?.interfaceImplementers[0]).toEqual({ fullname: msgs[0].slice(1), typeUrl: msgs[0] });
    expect(iface('cosmos.crypto.PubKey')?.interfaceImplementers.map((i) => i.typeUrl)).toContain('/cosmos.crypto.secp256k1.PubKey');
    expect(iface('sekai.gov.v1.Content')?.interfaceImplementers.map((i) => i.typeUrl)).toContain('/sekai.gov.v1.WhitelistAccountPermissionProposal');
    expect(iface('sekai.gov.v1.Content')?.interfaceAcceptingMessages).toContainEqual({ fullname: 'sekai.gov.v1.MsgSubmitProposal', fieldDescriptorNames: ['content'] });

    const v1 = grpc(ReflectionV1beta1);
    expect((await v1.listAllInterfaces({})).interfaceNames).toEqual(codec.interfaces.map((i) => i.fullname));
    expect((await v1.listImplementations({ interfaceName: 'cosmos.base.v1beta1.Msg' })).implementationMessageNames).toEqual(msgs);
    expect((await v1.listImplementations({ interfaceName: 'no.such.Interface' })).implementationMessageNames).toEqual([]);
    await expect(v1.listImplementations({ interfaceName: '' })).rejects.toMatchObject({ code: Status.INVALID_ARGUMENT });
  });

  it('serves sekai services through their generated definitions', async () => {
    const gov = grpc(GovQueryDefinition);
    expect((await gov.networkProperties({})).properties.length).toBeGreaterThan(10);
    const staking = grpc(StakingQueryDefinition);
    expect(Array.isArray((await staking.validators({})).validators)).toBe(true);
  });
});

describe('address fields', () => {
  it('refuses a mistyped address in any address field at CheckTx, free of charge', async () => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(ALICE_MNEMONIC, { prefix: 'kira' });
    const signer = await SigningStargateClient.connectWithSigner(chain.rpc.url, wallet, { registry: cosmjsRegistry() });
    try {
      const before = (await rest(`/cosmos/auth/v1beta1/accounts/${chain.alice}`)).body.account.sequence;
      const balance = (await rest(`/cosmos/bank/v1beta1/balances/${chain.alice}`)).body.balances;
      // BOB with a changed checksum character, another chain's prefix, and garbage.
      const bad = [BOB.slice(0, -1) + (BOB.endsWith('q') ? 'p' : 'q'), 'cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', 'kira1-definitely-not-an-address'];
      const content = (address: string) => ({ typeUrl: '/sekai.gov.v1.WhitelistAccountPermissionProposal', value: Buffer.from(WhitelistAccountPermissionProposal.encode({ address, permission: 1 }).finish()) });
      const msgs = (address: string) => [
        { typeUrl: '/sekai.gov.v1.MsgWhitelistPermissions', value: MsgWhitelistPermissions.fromPartial({ proposer: chain.alice, address, permission: 1 }) },
        { typeUrl: '/sekai.gov.v1.MsgAssignRole', value: MsgAssignRole.fromPartial({ proposer: chain.alice, address, roleIdentifier: 'validator' }) },
        { typeUrl: '/sekai.gov.v1.MsgSubmitProposal', value: MsgSubmitProposal.fromPartial({ proposer: chain.alice, title: 't', description: 'd', content: content(address) }) },
        { typeUrl: '/sekai.notarypay.v1.MsgSetPubkey', value: MsgSetPubkey.fromPartial({ sender: chain.alice, payout: address }) },
      ];
      for (const address of bad) {
        for (const msg of msgs(address)) {
          const raw = await signer.sign(chain.alice, [msg], { amount: [{ denom: 'ukex', amount: '100' }], gas: '300000' }, '');
          const r = await fetch(`${chain.rpc.url}/broadcast_tx_sync?tx=0x${Buffer.from(TxRaw.encode(raw).finish()).toString('hex')}`);
          const { result } = (await r.json()) as { result: { code: number; codespace: string; log: string } };
          expect({ msg: msg.typeUrl, address, code: result.code, codespace: result.codespace }).toEqual({ msg: msg.typeUrl, address, code: 9, codespace: 'accountid' });
          expect(result.log).toMatch(/not a kira account address|neither an account id/);
        }
      }
      expect((await rest(`/cosmos/auth/v1beta1/accounts/${chain.alice}`)).body.account.sequence).toBe(before);
      expect((await rest(`/cosmos/bank/v1beta1/balances/${chain.alice}`)).body.balances).toEqual(balance);
    } finally {
      signer.disconnect();
    }
  });
});

describe('invalid addresses in query fields', () => {
  // BOB with a changed checksum character, another chain's prefix, garbage, and a kind mix-up.
  const BAD = () => [BOB.slice(0, -1) + (BOB.endsWith('q') ? 'p' : 'q'), 'cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq', 'kira1-definitely-not-an-address'];
  const VALOPER = encodeBech32('kiravaloper', new Uint8Array(20).fill(9));
  const VALCONS = encodeBech32('kiravalcons', new Uint8Array(20).fill(9));
  const BAD_VAL = [VALOPER.slice(0, -1) + (VALOPER.endsWith('q') ? 'p' : 'q'), BOB, 'kiravaloper1garbage'];
  const BAD_CONS = [VALCONS.slice(0, -1) + (VALCONS.endsWith('q') ? 'p' : 'q'), VALOPER, 'kiravalcons1garbage'];

  async function expectGrpc(what: string, call: () => Promise<unknown>) {
    const err = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect({ what, code: err instanceof ClientError ? err.code : err }).toEqual({ what, code: Status.INVALID_ARGUMENT });
  }
  async function expectRest(path: string) {
    const r = await rest(path);
    expect({ path, status: r.status, code: r.body.code }).toEqual({ path, status: 400, code: 3 });
  }

  it('staking: validator by account, operator or consensus address, and the status filter', async () => {
    const staking = grpc(StakingQueryDefinition);
    for (const addr of BAD()) {
      await expectGrpc(`addr ${addr}`, () => staking.validator({ addr }));
      await expectRest(`/sekai/staking/v1/validator?addr=${encodeURIComponent(addr)}`);
    }
    for (const valAddr of BAD_VAL) {
      await expectGrpc(`val_addr ${valAddr}`, () => staking.validator({ valAddr }));
      await expectRest(`/sekai/staking/v1/validator?val_addr=${encodeURIComponent(valAddr)}`);
    }
    for (const consAddr of BAD_CONS) {
      await expectGrpc(`cons_addr ${consAddr}`, () => staking.validator({ consAddr }));
      await expectRest(`/sekai/staking/v1/validator?cons_addr=${encodeURIComponent(consAddr)}`);
    }
    await expectGrpc('no key', () => staking.validator({}));
    await expectGrpc('two keys', () => staking.validator({ valAddr: VALOPER, consAddr: VALCONS }));
    await expectGrpc('status', () => staking.validators({ status: 'SLEEPY' }));
    await expectRest('/sekai/staking/v1/validators?status=SLEEPY');
    // A well-formed address of no validator is not found, not invalid.
    await expect(staking.validator({ valAddr: VALOPER })).rejects.toMatchObject({ code: Status.NOT_FOUND });
    expect((await rest(`/sekai/staking/v1/validator?cons_addr=${VALCONS}`)).status).toBe(404);
  });

  it('gov: permissions of an address, proposals by voter', async () => {
    const gov = grpc(GovQueryDefinition);
    for (const address of [...BAD(), '007']) {
      await expectGrpc(`permissions ${address}`, () => gov.permissions({ address }));
      await expectRest(`/sekai/gov/v1/permissions/${encodeURIComponent(address)}`);
      await expectGrpc(`proposals by ${address}`, () => gov.proposals({ voter: address }));
      await expectRest(`/sekai/gov/v1/proposals?voter=${encodeURIComponent(address)}`);
    }
    // Alice has standing; a valid address nobody holds has none, and that is an answer, not an error.
    expect((await gov.permissions({ address: chain.alice })).address).toBe(chain.alice);
  });

  it('slashing: signing info by consensus address', async () => {
    for (const consAddress of BAD_CONS) await expectRest(`/sekai/slashing/v1/signing_infos/${encodeURIComponent(consAddress)}`);
  });
});

describe('REST', () => {
  it('has a google.api.http GET rule for every method of every sekai service', () => {
    const served = new Set(gatewayRoutes('sekai.').map((r) => r.grpcPath));
    const methods = [...protoRegistry().files].flatMap((f) => f.services.filter((s) => s.typeName.startsWith('sekai.') && s.name === 'Query').flatMap((s) => s.methods.map((m) => `/${s.typeName}/${m.name}`)));
    expect(methods.length).toBeGreaterThanOrEqual(28);
    expect(methods.filter((m) => !served.has(m))).toEqual([]);
  });

  it('serves every sekai query at its google.api.http path, with every default present', async () => {
    const props = await rest('/sekai/gov/v1/network_properties');
    expect(props.status).toBe(200);
    expect(props.body.properties.length).toBeGreaterThan(10);
    for (const p of props.body.properties) expect(Object.keys(p).sort()).toEqual(Object.keys(props.body.properties[0]).sort());

    const account = await rest(`/sekai/accountid/v1/accounts/${chain.alice}`);
    expect(account.status).toBe(200);
    // A default name ('') and the sequence as a string are written, as the SDK's gateway does.
    expect(account.body.account).toMatchObject({ id: expect.any(String), address: chain.alice, name: expect.any(String), sequence: expect.stringMatching(/^\d+$/) });
    const accounts = await rest('/sekai/accountid/v1/accounts?pagination.limit=1&pagination.count_total=true');
    expect(accounts.body.accounts).toHaveLength(1);
    expect(accounts.body.pagination.total).toMatch(/^[1-9]\d*$/);

    for (const path of [
      '/sekai/gov/v1/roles',
      '/sekai/gov/v1/proposals',
      '/sekai/gov/v1/councilors',
      `/sekai/gov/v1/permissions/${chain.alice}`,
      '/sekai/staking/v1/validators',
      '/sekai/slashing/v1/signing_infos',
      '/sekai/bridge/v1/config',
      '/sekai/bridge/v1/chains',
      '/sekai/notarypay/v1/eras',
      '/sekai/notarypay/v1/info',
    ]) {
      const r = await rest(path);
      expect({ path, status: r.status, body: r.body }).toEqual({ path, status: 200, body: expect.any(Object) });
    }
    // An unset message is null, zero integers are "0" and empty lists are present.
    const config = await rest('/sekai/bridge/v1/config');
    expect(config.body).toEqual({ validator_set: null, history_length: expect.stringMatching(/^\d+$/), next_proposal_id: expect.stringMatching(/^\d+$/) });
    expect((await rest('/sekai/gov/v1/proposals')).body).toEqual({ proposals: [] });

    const bad = await rest('/sekai/gov/v1/proposals/notanumber');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: 3, message: expect.stringMatching(/invalid request/), details: [] });
    expect((await rest('/sekai/gov/v1/roles?no_such_field=1')).status).toBe(400);
  });

  it('serves the reflection services at the SDK gateway paths', async () => {
    expect(await rest('/cosmos/base/reflection/v1beta1/app_descriptor/chain')).toEqual({ status: 200, body: { chain: { id: 'sekai-services-1' } } });
    expect((await rest('/cosmos/base/reflection/v1beta1/app_descriptor/configuration')).body).toEqual({ config: { bech32_account_address_prefix: 'kira' } });
    expect((await rest('/cosmos/base/reflection/v1beta1/app_descriptor/authn')).body.authn.sign_modes[1]).toEqual({
      name: 'SIGN_MODE_LEGACY_AMINO_JSON',
      number: 127,
      authn_info_provider_method_fullname: '',
    });
    const tx = await rest('/cosmos/base/reflection/v1beta1/app_descriptor/tx_descriptor');
    expect(tx.body.tx.msgs).toContainEqual({ msg_type_url: '/cosmos.bank.v1beta1.MsgSend' });
    const q = await rest('/cosmos/base/reflection/v1beta1/app_descriptor/query_services');
    expect(q.body.queries.query_services.find((s: { fullname: string }) => s.fullname === 'cosmos.bank.v1beta1.Query')).toMatchObject({ is_module: true });
    const codec = await rest('/cosmos/base/reflection/v1beta1/app_descriptor/codec');
    expect(codec.body.codec.interfaces.map((i: { fullname: string }) => i.fullname)).toContain('cosmos.crypto.PubKey');
    const all = await rest('/cosmos/base/reflection/v1beta1/interfaces');
    expect(all.body.interface_names).toContain('cosmos.base.v1beta1.Msg');
    const impls = await rest('/cosmos/base/reflection/v1beta1/interfaces/cosmos.crypto.PubKey/implementations');
    expect(impls.body).toEqual({ implementation_message_names: ['/cosmos.crypto.ed25519.PubKey', '/cosmos.crypto.secp256k1.PubKey'] });
  });

  it('serves the new cosmos paths and refuses non-addresses', async () => {
    expect((await rest('/cosmos/auth/v1beta1/params')).body).toEqual({
      params: { max_memo_characters: '256', tx_sig_limit: '7', tx_size_cost_per_byte: '10', sig_verify_cost_ed25519: '590', sig_verify_cost_secp256k1: '1000' },
    });
    expect((await rest('/cosmos/auth/v1beta1/bech32')).body).toEqual({ bech32_prefix: 'kira' });
    expect((await rest(`/cosmos/auth/v1beta1/bech32/${chain.alice}`)).body).toEqual({ address_bytes: Buffer.from(decodeBech32(chain.alice).data).toString('base64') });
    expect((await rest('/cosmos/bank/v1beta1/params')).body).toEqual({ params: { send_enabled: [], default_send_enabled: true } });
    const accounts = await rest('/cosmos/auth/v1beta1/accounts');
    expect(accounts.body.accounts.map((a: { '@type': string }) => a['@type'])).toContain('/cosmos.auth.v1beta1.BaseAccount');

    const withTxs = await rest(`/cosmos/tx/v1beta1/txs/block/${sentHeight}`);
    expect(withTxs.status).toBe(200);
    expect(withTxs.body.txs.map((t: { body: { memo: string } }) => t.body.memo)).toEqual(['services']);
    expect(withTxs.body.block.header.height).toBe(String(sentHeight));

    const q = await rest(`/cosmos/base/tendermint/v1beta1/abci_query?path=${encodeURIComponent('/cosmos.auth.v1beta1.Query/Bech32Prefix')}`);
    expect(q.status).toBe(200);
    expect(Bech32PrefixResponse.decode(Buffer.from(q.body.value, 'base64')).bech32Prefix).toBe('kira');

    const notAddress = await rest('/cosmos/bank/v1beta1/balances/notanaddress');
    expect(notAddress).toEqual({ status: 400, body: { code: 3, message: expect.stringMatching(/not a kira address/), details: [] } });
    expect((await rest('/cosmos/bank/v1beta1/balances/notanaddress/by_denom?denom=ukex')).status).toBe(400);
  });
});
