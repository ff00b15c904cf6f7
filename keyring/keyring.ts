/**
 * Account keys (secp256k1) kept in the node home, in the spirit of the Cosmos SDK keyring.
 *
 * Backends:
 * - `test`: `<home>/keyring-test/<name>.info`, plaintext JSON (mode 0600). For test networks
 *   and scripts only: anyone who can read the file can spend.
 * - `file`: `<home>/keyring-file/<name>.info`, each entry sealed with AES-256-GCM under a key
 *   derived once per keyring with scrypt (N=2^15, r=8, p=1, 16-byte random salt) from the
 *   passphrase; the entry name is the GCM associated data, so entries cannot be swapped
 *   between names. `<home>/keyring-file/keyhash` holds the salt, the scrypt parameters and an
 *   HMAC of a fixed label under the derived key, so a wrong passphrase is refused before any
 *   entry is touched. The first passphrase used on an empty keyring becomes its passphrase.
 *
 * Entry (both backends, before sealing):
 *   {"version":1,"name","type":"local","algo":"secp256k1","pubkey":"<base64 33 bytes>",
 *    "privkey":"<hex 32 bytes>","hd_path"?:"m/44'/118'/0'/0/0"}
 * The mnemonic is never stored: `add` returns it once.
 *
 * Export format (`export` / `import`): the Cosmos SDK's armored private key (keyring/armor.ts),
 * so keys move between sekaid and sekaid-ts.
 */
import { encodeBech32 } from '../crypto/bech32';
import type { AccountData, DirectSignResponse, OfflineDirectSigner } from '@cosmjs/proto-signing';
import { SignDoc } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import secp256k1 from 'secp256k1';
import { accountAddressBytes, decodeAddress, looksLikeAddress, toBech } from './address';
import {
  ErrCorruptKeyring,
  ErrInvalidArmor,
  ErrInvalidKeyName,
  ErrKeyExists,
  ErrKeyNotFound,
  ErrPassphraseRequired,
  ErrUnknownBackend,
  ErrWrongPassphrase,
} from './errors';
import { armorPrivateKey, unarmorPrivateKey, type ArmorRandomness } from './armor';
import { DEFAULT_HD_PATH, newMnemonic, normalizeMnemonic, privateKeyFromMnemonic, secp256k1PublicKey } from './hd';

export type KeyringBackend = 'test' | 'file';
export const KEYRING_BACKENDS: readonly KeyringBackend[] = ['test', 'file'];

/** What a key shows publicly. */
export interface KeyInfo {
  name: string;
  type: 'local';
  /** 33-byte compressed secp256k1 public key. */
  pubKey: Uint8Array;
  /** Account address (kira1…). */
  address: string;
  /** The 20 address bytes (also the validator operator address bytes). */
  addressBytes: Uint8Array;
}

/** A freshly created key with the mnemonic that recovers it (shown once, never stored). */
export interface NewKey extends KeyInfo {
  mnemonic: string;
}

export interface DeriveOptions {
  hdPath?: string;
  /** BIP39 passphrase (the "25th word"); empty by default. */
  bip39Passphrase?: string;
}

export type PassphraseSource = string | (() => string | Promise<string>);

export interface OpenKeyringOptions {
  home: string;
  backend: KeyringBackend;
  /** `file` backend only; may be a callback so the CLI prompts only when a key is read or written. */
  passphrase?: PassphraseSource;
}

