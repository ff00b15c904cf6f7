/**
 * Key material and its JSON forms: ed25519 consensus and node keys as CometBFT stores them,
 * and the Cosmos `Any` JSON of public keys.
 *
 * Ed25519 signing and verification use node:crypto (OpenSSL). Acceptance rules of
 * `verifyEd25519`: RFC 8032 as OpenSSL implements it: 32-byte key, 64-byte signature,
 * canonical S (< L), the cofactorless equation [S]B = R + [k]A. CometBFT verifies consensus
 * votes with ZIP-215 rules instead, which differ only for crafted signatures (small-order or
 * non-canonical points) that no honest signer produces. In this app ed25519 verification
 * serves tooling and tests; consensus signatures are checked by CometBFT, not by the app.
 */
import * as nodeCrypto from 'node:crypto';

import { consAddressFromEd25519 } from './address';
import { ErrInvalidKeyJson, ErrInvalidPrivateKey, ErrInvalidPublicKey } from './errors';

export interface Ed25519Key {
  /** The 32-byte private seed (RFC 8032 private key). */
  seed: Uint8Array;
  /** The 32-byte public key. */
  pubkey: Uint8Array;
}

/** PKCS#8 DER header of an Ed25519 private key (RFC 8410); the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const b64url = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');
const b64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

function privateKeyObject(seed: Uint8Array): nodeCrypto.KeyObject {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) throw ErrInvalidPrivateKey.wrap('ed25519 seed must be 32 bytes');
  return nodeCrypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** A fresh random ed25519 key. */
export function generateEd25519(): Ed25519Key {
  const { privateKey } = nodeCrypto.generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return { seed: Uint8Array.from(Buffer.from(jwk.d!, 'base64url')), pubkey: Uint8Array.from(Buffer.from(jwk.x!, 'base64url')) };
}

/** The ed25519 key of a 32-byte seed. */
export function ed25519FromSeed(seed: Uint8Array): Ed25519Key {
  const jwk = nodeCrypto.createPublicKey(privateKeyObject(seed)).export({ format: 'jwk' });
  return { seed: Uint8Array.from(seed), pubkey: Uint8Array.from(Buffer.from(jwk.x!, 'base64url')) };
}

/** Signs `message` (not prehashed, per RFC 8032 Ed25519): 64 bytes R || S. */
export function signEd25519(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return Uint8Array.from(nodeCrypto.sign(null, message, privateKeyObject(seed)));
}

/** Verifies an ed25519 signature under the rules in the module comment; false for any malformed input, never throws. */
export function verifyEd25519(pubkey32: Uint8Array, message: Uint8Array, sig64: Uint8Array): boolean {
  if (!(pubkey32 instanceof Uint8Array) || pubkey32.length !== 32) return false;
  if (!(sig64 instanceof Uint8Array) || sig64.length !== 64) return false;
  if (!(message instanceof Uint8Array)) return false;
  try {
    // JWK import costs about 14 µs against about 180 µs for SPKI DER.
    const key = nodeCrypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(pubkey32) }, format: 'jwk' });
    return nodeCrypto.verify(null, message, key, sig64);
  } catch {
    // A key that is not a valid point encoding.
    return false;
  }
}

// ---- JSON forms ----

export const COMET_ED25519_PUBKEY_TYPE = 'tendermint/PubKeyEd25519';
export const COMET_ED25519_PRIVKEY_TYPE = 'tendermint/PrivKeyEd25519';
export const COSMOS_ED25519_PUBKEY_TYPE_URL = '/cosmos.crypto.ed25519.PubKey';
export const COSMOS_SECP256K1_PUBKEY_TYPE_URL = '/cosmos.crypto.secp256k1.PubKey';

export interface CometPubKeyJson {
  type: typeof COMET_ED25519_PUBKEY_TYPE;
  value: string;
}
export interface CometPrivKeyJson {
  type: typeof COMET_ED25519_PRIVKEY_TYPE;
  value: string;
}
export interface CosmosPubKeyJson {
  '@type': typeof COSMOS_ED25519_PUBKEY_TYPE_URL | typeof COSMOS_SECP256K1_PUBKEY_TYPE_URL;
  key: string;
}

/** CometBFT's amino JSON of an ed25519 public key, as in genesis validators and RPC output. */
export function ed25519ToCometJson(pubkey32: Uint8Array): CometPubKeyJson {
  checkEd25519Pubkey(pubkey32);
  return { type: COMET_ED25519_PUBKEY_TYPE, value: b64(pubkey32) };
}

/** The Cosmos proto JSON (`Any`) of an ed25519 public key, as in validator queries. */
export function ed25519ToCosmosJson(pubkey32: Uint8Array): CosmosPubKeyJson {
  checkEd25519Pubkey(pubkey32);
  return { '@type': COSMOS_ED25519_PUBKEY_TYPE_URL, key: b64(pubkey32) };
}

/** The Cosmos proto JSON (`Any`) of a 33-byte secp256k1 account public key. */
export function secp256k1ToCosmosJson(pubkey33: Uint8Array): CosmosPubKeyJson {
  if (!(pubkey33 instanceof Uint8Array) || pubkey33.length !== 33 || (pubkey33[0] !== 2 && pubkey33[0] !== 3)) {
    throw ErrInvalidPublicKey.wrap('secp256k1 public key must be 33 bytes, compressed');
  }
  return { '@type': COSMOS_SECP256K1_PUBKEY_TYPE_URL, key: b64(pubkey33) };
}

