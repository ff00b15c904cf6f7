/**
 * The bridge validator set: one processor, listeners with a quorum, approvers with a
 * quorum; and the admin rule that a change needs two of the three groups.
 */
import { Role, type ValidatorSet } from '../../proto/gen/sekai/bridge/v1/bridge';
import { compareBytes } from '../../types/sorted';
import { ErrInvalidValidatorSet } from './types/errors';

/** Upper bound on a group's size: bounds the work of every quorum check and payload. */
export const MAX_GROUP_SIZE = 100;

export function isCompressedKey(k: Uint8Array): boolean {
  return k.length === 33 && (k[0] === 0x02 || k[0] === 0x03);
}

export function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return compareBytes(a, b) === 0;
}

export function hasKey(list: readonly Uint8Array[], k: Uint8Array): boolean {
  return list.some((x) => sameKey(x, k));
}

function checkGroup(keys: readonly Uint8Array[], needed: number, what: string): void {
  if (keys.length === 0) throw ErrInvalidValidatorSet.wrap(`at least one ${what} is required`);
  if (keys.length > MAX_GROUP_SIZE) throw ErrInvalidValidatorSet.wrap(`${keys.length} ${what}s, at most ${MAX_GROUP_SIZE}`);
  keys.forEach((k, i) => {
    if (!isCompressedKey(k)) throw ErrInvalidValidatorSet.wrap(`${what} ${i} is not a 33-byte compressed secp256k1 key`);
    if (i > 0 && compareBytes(keys[i - 1], k) >= 0) throw ErrInvalidValidatorSet.wrap(`${what} keys must be sorted ascending and unique`);
  });
  if (!Number.isInteger(needed) || needed < 1 || needed > keys.length) {
    throw ErrInvalidValidatorSet.wrap(`needed ${what}s is ${needed}, must be between 1 and ${keys.length}`);
  }
}

/** Kolme's rule: at least one of each group, 1 <= needed <= size; keys sorted and unique. */
export function validateValidatorSet(v: ValidatorSet): void {
  if (!isCompressedKey(v.processor)) throw ErrInvalidValidatorSet.wrap('processor is not a 33-byte compressed secp256k1 key');
  checkGroup(v.listeners, v.neededListeners, 'listener');
  checkGroup(v.approvers, v.neededApprovers, 'approver');
}

/** Sorts a group's keys (the canonical order the set is stored and signed in). */
export function sortKeys(keys: readonly Uint8Array[]): Buffer[] {
  return keys.map((k) => Buffer.from(k)).sort(compareBytes);
}

export function isValidatorOf(v: ValidatorSet, k: Uint8Array): boolean {
  return sameKey(v.processor, k) || hasKey(v.listeners, k) || hasKey(v.approvers, k);
}

export function roleName(role: Role): string {
  return role === Role.ROLE_PROCESSOR ? 'processor' : role === Role.ROLE_LISTENER ? 'listener' : role === Role.ROLE_APPROVER ? 'approver' : 'unspecified';
}

export interface GroupTally {
  processor: boolean;
  listeners: number;
  approvers: number;
  /** How many of the three groups agree (processor; needed listeners; needed approvers). */
  groups: number;
}

/** Counts, among `signers` (distinct keys), the groups of `v` that agree. */
export function tallyGroups(v: ValidatorSet, signers: readonly Uint8Array[]): GroupTally {
  const processor = signers.some((k) => sameKey(k, v.processor));
  const listeners = v.listeners.filter((k) => hasKey(signers, k)).length;
  const approvers = v.approvers.filter((k) => hasKey(signers, k)).length;
  const groups = (processor ? 1 : 0) + (listeners >= v.neededListeners ? 1 : 0) + (approvers >= v.neededApprovers ? 1 : 0);
  return { processor, listeners, approvers, groups };
}

/** Two of three groups; an upgrade additionally needs the processor. */
export function hasAdminQuorum(v: ValidatorSet, signers: readonly Uint8Array[], needsProcessor: boolean): boolean {
  const t = tallyGroups(v, signers);
  return t.groups >= 2 && (!needsProcessor || t.processor);
}

/** The set after `role`'s key `current` is replaced by `replacement` (groups re-sorted). */
export function replaceKey(v: ValidatorSet, role: Role, current: Uint8Array, replacement: Uint8Array): ValidatorSet {
  const swap = (keys: readonly Uint8Array[]) => sortKeys(keys.map((k) => (sameKey(k, current) ? replacement : k)));
  switch (role) {
    case Role.ROLE_PROCESSOR:
      return { ...v, processor: Buffer.from(replacement) };
    case Role.ROLE_LISTENER:
      return { ...v, listeners: swap(v.listeners) };
    case Role.ROLE_APPROVER:
      return { ...v, approvers: swap(v.approvers) };
    default:
      throw ErrInvalidValidatorSet.wrap('role must be processor, listener or approver');
  }
}