export interface Keyring {
  readonly backend: KeyringBackend;
  readonly dir: string;
  /** New key from a fresh 24-word mnemonic. */
  add(name: string, opts?: DeriveOptions): Promise<NewKey>;
  /** Key from an existing mnemonic. */
  recover(name: string, mnemonic: string, opts?: DeriveOptions): Promise<KeyInfo>;
  /** Key from a raw 32-byte private key. */
  importPrivateKey(name: string, privateKey: Uint8Array): Promise<KeyInfo>;
  /** Every key, sorted by name. */
  list(): Promise<KeyInfo[]>;
  /** By name, or by kira / kiravaloper address. */
  get(nameOrAddress: string): Promise<KeyInfo>;
  delete(name: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** The Cosmos SDK's armored, passphrase-encrypted private key (keyring/armor.ts). */
  export(name: string, exportPassphrase: string, random?: ArmorRandomness): Promise<string>;
  /** Reads an armored key written by `export` here or by the Cosmos SDK (`sekaid keys export`). */
  import(name: string, armored: string, exportPassphrase: string): Promise<KeyInfo>;
  /** The raw private key (for `export --unarmored-hex`). */
  exportPrivateKeyHex(name: string): Promise<string>;
  /** An OfflineDirectSigner for the key, interchangeable with cosmjs's DirectSecp256k1Wallet. */
  signer(name: string): Promise<OfflineDirectSigner>;
}

interface StoredKey {
  version: 1;
  name: string;
  type: 'local';
  algo: 'secp256k1';
  pubkey: string;
  privkey: string;
  hd_path?: string;
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

function checkName(name: string): void {
  if (!NAME_PATTERN.test(name)) throw ErrInvalidKeyName.wrap(`"${name}" must be 1-64 of letters, digits, _ . @ - and start with a letter or digit`);
  if (looksLikeAddress(name)) throw ErrInvalidKeyName.wrap(`"${name}" looks like an address`);
}

function infoOf(stored: StoredKey): KeyInfo {
  const pubKey = Buffer.from(stored.pubkey, 'base64');
  const addressBytes = accountAddressBytes(pubKey);
  return { name: stored.name, type: 'local', pubKey, address: toBech('acc', addressBytes), addressBytes };
}

// ---- sealing --------------------------------------------------------------------------------

// 2^15 × r=8 uses 32 MiB and about 0.1 s: the cost of one guess, paid once per process.
const SCRYPT = { N: 32768, r: 8, p: 1 };
const SCRYPT_MAXMEM = 64 * 1024 * 1024;
const KEYHASH_LABEL = 'sekaid-ts keyring passphrase check';

function deriveKey(passphrase: string, salt: Uint8Array, params = SCRYPT): Buffer {
  return scryptSync(passphrase.normalize('NFKC'), salt, 32, { ...params, maxmem: SCRYPT_MAXMEM });
}

function seal(key: Uint8Array, plaintext: Uint8Array, aad: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ct, cipher.getAuthTag()]);
}

/** Returns undefined when authentication fails (wrong key or tampered data). */
function open(key: Uint8Array, sealed: Uint8Array, aad: string): Buffer | undefined {
  if (sealed.length < 28) return undefined;
  const buf = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(buf.subarray(buf.length - 16));
  try {
    return Buffer.concat([decipher.update(buf.subarray(12, buf.length - 16)), decipher.final()]);
  } catch {
    return undefined;
  }
}

// ---- storage --------------------------------------------------------------------------------

interface EntryCodec {
  encode(stored: StoredKey): Promise<string>;
  decode(name: string, text: string): Promise<StoredKey>;
}

const plainCodec: EntryCodec = {
  encode: async (stored) => JSON.stringify(stored, null, 2) + '\n',
  decode: async (name, text) => parseStored(name, text),
};

function parseStored(name: string, text: string): StoredKey {
  let stored: StoredKey;
  try {
    stored = JSON.parse(text) as StoredKey;
  } catch {
    throw ErrCorruptKeyring.wrap(`entry ${name} is not JSON`);
  }
  if (stored.version !== 1 || typeof stored.pubkey !== 'string' || !/^[0-9a-f]{64}$/.test(stored.privkey ?? '')) {
    throw ErrCorruptKeyring.wrap(`entry ${name} has an unknown shape`);
  }
  return { ...stored, name };
}