/** Parses either JSON form of an ed25519 public key; throws ErrInvalidKeyJson. */
export function ed25519FromJson(json: unknown): Uint8Array {
  if (typeof json !== 'object' || json === null) throw ErrInvalidKeyJson.wrap('public key JSON must be an object');
  const o = json as Record<string, unknown>;
  let text: unknown;
  if (o.type === COMET_ED25519_PUBKEY_TYPE) text = o.value;
  else if (o['@type'] === COSMOS_ED25519_PUBKEY_TYPE_URL) text = o.key;
  else throw ErrInvalidKeyJson.wrap(`not an ed25519 public key (type ${JSON.stringify(o.type ?? o['@type'])})`);
  const bytes = strictBase64(text, 'public key');
  if (bytes.length !== 32) throw ErrInvalidKeyJson.wrap(`ed25519 public key must be 32 bytes, got ${bytes.length}`);
  return bytes;
}

function checkEd25519Pubkey(pubkey32: Uint8Array): void {
  if (!(pubkey32 instanceof Uint8Array) || pubkey32.length !== 32) throw ErrInvalidPublicKey.wrap('ed25519 public key must be 32 bytes');
}

/** Standard base64 with padding that round-trips exactly (Buffer.from alone skips junk characters). */
function strictBase64(text: unknown, what: string): Uint8Array {
  if (typeof text !== 'string') throw ErrInvalidKeyJson.wrap(`${what} must be a base64 string`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) throw ErrInvalidKeyJson.wrap(`${what} is not canonical base64`);
  return Uint8Array.from(bytes);
}

// ---- CometBFT key files ----

/** `config/priv_validator_key.json` as CometBFT writes it. */
export interface PrivValidatorKeyJson {
  /** Consensus address, uppercase hex. */
  address: string;
  pub_key: CometPubKeyJson;
  /** base64 of the 64-byte seed || pubkey. */
  priv_key: CometPrivKeyJson;
}

/** `config/node_key.json` as CometBFT writes it. */
export interface NodeKeyJson {
  priv_key: CometPrivKeyJson;
}

function privKeyJson(key: Ed25519Key): CometPrivKeyJson {
  return { type: COMET_ED25519_PRIVKEY_TYPE, value: Buffer.concat([key.seed, key.pubkey]).toString('base64') };
}

/** The priv_validator_key.json object of a consensus key. */
export function privValidatorKeyJson(key: Ed25519Key): PrivValidatorKeyJson {
  return {
    address: Buffer.from(consAddressFromEd25519(key.pubkey)).toString('hex').toUpperCase(),
    pub_key: ed25519ToCometJson(key.pubkey),
    priv_key: privKeyJson(key),
  };
}

/** The node_key.json object of a p2p key. */
export function nodeKeyJson(key: Ed25519Key): NodeKeyJson {
  return { priv_key: privKeyJson(key) };
}

/** The file text CometBFT writes: two-space indented JSON (no trailing newline). */
export function formatKeyFile(obj: PrivValidatorKeyJson | NodeKeyJson): string {
  return JSON.stringify(obj, null, 2);
}

/** The CometBFT node ID: lowercase hex of sha256(pubkey)[:20]. */
export function nodeIdFromEd25519(pubkey32: Uint8Array): string {
  return Buffer.from(consAddressFromEd25519(pubkey32)).toString('hex');
}

function parsePrivKey(json: unknown): Ed25519Key {
  if (typeof json !== 'object' || json === null) throw ErrInvalidKeyJson.wrap('priv_key must be an object');
  const o = json as Record<string, unknown>;
  if (o.type !== COMET_ED25519_PRIVKEY_TYPE) throw ErrInvalidKeyJson.wrap(`priv_key type must be ${COMET_ED25519_PRIVKEY_TYPE}`);
  const bytes = strictBase64(o.value, 'priv_key value');
  if (bytes.length !== 64) throw ErrInvalidKeyJson.wrap(`priv_key must be 64 bytes (seed || pubkey), got ${bytes.length}`);
  const key = ed25519FromSeed(bytes.subarray(0, 32));
  if (!Buffer.from(key.pubkey).equals(bytes.subarray(32))) throw ErrInvalidKeyJson.wrap('priv_key public half does not match its seed');
  return key;
}

/** Parses priv_validator_key.json (text or object), checking that address, pub_key and priv_key agree. */
export function parsePrivValidatorKey(input: string | unknown): Ed25519Key {
  const json = typeof input === 'string' ? parseJson(input) : input;
  if (typeof json !== 'object' || json === null) throw ErrInvalidKeyJson.wrap('priv_validator_key must be an object');
  const o = json as Record<string, unknown>;
  const key = parsePrivKey(o.priv_key);
  const pub = ed25519FromJson(o.pub_key);
  if (!Buffer.from(pub).equals(key.pubkey)) throw ErrInvalidKeyJson.wrap('pub_key does not match priv_key');
  const address = Buffer.from(consAddressFromEd25519(key.pubkey)).toString('hex').toUpperCase();
  if (o.address !== address) throw ErrInvalidKeyJson.wrap(`address ${JSON.stringify(o.address)} does not match the key (${address})`);
  return key;
}

/** Parses node_key.json (text or object). */
export function parseNodeKey(input: string | unknown): Ed25519Key {
  const json = typeof input === 'string' ? parseJson(input) : input;
  if (typeof json !== 'object' || json === null) throw ErrInvalidKeyJson.wrap('node_key must be an object');
  return parsePrivKey((json as Record<string, unknown>).priv_key);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw ErrInvalidKeyJson.wrap(`not JSON (${(e as Error).message})`);
  }
}
