/**
 * Validator set bookkeeping as CometBFT v0.38 does it (types/validator_set.go,
 * state/execution.go updateState):
 *  - a set is ordered by voting power (descending) then address (ascending);
 *  - FinalizeBlock's validator_updates at height H change the set that signs H+2 (power 0
 *    removes a validator), and every height's set is the previous one advanced by one
 *    proposer-priority round;
 *  - the proposer of a height is the validator the last round elected.
 *
 * Proposer priority (weighted round robin): each round every priority grows by its voting
 * power, the highest (ties: lowest address) is elected and loses the total power. Before the
 * rounds, priorities are squeezed into a window of 2 x total power (integer division by
 * ceil(spread / window)) and centred on their mean (floor division, as big.Int.Div). A new
 * validator starts at -1.125 x the total power so that leaving and re-joining cannot reset a
 * negative priority. All arithmetic is int64 with clipping, done in bigint so results match
 * CometBFT's bit for bit.
 */
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import { registerError } from '../../types/errors';
import type { NodeValidator } from '../types';
import { validatorAddress } from './hashes';

export const ErrInvalidValidatorUpdate = registerError('engine', 2, 'invalid validator update');

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
/** CometBFT's MaxTotalVotingPower: small enough that no priority sum can overflow int64. */
export const MAX_TOTAL_VOTING_POWER = INT64_MAX / 8n;
/** Priorities are kept within PRIORITY_WINDOW_SIZE_FACTOR x total power of each other. */
export const PRIORITY_WINDOW_SIZE_FACTOR = 2n;

