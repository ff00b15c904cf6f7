/**
 * The Cosmos SDK's TxResponse JSON (what `tx … --output json` and `query tx` print), built
 * from CometBFT RPC results: `broadcast_tx_sync/async` before inclusion, `tx` after.
 */
import type { TypeRegistry } from './registry';
import { decodeTx, txToJson } from './tx';

export interface EventAttributeJson {
  key: string;
  value: string;
  index: boolean;
}

export interface EventJson {
  type: string;
  attributes: EventAttributeJson[];
}

export interface TxResponseJson {
  height: string;
  txhash: string;
  codespace: string;
  code: number;
  /** Uppercase hex of the result data (TxMsgData). */
  data: string;
  raw_log: string;
  logs: unknown[];
  info: string;
  gas_wanted: string;
  gas_used: string;
  /** The tx as `{"@type": "/cosmos.tx.v1beta1.Tx", …}`, or null before inclusion. */
  tx: Record<string, unknown> | null;
  /** Block time (RFC 3339), empty before inclusion. */
  timestamp: string;
  events: EventJson[];
}

/** CometBFT's `tx` RPC result (JSON as the node sends it). */
export interface CometTxResult {
  hash: string;
  height: string;
  index: number;
  tx: string;
  tx_result: {
    code?: number;
    codespace?: string;
    data?: string | null;
    log?: string;
    info?: string;
    gas_wanted?: string;
    gas_used?: string;
    events?: Array<{ type: string; attributes?: Array<{ key: string; value: string; index?: boolean }> | null }> | null;
  };
}

/** The response of broadcast_tx_sync / _async: no height, no events, no tx yet. */
export function broadcastResponse(r: { hash: string; code?: number; codespace?: string; log?: string }): TxResponseJson {
  return {
    height: '0',
    txhash: r.hash.toUpperCase(),
    codespace: r.codespace ?? '',
    code: r.code ?? 0,
    data: '',
    raw_log: r.log ?? '',
    logs: [],
    info: '',
    gas_wanted: '0',
    gas_used: '0',
    tx: null,
    timestamp: '',
    events: [],
  };
}

/** Block time as the SDK prints it: RFC 3339 to the second. */
export function sdkTimestamp(cometTime: string): string {
  return cometTime.replace(/\.\d+Z$/, 'Z');
}

/** A committed tx (CometBFT `tx` result + its block's time) as a TxResponse. */
export function committedResponse(types: TypeRegistry, r: CometTxResult, blockTime: string): TxResponseJson {
  const res = r.tx_result;
  return {
    height: String(r.height),
    txhash: r.hash.toUpperCase(),
    codespace: res.codespace ?? '',
    code: res.code ?? 0,
    data: res.data ? Buffer.from(res.data, 'base64').toString('hex').toUpperCase() : '',
    raw_log: res.log ?? '',
    logs: [],
    info: res.info ?? '',
    gas_wanted: res.gas_wanted ?? '0',
    gas_used: res.gas_used ?? '0',
    tx: { '@type': '/cosmos.tx.v1beta1.Tx', ...txToJson(types, decodeTx(Buffer.from(r.tx, 'base64'))) },
    timestamp: sdkTimestamp(blockTime),
    events: (res.events ?? []).map((e) => ({
      type: e.type,
      attributes: (e.attributes ?? []).map((a) => ({ key: a.key, value: a.value, index: a.index ?? false })),
    })),
  };
}