function fileCodec(dir: string, source: PassphraseSource | undefined): EntryCodec {
  let derived: Promise<Buffer> | undefined;
  const key = (): Promise<Buffer> => {
    derived ??= (async () => {
      if (source === undefined) throw ErrPassphraseRequired.wrap('the file keyring needs --keyring-passphrase, SEKAID_KEYRING_PASSPHRASE or a terminal to ask on');
      const passphrase = typeof source === 'string' ? source : await source();
      if (passphrase === '') throw ErrPassphraseRequired.wrap('the file keyring passphrase must not be empty');
      const hashPath = join(dir, 'keyhash');
      if (existsSync(hashPath)) {
        const kh = JSON.parse(readFileSync(hashPath, 'utf8')) as { kdf: string; N: number; r: number; p: number; salt: string; check: string };
        const k = deriveKey(passphrase, Buffer.from(kh.salt, 'hex'), { N: kh.N, r: kh.r, p: kh.p });
        const check = createHmac('sha256', k).update(KEYHASH_LABEL).digest();
        if (!timingSafeEqual(check, Buffer.from(kh.check, 'hex'))) throw ErrWrongPassphrase.wrap(`for the keyring in ${dir}`);
        return k;
      }
      const salt = randomBytes(16);
      const k = deriveKey(passphrase, salt);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const check = createHmac('sha256', k).update(KEYHASH_LABEL).digest('hex');
      writeFileSync(hashPath, JSON.stringify({ kdf: 'scrypt', ...SCRYPT, salt: salt.toString('hex'), check }) + '\n', { mode: 0o600 });
      return k;
    })();
    return derived;
  };
  return {
    async encode(stored) {
      const sealed = seal(await key(), Buffer.from(JSON.stringify(stored), 'utf8'), stored.name);
      return JSON.stringify({ version: 1, cipher: 'aes-256-gcm', kdf: 'scrypt', data: sealed.toString('base64') }) + '\n';
    },
    async decode(name, text) {
      const k = await key();
      let envelope: { data?: unknown };
      try {
        envelope = JSON.parse(text) as { data?: unknown };
      } catch {
        throw ErrCorruptKeyring.wrap(`entry ${name} is not JSON`);
      }
      if (typeof envelope.data !== 'string') throw ErrCorruptKeyring.wrap(`entry ${name} has no sealed data`);
      const plain = open(k, Buffer.from(envelope.data, 'base64'), name);
      if (!plain) throw ErrCorruptKeyring.wrap(`entry ${name} does not open with the keyring passphrase (tampered or renamed by hand)`);
      return parseStored(name, plain.toString('utf8'));
    },
  };
}