/** A validator set with the proposer its last priority round elected (CometBFT's ValidatorSet). */
export interface NodeValidatorSet {
  validators: NodeValidator[];
  /** Address of the elected proposer; a member of `validators`. */
  proposer: Uint8Array;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

const clip = (n: bigint): bigint => (n > INT64_MAX ? INT64_MAX : n < INT64_MIN ? INT64_MIN : n);

/** Sorts a copy into CometBFT's set order. */
export function sortValidators(vals: readonly NodeValidator[]): NodeValidator[] {
  return [...vals].sort((a, b) => (a.power !== b.power ? (a.power > b.power ? -1 : 1) : compareBytes(a.address, b.address)));
}

/** Validator.CompareProposerPriority: the higher priority; on a tie the lower address. */
function morePriority(a: NodeValidator, b: NodeValidator): NodeValidator {
  if (a.proposerPriority !== b.proposerPriority) return a.proposerPriority > b.proposerPriority ? a : b;
  return compareBytes(a.address, b.address) <= 0 ? a : b;
}

/** The validator with the most priority (CometBFT's findProposer), for sets stored without a proposer. */
export function findProposer(vals: readonly NodeValidator[]): NodeValidator {
  if (vals.length === 0) throw ErrInvalidValidatorUpdate.wrap('empty validator set has no proposer');
  return vals.reduce(morePriority);
}

export function totalVotingPower(vals: readonly NodeValidator[]): bigint {
  let sum = 0n;
  for (const v of vals) {
    sum = clip(sum + v.power);
    if (sum > MAX_TOTAL_VOTING_POWER) throw ErrInvalidValidatorUpdate.wrap(`total voting power ${sum} exceeds maximum ${MAX_TOTAL_VOTING_POWER}`);
  }
  return sum;
}

/** RescalePriorities: divides every priority (truncating) so that max - min fits in `diffMax`. Mutates. */
function rescalePriorities(vals: NodeValidator[], diffMax: bigint): void {
  if (diffMax <= 0n) return;
  let max = INT64_MIN;
  let min = INT64_MAX;
  for (const v of vals) {
    if (v.proposerPriority > max) max = v.proposerPriority;
    if (v.proposerPriority < min) min = v.proposerPriority;
  }
  const diff = max - min;
  if (diff <= diffMax) return;
  const ratio = (diff + diffMax - 1n) / diffMax;
  // bigint division truncates toward zero, as Go's int64 division does.
  for (const v of vals) v.proposerPriority = v.proposerPriority / ratio;
}

/** Floor division (big.Int.Div is Euclidean; with a positive divisor that is the floor). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** shiftByAvgProposerPriority: centres priorities on their mean. Mutates. */
function centerPriorities(vals: NodeValidator[]): void {
  let sum = 0n;
  for (const v of vals) sum += v.proposerPriority;
  const avg = floorDiv(sum, BigInt(vals.length));
  for (const v of vals) v.proposerPriority = clip(v.proposerPriority - avg);
}

const copyValidators = (vals: readonly NodeValidator[]): NodeValidator[] => vals.map((v) => ({ ...v }));

/**
 * IncrementProposerPriority(times) on a copy: rescale and centre once, then run `times` rounds;
 * the set's proposer is the last round's choice.
 */
export function incrementProposerPriority(set: readonly NodeValidator[], times = 1): NodeValidatorSet {
  if (set.length === 0) throw ErrInvalidValidatorUpdate.wrap('cannot increment the proposer priority of an empty validator set');
  if (!Number.isInteger(times) || times <= 0) throw ErrInvalidValidatorUpdate.wrap(`proposer priority rounds must be a positive integer, got ${times}`);
  const vals = copyValidators(set);
  const total = totalVotingPower(vals);
  rescalePriorities(vals, PRIORITY_WINDOW_SIZE_FACTOR * total);
  centerPriorities(vals);
  let proposer = vals[0];
  for (let i = 0; i < times; i++) {
    for (const v of vals) v.proposerPriority = clip(v.proposerPriority + v.power);
    proposer = findProposer(vals);
    proposer.proposerPriority = clip(proposer.proposerPriority - total);
  }
  return { validators: vals, proposer: new Uint8Array(proposer.address) };
}

/** A validator from an ABCI update (ed25519 keys only, as this engine signs with ed25519). */
export function fromUpdate(u: ValidatorUpdate): NodeValidator {
  const pubKey = u.pubKey.ed25519;
  if (pubKey === undefined || pubKey.length !== 32) {
    throw ErrInvalidValidatorUpdate.wrap('only 32-byte ed25519 validator keys are supported');
  }
  if (u.power < 0n) throw ErrInvalidValidatorUpdate.wrap(`voting power can't be negative: ${u.power}`);
  if (u.power > MAX_TOTAL_VOTING_POWER) {
    throw ErrInvalidValidatorUpdate.wrap(`to prevent clipping/overflow, voting power can't be higher than ${MAX_TOTAL_VOTING_POWER}, got ${u.power}`);
  }
  return { address: validatorAddress(pubKey), pubKey: new Uint8Array(pubKey), power: u.power, proposerPriority: 0n };
}

/**
 * UpdateWithChangeSet on a copy: `changes` (power 0 = removal, allowed only when
 * `allowRemovals`) are applied; a changed validator keeps its priority, a new one starts at
 * -1.125 x (total power after the updates, before the removals); then the set is rescaled,
 * centred and sorted. No changes returns the set unchanged.
 */
export function updateWithChangeSet(current: readonly NodeValidator[], changes: readonly NodeValidator[], allowRemovals = true): NodeValidator[] {
  if (changes.length === 0) return copyValidators(current);
  const hex = (a: Uint8Array) => Buffer.from(a).toString('hex').toUpperCase();
  const byAddr = new Map<string, NodeValidator>();
  for (const v of current) byAddr.set(hex(v.address), v);
  const seen = new Set<string>();
  const updates: NodeValidator[] = [];
  const removals: NodeValidator[] = [];
  for (const c of changes) {
    const k = hex(c.address);
    if (seen.has(k)) throw ErrInvalidValidatorUpdate.wrap(`duplicate entry ${k} in the validator changes`);
    seen.add(k);
    if (c.power < 0n) throw ErrInvalidValidatorUpdate.wrap(`voting power can't be negative: ${c.power}`);
    if (c.power === 0n) removals.push(c);
    else updates.push(c);
  }
  if (!allowRemovals && removals.length > 0) throw ErrInvalidValidatorUpdate.wrap('cannot process validators with voting power 0');
  let removedPower = 0n;
  for (const r of removals) {
    const v = byAddr.get(hex(r.address));
    if (v === undefined) throw ErrInvalidValidatorUpdate.wrap(`failed to find validator ${hex(r.address)} to remove`);
    removedPower += v.power;
  }
  const added = updates.filter((u) => !byAddr.has(hex(u.address))).length;
  if (added === 0 && removals.length === current.length) {
    throw ErrInvalidValidatorUpdate.wrap('applying the validator changes would result in empty set');
  }
  // Total power with the updates applied but the removals not yet (CometBFT's verifyUpdates).
  let tvpAfterUpdates = totalVotingPower(current);
  for (const u of updates) tvpAfterUpdates += u.power - (byAddr.get(hex(u.address))?.power ?? 0n);
  if (tvpAfterUpdates - removedPower > MAX_TOTAL_VOTING_POWER) {
    throw ErrInvalidValidatorUpdate.wrap(`total voting power of resulting valset exceeds max ${MAX_TOTAL_VOTING_POWER}`);
  }
  const newPriority = -(tvpAfterUpdates + (tvpAfterUpdates >> 3n));
  const next = new Map<string, NodeValidator>();
  for (const [k, v] of byAddr) next.set(k, { ...v });
  for (const u of updates) {
    const k = hex(u.address);
    const old = byAddr.get(k);
    next.set(k, { ...u, proposerPriority: old === undefined ? newPriority : old.proposerPriority });
  }
  for (const r of removals) next.delete(hex(r.address));
  const vals = [...next.values()];
  rescalePriorities(vals, PRIORITY_WINDOW_SIZE_FACTOR * totalVotingPower(vals));
  centerPriorities(vals);
  return sortValidators(vals);
}

/** NewValidatorSet: every validator new (no removals), then one priority round. */
export function newValidatorSet(vals: readonly NodeValidator[]): NodeValidatorSet {
  if (vals.length === 0) throw ErrInvalidValidatorUpdate.wrap('a validator set needs at least one validator');
  return incrementProposerPriority(updateWithChangeSet([], vals, false), 1);
}

/** Applies ABCI updates to a set (no priority round): the change set CometBFT applies in updateState. */
export function applyValidatorUpdates(current: readonly NodeValidator[], updates: readonly ValidatorUpdate[]): NodeValidator[] {
  return updateWithChangeSet(current, updates.map(fromUpdate));
}

/**
 * The set of height H+2 from the set of H+1 and FinalizeBlock(H)'s validator updates:
 * the change set, then one priority round (state.updateState).
 */
export function nextValidatorSet(current: readonly NodeValidator[], updates: readonly ValidatorUpdate[]): NodeValidatorSet {
  return incrementProposerPriority(applyValidatorUpdates(current, updates), 1);
}
