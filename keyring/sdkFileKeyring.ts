/**
 * Reads the Cosmos SDK's `file` and `test` keyrings (`<sdk home>/keyring-file`,
 * `<sdk home>/keyring-test`), so `sekaid-ts keys import-file-keyring` moves every key of a
 * `sekaid` home at once. The SDK keeps them with 99designs/keyring's file backend:
 *
 * - one file per item, named by the item key with `%` and `/` percent-encoded:
 *   `<name>.info` (the key record) and `<hex address>.address` (its Data is `<name>.info`);
 * - each file is a compact JWE (jose2go): `alg` PBES2-HS256+A128KW (PBKDF2-SHA256 over the
 *   passphrase, salt `alg || 0x00 || p2s`, 8192 iterations and a 12-byte p2s when the SDK
 *   writes it), `enc` A256GCM, a `created` header; the plaintext is the item as Go's JSON:
 *   `{"Key","Data" (base64),"Label","Description","KeychainNotTrustApplication","KeychainNotSynchronizable"}`;
 * - `keyhash` (file backend only): the bcrypt hash of the passphrase, checked before any item
 *   is opened. The `test` backend has no keyhash; its passphrase is the fixed word "test".
 *
 * An `.info` item's Data is a protobuf `cosmos.crypto.keyring.v1.Record` (SDK 0.46 and later),
 * or, for keys written before, the legacy Amino `crypto/keys/localInfo` (length-prefixed,
 * fields name, pubkey, privkey "armor" — in fact the Amino bytes of the private key — and algo).
 * The SDK itself reads both (crypto/keyring/keyring.go `migrate`), proto first.
 */
