/**
 * CometBFT RPC JSON (the `block` result, with its Amino JSON evidence) as the generated proto
 * types of tendermint.types, so the gRPC-web tendermint and tx services answer the block as
 * CometBFT stores it: header, txs, last commit and evidence. The evidence converts back to the
 * exact bytes CometBFT hashed (its EvidenceList hash is the header's evidence_hash).
 */
import type { Block as SdkBlock } from 'cosmjs-types/cosmos/base/tendermint/v1beta1/types';
import type { Block } from 'cosmjs-types/tendermint/types/block';
import type { Evidence } from 'cosmjs-types/tendermint/types/evidence';
import type { BlockID, Commit, Header, SignedMsgType, Vote } from 'cosmjs-types/tendermint/types/types';
import type { Validator, ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { encodeBech32 } from '../../crypto/bech32';

export const hex = (h: string | null | undefined): Uint8Array => new Uint8Array(h ? Buffer.from(h, 'hex') : []);
export const b64 = (s: string | null | undefined): Uint8Array => new Uint8Array(s ? Buffer.from(s, 'base64') : []);

/** RFC 3339 with up to 9 fractional digits → Timestamp (Date would drop the nanoseconds). */
export function parseRfc3339(text: string): Timestamp {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) throw new Error(`not an RFC 3339 time: ${text}`);
  const seconds = BigInt(Math.floor(Date.parse(`${m[1]}${m[3]}`) / 1000));
  return { seconds, nanos: Number((m[2] ?? '').padEnd(9, '0')) };
}

export interface RpcBlockId {
  hash: string;
  parts: { total: number; hash: string };
}

export interface RpcBlock {
  block_id: RpcBlockId;
  block: {
    header: { version: { block: string; app?: string }; chain_id: string; height: string; time: string; last_block_id: RpcBlockId; proposer_address: string } & Record<string, unknown>;
    data: { txs: string[] | null };
    evidence?: { evidence: RpcEvidence[] | null };
    last_commit: { height: string; round: number; block_id: RpcBlockId; signatures: { block_id_flag: number; validator_address: string; timestamp: string; signature: string | null }[] } | null;
  };
}

function blockId(id: RpcBlockId | undefined): BlockID {
  return { hash: hex(id?.hash), partSetHeader: { total: id?.parts?.total ?? 0, hash: hex(id?.parts?.hash) } };
}

function header(h: RpcBlock['block']['header']): Header {
  const bytes = (k: string) => hex(h[k] as string);
  return {
    version: { block: BigInt(h.version.block), app: BigInt(h.version.app ?? '0') },
    chainId: h.chain_id,
    height: BigInt(h.height),
    time: parseRfc3339(h.time),
    lastBlockId: blockId(h.last_block_id),
    lastCommitHash: bytes('last_commit_hash'),
    dataHash: bytes('data_hash'),
    validatorsHash: bytes('validators_hash'),
    nextValidatorsHash: bytes('next_validators_hash'),
    consensusHash: bytes('consensus_hash'),
    appHash: bytes('app_hash'),
    lastResultsHash: bytes('last_results_hash'),
    evidenceHash: bytes('evidence_hash'),
    proposerAddress: hex(h.proposer_address),
  };
}

function commit(c: RpcBlock['block']['last_commit']): Commit {
  return {
    height: BigInt(c?.height ?? '0'),
    round: c?.round ?? 0,
    blockId: blockId(c?.block_id),
    signatures: (c?.signatures ?? []).map((s) => ({
      blockIdFlag: s.block_id_flag,
      validatorAddress: hex(s.validator_address),
      timestamp: parseRfc3339(s.timestamp),
      signature: b64(s.signature),
    })),
  };
}

/** A CometBFT RPC `block` result as the tendermint Block and the SDK's Block (proposer as a kiravalcons address). */
export function protoBlock(r: RpcBlock): { blockId: BlockID; block: Block; sdkBlock: SdkBlock } {
  const h = header(r.block.header);
  const data = { txs: (r.block.data.txs ?? []).map(b64) };
  const lastCommit = commit(r.block.last_commit);
  const evidence = { evidence: (r.block.evidence?.evidence ?? []).map(evidenceProto) };
  const proposer = r.block.header.proposer_address ? encodeBech32('kiravalcons', hex(r.block.header.proposer_address)) : '';
  return {
    blockId: blockId(r.block_id),
    block: { header: h, data, evidence, lastCommit },
    sdkBlock: { header: { ...h, proposerAddress: proposer }, data, evidence, lastCommit },
  };
}


