/**
 * The Cosmos SDK's armored private key (`keys export` / `keys import`), so a key moves between
 * `sekaid` and `sekaid-ts` in both directions:
 *
 *   -----BEGIN TENDERMINT PRIVATE KEY-----
 *   kdf: bcrypt
 *   salt: <16 random bytes, uppercase hex>
 *   type: secp256k1
 *
 *   <base64 of nonce(24) || xsalsa20poly1305 secretbox (tag(16) || ciphertext), 64 per line>
 *   =<base64 CRC-24 of those bytes>
 *   -----END TENDERMINT PRIVATE KEY-----
 *
 * The plaintext is the key's legacy Amino encoding: the 4-byte prefix of
 * "tendermint/PrivKeySecp256k1" (e1b0f79b), a length byte (0x20) and the 32 key bytes.
 * The secretbox key is sha256 of the bcrypt hash string ("$2a$12$…", cost 12) computed from
 * the passphrase with the header's salt (kdf: bcrypt, what sekaid writes), or
 * scrypt(passphrase, salt, N, r, p, dklen) from the `kdfparams` header (kdf: scrypt, what the
 * SDK writes since it moved off bcrypt). Export writes bcrypt, which every SDK version reads.
 * The block is OpenPGP armor (RFC 4880 §6.2): headers in sorted order, as Go writes them
 * when there is one.
 */
import { createHash, randomBytes, scryptSync } from 'node:crypto';
import type * as NobleSalsa from '@noble/ciphers/salsa.js' with { 'resolution-mode': 'import' };
import { encodeBase64 as bcryptBase64, hashSync as bcryptHash } from 'bcryptjs';
import { ErrInvalidArmor, ErrWrongPassphrase } from './errors';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- ESM package, loaded through require(esm)
const { xsalsa20poly1305 } = require('@noble/ciphers/salsa.js') as typeof NobleSalsa;

export const PRIVATE_KEY_BLOCK = 'TENDERMINT PRIVATE KEY';
/** The SDK's bcrypt cost for exports (crypto.BcryptSecurityParameter): about 0.3 s per try here. */
export const BCRYPT_COST = 12;
/** Amino prefix of tendermint/PrivKeySecp256k1: sha256(name) after the 3 disambiguation bytes. */
const AMINO_SECP256K1_PRIVKEY = Buffer.from('e1b0f79b', 'hex');
const NONCE_LEN = 24;
const TAG_LEN = 16;
/** scrypt above this memory is refused: an armor header must not make us allocate gigabytes. */
const SCRYPT_MAXMEM = 256 * 1024 * 1024;

/** CRC-24 of RFC 4880 §6.1 (init 0xB704CE, polynomial 0x1864CFB). */
export function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

export interface ArmorBlock {
  type: string;
  headers: Record<string, string>;
  data: Uint8Array;
}

/** OpenPGP armor as Go's x/crypto writes it (no trailing newline after the END line). */
export function encodeArmor(block: ArmorBlock): string {
  const b64 = Buffer.from(block.data).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [''];
  const crc = crc24(block.data);
  const crcB64 = Buffer.from([crc >> 16, (crc >> 8) & 0xff, crc & 0xff]).toString('base64');
  const headers = Object.keys(block.headers)
    .sort()
    .map((k) => `${k}: ${block.headers[k]}\n`)
    .join('');
  return `-----BEGIN ${block.type}-----\n${headers}\n${lines.join('\n')}\n=${crcB64}\n-----END ${block.type}-----`;
}

/** Parses one armored block; checks the CRC-24 when the block carries one. */
export function decodeArmor(text: string): ArmorBlock {
  const lines = text.replace(/\r/g, '').split('\n').map((l) => l.trim());
  const begin = lines.findIndex((l) => /^-----BEGIN (.+)-----$/.test(l));
  if (begin < 0) throw ErrInvalidArmor.wrap('no "-----BEGIN …-----" line');
  const type = /^-----BEGIN (.+)-----$/.exec(lines[begin])![1];
  const end = lines.indexOf(`-----END ${type}-----`, begin + 1);
  if (end < 0) throw ErrInvalidArmor.wrap(`no "-----END ${type}-----" line`);
  const headers: Record<string, string> = {};
  let i = begin + 1;
  for (; i < end && lines[i] !== ''; i++) {
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(lines[i]);
    if (!m) throw ErrInvalidArmor.wrap(`bad header line "${lines[i]}"`);
    headers[m[1]] = m[2];
  }
  let body = lines.slice(i + 1, end).filter((l) => l !== '');
  let crc: string | undefined;
  if (body.length > 0 && body[body.length - 1].startsWith('=')) {
    crc = body[body.length - 1].slice(1);
    body = body.slice(0, -1);
  }
  const b64 = body.join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw ErrInvalidArmor.wrap('body is not base64');
  const data = Buffer.from(b64, 'base64');
  if (crc !== undefined) {
    const want = crc24(data);
    const got = Buffer.from(crc, 'base64');
    if (got.length !== 3 || ((got[0] << 16) | (got[1] << 8) | got[2]) !== want) throw ErrInvalidArmor.wrap('checksum does not match the body (the file was changed or cut)');
  }
  return { type, headers, data };
}

