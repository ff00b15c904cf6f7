/**
 * The validator's signing key and its double-sign protection.
 *
 * Votes are signed over CometBFT's canonical vote sign bytes (a length-delimited
 * CanonicalVote that includes the chain id), so commits stored by this node verify with the
 * validator's ed25519 public key exactly as light clients check them. The last signed
 * height/round/step is kept in `data/priv_validator_state.json` in CometBFT's format and is
 * written durably (fsync + atomic rename) before a signature leaves this module.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BinaryWriter } from 'cosmjs-types/binary';
import { SignedMsgType, type BlockID } from 'cosmjs-types/tendermint/types/types';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import {
  COMET_ED25519_PRIVKEY_TYPE,
  ed25519FromSeed,
  generateEd25519,
  privValidatorKeyJson as cryptoPrivValidatorKeyJson,
  signEd25519,
  verifyEd25519 as cryptoVerifyEd25519,
} from '../../crypto/keys';
import { registerError } from '../../types/errors';
import { validatorAddress } from './hashes';

export const ErrDoubleSign = registerError('privval', 2, 'conflicting data: refusing to sign a second, different vote');
export const ErrHeightRegression = registerError('privval', 3, 'height regression');
export const ErrInvalidKeyFile = registerError('privval', 4, 'invalid validator key file');
export const ErrInvalidStateFile = registerError('privval', 5, 'invalid validator state file');

/** Step numbers of priv_validator_state.json (privval/file.go). */
export const STEP_PROPOSE = 1;
export const STEP_PREVOTE = 2;
export const STEP_PRECOMMIT = 3;

export interface VoteToSign {
  type: SignedMsgType;
  height: bigint;
  round: number;
  /** Undefined or all-empty for a nil vote. */
  blockId?: BlockID;
  timestamp: Timestamp;
}

/**
 * VoteSignBytes: CanonicalVote{type=1, height=2 sfixed64, round=3 sfixed64,
 * block_id=4 (omitted for nil), timestamp=5 (always), chain_id=6}, prefixed by its length.
 */
export function voteSignBytes(chainId: string, vote: VoteToSign): Uint8Array {
  const w = BinaryWriter.create();
  if (vote.type !== 0) w.uint32(8).int32(vote.type);
  if (vote.height !== 0n) w.uint32(17).sfixed64(vote.height);
  if (vote.round !== 0) w.uint32(25).sfixed64(BigInt(vote.round));
  const id = vote.blockId;
  const isZero = id === undefined || (id.hash.length === 0 && id.partSetHeader.total === 0 && id.partSetHeader.hash.length === 0);
  if (!isZero) {
    w.uint32(34).fork();
    if (id.hash.length > 0) w.uint32(10).bytes(id.hash);
    // The part set header is not nullable in CanonicalBlockID: always present.
    w.uint32(18).fork();
    if (id.partSetHeader.total !== 0) w.uint32(8).uint32(id.partSetHeader.total);
    if (id.partSetHeader.hash.length > 0) w.uint32(18).bytes(id.partSetHeader.hash);
    w.ldelim();
    w.ldelim();
  }
  // The timestamp is a non-nullable stdtime: always written, even Go's zero time.
  w.uint32(42).fork();
  if (vote.timestamp.seconds !== 0n) w.uint32(8).int64(vote.timestamp.seconds);
  if (vote.timestamp.nanos !== 0) w.uint32(16).int32(vote.timestamp.nanos);
  w.ldelim();
  if (chainId !== '') w.uint32(50).string(chainId);
  const body = w.finish();
  return BinaryWriter.create().bytes(body).finish();
}

/** An ed25519 consensus key: 32-byte public key and 32-byte seed. */
export interface PrivValidatorKey {
  pubKey: Uint8Array;
  privKey: Uint8Array;
}

/**
 * Reads CometBFT's priv_validator_key.json shape (priv_key value = base64 of seed || pubkey).
 * Lenient where tests and older files need it: a 32-byte seed alone, a missing type or
 * pub_key; whatever is present must agree with the seed.
 */
export function parsePrivValidatorKey(json: unknown): PrivValidatorKey {
  const j = json as { pub_key?: { value?: unknown }; priv_key?: { type?: unknown; value?: unknown } };
  if (typeof j?.priv_key?.value !== 'string') throw ErrInvalidKeyFile.wrap('priv_key.value is missing');
  if (j.priv_key.type !== undefined && j.priv_key.type !== COMET_ED25519_PRIVKEY_TYPE) {
    throw ErrInvalidKeyFile.wrap(`unsupported key type ${String(j.priv_key.type)}`);
  }
  const priv = Buffer.from(j.priv_key.value, 'base64');
  if (priv.length !== 64 && priv.length !== 32) throw ErrInvalidKeyFile.wrap(`priv_key is ${priv.length} bytes, want 64`);
  const { seed, pubkey } = ed25519FromSeed(priv.subarray(0, 32));
  if (priv.length === 64 && !Buffer.from(pubkey).equals(priv.subarray(32))) {
    throw ErrInvalidKeyFile.wrap('priv_key does not end with its public key');
  }
  if (typeof j.pub_key?.value === 'string' && !Buffer.from(j.pub_key.value, 'base64').equals(pubkey)) {
    throw ErrInvalidKeyFile.wrap('pub_key does not match priv_key');
  }
  return { pubKey: pubkey, privKey: seed };
}