/** A vote as CometBFT's JSON writes it (int64 as strings, bytes as hex or base64). */
interface RpcVote {
  type: number;
  height: string;
  round: number;
  block_id: RpcBlockId;
  timestamp: string;
  validator_address: string;
  validator_index: number;
  signature: string | null;
  extension?: string | null;
  extension_signature?: string | null;
}

interface RpcValidator {
  address: string;
  pub_key: { type: string; value: string };
  voting_power: string;
  proposer_priority: string;
}

/** CometBFT's Amino JSON of one piece of evidence; the abci fields keep Go's field names. */
export type RpcEvidence =
  | { type: 'tendermint/DuplicateVoteEvidence'; value: { vote_a: RpcVote; vote_b: RpcVote; TotalVotingPower: string; ValidatorPower: string; Timestamp: string } }
  | {
      type: 'tendermint/LightClientAttackEvidence';
      value: {
        ConflictingBlock: { signed_header: { header: RpcBlock['block']['header']; commit: RpcBlock['block']['last_commit'] }; validator_set: { validators: RpcValidator[] | null; proposer: RpcValidator | null } };
        CommonHeight: string;
        ByzantineValidators: RpcValidator[] | null;
        TotalVotingPower: string;
        Timestamp: string;
      };
    };

function vote(v: RpcVote): Vote {
  return {
    type: v.type as SignedMsgType,
    height: BigInt(v.height),
    round: v.round,
    blockId: blockId(v.block_id),
    timestamp: parseRfc3339(v.timestamp),
    validatorAddress: hex(v.validator_address),
    validatorIndex: v.validator_index,
    signature: b64(v.signature),
    extension: b64(v.extension),
    extensionSignature: b64(v.extension_signature),
  };
}

function validator(v: RpcValidator): Validator {
  if (v.pub_key.type !== 'tendermint/PubKeyEd25519') throw new Error(`validator key type ${v.pub_key.type} is not ed25519`);
  return { address: hex(v.address), pubKey: { ed25519: b64(v.pub_key.value) }, votingPower: BigInt(v.voting_power), proposerPriority: BigInt(v.proposer_priority) };
}

function validatorSet(s: { validators: RpcValidator[] | null; proposer: RpcValidator | null }): ValidatorSet {
  const validators = (s.validators ?? []).map(validator);
  // CometBFT writes the set's total power into the proto from the validators (it is not in the JSON).
  return { validators, proposer: s.proposer ? validator(s.proposer) : undefined, totalVotingPower: validators.reduce((t, v) => t + v.votingPower, 0n) };
}

/** One piece of CometBFT's Amino JSON evidence as the tendermint.types.Evidence proto. */
export function evidenceProto(e: RpcEvidence): Evidence {
  if (e.type === 'tendermint/DuplicateVoteEvidence') {
    const v = e.value;
    return {
      duplicateVoteEvidence: {
        voteA: vote(v.vote_a),
        voteB: vote(v.vote_b),
        totalVotingPower: BigInt(v.TotalVotingPower),
        validatorPower: BigInt(v.ValidatorPower),
        timestamp: parseRfc3339(v.Timestamp),
      },
    };
  }
  if (e.type === 'tendermint/LightClientAttackEvidence') {
    const v = e.value;
    const b = v.ConflictingBlock;
    return {
      lightClientAttackEvidence: {
        conflictingBlock: { signedHeader: { header: header(b.signed_header.header), commit: commit(b.signed_header.commit) }, validatorSet: validatorSet(b.validator_set) },
        commonHeight: BigInt(v.CommonHeight),
        byzantineValidators: (v.ByzantineValidators ?? []).map(validator),
        totalVotingPower: BigInt(v.TotalVotingPower),
        timestamp: parseRfc3339(v.Timestamp),
      },
    };
  }
  throw new Error(`unknown evidence type ${(e as { type: string }).type}`);
}