import { compareSync as bcryptCompare } from 'bcryptjs';
import { PrivKey as Secp256k1PrivKey, PubKey as Secp256k1PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { Record as KeyRecord } from 'cosmjs-types/cosmos/crypto/keyring/v1/record';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type * as Jose from 'jose' with { 'resolution-mode': 'import' };
import { ErrCorruptKeyring, ErrKeyNotFound, ErrPassphraseRequired, ErrWrongPassphrase } from './errors';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- ESM package, loaded through require(esm)
const { compactDecrypt, errors: joseErrors } = require('jose') as typeof Jose;

/** The SDK's test keyring passphrase (crypto/keyring newTestBackendKeyringConfig). */
export const SDK_TEST_KEYRING_PASSPHRASE = 'test';
/** jose2go refuses more PBES2 iterations than this for PBES2-HS256+A128KW; so do we (a file must not make us spin). */
const MAX_PBES2_COUNT = 1_300_000;
const SECP256K1_PUBKEY_URL = '/cosmos.crypto.secp256k1.PubKey';
const SECP256K1_PRIVKEY_URL = '/cosmos.crypto.secp256k1.PrivKey';

/** One key of an SDK keyring, as `keys list` there would show it. */
export interface SdkKeyEntry {
  name: string;
  /** What the record holds: only `local` carries a private key. */
  kind: 'local' | 'ledger' | 'offline' | 'multi';
  /** The public key's type URL (or Amino name, for legacy entries). */
  pubKeyType: string;
  /** 32-byte secp256k1 private key of a `local` secp256k1 key. */
  privateKey?: Uint8Array;
  /** Why a key cannot be imported here (another algorithm, no private key); undefined when it can. */
  unsupported?: string;
  /** `proto` (Record) or `amino` (legacy localInfo). */
  encoding: 'proto' | 'amino';
}

/** Amino prefix bytes of a registered name: sha256, skip zero bytes, 3 disambiguation bytes, skip zeros, 4 bytes. */
export function aminoPrefix(name: string): Buffer {
  let bz = createHash('sha256').update(name).digest();
  while (bz[0] === 0) bz = bz.subarray(1);
  bz = bz.subarray(3);
  while (bz[0] === 0) bz = bz.subarray(1);
  return Buffer.from(bz.subarray(0, 4));
}

const LOCAL_INFO = aminoPrefix('crypto/keys/localInfo');
const LEGACY_PREFIXES = new Map<string, SdkKeyEntry['kind']>([
  [LOCAL_INFO.toString('hex'), 'local'],
  [aminoPrefix('crypto/keys/ledgerInfo').toString('hex'), 'ledger'],
  [aminoPrefix('crypto/keys/offlineInfo').toString('hex'), 'offline'],
  [aminoPrefix('crypto/keys/multiInfo').toString('hex'), 'multi'],
]);
const AMINO_SECP256K1_PUB = aminoPrefix('tendermint/PubKeySecp256k1');
const AMINO_SECP256K1_PRIV = aminoPrefix('tendermint/PrivKeySecp256k1');

function uvarint(buf: Buffer, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (let i = at; i < buf.length && shift < 35; i++) {
    value += (buf[i] & 0x7f) * 2 ** shift;
    if ((buf[i] & 0x80) === 0) return [value, i + 1];
    shift += 7;
  }
  throw new Error('truncated varint');
}

/** The (field number, bytes) pairs of an Amino/protobuf message whose fields are all length-delimited. */
function bytesFields(buf: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let at = 0;
  while (at < buf.length) {
    const [tag, afterTag] = uvarint(buf, at);
    if ((tag & 7) !== 2) throw new Error(`field ${tag >> 3} has wire type ${tag & 7}, expected bytes`);
    const [len, start] = uvarint(buf, afterTag);
    if (start + len > buf.length) throw new Error('field runs past the end');
    out.set(tag >> 3, buf.subarray(start, start + len));
    at = start + len;
  }
  return out;
}

/** A legacy Amino info (`legacy.Cdc.MarshalLengthPrefixed`), or undefined when `data` is not one. */
function decodeLegacyInfo(data: Buffer): SdkKeyEntry | undefined {
  let len: number;
  let start: number;
  try {
    [len, start] = uvarint(data, 0);
  } catch {
    return undefined;
  }
  if (start + len !== data.length || len < 4) return undefined;
  const kind = LEGACY_PREFIXES.get(data.subarray(start, start + 4).toString('hex'));
  if (!kind) return undefined;
  const fields = bytesFields(data.subarray(start + 4));
  const name = (fields.get(1) ?? Buffer.alloc(0)).toString('utf8');
  const pub = fields.get(2) ?? Buffer.alloc(0);
  const pubIsSecp = pub.length === 38 && pub.subarray(0, 4).equals(AMINO_SECP256K1_PUB) && pub[4] === 33;
  const entry: SdkKeyEntry = { name, kind, pubKeyType: pubIsSecp ? 'tendermint/PubKeySecp256k1' : `amino:${pub.subarray(0, 4).toString('hex')}`, encoding: 'amino' };
  if (kind !== 'local') return { ...entry, unsupported: `a ${kind} key holds no private key` };
  const priv = fields.get(3) ?? Buffer.alloc(0);
  const algo = (fields.get(4) ?? Buffer.alloc(0)).toString('utf8');
  if (!priv.subarray(0, 4).equals(AMINO_SECP256K1_PRIV) || priv.length !== 37 || priv[4] !== 32) {
    return { ...entry, unsupported: `algorithm ${algo || 'unknown'} (sekaid-ts keeps secp256k1 keys only)` };
  }
  return { ...entry, privateKey: Uint8Array.from(priv.subarray(5)) };
}

/** The key record of an `.info` item's Data: legacy Amino when it carries an Amino info prefix, else protobuf Record. */
export function decodeSdkRecord(data: Uint8Array, fileName: string): SdkKeyEntry {
  const buf = Buffer.from(data);
  let legacy: SdkKeyEntry | undefined;
  try {
    legacy = decodeLegacyInfo(buf);
  } catch (err) {
    throw ErrCorruptKeyring.wrap(`${fileName}: legacy Amino key info does not decode (${(err as Error).message})`);
  }
  if (legacy) return legacy;
  let record: KeyRecord;
  try {
    record = KeyRecord.decode(buf);
  } catch (err) {
    throw ErrCorruptKeyring.wrap(`${fileName}: neither a cosmos.crypto.keyring.v1.Record nor a legacy Amino key info (${(err as Error).message})`);
  }
  const kind: SdkKeyEntry['kind'] = record.local ? 'local' : record.ledger ? 'ledger' : record.multi ? 'multi' : record.offline ? 'offline' : 'offline';
  const pubKeyType = record.pubKey?.typeUrl ?? '';
  const entry: SdkKeyEntry = { name: record.name, kind, pubKeyType, encoding: 'proto' };
  if (kind !== 'local') return { ...entry, unsupported: `a ${kind} key holds no private key` };
  const priv = record.local?.privKey;
  if (priv?.typeUrl !== SECP256K1_PRIVKEY_URL || pubKeyType !== SECP256K1_PUBKEY_URL) {
    return { ...entry, unsupported: `algorithm ${priv?.typeUrl ?? 'unknown'} (sekaid-ts keeps secp256k1 keys only)` };
  }
  const key = Secp256k1PrivKey.decode(priv.value).key;
  const pub = Secp256k1PubKey.decode(record.pubKey!.value).key;
  if (key.length !== 32 || pub.length !== 33) throw ErrCorruptKeyring.wrap(`${fileName}: secp256k1 key of ${key.length} bytes, public key of ${pub.length}`);
  return { ...entry, privateKey: key };
}

/** 99designs/keyring's file names: the item key with `%` and `/` percent-encoded (mtibben/percent). */
function itemKeyOf(fileName: string): string {
  return fileName.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export interface ReadSdkKeyringOptions {
  /** The keyring passphrase; asked only when the directory needs one (a keyhash is present). */
  passphrase: () => string | Promise<string>;
}

/**
 * Every key of an SDK `file` or `test` keyring directory, sorted by name. The passphrase is
 * checked against `keyhash` first (ErrWrongPassphrase); without a keyhash the SDK test
 * keyring's fixed passphrase is tried, then the one `passphrase()` gives.
 */
export async function readSdkKeyring(dir: string, opts: ReadSdkKeyringOptions): Promise<SdkKeyEntry[]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw ErrKeyNotFound.wrap(`${dir} is not a directory (give the SDK home's keyring-file or keyring-test directory)`);
  const files = readdirSync(dir)
    .filter((f) => itemKeyOf(f).endsWith('.info'))
    .sort();
  if (files.length === 0) throw ErrKeyNotFound.wrap(`no <name>.info entries in ${dir}: not a Cosmos SDK file or test keyring`);

  const keyhashPath = join(dir, 'keyhash');
  let passphrase: string;
  if (existsSync(keyhashPath)) {
    passphrase = await opts.passphrase();
    if (passphrase === '') throw ErrPassphraseRequired.wrap(`the keyring in ${dir} has a passphrase (its keyhash file)`);
    if (!bcryptCompare(passphrase, readFileSync(keyhashPath, 'utf8').trim())) throw ErrWrongPassphrase.wrap(`for the Cosmos SDK keyring in ${dir} (checked against its keyhash)`);
  } else {
    passphrase = SDK_TEST_KEYRING_PASSPHRASE;
    if (!(await opens(join(dir, files[0]), passphrase))) passphrase = await opts.passphrase();
  }

  const out: SdkKeyEntry[] = [];
  for (const file of files) {
    const item = await openItem(join(dir, file), file, passphrase);
    const entry = decodeSdkRecord(item.data, file);
    const expected = item.key.slice(0, -'.info'.length);
    if (entry.name !== expected) throw ErrCorruptKeyring.wrap(`${file} holds the key "${entry.name}", not "${expected}"`);
    out.push(entry);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function decryptJwe(path: string, passphrase: string): Promise<Uint8Array> {
  const jwe = readFileSync(path, 'utf8').trim();
  const { plaintext } = await compactDecrypt(jwe, new TextEncoder().encode(passphrase), {
    keyManagementAlgorithms: ['PBES2-HS256+A128KW'],
    contentEncryptionAlgorithms: ['A256GCM'],
    maxPBES2Count: MAX_PBES2_COUNT,
  });
  return plaintext;
}

async function opens(path: string, passphrase: string): Promise<boolean> {
  try {
    await decryptJwe(path, passphrase);
    return true;
  } catch {
    return false;
  }
}

async function openItem(path: string, file: string, passphrase: string): Promise<{ key: string; data: Uint8Array }> {
  let plaintext: Uint8Array;
  try {
    plaintext = await decryptJwe(path, passphrase);
  } catch (err) {
    if (err instanceof joseErrors.JWEDecryptionFailed) throw ErrWrongPassphrase.wrap(`${file} does not open with this passphrase`);
    throw ErrCorruptKeyring.wrap(`${file} is not a keyring JWE (${(err as Error).message})`);
  }
  let item: { Key?: unknown; Data?: unknown };
  try {
    item = JSON.parse(Buffer.from(plaintext).toString('utf8')) as typeof item;
  } catch {
    throw ErrCorruptKeyring.wrap(`${file} does not hold a keyring item (JSON)`);
  }
  if (typeof item.Key !== 'string' || typeof item.Data !== 'string') throw ErrCorruptKeyring.wrap(`${file}: item without Key and Data`);
  return { key: item.Key, data: Buffer.from(item.Data, 'base64') };
}
