/**
 * The node's ed25519 keys in CometBFT's file formats:
 * - config/priv_validator_key.json: `{address, pub_key{type,value}, priv_key{type,value}}`,
 *   address = upper-hex sha256(pubkey)[:20], priv_key value = base64(seed32 || pubkey32);
 * - config/node_key.json: `{priv_key{type,value}}`; node ID = lower-hex sha256(pubkey)[:20];
 * - data/priv_validator_state.json: last signed height/round/step, `{"height":"0","round":0,"step":0}` fresh.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { ErrInvalidKeyFile, ErrMalformedFile, ErrMissingFile } from './errors';

export const ED25519_PUBKEY_TYPE = 'tendermint/PubKeyEd25519';
export const ED25519_PRIVKEY_TYPE = 'tendermint/PrivKeyEd25519';

export interface Ed25519Key {
  /** 32-byte seed (what RFC 8032 calls the private key). */
  seed: Uint8Array;
  pubKey: Uint8Array;
}

export interface PrivValidatorKeyFile {
  address: string;
  pub_key: { type: string; value: string };
  priv_key: { type: string; value: string };
}

export interface NodeKeyFile {
  priv_key: { type: string; value: string };
}

// PKCS#8 DER prefix for an ed25519 private key: the 32-byte seed follows it.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function rawPublic(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x as string, 'base64url');
}

/** A fresh ed25519 key from the OS CSPRNG. */
export function generateEd25519(): Ed25519Key {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return { seed: Buffer.from(jwk.d as string, 'base64url'), pubKey: Buffer.from(jwk.x as string, 'base64url') };
}

/** The key for a 32-byte seed (deterministic; used by tests and key import). */
export function ed25519FromSeed(seed: Uint8Array): Ed25519Key {
  if (seed.length !== 32) throw ErrInvalidKeyFile.wrap(`ed25519 seed must be 32 bytes, got ${seed.length}`);
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return { seed: Uint8Array.from(seed), pubKey: rawPublic(createPublicKey(key)) };
}

/** CometBFT consensus address: sha256(pubkey)[:20]. */
export function ed25519Address(pubKey: Uint8Array): Uint8Array {
  return createHash('sha256').update(pubKey).digest().subarray(0, 20);
}

/** Node ID as CometBFT prints it: lower-case hex of sha256(pubkey)[:20]. */
export function nodeIdOf(pubKey: Uint8Array): string {
  return Buffer.from(ed25519Address(pubKey)).toString('hex');
}

function privValue(key: Ed25519Key): string {
  return Buffer.concat([key.seed, key.pubKey]).toString('base64');
}

export function privValidatorKeyJson(key: Ed25519Key): PrivValidatorKeyFile {
  return {
    address: Buffer.from(ed25519Address(key.pubKey)).toString('hex').toUpperCase(),
    pub_key: { type: ED25519_PUBKEY_TYPE, value: Buffer.from(key.pubKey).toString('base64') },
    priv_key: { type: ED25519_PRIVKEY_TYPE, value: privValue(key) },
  };
}

export function nodeKeyJson(key: Ed25519Key): NodeKeyFile {
  return { priv_key: { type: ED25519_PRIVKEY_TYPE, value: privValue(key) } };
}

export const FRESH_PRIV_VALIDATOR_STATE = { height: '0', round: 0, step: 0 };

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw ErrMissingFile.wrap(path);
    throw err;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw ErrMalformedFile.wrap(`${path}: ${(err as Error).message}`);
  }
}

export function writeJsonFile(path: string, value: unknown, mode = 0o644): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n', { mode });
}

/** Reads the 64-byte seed||pubkey value and checks the pubkey matches the seed. */
function parsePrivKey(path: string, priv: unknown): Ed25519Key {
  const p = priv as { type?: unknown; value?: unknown } | undefined;
  if (!p || p.type !== ED25519_PRIVKEY_TYPE || typeof p.value !== 'string') {
    throw ErrInvalidKeyFile.wrap(`${path}: priv_key must be {"type":"${ED25519_PRIVKEY_TYPE}","value":"<base64>"}`);
  }
  const raw = Buffer.from(p.value, 'base64');
  if (raw.length !== 64) throw ErrInvalidKeyFile.wrap(`${path}: priv_key.value must hold 64 bytes, has ${raw.length}`);
  const key = ed25519FromSeed(raw.subarray(0, 32));
  if (!Buffer.from(key.pubKey).equals(raw.subarray(32))) throw ErrInvalidKeyFile.wrap(`${path}: priv_key public half does not match its seed`);
  return key;
}

export function readPrivValidatorKey(path: string): Ed25519Key {
  const json = readJsonFile(path) as Partial<PrivValidatorKeyFile>;
  const key = parsePrivKey(path, json?.priv_key);
  const expected = privValidatorKeyJson(key);
  if (json.address !== expected.address) throw ErrInvalidKeyFile.wrap(`${path}: address ${json.address} is not sha256(pub_key)[:20] = ${expected.address}`);
  if (json.pub_key?.value !== expected.pub_key.value) throw ErrInvalidKeyFile.wrap(`${path}: pub_key does not match priv_key`);
  return key;
}

export function readNodeKey(path: string): Ed25519Key {
  const json = readJsonFile(path) as Partial<NodeKeyFile>;
  return parsePrivKey(path, json?.priv_key);
}