/** Opens (lazily creates) the keyring of `backend` under `home`. */
export function openKeyring(opts: OpenKeyringOptions): Keyring {
  if (!KEYRING_BACKENDS.includes(opts.backend)) {
    throw ErrUnknownBackend.wrap(`"${String(opts.backend)}"; use one of ${KEYRING_BACKENDS.join(', ')}`);
  }
  const dir = join(opts.home, `keyring-${opts.backend}`);
  const codec = opts.backend === 'file' ? fileCodec(dir, opts.passphrase) : plainCodec;
  const entryPath = (name: string) => join(dir, `${name}.info`);

  const names = (): string[] =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.info'))
          .map((f) => f.slice(0, -'.info'.length))
          .sort()
      : [];

  const load = async (name: string): Promise<StoredKey> => {
    checkName(name);
    const path = entryPath(name);
    if (!existsSync(path)) throw ErrKeyNotFound.wrap(`no key named "${name}" in the ${opts.backend} keyring (${dir})`);
    return codec.decode(name, readFileSync(path, 'utf8'));
  };

  const findByAddress = async (address: string): Promise<StoredKey> => {
    const { kind, bytes } = decodeAddress(address);
    if (kind === 'cons') throw ErrKeyNotFound.wrap(`${address} is a consensus address; account keys have kira or kiravaloper addresses`);
    for (const name of names()) {
      const stored = await codec.decode(name, readFileSync(entryPath(name), 'utf8'));
      if (Buffer.from(infoOf(stored).addressBytes).equals(bytes)) return stored;
    }
    throw ErrKeyNotFound.wrap(`no key with address ${address} in the ${opts.backend} keyring (${dir})`);
  };

  const loadAny = (nameOrAddress: string): Promise<StoredKey> =>
    looksLikeAddress(nameOrAddress) ? findByAddress(nameOrAddress) : load(nameOrAddress);

  const save = async (stored: StoredKey, allowExisting = false): Promise<void> => {
    checkName(stored.name);
    const path = entryPath(stored.name);
    if (!allowExisting && existsSync(path)) throw ErrKeyExists.wrap(`"${stored.name}" is already in the ${opts.backend} keyring; delete or rename it first`);
    const text = await codec.encode(stored);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Write then rename, so a crash never leaves a half-written entry.
    writeFileSync(`${path}.tmp`, text, { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  };

  const storePrivateKey = async (name: string, privateKey: Uint8Array, hdPath?: string): Promise<KeyInfo> => {
    checkName(name);
    if (existsSync(entryPath(name))) throw ErrKeyExists.wrap(`"${name}" is already in the ${opts.backend} keyring; delete or rename it first`);
    if (privateKey.length !== 32 || !secp256k1.privateKeyVerify(privateKey)) throw ErrInvalidArmor.wrap('the private key is not a valid secp256k1 scalar');
    const pubKey = secp256k1PublicKey(privateKey);
    const stored: StoredKey = {
      version: 1,
      name,
      type: 'local',
      algo: 'secp256k1',
      pubkey: Buffer.from(pubKey).toString('base64'),
      privkey: Buffer.from(privateKey).toString('hex'),
      ...(hdPath ? { hd_path: hdPath } : {}),
    };
    await save(stored);
    return infoOf(stored);
  };

  const keyring: Keyring = {
    backend: opts.backend,
    dir,
    async add(name, derive = {}) {
      const mnemonic = newMnemonic();
      const info = await keyring.recover(name, mnemonic, derive);
      return { ...info, mnemonic };
    },
    async recover(name, mnemonic, derive = {}) {
      checkName(name);
      const hdPath = derive.hdPath ?? DEFAULT_HD_PATH;
      const privateKey = privateKeyFromMnemonic(normalizeMnemonic(mnemonic), hdPath, derive.bip39Passphrase ?? '');
      return storePrivateKey(name, privateKey, hdPath);
    },
    importPrivateKey: (name, privateKey) => storePrivateKey(name, privateKey),
    async list() {
      const out: KeyInfo[] = [];
      for (const name of names()) out.push(infoOf(await codec.decode(name, readFileSync(entryPath(name), 'utf8'))));
      return out;
    },
    async get(nameOrAddress) {
      return infoOf(await loadAny(nameOrAddress));
    },
    async delete(name) {
      await load(name);
      rmSync(entryPath(name));
    },
    async rename(from, to) {
      checkName(to);
      const stored = await load(from);
      if (existsSync(entryPath(to))) throw ErrKeyExists.wrap(`"${to}" is already in the ${opts.backend} keyring`);
      await save({ ...stored, name: to });
      rmSync(entryPath(from));
    },
    async export(name, exportPassphrase, random) {
      if (exportPassphrase === '') throw ErrPassphraseRequired.wrap('the export passphrase must not be empty');
      const stored = await load(name);
      return armorPrivateKey(Buffer.from(stored.privkey, 'hex'), exportPassphrase, random);
    },
    async import(name, armored, exportPassphrase) {
      checkName(name);
      if (existsSync(entryPath(name))) throw ErrKeyExists.wrap(`"${name}" is already in the ${opts.backend} keyring; delete or rename it first`);
      return storePrivateKey(name, unarmorPrivateKey(armored, exportPassphrase));
    },
    async exportPrivateKeyHex(name) {
      return (await load(name)).privkey;
    },
    async signer(name) {
      const stored = await loadAny(name);
      return directSigner(Buffer.from(stored.privkey, 'hex'));
    },
  };
  return keyring;
}

/**
 * Signs SIGN_MODE_DIRECT sign docs as cosmjs's DirectSecp256k1Wallet does: secp256k1 ECDSA over
 * sha256(SignDoc bytes), 64-byte r||s with low S (libsecp256k1 always produces low S).
 */
export function directSigner(privateKey: Uint8Array, prefix = 'kira'): OfflineDirectSigner {
  const pubkey = secp256k1PublicKey(privateKey);
  const addressBytes = accountAddressBytes(pubkey);
  const address = encodeBech32(prefix, addressBytes);
  const account: AccountData = { address, algo: 'secp256k1', pubkey };
  return {
    getAccounts: async () => [account],
    signDirect: async (signerAddress: string, signDoc: SignDoc): Promise<DirectSignResponse> => {
      if (signerAddress !== address) throw ErrKeyNotFound.wrap(`this signer holds ${address}, not ${signerAddress}`);
      const bytes = SignDoc.encode(SignDoc.fromPartial(signDoc)).finish();
      const digest = createHash('sha256').update(bytes).digest();
      const { signature } = secp256k1.ecdsaSign(digest, privateKey);
      return {
        signed: signDoc,
        signature: {
          pub_key: { type: 'tendermint/PubKeySecp256k1', value: Buffer.from(pubkey).toString('base64') },
          signature: Buffer.from(signature).toString('base64'),
        },
      };
    },
  };
}
