/**
 * Hashes of blocks and their parts exactly as CometBFT v0.38 computes them, so light
 * clients, explorers and IBC relayers agree with the block IDs this node reports.
 *
 * Field encodings follow `types/block.go` (Header.Hash, Commit.Hash, Data.Hash),
 * `types/validator_set.go`, `types/results.go`, `types/params.go` and `types/part_set.go`.
 */
import { BinaryWriter } from 'cosmjs-types/binary';
import { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { PublicKey } from 'cosmjs-types/tendermint/crypto/keys';
import { HashedParams, type ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { Block } from 'cosmjs-types/tendermint/types/block';
import { DuplicateVoteEvidence, LightClientAttackEvidence, type Evidence } from 'cosmjs-types/tendermint/types/evidence';
import { BlockID, CommitSig, type Commit, type Header, type PartSetHeader } from 'cosmjs-types/tendermint/types/types';
import { SimpleValidator } from 'cosmjs-types/tendermint/types/validator';
import { Consensus } from 'cosmjs-types/tendermint/version/types';
import { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { sha256 } from '../../crypto/hash';
import type { NodeValidator } from '../types';
import { merkleRoot } from './merkle';

/** CometBFT splits a serialized block into parts of this size (types.BlockPartSizeBytes). */
export const BLOCK_PART_SIZE_BYTES = 65536;

/** gogoproto StringValue: field 1, omitted when empty (CometBFT's cdcEncode of a string). */
export function encodeStringValue(value: string): Uint8Array {
  const w = BinaryWriter.create();
  if (value !== '') w.uint32(10).string(value);
  return w.finish();
}

/** gogoproto Int64Value: field 1, omitted when zero. */
export function encodeInt64Value(value: bigint): Uint8Array {
  const w = BinaryWriter.create();
  if (value !== 0n) w.uint32(8).int64(value);
  return w.finish();
}

/** gogoproto BytesValue: field 1, omitted when empty. */
export function encodeBytesValue(value: Uint8Array): Uint8Array {
  const w = BinaryWriter.create();
  if (value.length > 0) w.uint32(10).bytes(value);
  return w.finish();
}

/**
 * Header.Hash(): Merkle root over the 14 header fields in declaration order. Undefined when
 * the validators hash is empty, as in CometBFT (such a header is incomplete).
 */
export function headerHash(h: Header): Uint8Array | undefined {
  if (h.validatorsHash.length === 0) return undefined;
  return merkleRoot([
    Consensus.encode(h.version).finish(),
    encodeStringValue(h.chainId),
    encodeInt64Value(h.height),
    Timestamp.encode(h.time).finish(),
    BlockID.encode(h.lastBlockId).finish(),
    encodeBytesValue(h.lastCommitHash),
    encodeBytesValue(h.dataHash),
    encodeBytesValue(h.validatorsHash),
    encodeBytesValue(h.nextValidatorsHash),
    encodeBytesValue(h.consensusHash),
    encodeBytesValue(h.appHash),
    encodeBytesValue(h.lastResultsHash),
    encodeBytesValue(h.evidenceHash),
    encodeBytesValue(h.proposerAddress),
  ]);
}

/** Tx.Hash(): sha256 of the tx bytes (the hash clients search by). */
export function txHash(tx: Uint8Array): Uint8Array {
  return sha256(tx);
}

/** Data.Hash(): Merkle root of the tx hashes (not of the txs themselves). */
export function dataHash(txs: readonly Uint8Array[]): Uint8Array {
  return merkleRoot(txs.map(txHash));
}

/**
 * EvidenceList.Hash(): Merkle root of each piece's own proto bytes (the DuplicateVoteEvidence
 * or LightClientAttackEvidence, not the Evidence wrapper). This engine never includes evidence,
 * so it hashes the empty list; blocks from CometBFT are checked against their header with it.
 */
export function evidenceHash(evidence: readonly Evidence[] = []): Uint8Array {
  return merkleRoot(
    evidence.map((e) => {
      if (e.duplicateVoteEvidence) return DuplicateVoteEvidence.encode(e.duplicateVoteEvidence).finish();
      if (e.lightClientAttackEvidence) return LightClientAttackEvidence.encode(e.lightClientAttackEvidence).finish();
      throw new Error('evidence holds neither a duplicate vote nor a light client attack');
    }),
  );
}

/** Commit.Hash(): Merkle root of the proto-encoded CommitSigs in validator-set order. */
export function commitHash(commit: Commit): Uint8Array {
  return merkleRoot(commit.signatures.map((s) => CommitSig.encode(s).finish()));
}

/** ValidatorSet.Hash(): Merkle root of SimpleValidator{pub_key, voting_power} in set order. */
export function validatorSetHash(vals: readonly NodeValidator[]): Uint8Array {
  return merkleRoot(
    vals.map((v) =>
      SimpleValidator.encode({
        pubKey: PublicKey.fromPartial({ ed25519: v.pubKey }),
        votingPower: v.power,
      }).finish(),
    ),
  );
}

/** ConsensusParams.Hash(): sha256 of HashedParams{block_max_bytes, block_max_gas} (not a Merkle root). */
export function consensusParamsHash(params: ConsensusParams): Uint8Array {
  return sha256(
    HashedParams.encode({
      blockMaxBytes: params.block?.maxBytes ?? 0n,
      blockMaxGas: params.block?.maxGas ?? 0n,
    }).finish(),
  );
}

/** ABCIResults.Hash(): Merkle root over the deterministic part of each ExecTxResult. */
export function resultsHash(results: readonly ExecTxResult[]): Uint8Array {
  return merkleRoot(
    results.map((r) =>
      ExecTxResult.encode(
        ExecTxResult.fromPartial({ code: r.code, data: r.data, gasWanted: r.gasWanted, gasUsed: r.gasUsed }),
      ).finish(),
    ),
  );
}

/** The serialized block split into 64 KiB parts, and the PartSetHeader that commits to them. */
export function partSet(blockBytes: Uint8Array): { header: PartSetHeader; parts: Uint8Array[] } {
  const parts: Uint8Array[] = [];
  for (let off = 0; off < blockBytes.length; off += BLOCK_PART_SIZE_BYTES) {
    parts.push(blockBytes.subarray(off, Math.min(off + BLOCK_PART_SIZE_BYTES, blockBytes.length)));
  }
  if (parts.length === 0) parts.push(new Uint8Array(0));
  return { header: { total: parts.length, hash: merkleRoot(parts) }, parts };
}

/** The BlockID of a complete block (header hash + part set header) and its serialized size. */
export function blockId(block: Block): { blockId: BlockID; size: number } {
  const bytes = Block.encode(block).finish();
  const hash = headerHash(block.header);
  if (hash === undefined) throw new Error('block header has no validators hash');
  return { blockId: { hash, partSetHeader: partSet(bytes).header }, size: bytes.length };
}

/** Validator address: the first 20 bytes of sha256(ed25519 pubkey). */
export function validatorAddress(pubKey: Uint8Array): Uint8Array {
  return sha256(pubKey).subarray(0, 20);
}
