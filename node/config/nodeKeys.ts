/**
 * The node's key files in the home directory, over crypto/keys (which owns the ed25519 math
 * and CometBFT's JSON forms):
 * - config/priv_validator_key.json and config/node_key.json, read with their path in every
 *   error and checked (address, pub_key and priv_key must agree);
 * - data/priv_validator_state.json fresh: `{"height":"0","round":0,"step":0}`.
 *
 * Keys are handed to the node as `{ seed, pubKey }` (the engine's and the CLI's field names).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { consAddressFromEd25519 } from '../../crypto/address';
import {
  COMET_ED25519_PUBKEY_TYPE,
  ed25519FromSeed as cryptoFromSeed,
  generateEd25519 as cryptoGenerate,
  nodeIdFromEd25519,
  nodeKeyJson as cryptoNodeKeyJson,
  parseNodeKey,
  parsePrivValidatorKey,
  privValidatorKeyJson as cryptoPrivValidatorKeyJson,
  type Ed25519Key as CryptoEd25519Key,
  type NodeKeyJson,
  type PrivValidatorKeyJson,
} from '../../crypto/keys';
import { CodedError } from '../../types/errors';
import { ErrInvalidKeyFile, ErrMalformedFile, ErrMissingFile } from './errors';

export const ED25519_PUBKEY_TYPE = COMET_ED25519_PUBKEY_TYPE;

export interface Ed25519Key {
  /** 32-byte seed (what RFC 8032 calls the private key). */
  seed: Uint8Array;
  pubKey: Uint8Array;
}

const toNode = (k: CryptoEd25519Key): Ed25519Key => ({ seed: k.seed, pubKey: k.pubkey });
const toCrypto = (k: Ed25519Key): CryptoEd25519Key => ({ seed: k.seed, pubkey: k.pubKey });

/** A fresh ed25519 key from the OS CSPRNG. */
export function generateEd25519(): Ed25519Key {
  return toNode(cryptoGenerate());
}

/** The key for a 32-byte seed (deterministic; used by tests and key import). */
export function ed25519FromSeed(seed: Uint8Array): Ed25519Key {
  return toNode(cryptoFromSeed(seed));
}

/** CometBFT consensus address: sha256(pubkey)[:20]. */
export const ed25519Address = consAddressFromEd25519;

/** Node ID as CometBFT prints it: lower-case hex of sha256(pubkey)[:20]. */
export const nodeIdOf = nodeIdFromEd25519;

export function privValidatorKeyJson(key: Ed25519Key): PrivValidatorKeyJson {
  return cryptoPrivValidatorKeyJson(toCrypto(key));
}

export function nodeKeyJson(key: Ed25519Key): NodeKeyJson {
  return cryptoNodeKeyJson(toCrypto(key));
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

/** Parses a key file's JSON, naming the file in the error. */
function readKeyFile(path: string, parse: (json: unknown) => CryptoEd25519Key): Ed25519Key {
  const json = readJsonFile(path);
  try {
    return toNode(parse(json));
  } catch (err) {
    if (err instanceof CodedError) throw ErrInvalidKeyFile.wrap(`${path}: ${err.message}`);
    throw err;
  }
}

export function readPrivValidatorKey(path: string): Ed25519Key {
  return readKeyFile(path, parsePrivValidatorKey);
}

export function readNodeKey(path: string): Ed25519Key {
  return readKeyFile(path, parseNodeKey);
}
