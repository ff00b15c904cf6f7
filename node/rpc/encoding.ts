/**
 * CometBFT v0.38 JSON shapes (cmtjson and gogo jsonpb) for the types the RPC serves.
 *
 * cmtjson rules: int64/uint64/int → decimal strings, int32/uint32 → numbers, []byte → base64
 * (nil → null), HexBytes → uppercase hex, time → RFC3339Nano UTC. ResponseCheckTx,
 * ExecTxResult, ResponseQuery and EventAttribute marshal through jsonpb with EmitDefaults and
 * EnumsAsInts instead (camelCase names such as `proofOps`; `gas_wanted`/`gas_used` keep their
 * declared json_name). Clients such as @cosmjs/tendermint-rpc decode exactly these shapes.
 */
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { Duration } from 'cosmjs-types/google/protobuf/duration';
import type {
  Event,
  ExecTxResult,
  ResponseCheckTx,
  ResponseFinalizeBlock,
  ResponseQuery,
  ValidatorUpdate,
} from 'cosmjs-types/tendermint/abci/types';
import type { Block } from 'cosmjs-types/tendermint/types/block';
import type { BlockID, Commit, CommitSig, Header } from 'cosmjs-types/tendermint/types/types';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import type { NodeValidator, StoredBlock } from '../types';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** HexBytes: uppercase hex, "" when empty. */
export function hexUpper(bytes: Uint8Array | undefined): string {
  return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase() : '';
}

