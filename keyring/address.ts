/**
 * KIRA's bech32 address forms. Account addresses are ripemd160(sha256(compressed secp256k1
 * pubkey)); validator operator addresses are the same 20 bytes under `kiravaloper`; consensus
 * addresses are sha256(ed25519 pubkey)[:20] under `kiravalcons`.
 */
import { accAddressFromSecp256k1, consAddressFromEd25519 } from '../crypto/address';
import { decodeBech32, encodeBech32 } from '../crypto/bech32';
import { ErrInvalidAddress } from './errors';

export const BECH32_PREFIX = {
  acc: 'kira',
  accPub: 'kirapub',
  val: 'kiravaloper',
  valPub: 'kiravaloperpub',
  cons: 'kiravalcons',
  consPub: 'kiravalconspub',
} as const;

export type BechKind = 'acc' | 'val' | 'cons';

export const accountAddressBytes = (secp256k1PubKey: Uint8Array): Uint8Array => accAddressFromSecp256k1(secp256k1PubKey);

export const consensusAddressBytes = (ed25519PubKey: Uint8Array): Uint8Array => consAddressFromEd25519(ed25519PubKey);

export function toBech(kind: BechKind, bytes: Uint8Array): string {
  return encodeBech32(BECH32_PREFIX[kind], bytes);
}

/** Decodes a bech32 address of any KIRA kind; returns its kind and 20 bytes. */
export function decodeAddress(address: string): { kind: BechKind; bytes: Uint8Array } {
  let decoded: { prefix: string; data: Uint8Array };
  try {
    decoded = decodeBech32(address);
  } catch (err) {
    throw ErrInvalidAddress.wrap(`"${address}" is not bech32 (${(err as Error).message})`);
  }
  const kind = (Object.keys(BECH32_PREFIX) as (keyof typeof BECH32_PREFIX)[]).find((k) => BECH32_PREFIX[k] === decoded.prefix);
  if (kind !== 'acc' && kind !== 'val' && kind !== 'cons') {
    throw ErrInvalidAddress.wrap(`"${address}" has prefix "${decoded.prefix}", expected kira, kiravaloper or kiravalcons`);
  }
  if (decoded.data.length !== 20) throw ErrInvalidAddress.wrap(`"${address}" holds ${decoded.data.length} bytes, expected 20`);
  return { kind, bytes: decoded.data };
}

/** True when `text` looks like a bech32 address rather than a key name. */
export function looksLikeAddress(text: string): boolean {
  return /^kira(valoper|valcons)?1[02-9ac-hj-np-z]{38}$/.test(text.toLowerCase());
}
