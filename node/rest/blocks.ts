/**
 * CometBFT RPC `block` results as the Cosmos SDK gateway's JSON of the tendermint service's
 * block responses (and of GetBlockWithTxs): base64 hashes, enum names, a kiravalcons proposer
 * in sdk_block, and the evidence as proto JSON.
 */
import { Evidence } from 'cosmjs-types/tendermint/types/evidence';
import { encodeBech32 } from '../../crypto/bech32';
import { evidenceProto, type RpcEvidence } from '../grpcweb/rpcBlock';

export const hexToBase64 = (h: string | undefined | null) => (h ? Buffer.from(h, 'hex').toString('base64') : '');

/** A CometBFT RPC block ID as proto JSON. */
function blockIdJson(id: { hash?: string; parts?: { total?: number; hash?: string } } | undefined) {
  return { hash: hexToBase64(id?.hash), part_set_header: { total: id?.parts?.total ?? 0, hash: hexToBase64(id?.parts?.hash) } };
}

const BLOCK_ID_FLAGS: Record<number, string> = { 0: 'BLOCK_ID_FLAG_UNKNOWN', 1: 'BLOCK_ID_FLAG_ABSENT', 2: 'BLOCK_ID_FLAG_COMMIT', 3: 'BLOCK_ID_FLAG_NIL' };

export interface CometBlockJson {
  block_id: { hash: string; parts: { total: number; hash: string } };
  block: {
    header: Record<string, unknown> & { version: { block: string; app?: string }; last_block_id: CometBlockJson['block_id']; proposer_address: string; time: string; height: string; chain_id: string };
    data: { txs: string[] | null };
    evidence: { evidence: RpcEvidence[] | null };
    last_commit: { height: string; round: number; block_id: CometBlockJson['block_id']; signatures: { block_id_flag: number; validator_address: string; timestamp: string; signature: string | null }[] } | null;
  };
}

/** Proto3 JSON with the proto (snake_case) field names the SDK's gateway writes. */
function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(x)]));
}

/**
 * One piece of evidence as gateway JSON: the proto's JSON with proto field names, and the
 * times as CometBFT wrote them (the generated toJSON keeps only milliseconds).
 */
function evidenceJson(e: RpcEvidence): unknown {
  const json = snakeKeys(Evidence.toJSON(evidenceProto(e))) as Record<string, Record<string, unknown>>;
  if (e.type === 'tendermint/DuplicateVoteEvidence') {
    const d = json.duplicate_vote_evidence as { timestamp: string; vote_a: { timestamp: string }; vote_b: { timestamp: string } };
    d.timestamp = e.value.Timestamp;
    d.vote_a.timestamp = e.value.vote_a.timestamp;
    d.vote_b.timestamp = e.value.vote_b.timestamp;
  } else if (e.type === 'tendermint/LightClientAttackEvidence') {
    json.light_client_attack_evidence.timestamp = e.value.Timestamp;
  }
  return json;
}

/** A CometBFT RPC `block` result → GetBlockByHeightResponse (block and sdk_block), evidence included. */
export function blockResponseJson(r: CometBlockJson): Record<string, unknown> {
  const h = r.block.header;
  const hash = (k: string) => hexToBase64(h[k] as string);
  const header = (proposer: string) => ({
    version: { block: h.version.block, app: h.version.app ?? '0' },
    chain_id: h.chain_id,
    height: h.height,
    time: h.time,
    last_block_id: blockIdJson(h.last_block_id),
    last_commit_hash: hash('last_commit_hash'),
    data_hash: hash('data_hash'),
    validators_hash: hash('validators_hash'),
    next_validators_hash: hash('next_validators_hash'),
    consensus_hash: hash('consensus_hash'),
    app_hash: hash('app_hash'),
    last_results_hash: hash('last_results_hash'),
    evidence_hash: hash('evidence_hash'),
    proposer_address: proposer,
  });
  const lc = r.block.last_commit;
  const lastCommit = {
    height: lc?.height ?? '0',
    round: lc?.round ?? 0,
    block_id: blockIdJson(lc?.block_id),
    signatures: (lc?.signatures ?? []).map((s) => ({
      block_id_flag: BLOCK_ID_FLAGS[s.block_id_flag] ?? 'BLOCK_ID_FLAG_UNKNOWN',
      validator_address: hexToBase64(s.validator_address),
      timestamp: s.timestamp,
      signature: s.signature ?? '',
    })),
  };
  const body = (proposer: string) => ({
    header: header(proposer),
    data: { txs: r.block.data.txs ?? [] },
    evidence: { evidence: (r.block.evidence.evidence ?? []).map(evidenceJson) },
    last_commit: lastCommit,
  });
  return {
    block_id: blockIdJson(r.block_id),
    block: body(hexToBase64(h.proposer_address)),
    sdk_block: body(h.proposer_address ? encodeBech32('kiravalcons', Buffer.from(h.proposer_address, 'hex')) : ''),
  };
}

