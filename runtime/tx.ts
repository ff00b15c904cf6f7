/**
 * Cosmos transactions: decoding a broadcast `TxRaw`, its body and auth info, and the
 * SIGN_MODE_DIRECT sign bytes.
 *
 * Sign bytes are a SignDoc built from the RECEIVED body_bytes and auth_info_bytes: we
 * never re-encode what the signer signed, because two encoders may disagree on bytes.
 */
import type { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { sha256 } from '../crypto/hash';
import { ErrTxDecode, ErrUnknownRequest, isCoded } from './errors';
import type { MsgRoute } from './module';
import { decodeAuthInfo, decodeTxBody } from './txDecode';
import { WireError, encodeSignDoc, parseCanonicalTxRaw, signDocDigest } from './wire';

/** One decoded message of a tx with the route that will execute it. */
export interface DecodedMsg {
  typeUrl: string;
  value: unknown;
  route: MsgRoute;
}

export interface DecodedTx {
  /** The bytes as broadcast. */
  bytes: Uint8Array;
  /** sha256(bytes): the tx hash CometBFT indexes. */
  readonly hash: Uint8Array;
  raw: TxRaw;
  body: TxBody;
  authInfo: AuthInfo;
  msgs: DecodedMsg[];
}

/** Finds the route of a message type URL. */
export interface MsgRouter {
  msgRoute(typeUrl: string): MsgRoute | undefined;
}

export { sha256 };

/**
 * Decodes a tx. Throws `ErrTxDecode` for malformed bytes (including a TxRaw that is not
 * in canonical encoding, so one tx cannot travel under two hashes) and
 * `ErrUnknownRequest` for a message type no module serves.
 */
export function decodeTx(bytes: Uint8Array, router: MsgRouter): DecodedTx {
  let raw: TxRaw;
  let body: TxBody;
  let authInfo: AuthInfo;
  try {
    raw = parseCanonicalTxRaw(bytes);
    body = decodeTxBody(raw.bodyBytes);
    authInfo = decodeAuthInfo(raw.authInfoBytes);
  } catch (err) {
    if (err instanceof WireError) throw ErrTxDecode.wrap(`malformed tx: not a canonical TxRaw: ${err.message}`);
    throw ErrTxDecode.wrap(`malformed tx: ${describe(err)}`);
  }
  if (body.messages.length === 0) throw ErrTxDecode.wrap('tx has no messages');
  if (body.extensionOptions.length > 0) {
    throw ErrTxDecode.wrap(`unsupported extension option ${body.extensionOptions[0].typeUrl}`);
  }
  const msgs: DecodedMsg[] = [];
  for (let i = 0; i < body.messages.length; i++) {
    const any = body.messages[i];
    const route = router.msgRoute(any.typeUrl);
    if (!route) throw ErrUnknownRequest.wrap(`unrecognized message type ${JSON.stringify(any.typeUrl)} at index ${i}`);
    let value: unknown;
    try {
      value = route.decode(any.value);
    } catch (err) {
      if (isCoded(err)) throw err;
      throw ErrTxDecode.wrap(`malformed message ${any.typeUrl} at index ${i}: ${describe(err)}`);
    }
    msgs.push({ typeUrl: any.typeUrl, value, route });
  }
  return new Decoded(bytes, raw, body, authInfo, msgs);
}

/** A decoded tx whose hash is computed on first use: execution itself never needs it. */
class Decoded implements DecodedTx {
  private txHash?: Uint8Array;

  constructor(
    readonly bytes: Uint8Array,
    readonly raw: TxRaw,
    readonly body: TxBody,
    readonly authInfo: AuthInfo,
    readonly msgs: DecodedMsg[],
  ) {}

  get hash(): Uint8Array {
    if (this.txHash === undefined) this.txHash = sha256(this.bytes);
    return this.txHash;
  }
}

/** SIGN_MODE_DIRECT sign bytes of `tx` for one signer. */
export function directSignBytes(tx: DecodedTx, chainId: string, accountNumber: bigint): Uint8Array {
  return encodeSignDoc(tx.raw.bodyBytes, tx.raw.authInfoBytes, chainId, accountNumber);
}

/** sha256 of `directSignBytes(tx, chainId, accountNumber)`: the digest a signer signed. */
export function directSignDigest(tx: DecodedTx, chainId: string, accountNumber: bigint): Uint8Array {
  return signDocDigest(tx.raw.bodyBytes, tx.raw.authInfoBytes, chainId, accountNumber);
}

/** A short, deterministic description of a decoder exception (no stack). */
function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