/** The priv_validator_key.json document for a key. */
export function privValidatorKeyJson(key: PrivValidatorKey): unknown {
  return cryptoPrivValidatorKeyJson({ seed: key.privKey, pubkey: key.pubKey });
}

/** A fresh key from the OS random source (key generation is not state-machine code). */
export function generatePrivValidatorKey(): PrivValidatorKey {
  const { seed, pubkey } = generateEd25519();
  return { pubKey: pubkey, privKey: seed };
}

/** Verifies an ed25519 signature with a raw 32-byte public key (false for malformed input). */
export const verifyEd25519 = cryptoVerifyEd25519;

/** The last signature made, as stored in priv_validator_state.json. */
export interface LastSignState {
  height: bigint;
  round: number;
  step: number;
  signature?: Uint8Array;
  signBytes?: Uint8Array;
}

/** The signing key plus its on-disk last-sign state; refuses to sign twice at one height/round/step. */
export class PrivValidator {
  readonly address: Uint8Array;

  private constructor(
    readonly pubKey: Uint8Array,
    private readonly seed: Uint8Array,
    private readonly statePath: string,
    private state: LastSignState,
  ) {
    this.address = validatorAddress(pubKey);
  }

  /** Loads (or creates at height 0) the state file next to the key. */
  static load(key: PrivValidatorKey, statePath: string): PrivValidator {
    let state: LastSignState = { height: 0n, round: 0, step: 0 };
    if (fs.existsSync(statePath)) state = parseSignState(fs.readFileSync(statePath, 'utf8'), statePath);
    return new PrivValidator(key.pubKey, key.privKey, statePath, state);
  }

  lastSignState(): LastSignState {
    return { ...this.state };
  }

  /**
   * Signs `signBytes` for (height, round, step). Signing the same bytes again returns the
   * stored signature; different bytes at the same or an earlier position are refused.
   */
  sign(height: bigint, round: number, step: number, signBytes: Uint8Array): Uint8Array {
    const s = this.state;
    const cmp = height !== s.height ? (height < s.height ? -1 : 1) : round !== s.round ? (round < s.round ? -1 : 1) : Math.sign(step - s.step);
    if (cmp < 0) {
      throw ErrHeightRegression.wrap(`asked to sign ${height}/${round}/${step} after ${s.height}/${s.round}/${s.step}`);
    }
    if (cmp === 0) {
      if (s.signBytes !== undefined && s.signature !== undefined && Buffer.from(s.signBytes).equals(signBytes)) {
        return s.signature;
      }
      throw ErrDoubleSign.wrap(`height ${height} round ${round} step ${step} was already signed over other bytes`);
    }
    const signature = signEd25519(this.seed, signBytes);
    const next: LastSignState = { height, round, step, signature, signBytes: new Uint8Array(signBytes) };
    writeFileDurably(this.statePath, formatSignState(next));
    this.state = next;
    return signature;
  }
}

function formatSignState(s: LastSignState): string {
  const doc: Record<string, unknown> = { height: s.height.toString(), round: s.round, step: s.step };
  if (s.signature !== undefined) doc.signature = Buffer.from(s.signature).toString('base64');
  if (s.signBytes !== undefined) doc.signbytes = Buffer.from(s.signBytes).toString('hex').toUpperCase();
  return JSON.stringify(doc, null, 2) + '\n';
}

function parseSignState(text: string, where: string): LastSignState {
  let j: { height?: unknown; round?: unknown; step?: unknown; signature?: unknown; signbytes?: unknown };
  try {
    j = JSON.parse(text) as typeof j;
  } catch (e) {
    throw ErrInvalidStateFile.wrap(`${where}: ${(e as Error).message}`);
  }
  if (typeof j.height !== 'string' || !/^\d+$/.test(j.height)) throw ErrInvalidStateFile.wrap(`${where}: height must be a decimal string`);
  if (typeof j.round !== 'number' || typeof j.step !== 'number') throw ErrInvalidStateFile.wrap(`${where}: round and step must be numbers`);
  return {
    height: BigInt(j.height),
    round: j.round,
    step: j.step,
    signature: typeof j.signature === 'string' ? new Uint8Array(Buffer.from(j.signature, 'base64')) : undefined,
    signBytes: typeof j.signbytes === 'string' ? new Uint8Array(Buffer.from(j.signbytes, 'hex')) : undefined,
  };
}

/** Write to a temp file, fsync it, rename over the target, fsync the directory. */
export function writeFileDurably(file: string, contents: string | Uint8Array): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof contents === 'string' ? Buffer.from(contents) : contents);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  const dfd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dfd);
  } finally {
    fs.closeSync(dfd);
  }
}
