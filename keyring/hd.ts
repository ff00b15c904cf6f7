/**
 * BIP39 mnemonics and BIP32 derivation of secp256k1 account keys (Cosmos: coin type 118).
 * Derivation is @scure/bip32's (BIP32 as written: HMAC-SHA512 with key "Bitcoin seed",
 * hardened indexes from 2^31); it runs once per `keys add`, never on a hot path.
 */
import type * as ScureBip32 from '@scure/bip32' with { 'resolution-mode': 'import' };
import { generateMnemonic, mnemonicToSeedSync, validateMnemonic } from 'bip39';
import secp256k1 from 'secp256k1';
import { ErrInvalidHdPath, ErrInvalidMnemonic } from './errors';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- ESM package, loaded through require(esm)
const { HDKey } = require('@scure/bip32') as typeof ScureBip32;

/** m/44'/118'/0'/0/0: BIP44 purpose, Cosmos coin type, first account, external chain, first address. */
export const DEFAULT_HD_PATH = "m/44'/118'/0'/0/0";
const HARDENED = 0x80000000;

/** Parses "m/44'/118'/0'/0/0" (' or h marks a hardened index) into child indexes. */
export function parseHdPath(path: string): number[] {
  const parts = path.trim().split('/');
  if (parts[0] !== 'm') throw ErrInvalidHdPath.wrap(`"${path}" must start with m/`);
  return parts.slice(1).map((part) => {
    const m = /^(\d+)(['h]?)$/.exec(part);
    if (!m) throw ErrInvalidHdPath.wrap(`"${path}": "${part}" is not an index such as 0 or 44'`);
    const index = Number(m[1]);
    if (!Number.isSafeInteger(index) || index >= HARDENED) throw ErrInvalidHdPath.wrap(`"${path}": index ${part} must be below 2^31`);
    return m[2] ? index + HARDENED : index;
  });
}

/** A fresh 24-word English mnemonic (256 bits of entropy). */
export function newMnemonic(): string {
  return generateMnemonic(256);
}

/** Normalizes spacing and checks the words and checksum. */
export function normalizeMnemonic(mnemonic: string): string {
  const words = mnemonic.trim().toLowerCase().split(/\s+/);
  const normalized = words.join(' ');
  if (![12, 15, 18, 21, 24].includes(words.length)) throw ErrInvalidMnemonic.wrap(`expected 12 to 24 words, got ${words.length}`);
  if (!validateMnemonic(normalized)) throw ErrInvalidMnemonic.wrap('a word is not in the BIP39 English list or the checksum does not match');
  return normalized;
}

/** Derives the 32-byte private key at `path` from a BIP39 seed. */
export function derivePrivateKey(seed: Uint8Array, path: string): Uint8Array {
  const indexes = parseHdPath(path);
  let node: ScureBip32.HDKey;
  try {
    node = HDKey.fromMasterSeed(seed);
    // Throws when IL >= n or the key is zero: probability below 2^-127, BIP32 says skip the index.
    for (const index of indexes) node = node.deriveChild(index);
  } catch (err) {
    throw ErrInvalidHdPath.wrap(`"${path}": ${(err as Error).message}`);
  }
  if (!node.privateKey) throw ErrInvalidHdPath.wrap(`"${path}" gives no private key`);
  return Uint8Array.from(node.privateKey);
}

/** Private key for `mnemonic` (normalized and checked) at `path`; `bip39Passphrase` is the optional 25th word. */
export function privateKeyFromMnemonic(mnemonic: string, path = DEFAULT_HD_PATH, bip39Passphrase = ''): Uint8Array {
  return derivePrivateKey(mnemonicToSeedSync(normalizeMnemonic(mnemonic), bip39Passphrase), path);
}

export function secp256k1PublicKey(privateKey: Uint8Array): Uint8Array {
  return secp256k1.publicKeyCreate(privateKey, true);
}
