/**
 * The bytes a notary signs for a notarization. Fixed-layout binary, not protobuf or JSON,
 * so that every implementation produces the same bytes without an encoder:
 *
 *   "sekai.notarypay.v1.Notarize"          27 bytes of ASCII (domain separation:
 *                                          never valid as a Cosmos SignDoc or another doc)
 *   len(chain_id)                          1 byte (CometBFT chain IDs are at most 50 bytes)
 *   chain_id                               UTF-8
 *   height                                 8 bytes, unsigned big-endian
 *   len(app_hash)                          1 byte (32 for sekai-ts)
 *   app_hash                               the AppHash the chain committed at `height`
 *
 * The signature is secp256k1 (64-byte r‖s, low-S) over sha256(sign bytes).
 */
import { sha256 } from '../../crypto/hash';
import { signSecp256k1 } from '../../crypto/secp256k1';
import { ErrInvalidNotarization } from './types/errors';
import { u64 } from './types/keys';

export const NOTARIZE_DOMAIN = 'sekai.notarypay.v1.Notarize';

const utf8 = new TextEncoder();

export function notarizationSignBytes(chainId: string, height: number | bigint, appHash: Uint8Array): Uint8Array {
  const domain = utf8.encode(NOTARIZE_DOMAIN);
  const chain = utf8.encode(chainId);
  if (chain.length > 255) throw ErrInvalidNotarization.wrap('chain id is longer than 255 bytes');
  if (appHash.length > 255) throw ErrInvalidNotarization.wrap('app hash is longer than 255 bytes');
  const out = new Uint8Array(domain.length + 1 + chain.length + 8 + 1 + appHash.length);
  let o = 0;
  out.set(domain, o);
  o += domain.length;
  out[o++] = chain.length;
  out.set(chain, o);
  o += chain.length;
  out.set(u64(height), o);
  o += 8;
  out[o++] = appHash.length;
  out.set(appHash, o);
  return out;
}

export function notarizationDigest(chainId: string, height: number | bigint, appHash: Uint8Array): Uint8Array {
  return sha256(notarizationSignBytes(chainId, height, appHash));
}

/** Signs a notarization with a notary's private key (the `notary sign` tool). */
export function signNotarization(privKey: Uint8Array, chainId: string, height: number | bigint, appHash: Uint8Array): Uint8Array {
  return signSecp256k1(privKey, notarizationDigest(chainId, height, appHash));
}