/** []byte: base64, null when nil or empty (Go cannot tell the two apart after a proto round trip). */
export function base64OrNull(bytes: Uint8Array | undefined): string | null {
  return bytes && bytes.length > 0 ? toBase64(bytes) : null;
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The zero Go time as proto Timestamp seconds (0001-01-01T00:00:00Z). */
const GO_ZERO_TIME_SECONDS = -62135596800n;

/** RFC3339Nano as Go prints it: UTC, fractional seconds with trailing zeros removed. */
export function rfc3339Nano(ts: Timestamp | undefined): string {
  if (!ts) return '0001-01-01T00:00:00Z';
  const seconds = BigInt(ts.seconds);
  if (seconds === GO_ZERO_TIME_SECONDS && ts.nanos === 0) return '0001-01-01T00:00:00Z';
  const date = new Date(Number(seconds) * 1000);
  const iso = date.toISOString(); // yyyy-mm-ddThh:mm:ss.sssZ
  const base = iso.slice(0, 19);
  let frac = '';
  if (ts.nanos > 0) frac = '.' + String(ts.nanos).padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac}Z`;
}

/** time.Duration: int64 nanoseconds as a decimal string. */
export function durationNanos(d: Duration | undefined): string {
  if (!d) return '0';
  return (BigInt(d.seconds) * 1_000_000_000n + BigInt(d.nanos)).toString();
}

export function blockIdJson(id: BlockID | undefined): JsonObject {
  return {
    hash: hexUpper(id?.hash),
    parts: { total: id?.partSetHeader?.total ?? 0, hash: hexUpper(id?.partSetHeader?.hash) },
  };
}

export function headerJson(h: Header): JsonObject {
  return {
    version: { block: String(h.version?.block ?? 0n), app: String(h.version?.app ?? 0n) },
    chain_id: h.chainId,
    height: String(h.height),
    time: rfc3339Nano(h.time),
    last_block_id: blockIdJson(h.lastBlockId),
    last_commit_hash: hexUpper(h.lastCommitHash),
    data_hash: hexUpper(h.dataHash),
    validators_hash: hexUpper(h.validatorsHash),
    next_validators_hash: hexUpper(h.nextValidatorsHash),
    consensus_hash: hexUpper(h.consensusHash),
    app_hash: hexUpper(h.appHash),
    last_results_hash: hexUpper(h.lastResultsHash),
    evidence_hash: hexUpper(h.evidenceHash),
    proposer_address: hexUpper(h.proposerAddress),
  };
}

/** BlockIDFlagAbsent: CometBFT stores absent signatures with no address, zero time and nil signature. */
const BLOCK_ID_FLAG_ABSENT = 1;

export function commitSigJson(sig: CommitSig): JsonObject {
  const absent = sig.blockIdFlag === BLOCK_ID_FLAG_ABSENT;
  return {
    block_id_flag: sig.blockIdFlag,
    validator_address: hexUpper(sig.validatorAddress),
    timestamp: absent ? '0001-01-01T00:00:00Z' : rfc3339Nano(sig.timestamp),
    signature: base64OrNull(sig.signature),
  };
}

/** The empty commit of a height-1 block: `{height:"0", round:0, block_id:{hash:""…}, signatures:[]}`. */
export function commitJson(c: Commit | undefined): JsonObject {
  return {
    height: String(c?.height ?? 0n),
    round: c?.round ?? 0,
    block_id: blockIdJson(c?.blockId),
    signatures: (c?.signatures ?? []).map(commitSigJson),
  };
}

export function blockJson(b: Block): JsonObject {
  return {
    header: headerJson(b.header),
    data: { txs: (b.data?.txs ?? []).map(toBase64) },
    // Evidence is never produced by a single-validator node; an empty list is what CometBFT prints.
    evidence: { evidence: [] },
    last_commit: commitJson(b.lastCommit),
  };
}

export function blockMetaJson(s: StoredBlock): JsonObject {
  return {
    block_id: blockIdJson(s.blockId),
    block_size: String(s.size),
    header: headerJson(s.block.header),
    num_txs: String(s.block.data?.txs?.length ?? 0),
  };
}

/** EventAttribute marshals through jsonpb with EmitDefaults. */
function eventJson(e: Event): JsonObject {
  const out: JsonObject = { type: e.type };
  // abci.Event is plain cmtjson with `omitempty` on attributes.
  if (e.attributes.length > 0) {
    out.attributes = e.attributes.map((a) => ({ key: a.key, value: a.value, index: a.index }));
  }
  return out;
}

/** Events inside jsonpb messages: every attribute field emitted, attributes always present. */
function eventJsonpb(e: Event): JsonObject {
  return { type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value, index: a.index })) };
}

export function eventsJson(events: Event[]): Json[] {
  return events.map(eventJson);
}

/** ExecTxResult / ResponseCheckTx (same fields in v0.38) as jsonpb with EmitDefaults. */
export function txResultJson(r: ExecTxResult | ResponseCheckTx): JsonObject {
  return {
    code: r.code,
    data: base64OrNull(r.data),
    log: r.log,
    info: r.info,
    gas_wanted: String(r.gasWanted),
    gas_used: String(r.gasUsed),
    events: r.events.map(eventJsonpb),
    codespace: r.codespace,
  };
}

export function queryResponseJson(r: ResponseQuery): JsonObject {
  return {
    code: r.code,
    log: r.log,
    info: r.info,
    index: String(r.index),
    key: base64OrNull(r.key),
    value: base64OrNull(r.value),
    proofOps: r.proofOps
      ? { ops: r.proofOps.ops.map((op) => ({ type: op.type, key: base64OrNull(op.key), data: base64OrNull(op.data) })) }
      : null,
    height: String(r.height),
    codespace: r.codespace,
  };
}

/** crypto.PublicKey (a proto oneof) as cmtjson prints it inside ValidatorUpdate. */
function publicKeySumJson(pk: ValidatorUpdate['pubKey']): JsonObject {
  if (pk?.secp256k1 && pk.secp256k1.length > 0) {
    return { Sum: { type: 'tendermint.crypto.PublicKey_Secp256K1', value: { secp256k1: toBase64(pk.secp256k1) } } };
  }
  return { Sum: { type: 'tendermint.crypto.PublicKey_Ed25519', value: { ed25519: toBase64(pk?.ed25519 ?? new Uint8Array()) } } };
}

export function validatorUpdateJson(u: ValidatorUpdate): JsonObject {
  return { pub_key: publicKeySumJson(u.pubKey), power: String(u.power) };
}

/** Amino-registered ed25519 key, as in `validators` and `status`. */
export function ed25519PubKeyJson(pubKey: Uint8Array): JsonObject {
  return { type: 'tendermint/PubKeyEd25519', value: toBase64(pubKey) };
}

export function validatorJson(v: NodeValidator): JsonObject {
  return {
    address: hexUpper(v.address),
    pub_key: ed25519PubKeyJson(v.pubKey),
    voting_power: String(v.power),
    proposer_priority: String(v.proposerPriority),
  };
}

export function consensusParamsJson(p: ConsensusParams | undefined): Json {
  if (!p) return null;
  const out: JsonObject = {};
  if (p.block) out.block = { max_bytes: String(p.block.maxBytes), max_gas: String(p.block.maxGas) };
  if (p.evidence) {
    out.evidence = {
      max_age_num_blocks: String(p.evidence.maxAgeNumBlocks),
      max_age_duration: durationNanos(p.evidence.maxAgeDuration),
      max_bytes: String(p.evidence.maxBytes),
    };
  }
  if (p.validator) out.validator = { pub_key_types: [...p.validator.pubKeyTypes] };
  if (p.version) out.version = { app: String(p.version.app) };
  return out;
}

/** ResponseFinalizeBlock as embedded in the NewBlock event (plain cmtjson, omitempty fields). */
export function finalizeBlockJson(r: ResponseFinalizeBlock): JsonObject {
  const out: JsonObject = {};
  if (r.events.length > 0) out.events = eventsJson(r.events);
  if (r.txResults.length > 0) out.tx_results = r.txResults.map(txResultJson);
  if (r.validatorUpdates.length > 0) out.validator_updates = r.validatorUpdates.map(validatorUpdateJson);
  if (r.consensusParamUpdates) out.consensus_param_updates = consensusParamsJson(r.consensusParamUpdates);
  if (r.appHash.length > 0) out.app_hash = toBase64(r.appHash);
  return out;
}
