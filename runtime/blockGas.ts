/**
 * consensus_params.block.max_gas in proposals, as CometBFT counts it: the sum of the gas
 * limits of a block's txs (an undecodable tx counts 0). -1 means no limit.
 */
import { ErrInvalidProposal } from './errors';
import type { ProposalTx } from './module';
import type { DecodedTx } from './tx';

/** The gas a tx asks for (its fee's gas limit). */
export function txGasLimit(tx: DecodedTx): bigint {
  return tx.authInfo.fee?.gasLimit ?? 0n;
}

/**
 * The txs, in order, that fit in `maxGas`: a tx that would pass it is left out, and later,
 * smaller ones still fill the block.
 */
export function fitBlockGas<T extends ProposalTx>(txs: readonly T[], maxGas: bigint): T[] {
  if (maxGas < 0n) return [...txs];
  const out: T[] = [];
  let gas = 0n;
  for (const p of txs) {
    const wanted = p.tx ? txGasLimit(p.tx) : 0n;
    if (gas + wanted > maxGas) continue;
    gas += wanted;
    out.push(p);
  }
  return out;
}

/** ProcessProposal's rule: throws ErrInvalidProposal when the block's txs ask for more than `maxGas`. */
export function checkBlockGas(txs: readonly ProposalTx[], maxGas: bigint): void {
  if (maxGas < 0n) return;
  let gas = 0n;
  for (const p of txs) if (p.tx) gas += txGasLimit(p.tx);
  if (gas > maxGas) throw ErrInvalidProposal.wrap(`the block's txs ask for ${gas} gas; the block max gas is ${maxGas}`);
}