/** The secretbox key of an armor header: bcrypt or scrypt, as the SDK derives it. */
function deriveArmorKey(headers: Record<string, string>, passphrase: string): Uint8Array {
  const salt = headers.salt ?? '';
  if (!/^([0-9A-Fa-f]{2})+$/.test(salt)) throw ErrInvalidArmor.wrap('salt header must be hex');
  const saltBytes = Buffer.from(salt, 'hex');
  if (headers.kdf === 'bcrypt') {
    if (saltBytes.length !== 16) throw ErrInvalidArmor.wrap(`bcrypt salt must be 16 bytes, got ${saltBytes.length}`);
    const hash = bcryptHash(passphrase, `$2a$${BCRYPT_COST}$${bcryptBase64(saltBytes, 16)}`);
    return createHash('sha256').update(hash, 'utf8').digest();
  }
  if (headers.kdf === 'scrypt') {
    const m = /^n=(\d+),r=(\d+),p=(\d+),dklen=(\d+)$/.exec(headers.kdfparams ?? '');
    if (!m) throw ErrInvalidArmor.wrap(`kdfparams "${headers.kdfparams ?? ''}" must look like n=32768,r=8,p=1,dklen=32`);
    const [N, r, p, dklen] = m.slice(1).map(Number);
    if (dklen !== 32) throw ErrInvalidArmor.wrap(`scrypt dklen must be 32, got ${dklen}`);
    try {
      return scryptSync(passphrase, saltBytes, 32, { N, r, p, maxmem: SCRYPT_MAXMEM });
    } catch (err) {
      throw ErrInvalidArmor.wrap(`scrypt parameters ${headers.kdfparams} refused: ${(err as Error).message}`);
    }
  }
  throw ErrInvalidArmor.wrap(`kdf "${headers.kdf ?? ''}" is not bcrypt or scrypt`);
}

export interface ArmorRandomness {
  /** 16 bytes; random when absent (tests pass fixed bytes to reproduce a fixture). */
  salt?: Uint8Array;
  /** 24 bytes; random when absent. */
  nonce?: Uint8Array;
}

/** Encrypts a 32-byte secp256k1 private key into the SDK's armor (kdf bcrypt). */
export function armorPrivateKey(privateKey: Uint8Array, passphrase: string, random: ArmorRandomness = {}): string {
  if (privateKey.length !== 32) throw ErrInvalidArmor.wrap('a secp256k1 private key is 32 bytes');
  const headers = { kdf: 'bcrypt', salt: Buffer.from(random.salt ?? randomBytes(16)).toString('hex').toUpperCase(), type: 'secp256k1' };
  const key = deriveArmorKey(headers, passphrase);
  const nonce = random.nonce ?? randomBytes(NONCE_LEN);
  const plaintext = Buffer.concat([AMINO_SECP256K1_PRIVKEY, Buffer.from([32]), privateKey]);
  const sealed = xsalsa20poly1305(key, nonce).encrypt(plaintext);
  return encodeArmor({ type: PRIVATE_KEY_BLOCK, headers, data: Buffer.concat([nonce, sealed]) });
}

/** Decrypts the SDK's armored private key; returns the 32 key bytes. */
export function unarmorPrivateKey(armored: string, passphrase: string): Uint8Array {
  const block = decodeArmor(armored);
  if (block.type !== PRIVATE_KEY_BLOCK) throw ErrInvalidArmor.wrap(`block type is "${block.type}", expected "${PRIVATE_KEY_BLOCK}"`);
  const algo = block.headers.type ?? 'secp256k1';
  if (algo !== 'secp256k1') throw ErrInvalidArmor.wrap(`key type "${algo}" is not supported (secp256k1 only)`);
  if (block.data.length < NONCE_LEN + TAG_LEN) throw ErrInvalidArmor.wrap('body is too short for a sealed key');
  const key = deriveArmorKey(block.headers, passphrase);
  let plaintext: Uint8Array;
  try {
    plaintext = xsalsa20poly1305(key, block.data.subarray(0, NONCE_LEN)).decrypt(block.data.subarray(NONCE_LEN));
  } catch {
    throw ErrWrongPassphrase.wrap('the armored key does not decrypt with that passphrase');
  }
  const p = Buffer.from(plaintext);
  if (p.length !== 37 || !p.subarray(0, 4).equals(AMINO_SECP256K1_PRIVKEY) || p[4] !== 32) {
    throw ErrInvalidArmor.wrap('the decrypted key is not an Amino secp256k1 private key');
  }
  return Uint8Array.from(p.subarray(5));
}
