/**
 * Building, signing and rendering Cosmos txs (SIGN_MODE_DIRECT). The signer is any cosmjs
 * OfflineDirectSigner (the CLI keyring's, a wallet's); account number and sequence come from
 * `/cosmos.auth.v1beta1.Query/Account` unless given (offline signing).
 */
import type { OfflineDirectSigner } from '@cosmjs/proto-signing';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { PubKey as Secp256k1PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { AuthInfo, SignDoc, Tx, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { createHash } from 'node:crypto';
import { ErrAccountNotFound, ErrInvalidTx, withMessage } from './errors';
import { abciQuery } from './query';
import type { TxMessage, TypeRegistry } from './registry';
import type { NodeConnection } from './rpc';

export const SECP256K1_PUBKEY_URL = '/cosmos.crypto.secp256k1.PubKey';

export interface AccountState {
  address: string;
  accountNumber: bigint;
  sequence: bigint;
}

/** The on-chain account number and sequence of `address` (ErrAccountNotFound when it has none). */
export async function queryAccount(conn: NodeConnection, address: string): Promise<AccountState> {
  const req = QueryAccountRequest.encode({ address }).finish();
  let value: Uint8Array;
  try {
    value = await abciQuery(conn, '/cosmos.auth.v1beta1.Query/Account', req);
  } catch (err) {
    if (err instanceof Error && /NotFound|not found/i.test(err.message)) {
      throw withMessage(ErrAccountNotFound, `account ${address} does not exist on chain ${await chainIdOf(conn)}: it must receive funds before it can sign`);
    }
    throw err;
  }
  const any = QueryAccountResponse.decode(value).account;
  if (!any) throw withMessage(ErrAccountNotFound, `account ${address} does not exist on chain`);
  if (any.typeUrl !== '/cosmos.auth.v1beta1.BaseAccount') throw ErrInvalidTx.wrap(`account ${address} has unsupported type ${any.typeUrl}`);
  const acc = BaseAccount.decode(any.value);
  return { address, accountNumber: acc.accountNumber, sequence: acc.sequence };
}

async function chainIdOf(conn: NodeConnection): Promise<string> {
  try {
    return (await conn.comet.status()).nodeInfo.network;
  } catch {
    return '(unknown)';
  }
}

export interface UnsignedTxOptions {
  msgs: readonly TxMessage[];
  memo?: string;
  fee: readonly Coin[];
  gasLimit: bigint;
  /** 33-byte compressed secp256k1 key of the signer. */
  pubKey: Uint8Array;
  sequence: bigint;
  timeoutHeight?: bigint;
}

/** TxBody and AuthInfo bytes exactly as they will be signed and broadcast. */
export function buildUnsignedTx(types: TypeRegistry, o: UnsignedTxOptions): { bodyBytes: Uint8Array; authInfoBytes: Uint8Array } {
  if (o.msgs.length === 0) throw ErrInvalidTx.wrap('a tx needs at least one message');
  const body = TxBody.fromPartial({
    messages: o.msgs.map((m) => ({ typeUrl: m.typeUrl, value: types.encodeValue(m) })),
    memo: o.memo ?? '',
    timeoutHeight: o.timeoutHeight ?? 0n,
  });
  const authInfo = AuthInfo.fromPartial({
    signerInfos: [
      {
        publicKey: { typeUrl: SECP256K1_PUBKEY_URL, value: Secp256k1PubKey.encode({ key: o.pubKey }).finish() },
        modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
        sequence: o.sequence,
      },
    ],
    fee: { amount: [...o.fee], gasLimit: o.gasLimit },
  });
  return { bodyBytes: TxBody.encode(body).finish(), authInfoBytes: AuthInfo.encode(authInfo).finish() };
}

/** Signs body + auth info with SIGN_MODE_DIRECT; returns the broadcastable TxRaw bytes. */
export async function signTx(
  signer: OfflineDirectSigner,
  signerAddress: string,
  unsigned: { bodyBytes: Uint8Array; authInfoBytes: Uint8Array },
  chainId: string,
  accountNumber: bigint,
): Promise<Uint8Array> {
  const signDoc = SignDoc.fromPartial({ bodyBytes: unsigned.bodyBytes, authInfoBytes: unsigned.authInfoBytes, chainId, accountNumber });
  const { signed, signature } = await signer.signDirect(signerAddress, signDoc);
  return TxRaw.encode({
    bodyBytes: signed.bodyBytes,
    authInfoBytes: signed.authInfoBytes,
    signatures: [new Uint8Array(Buffer.from(signature.signature, 'base64'))],
  }).finish();
}

/**
 * Gas used by the msgs in a dry run (`/cosmos.tx.v1beta1.Service/Simulate`), with an empty
 * signature and SIGN_MODE_UNSPECIFIED, as cosmjs simulates.
 */
export async function simulateGas(conn: NodeConnection, types: TypeRegistry, o: Omit<UnsignedTxOptions, 'gasLimit' | 'fee'> & { fee?: readonly Coin[] }): Promise<bigint> {
  const unsigned = buildUnsignedTx(types, { ...o, fee: o.fee ?? [], gasLimit: 0n });
  const auth = AuthInfo.decode(unsigned.authInfoBytes);
  auth.signerInfos[0].modeInfo = { single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } };
  const txBytes = TxRaw.encode({ bodyBytes: unsigned.bodyBytes, authInfoBytes: AuthInfo.encode(auth).finish(), signatures: [new Uint8Array()] }).finish();
  const res = SimulateResponse.decode(await abciQuery(conn, '/cosmos.tx.v1beta1.Service/Simulate', SimulateRequest.encode(SimulateRequest.fromPartial({ txBytes })).finish()));
  if (!res.gasInfo) throw ErrInvalidTx.wrap('simulation returned no gas info');
  return res.gasInfo.gasUsed;
}

/** sha256 of the tx bytes as uppercase hex: the tx hash CometBFT and the SDK print. */
export function txHash(txBytes: Uint8Array): string {
  return createHash('sha256').update(txBytes).digest('hex').toUpperCase();
}

/** Decodes TxRaw bytes into a Tx (ErrInvalidTx on garbage). */
export function decodeTx(txBytes: Uint8Array): Tx {
  let raw: TxRaw;
  try {
    raw = TxRaw.decode(txBytes);
    return { body: TxBody.decode(raw.bodyBytes), authInfo: AuthInfo.decode(raw.authInfoBytes), signatures: raw.signatures };
  } catch (err) {
    throw ErrInvalidTx.wrap(`cannot decode tx bytes (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Encodes a Tx as TxRaw bytes. */
export function encodeTx(tx: Tx): Uint8Array {
  return TxRaw.encode({
    bodyBytes: TxBody.encode(tx.body ?? TxBody.fromPartial({})).finish(),
    authInfoBytes: AuthInfo.encode(tx.authInfo ?? AuthInfo.fromPartial({})).finish(),
    signatures: tx.signatures,
  }).finish();
}

/** A Tx as the Cosmos SDK prints it (`tx` of TxResponse, `--generate-only`, `tx decode`). */
export function txToJson(types: TypeRegistry, tx: Tx): Record<string, unknown> {
  const body = tx.body ?? TxBody.fromPartial({});
  const auth = tx.authInfo ?? AuthInfo.fromPartial({});
  const coin = (c: Coin) => ({ denom: c.denom, amount: c.amount });
  return {
    body: {
      messages: body.messages.map((m) => types.anyToJson(m.typeUrl, m.value)),
      memo: body.memo,
      timeout_height: body.timeoutHeight.toString(),
      unordered: body.unordered,
      timeout_timestamp: body.timeoutTimestamp ? new Date(Number(body.timeoutTimestamp.seconds) * 1000).toISOString().replace('.000Z', 'Z') : null,
      extension_options: body.extensionOptions.map((m) => types.anyToJson(m.typeUrl, m.value)),
      non_critical_extension_options: body.nonCriticalExtensionOptions.map((m) => types.anyToJson(m.typeUrl, m.value)),
    },
    auth_info: {
      signer_infos: auth.signerInfos.map((s) => ({
        public_key: s.publicKey ? types.anyToJson(s.publicKey.typeUrl, s.publicKey.value) : null,
        mode_info: s.modeInfo?.single ? { single: { mode: SignMode[s.modeInfo.single.mode] ?? String(s.modeInfo.single.mode) } } : null,
        sequence: s.sequence.toString(),
      })),
      fee: auth.fee
        ? { amount: auth.fee.amount.map(coin), gas_limit: auth.fee.gasLimit.toString(), payer: auth.fee.payer, granter: auth.fee.granter }
        : null,
      tip: null,
    },
    signatures: tx.signatures.map((s) => Buffer.from(s).toString('base64')),
  };
}

/** Reads the JSON printed by txToJson (or by the Cosmos SDK's --generate-only) back into a Tx. */
export function txFromJson(types: TypeRegistry, json: unknown): Tx {
  type Obj = Record<string, unknown>;
  const j = json as { body?: Obj; auth_info?: Obj; signatures?: unknown };
  if (!j || typeof j !== 'object' || !j.body || !j.auth_info) throw ErrInvalidTx.wrap('tx JSON needs "body" and "auth_info"');
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const int = (v: unknown): bigint => BigInt((v as string | number | undefined) ?? 0);
  try {
    const b = j.body;
    const a = j.auth_info;
    const body = TxBody.fromPartial({
      messages: list(b.messages).map((m) => types.jsonToAny(m)),
      memo: String(b.memo ?? ''),
      timeoutHeight: int(b.timeout_height),
      unordered: Boolean(b.unordered),
      extensionOptions: list(b.extension_options).map((m) => types.jsonToAny(m)),
      nonCriticalExtensionOptions: list(b.non_critical_extension_options).map((m) => types.jsonToAny(m)),
    });
    const fee = a.fee as Obj | null | undefined;
    const authInfo = AuthInfo.fromPartial({
      signerInfos: list(a.signer_infos).map((x) => {
        const s = x as Obj;
        const single = (s.mode_info as { single?: { mode?: unknown } } | null | undefined)?.single;
        return {
          publicKey: s.public_key ? types.jsonToAny(s.public_key) : undefined,
          modeInfo: single ? { single: { mode: modeOf(single.mode) } } : undefined,
          sequence: int(s.sequence),
        };
      }),
      fee: fee
        ? {
            amount: list(fee.amount).map((c) => ({ denom: String((c as Obj).denom), amount: String((c as Obj).amount) })),
            gasLimit: int(fee.gas_limit),
            payer: String(fee.payer ?? ''),
            granter: String(fee.granter ?? ''),
          }
        : undefined,
    });
    const sigs = list(j.signatures).map((s) => new Uint8Array(Buffer.from(String(s), 'base64')));
    return { body, authInfo, signatures: sigs };
  } catch (err) {
    if (err instanceof Error && err.name === 'CodedError') throw err;
    throw ErrInvalidTx.wrap(`malformed tx JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

function modeOf(m: unknown): SignMode {
  if (typeof m === 'number') return m;
  const v = (SignMode as unknown as Record<string, number>)[String(m)];
  if (v === undefined) throw ErrInvalidTx.wrap(`unknown sign mode ${String(m)}`);
  return v;
}
