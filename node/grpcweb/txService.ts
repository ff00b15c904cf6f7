/**
 * `cosmos.tx.v1beta1.Service/BroadcastTx` and `/GetTx` for gRPC-web, read from this node's
 * CometBFT RPC (the embedded engine's or CometBFT's), as the REST server does. Simulate stays an
 * ABCI query of the app.
 */
import { TxResponse } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { BroadcastMode, BroadcastTxRequest, BroadcastTxResponse, GetTxRequest, GetTxResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { connectNode, type NodeConnection } from '../../client/rpc';
import { txHash } from '../../client/tx';
import type { CometTxResult } from '../../client/txResponse';
import { txResponseProto } from './chainService';
import { GrpcStatus, StatusError } from '../http/status';
import type { NodeService } from './server';

function decode<T>(codec: { decode(b: Uint8Array): T }, data: Uint8Array, what: string): T {
  try {
    return codec.decode(data);
  } catch {
    throw new StatusError(GrpcStatus.InvalidArgument, `malformed ${what}`);
  }
}

export function txService(rpcUrl: string): NodeService & { close(): void } {
  let conn: NodeConnection | undefined;
  const rpc = async () => {
    if (!conn) {
      try {
        conn = await connectNode(rpcUrl);
      } catch (err) {
        throw new StatusError(GrpcStatus.Unavailable, `node RPC ${rpcUrl} is not reachable: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return conn;
  };
  const handler = async (path: string, data: Uint8Array): Promise<Uint8Array | undefined> => {
    if (path === '/cosmos.tx.v1beta1.Service/BroadcastTx') {
      const req = decode(BroadcastTxRequest, data, 'BroadcastTxRequest');
      if (req.txBytes.length === 0) throw new StatusError(GrpcStatus.InvalidArgument, 'tx_bytes is empty');
      const tx = Buffer.from(req.txBytes).toString('base64');
      const base = TxResponse.fromPartial({ txhash: txHash(req.txBytes) });
      if (req.mode === BroadcastMode.BROADCAST_MODE_ASYNC) {
        await (await rpc()).raw('broadcast_tx_async', { tx });
        return BroadcastTxResponse.encode({ txResponse: base }).finish();
      }
      if (req.mode !== BroadcastMode.BROADCAST_MODE_SYNC) {
        throw new StatusError(GrpcStatus.InvalidArgument, `unsupported broadcast mode ${BroadcastMode[req.mode] ?? req.mode}: use BROADCAST_MODE_SYNC or BROADCAST_MODE_ASYNC`);
      }
      const r = (await (await rpc()).raw('broadcast_tx_sync', { tx })) as { code: number; codespace: string; log: string };
      return BroadcastTxResponse.encode({ txResponse: { ...base, code: r.code, codespace: r.codespace, rawLog: r.log } }).finish();
    }
    if (path === '/cosmos.tx.v1beta1.Service/GetTx') {
      const { hash } = decode(GetTxRequest, data, 'GetTxRequest');
      if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw new StatusError(GrpcStatus.InvalidArgument, `tx hash ${JSON.stringify(hash)} must be 64 hex characters`);
      let r: CometTxResult;
      try {
        r = (await (await rpc()).raw('tx', { hash: Buffer.from(hash, 'hex').toString('base64'), prove: false })) as CometTxResult;
      } catch (err) {
        if (err instanceof Error && /not found/i.test(err.message)) throw new StatusError(GrpcStatus.NotFound, `tx not found: ${hash.toUpperCase()}`);
        throw err;
      }
      const block = (await (await rpc()).raw('block', { height: String(r.height) })) as { block: { header: { time: string } } };
      return GetTxResponse.encode({ tx: Tx.decode(Buffer.from(r.tx, 'base64')), txResponse: txResponseProto(r, block.block.header.time) }).finish();
    }
    return undefined;
  };
  return Object.assign(handler, { close: () => conn?.disconnect() });
}
