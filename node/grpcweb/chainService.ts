/**
 * The node-side gRPC methods that read blocks, txs and status from this node's CometBFT RPC
 * (the embedded engine's or CometBFT's), so they answer alike in both modes:
 *  - `cosmos.tx.v1beta1.Service/GetTxsEvent` (events list or the 0.50 `query`, page/limit,
 *    order) and `GetBlockWithTxs` (the block and its decoded txs, paged by offset/limit);
 *  - `cosmos.base.tendermint.v1beta1.Service`: GetNodeInfo, GetSyncing, GetLatestBlock,
 *    GetBlockByHeight, GetLatestValidatorSet, GetValidatorSetByHeight and ABCIQuery (the last
 *    goes to the app as an ABCI query, as the SDK's does);
 *  - `cosmos.reflection.v1.ReflectionService/FileDescriptors`: the descriptors of every .proto
 *    in this repository (the sekai services and messages, what they import, and the v2alpha1
 *    reflection service). The other Cosmos services' files are not in it: their generated code
 *    comes from cosmjs-types.
 * RPC JSON becomes the generated proto types here; bad input is InvalidArgument, a height the
 * node has not reached or no longer keeps is InvalidArgument with CometBFT's message.
 */
import type { RequestQuery, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import { TxResponse } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import type { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import {
  ABCIQueryRequest,
  ABCIQueryResponse,
  GetBlockByHeightRequest,
  GetBlockByHeightResponse,
  GetLatestBlockResponse,
  GetLatestValidatorSetRequest,
  GetLatestValidatorSetResponse,
  GetNodeInfoResponse,
  GetSyncingResponse,
  GetValidatorSetByHeightRequest,
  GetValidatorSetByHeightResponse,
  type Validator as SdkValidator,
} from 'cosmjs-types/cosmos/base/tendermint/v1beta1/query';
import { GetBlockWithTxsRequest, GetBlockWithTxsResponse, GetTxsEventRequest, GetTxsEventResponse, OrderBy } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { connectNode, type NodeConnection } from '../../client/rpc';
import { sdkTimestamp, type CometTxResult } from '../../client/txResponse';
import { encodeBech32 } from '../../crypto/bech32';
import { FILE_DESCRIPTOR_SET } from '../../proto/gen/descriptors';
import { GrpcStatus, StatusError } from '../http/status';
import { b64, hex, protoBlock, type RpcBlock } from './rpcBlock';
import type { NodeService } from './server';

/** Most txs or validators one page answers (CometBFT's per_page cap). */
const MAX_PAGE = 100;

function decode<T>(codec: { decode(b: Uint8Array): T }, data: Uint8Array, what: string): T {
  try {
    return codec.decode(data);
  } catch {
    throw new StatusError(GrpcStatus.InvalidArgument, `malformed ${what}`);
  }
}

/** A committed tx from CometBFT's `tx`/`tx_search` as the SDK's TxResponse (block time given). */
export function txResponseProto(r: CometTxResult, blockTime: string): TxResponse {
  const bytes = b64(r.tx);
  const res = r.tx_result;
  return TxResponse.fromPartial({
    height: BigInt(r.height),
    txhash: r.hash.toUpperCase(),
    codespace: res.codespace ?? '',
    code: res.code ?? 0,
    data: res.data ? Buffer.from(res.data, 'base64').toString('hex').toUpperCase() : '',
    rawLog: res.log ?? '',
    info: res.info ?? '',
    gasWanted: BigInt(res.gas_wanted ?? '0'),
    gasUsed: BigInt(res.gas_used ?? '0'),
    tx: { typeUrl: '/cosmos.tx.v1beta1.Tx', value: bytes },
    timestamp: sdkTimestamp(blockTime),
    events: (res.events ?? []).map((e) => ({ type: e.type, attributes: (e.attributes ?? []).map((a) => ({ key: a.key, value: a.value, index: a.index ?? false })) })),
  });
}

/** A tx's bytes as the Tx message; a tx the chain would not decode stays out of the list. */
function decodeTx(bytes: Uint8Array): Tx | undefined {
  try {
    return Tx.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The window a PageRequest (offset/limit) selects from `total` items; key paging is refused. */
function offsetPage(page: PageRequest | undefined, total: number): { from: number; to: number } {
  if (page && page.key.length > 0) throw new StatusError(GrpcStatus.InvalidArgument, 'pagination.key is not supported here: use pagination.offset and pagination.limit');
  if (page?.reverse) throw new StatusError(GrpcStatus.InvalidArgument, 'pagination.reverse is not supported here');
  const limit = page && page.limit > 0n ? page.limit : BigInt(MAX_PAGE);
  if (limit > BigInt(MAX_PAGE)) throw new StatusError(GrpcStatus.InvalidArgument, `pagination.limit ${limit} exceeds ${MAX_PAGE}`);
  const from = page ? page.offset : 0n;
  if (from > BigInt(total)) return { from: total, to: total };
  return { from: Number(from), to: Math.min(total, Number(from + limit)) };
}

/** The quoted events of a GetTxsEvent request as one CometBFT query (`type.attr=value` AND …). */
export function eventsQuery(events: readonly string[]): string {
  return events
    .map((e) => {
      const m = /^([\w.-]+)\s*=\s*(.+)$/.exec(e);
      if (!m) throw new StatusError(GrpcStatus.InvalidArgument, `invalid event ${JSON.stringify(e)}: expected type.attribute=value`);
      return /^'.*'$/.test(m[2]) || /^\d+$/.test(m[2]) ? `${m[1]}=${m[2]}` : `${m[1]}='${m[2]}'`;
    })
    .join(' AND ');
}

export function chainService(rpcUrl: string, app: { query(req: RequestQuery): Promise<ResponseQuery> }): NodeService & { close(): void } {
  let conn: NodeConnection | undefined;
  async function raw<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (!conn) {
      try {
        conn = await connectNode(rpcUrl);
      } catch (err) {
        throw new StatusError(GrpcStatus.Unavailable, `node RPC ${rpcUrl} is not reachable: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    try {
      return (await conn.raw(method, params)) as T;
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (/must be less than or equal to|is not available|height .* must be|lowest height|not found|invalid/i.test(msg)) throw new StatusError(GrpcStatus.InvalidArgument, msg);
      throw err;
    }
  }
  const block = (height?: bigint) => raw<RpcBlock>('block', height === undefined ? {} : { height: String(height) });
  const positive = (height: bigint) => {
    if (height < 1n) throw new StatusError(GrpcStatus.InvalidArgument, `height ${height} must be a positive integer`);
    return height;
  };

  async function validatorSet(height: bigint | undefined, page: PageRequest | undefined) {
    const all: SdkValidator[] = [];
    let blockHeight = 0n;
    // CometBFT pages validators by 100; a KIRA set (MAX_VALIDATORS) fits in a few pages.
    for (let p = 1; ; p++) {
      const params: Record<string, string> = { page: String(p), per_page: String(MAX_PAGE) };
      if (height !== undefined) params.height = String(height);
      const r = await raw<{ block_height: string; total: string; validators: { address: string; pub_key: { value: string }; voting_power: string; proposer_priority: string }[] }>('validators', params);
      blockHeight = BigInt(r.block_height);
      for (const v of r.validators) {
        all.push({
          address: encodeBech32('kiravalcons', hex(v.address)),
          pubKey: { typeUrl: '/cosmos.crypto.ed25519.PubKey', value: Ed25519PubKey.encode({ key: b64(v.pub_key.value) }).finish() },
          votingPower: BigInt(v.voting_power),
          proposerPriority: BigInt(v.proposer_priority),
        });
      }
      if (all.length >= Number(r.total) || r.validators.length === 0) break;
    }
    const { from, to } = offsetPage(page, all.length);
    return { blockHeight, validators: all.slice(from, to), pagination: { nextKey: new Uint8Array(), total: BigInt(all.length) } };
  }

  async function txsEvent(req: GetTxsEventRequest) {
    if ((req.events.length === 0) === (req.query === '')) throw new StatusError(GrpcStatus.InvalidArgument, 'give either events (type.attribute=value) or query');
    const query = req.query || eventsQuery(req.events);
    let page = req.page;
    let limit = req.limit;
    if (page === 0n && limit === 0n && req.pagination) {
      // The pre-0.47 form: offset/limit in pagination.
      limit = req.pagination.limit > 0n ? req.pagination.limit : BigInt(MAX_PAGE);
      if (req.pagination.offset % limit !== 0n) throw new StatusError(GrpcStatus.InvalidArgument, 'pagination.offset must be a multiple of pagination.limit (use page and limit)');
      page = req.pagination.offset / limit + 1n;
    }
    if (limit === 0n) limit = BigInt(MAX_PAGE);
    if (page === 0n) page = 1n;
    if (limit > BigInt(MAX_PAGE)) throw new StatusError(GrpcStatus.InvalidArgument, `limit ${limit} exceeds ${MAX_PAGE}`);
    const orderBy = req.orderBy === OrderBy.ORDER_BY_DESC ? 'desc' : 'asc';
    const r = await raw<{ txs: CometTxResult[]; total_count: string }>('tx_search', { query, prove: false, page: String(page), per_page: String(limit), order_by: orderBy });
    const times = new Map<string, string>();
    const txs: Tx[] = [];
    const txResponses: TxResponse[] = [];
    for (const t of r.txs) {
      let time = times.get(String(t.height));
      if (time === undefined) {
        time = (await block(BigInt(t.height))).block.header.time;
        times.set(String(t.height), time);
      }
      txs.push(decodeTx(b64(t.tx)) ?? Tx.fromPartial({}));
      txResponses.push(txResponseProto(t, time));
    }
    const total = BigInt(r.total_count);
    return { txs, txResponses, pagination: { nextKey: new Uint8Array(), total }, total };
  }

  const methods: Record<string, (data: Uint8Array) => Promise<Uint8Array>> = {
    '/cosmos.tx.v1beta1.Service/GetTxsEvent': async (data) => GetTxsEventResponse.encode(await txsEvent(decode(GetTxsEventRequest, data, 'GetTxsEventRequest'))).finish(),
    '/cosmos.tx.v1beta1.Service/GetBlockWithTxs': async (data) => {
      const req = decode(GetBlockWithTxsRequest, data, 'GetBlockWithTxsRequest');
      const r = await block(positive(req.height));
      const all = r.block.data.txs ?? [];
      const { from, to } = offsetPage(req.pagination, all.length);
      const { blockId: id, block: b } = protoBlock(r);
      const txs = all.slice(from, to).map((t) => decodeTx(b64(t)) ?? Tx.fromPartial({}));
      return GetBlockWithTxsResponse.encode({ txs, blockId: id, block: b, pagination: { nextKey: new Uint8Array(), total: BigInt(all.length) } }).finish();
    },
    '/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo': async () => {
      const s = await raw<{ node_info: { protocol_version: Record<string, string>; id: string; listen_addr: string; network: string; version: string; channels: string; moniker: string; other: Record<string, string> } }>('status');
      const info = await raw<{ response: { data?: string; version?: string } }>('abci_info');
      const n = s.node_info;
      return GetNodeInfoResponse.encode({
        defaultNodeInfo: {
          protocolVersion: { p2p: BigInt(n.protocol_version.p2p ?? '0'), block: BigInt(n.protocol_version.block ?? '0'), app: BigInt(n.protocol_version.app ?? '0') },
          defaultNodeId: n.id,
          listenAddr: n.listen_addr,
          network: n.network,
          version: n.version,
          channels: hex(n.channels),
          moniker: n.moniker,
          other: { txIndex: n.other.tx_index ?? '', rpcAddress: n.other.rpc_address ?? '' },
        },
        applicationVersion: {
          name: info.response.data ?? '',
          appName: 'sekaid-ts',
          version: info.response.version ?? '',
          gitCommit: '',
          buildTags: '',
          goVersion: `node ${process.version}`,
          buildDeps: [],
          cosmosSdkVersion: '',
        },
      }).finish();
    },
    '/cosmos.base.tendermint.v1beta1.Service/GetSyncing': async () =>
      GetSyncingResponse.encode({ syncing: (await raw<{ sync_info: { catching_up: boolean } }>('status')).sync_info.catching_up }).finish(),
    '/cosmos.base.tendermint.v1beta1.Service/GetLatestBlock': async () => GetLatestBlockResponse.encode(protoBlock(await block())).finish(),
    '/cosmos.base.tendermint.v1beta1.Service/GetBlockByHeight': async (data) => {
      const { height } = decode(GetBlockByHeightRequest, data, 'GetBlockByHeightRequest');
      return GetBlockByHeightResponse.encode(protoBlock(await block(positive(height)))).finish();
    },
    '/cosmos.base.tendermint.v1beta1.Service/GetLatestValidatorSet': async (data) => {
      const req = decode(GetLatestValidatorSetRequest, data, 'GetLatestValidatorSetRequest');
      return GetLatestValidatorSetResponse.encode(await validatorSet(undefined, req.pagination)).finish();
    },
    '/cosmos.base.tendermint.v1beta1.Service/GetValidatorSetByHeight': async (data) => {
      const req = decode(GetValidatorSetByHeightRequest, data, 'GetValidatorSetByHeightRequest');
      return GetValidatorSetByHeightResponse.encode(await validatorSet(positive(req.height), req.pagination)).finish();
    },
    // FileDescriptorsResponse.files and FileDescriptorSet.file are both field 1 of repeated
    // FileDescriptorProto, so the built set is the response as it stands.
    '/cosmos.reflection.v1.ReflectionService/FileDescriptors': async () => new Uint8Array(Buffer.from(FILE_DESCRIPTOR_SET, 'base64')),
    '/cosmos.base.tendermint.v1beta1.Service/ABCIQuery': async (data) => {
      const req = decode(ABCIQueryRequest, data, 'ABCIQueryRequest');
      if (req.height < 0n) throw new StatusError(GrpcStatus.InvalidArgument, `height ${req.height} must not be negative`);
      const r = await app.query({ path: req.path, data: req.data, height: req.height, prove: req.prove });
      return ABCIQueryResponse.encode({
        code: r.code,
        log: r.log,
        info: r.info,
        index: r.index,
        key: r.key,
        value: r.value,
        proofOps: r.proofOps ? { ops: r.proofOps.ops.map((o) => ({ type: o.type, key: o.key, data: o.data })) } : undefined,
        height: r.height,
        codespace: r.codespace,
      }).finish();
    },
  };

  const handler = async (path: string, data: Uint8Array): Promise<Uint8Array | undefined> => {
    const method = Object.hasOwn(methods, path) ? methods[path] : undefined;
    return method ? method(data) : undefined;
  };
  return Object.assign(handler, { close: () => conn?.disconnect() });
}

/** Several node services as one: the first that knows the path answers. */
export function nodeServices(...services: (NodeService & { close?(): void })[]): NodeService & { close(): void } {
  const handler = async (path: string, data: Uint8Array) => {
    for (const s of services) {
      const out = await s(path, data);
      if (out) return out;
    }
    return undefined;
  };
  return Object.assign(handler, { close: () => services.forEach((s) => s.close?.()) });
}
