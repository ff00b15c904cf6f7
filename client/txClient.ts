/**
 * The one call a tx command needs: sign `msgs` with a key and broadcast them through a
 * node's CometBFT RPC, returning the Cosmos SDK TxResponse.
 *
 *   const res = await signAndBroadcast(key, [{ typeUrl: MsgSend.typeUrl, value: bytes }], { node, fees, gas: 'auto', mode: 'block' });
 */
import type { OfflineDirectSigner } from '@cosmjs/proto-signing';
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { AuthInfo, TxBody, type Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { broadcastTx, type BroadcastMode } from './broadcast';
import { ErrInvalidTx, ErrWrongChainId, withMessage } from './errors';
import { sekaiTypes, type TxMessage, type TypeRegistry } from './registry';
import type { NodeConnection } from './rpc';
import { buildUnsignedTx, queryAccount, signTx, simulateGas, type AccountState } from './tx';
import type { TxResponseJson } from './txResponse';

/** The key that signs: its account address, compressed public key and a direct signer. */
export interface SigningKey {
  address: string;
  pubKey: Uint8Array;
  signer: OfflineDirectSigner;
}

export interface TxOptions {
  /** Expected chain id; compared with the node's network. Required offline. */
  chainId?: string;
  fees?: readonly Coin[];
  /** Gas limit, or 'auto' to simulate and multiply by gasAdjustment. */
  gas?: bigint | 'auto';
  gasAdjustment?: number;
  memo?: string;
  timeoutHeight?: bigint;
  /** Account number and sequence to sign with instead of asking the node (offline signing). */
  account?: { accountNumber: bigint; sequence: bigint };
  types?: TypeRegistry;
}

export const DEFAULT_GAS = 200_000n;

/** The node's chain id, checked against `expected` when one is given. */
export async function checkChainId(conn: NodeConnection, expected?: string): Promise<string> {
  const network = (await conn.call((c) => c.status())).nodeInfo.network;
  if (expected !== undefined && expected !== network) {
    throw withMessage(ErrWrongChainId, `--chain-id "${expected}" does not match the chain of node ${conn.node}, which is "${network}"`);
  }
  return network;
}

/** Gas limit × adjustment, rounded up, in integers (adjustment kept to 1/1000). */
export function adjustGas(gasUsed: bigint, adjustment: number): bigint {
  if (!(adjustment > 0) || !Number.isFinite(adjustment)) throw ErrInvalidTx.wrap(`gas adjustment must be a positive number, got ${adjustment}`);
  const milli = BigInt(Math.round(adjustment * 1000));
  return (gasUsed * milli + 999n) / 1000n;
}

export interface SignedTx {
  txBytes: Uint8Array;
  chainId: string;
  account: AccountState;
  gasLimit: bigint;
}

/**
 * Builds and signs a tx. With `conn` it reads chain id, account number and sequence from the
 * node (and simulates for gas 'auto'); without, `chainId` and `account` must be given.
 */
export async function buildAndSign(conn: NodeConnection | undefined, key: SigningKey, msgs: readonly TxMessage[], o: TxOptions = {}): Promise<SignedTx> {
  const types = o.types ?? sekaiTypes();
  let chainId = o.chainId;
  if (conn) chainId = await checkChainId(conn, o.chainId);
  if (!chainId) throw ErrInvalidTx.wrap('a chain id is needed to sign offline');
  let account: AccountState;
  if (o.account) account = { address: key.address, ...o.account };
  else if (conn) account = await queryAccount(conn, key.address);
  else throw ErrInvalidTx.wrap('account number and sequence are needed to sign offline');
  let gasLimit = o.gas === undefined ? DEFAULT_GAS : o.gas;
  if (gasLimit === 'auto') {
    if (!conn) throw ErrInvalidTx.wrap('gas "auto" needs a node to simulate on');
    const used = await simulateGas(conn, types, { msgs, memo: o.memo, pubKey: key.pubKey, sequence: account.sequence, fee: o.fees, timeoutHeight: o.timeoutHeight });
    gasLimit = adjustGas(used, o.gasAdjustment ?? 1);
  }
  const unsigned = buildUnsignedTx(types, { msgs, memo: o.memo, fee: o.fees ?? [], gasLimit, pubKey: key.pubKey, sequence: account.sequence, timeoutHeight: o.timeoutHeight });
  const txBytes = await signTx(key.signer, key.address, unsigned, chainId, account.accountNumber);
  return { txBytes, chainId, account, gasLimit };
}

/** Signs `msgs` with `key` and broadcasts them; `mode` 'block' waits for the block. */
export async function signAndBroadcast(
  conn: NodeConnection,
  key: SigningKey,
  msgs: readonly TxMessage[],
  o: TxOptions & { mode?: BroadcastMode; timeoutMs?: number } = {},
): Promise<TxResponseJson> {
  const types = o.types ?? sekaiTypes();
  const signed = await buildAndSign(conn, key, msgs, { ...o, types });
  return broadcastTx(conn, types, signed.txBytes, { mode: o.mode ?? 'sync', timeoutMs: o.timeoutMs });
}

/** An unsigned tx (no signer infos, no signatures) as `--generate-only` prints it. */
export function unsignedTx(types: TypeRegistry, msgs: readonly TxMessage[], o: { memo?: string; fees?: readonly Coin[]; gasLimit: bigint; timeoutHeight?: bigint }): Tx {
  return {
    body: TxBody.fromPartial({ messages: msgs.map((m) => ({ typeUrl: m.typeUrl, value: types.encodeValue(m) })), memo: o.memo ?? '', timeoutHeight: o.timeoutHeight ?? 0n }),
    authInfo: AuthInfo.fromPartial({ signerInfos: [], fee: { amount: [...(o.fees ?? [])], gasLimit: o.gasLimit } }),
    signatures: [],
  };
}
