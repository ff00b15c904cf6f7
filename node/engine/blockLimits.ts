/**
 * CometBFT's block limits: the bytes left for txs in a block, and how FinalizeBlock's
 * consensus parameter updates merge into the current parameters.
 */
import { ConsensusParams } from 'cosmjs-types/tendermint/types/params';

/** CometBFT's block overhead constants (types/block.go) for max data bytes. */
const MAX_HEADER_BYTES = 626;
const MAX_OVERHEAD_FOR_BLOCK = 11;
const MAX_COMMIT_OVERHEAD_BYTES = 94;
const MAX_COMMIT_SIG_BYTES = 109;
/** Block size cap when consensus params say -1 (types.MaxBlockSizeBytes). */
const MAX_BLOCK_SIZE_BYTES = 104857600;

/** types.MaxDataBytes: what is left for txs in a block of maxBytes with nVals commit signatures. */
export function maxDataBytes(params: ConsensusParams, nVals: number): number {
  let maxBytes = Number(params.block?.maxBytes ?? 22020096n);
  if (maxBytes === -1) maxBytes = MAX_BLOCK_SIZE_BYTES;
  return maxBytes - MAX_OVERHEAD_FOR_BLOCK - MAX_HEADER_BYTES - (MAX_COMMIT_OVERHEAD_BYTES + MAX_COMMIT_SIG_BYTES * nVals);
}

/** Merges ConsensusParams updates the CometBFT way: a present section replaces that section. */
export function updateParams(p: ConsensusParams, u: ConsensusParams | undefined): ConsensusParams {
  if (u === undefined) return p;
  return ConsensusParams.fromPartial({
    block: u.block ?? p.block,
    evidence: u.evidence ?? p.evidence,
    validator: u.validator ?? p.validator,
    version: u.version ?? p.version,
    abci: u.abci ?? p.abci,
  });
}
