/**
 * KIRA's bech32 address forms. Account addresses are ripemd160(sha256(compressed secp256k1
 * pubkey)); validator operator addresses are the same 20 bytes under `kiravaloper`; consensus
 * addresses are sha256(ed25519 pubkey)[:20] under `kiravalcons`.
 */
import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { createHash } from 'node:crypto';
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

export function accountAddressBytes(secp256k1PubKey: Uint8Array): Uint8Array {
  const sha = createHash('sha256').update(secp256k1PubKey).digest();
  return createHash('ripemd160').update(sha).digest();
}

export function consensusAddressBytes(ed25519PubKey: Uint8Array): Uint8Array {
  return createHash('sha256').update(ed25519PubKey).digest().subarray(0, 20);
}

export function toBech(kind: BechKind, bytes: Uint8Array): string {
  return toBech32(BECH32_PREFIX[kind], bytes);
}

/** Decodes a bech32 address of any KIRA kind; returns its kind and 20 bytes. */
export function decodeAddress(address: string): { kind: BechKind; bytes: Uint8Array } {
  let decoded: { prefix: string; data: Uint8Array };
  try {
    decoded = fromBech32(address, 90);
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
