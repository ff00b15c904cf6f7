/**
 * Addresses of accounts, validators and consensus keys, and their bech32 forms.
 *
 * - account (and validator operator) address = ripemd160(sha256(33-byte secp256k1 key)), 20 bytes;
 * - consensus address = sha256(32-byte ed25519 key)[:20];
 * - bech32 prefixes: `kira` (accounts), `kiravaloper` (validator operators), `kiravalcons` (consensus).
 */
import { decodeBech32, encodeBech32 } from './bech32';
import { ErrInvalidAddressLength, ErrInvalidPublicKey, ErrWrongBech32Prefix } from './errors';
import { ripemd160, sha256 } from './hash';

export const ADDRESS_LENGTH = 20;

export const Bech32Prefix = {
  account: 'kira',
  validator: 'kiravaloper',
  consensus: 'kiravalcons',
} as const;
export type AddressKind = keyof typeof Bech32Prefix;

/** The 20-byte account address of a 33-byte compressed secp256k1 public key. */
export function accAddressFromSecp256k1(pubkey33: Uint8Array): Uint8Array {
  if (!(pubkey33 instanceof Uint8Array) || pubkey33.length !== 33 || (pubkey33[0] !== 2 && pubkey33[0] !== 3)) {
    throw ErrInvalidPublicKey.wrap('secp256k1 public key must be 33 bytes, compressed (0x02/0x03 prefix)');
  }
  return ripemd160(sha256(pubkey33));
}

/** The 20-byte consensus address of a 32-byte ed25519 public key (CometBFT's validator address). */
export function consAddressFromEd25519(pubkey32: Uint8Array): Uint8Array {
  if (!(pubkey32 instanceof Uint8Array) || pubkey32.length !== 32) {
    throw ErrInvalidPublicKey.wrap('ed25519 public key must be 32 bytes');
  }
  return sha256(pubkey32).subarray(0, ADDRESS_LENGTH);
}

/** Bech32 form of a 20-byte address of the given kind. */
export function addressToBech32(kind: AddressKind, address: Uint8Array): string {
  checkLength(address);
  return encodeBech32(Bech32Prefix[kind], address);
}

/**
 * The 20-byte address in a bech32 string of the given kind. Throws ErrInvalidBech32 for a
 * malformed string, ErrWrongBech32Prefix for another kind's prefix and ErrInvalidAddressLength
 * when the payload is not 20 bytes.
 */
export function addressFromBech32(kind: AddressKind, text: string): Uint8Array {
  const { prefix, data } = decodeBech32(text);
  const want = Bech32Prefix[kind];
  if (prefix !== want) throw ErrWrongBech32Prefix.wrap(`expected prefix ${want}, got ${prefix}`);
  checkLength(data);
  return data;
}

function checkLength(address: Uint8Array): void {
  if (!(address instanceof Uint8Array) || address.length !== ADDRESS_LENGTH) {
    const got = address instanceof Uint8Array ? `${address.length} bytes` : typeof address;
    throw ErrInvalidAddressLength.wrap(`expected ${ADDRESS_LENGTH} bytes, got ${got}`);
  }
}
