/**
 * BIP39 mnemonics and BIP32 derivation of secp256k1 account keys (Cosmos: coin type 118).
 * Derivation follows BIP32 exactly (HMAC-SHA512 with key "Bitcoin seed", hardened indexes
 * from 2^31); the native libsecp256k1 binding does the scalar addition mod n.
 */
import { generateMnemonic, mnemonicToSeedSync, validateMnemonic } from 'bip39';
import { createHmac } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { ErrInvalidHdPath, ErrInvalidMnemonic } from './errors';

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

function ser32(i: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(i >>> 0);
  return b;
}

/** Derives the 32-byte private key at `path` from a BIP39 seed. */
export function derivePrivateKey(seed: Uint8Array, path: string): Uint8Array {
  const indexes = parseHdPath(path);
  let I = createHmac('sha512', 'Bitcoin seed').update(seed).digest();
  let key: Uint8Array = Uint8Array.from(I.subarray(0, 32));
  let chain = I.subarray(32);
  if (!secp256k1.privateKeyVerify(key)) throw ErrInvalidHdPath.wrap('seed gives an invalid master key');
  for (const index of indexes) {
    const data =
      index >= HARDENED
        ? Buffer.concat([Buffer.from([0]), key, ser32(index)])
        : Buffer.concat([secp256k1.publicKeyCreate(key, true), ser32(index)]);
    I = createHmac('sha512', chain).update(data).digest();
    // Throws when IL >= n or the sum is zero: probability below 2^-127, BIP32 says skip the index.
    key = secp256k1.privateKeyTweakAdd(Uint8Array.from(key), I.subarray(0, 32));
    chain = I.subarray(32);
  }
  return key;
}

/** Private key for `mnemonic` (normalized and checked) at `path`; `bip39Passphrase` is the optional 25th word. */
export function privateKeyFromMnemonic(mnemonic: string, path = DEFAULT_HD_PATH, bip39Passphrase = ''): Uint8Array {
  return derivePrivateKey(mnemonicToSeedSync(normalizeMnemonic(mnemonic), bip39Passphrase), path);
}

export function secp256k1PublicKey(privateKey: Uint8Array): Uint8Array {
  return secp256k1.publicKeyCreate(privateKey, true);
}
