/**
 * Validator set bookkeeping as CometBFT does it: sets are ordered by voting power
 * (descending) then address (ascending), and FinalizeBlock's validator_updates at height H
 * change the set that signs H+2 (power 0 removes a validator).
 */
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import { registerError } from '../../types/errors';
import type { NodeValidator } from '../types';
import { validatorAddress } from './hashes';

export const ErrInvalidValidatorUpdate = registerError('engine', 2, 'invalid validator update');

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Sorts a copy into CometBFT's set order. */
export function sortValidators(vals: readonly NodeValidator[]): NodeValidator[] {
  return [...vals].sort((a, b) => (a.power !== b.power ? (a.power > b.power ? -1 : 1) : compareBytes(a.address, b.address)));
}

/** A validator from an ABCI update (ed25519 keys only, as this engine signs with ed25519). */
export function fromUpdate(u: ValidatorUpdate): NodeValidator {
  const pubKey = u.pubKey.ed25519;
  if (pubKey === undefined || pubKey.length !== 32) {
    throw ErrInvalidValidatorUpdate.wrap('only 32-byte ed25519 validator keys are supported');
  }
  if (u.power < 0n) throw ErrInvalidValidatorUpdate.wrap(`negative power ${u.power}`);
  return { address: validatorAddress(pubKey), pubKey: new Uint8Array(pubKey), power: u.power, proposerPriority: 0n };
}

/** Applies updates to a set (state.updateState / ValidatorSet.UpdateWithChangeSet). */
export function applyValidatorUpdates(current: readonly NodeValidator[], updates: readonly ValidatorUpdate[]): NodeValidator[] {
  const byAddr = new Map<string, NodeValidator>();
  for (const v of current) byAddr.set(Buffer.from(v.address).toString('hex'), v);
  const seen = new Set<string>();
  for (const u of updates) {
    const v = fromUpdate(u);
    const k = Buffer.from(v.address).toString('hex');
    if (seen.has(k)) throw ErrInvalidValidatorUpdate.wrap(`duplicate update for ${k.toUpperCase()}`);
    seen.add(k);
    if (v.power === 0n) {
      if (!byAddr.has(k)) throw ErrInvalidValidatorUpdate.wrap(`failed to find validator ${k.toUpperCase()} to remove`);
      byAddr.delete(k);
    } else {
      byAddr.set(k, v);
    }
  }
  if (byAddr.size === 0) throw ErrInvalidValidatorUpdate.wrap('applying the validator changes would result in empty set');
  return sortValidators([...byAddr.values()]);
}
