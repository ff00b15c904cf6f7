/**
 * Proving the current validator set from the history alone: starting from the genesis
 * set (entry 0), each approved change must carry valid signatures meeting the admin
 * rule of the set in force before it, and each self replacement the replaced key's
 * signature. A light client that trusts only the genesis set can run this.
 */
import { verifySecp256k1 } from '../../crypto/secp256k1';
import { Role, type HistoryEntry, type ValidatorSet } from '../../proto/gen/sekai/bridge/v1/bridge';
import { adminBytes, digest, selfReplaceBytes } from './payload';
import { ErrInvalidValidatorSet } from './types/errors';
import { hasAdminQuorum, hasKey, isValidatorOf, replaceKey, sameKey, validateValidatorSet } from './validatorSet';

/** Returns the set the history leads to; throws ErrInvalidValidatorSet naming the bad entry. */
export function proveValidatorSet(chainId: string, history: readonly HistoryEntry[]): ValidatorSet {
  const first = history[0];
  if (!first?.genesis || first.index !== 0n) throw ErrInvalidValidatorSet.wrap('history entry 0 must be the genesis set');
  let set = first.genesis;
  validateValidatorSet(set);
  for (let i = 1; i < history.length; i++) {
    const e = history[i];
    const index = BigInt(i);
    if (e.index !== index) throw ErrInvalidValidatorSet.wrap(`history entry ${i} says index ${e.index}`);
    if (e.approved) {
      const bytes = digest(adminBytes(chainId, index, e.approved));
      const signers: Uint8Array[] = [];
      for (const a of e.approvals) {
        if (!isValidatorOf(set, a.key) || hasKey(signers, a.key)) continue;
        if (!verifySecp256k1(a.key, bytes, a.signature)) throw ErrInvalidValidatorSet.wrap(`history entry ${i}: a signature does not verify`);
        signers.push(a.key);
      }
      if (!hasAdminQuorum(set, signers, e.approved.upgrade !== undefined)) throw ErrInvalidValidatorSet.wrap(`history entry ${i}: signatures do not reach 2 of 3 groups`);
      if (e.approved.newSet) {
        validateValidatorSet(e.approved.newSet);
        set = e.approved.newSet;
      }
    } else if (e.selfReplace) {
      const r = e.selfReplace;
      const group = r.role === Role.ROLE_PROCESSOR ? [set.processor] : r.role === Role.ROLE_LISTENER ? set.listeners : r.role === Role.ROLE_APPROVER ? set.approvers : [];
      if (!hasKey(group, r.current)) throw ErrInvalidValidatorSet.wrap(`history entry ${i}: the replaced key is not in its group`);
      const sig = e.approvals.find((a) => sameKey(a.key, r.current));
      if (!sig || !verifySecp256k1(r.current, digest(selfReplaceBytes(chainId, index, r)), sig.signature)) {
        throw ErrInvalidValidatorSet.wrap(`history entry ${i}: the replaced key did not sign`);
      }
      set = replaceKey(set, r.role, r.current, r.replacement);
    } else {
      throw ErrInvalidValidatorSet.wrap(`history entry ${i} names no change`);
    }
  }
  return set;
}
