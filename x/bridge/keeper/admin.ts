/**
 * Admin changes of the bridge (new validator set, contract migration, upgrade) need two of
 * the three groups; a member may replace its own key at once. Every change enters the
 * provable history.
 */
import type { Context } from '../../../runtime/context';
import { verifySecp256k1 } from '../../../crypto/secp256k1';
import { AdminPayload, AdminProposal, Role, ValidatorSet, type Approval } from '../../../proto/gen/sekai/bridge/v1/bridge';
import { compareBytes } from '../../../types/sorted';
import { adminBytes, digest, selfReplaceBytes } from '../payload';
import { BridgeEvents } from '../types/events';
import {
  ErrDuplicateApproval,
  ErrDuplicateProposal,
  ErrInvalidProposal,
  ErrInvalidReplacement,
  ErrInvalidSignature,
  ErrUnknownProposal,
} from '../types/errors';
import type { StoreReader } from '../types/expectedKeepers';
import { Keys, u64 } from '../types/keys';
import {
  hasAdminQuorum,
  hasKey,
  isCompressedKey,
  isValidatorOf,
  replaceKey,
  roleName,
  sameKey,
  validateValidatorSet,
} from '../validatorSet';
import { BridgeState, hex } from './state';
import { addAction } from './actions';
import { processAllChains } from './attest';

export function validatePayload(keeper: BridgeState, ctx: StoreReader, p: AdminPayload): void {
  const kinds = [p.newSet, p.migrateContract, p.upgrade].filter((x) => x !== undefined).length;
  if (kinds !== 1) throw ErrInvalidProposal.wrap('a proposal names exactly one of new_set, migrate_contract, upgrade');
  if (p.newSet) validateValidatorSet(p.newSet);
  if (p.migrateContract) {
    keeper.chain(ctx, p.migrateContract.chain);
    if (!/^[\x21-\x7e]{1,128}$/.test(p.migrateContract.newCode)) throw ErrInvalidProposal.wrap('new_code must be 1-128 visible ASCII characters');
  }
  if (p.upgrade && !/^[\x21-\x7e]{1,64}$/.test(p.upgrade.desiredVersion)) throw ErrInvalidProposal.wrap('desired_version must be 1-64 visible ASCII characters');
}

/**
 * Any validator proposes a NewSet, MigrateContract or Upgrade, signing the admin bytes
 * (payload.ts); an identical pending proposal is refused. Returns the id and whether
 * the proposal was approved at once.
 */
export function proposeAdmin(keeper: BridgeState, ctx: Context, sender: string, payload: AdminPayload, signature: Uint8Array, createdMs: bigint): { id: bigint; approved: boolean } {
  const { set, key } = keeper.signer(ctx, sender, createdMs, 'member');
  validatePayload(keeper, ctx, payload);
  const bytes = adminBytes(ctx.chainId, keeper.historyLength(ctx), payload);
  const encoded = AdminPayload.encode(payload).finish();
  for (const p of keeper.proposals(ctx)) {
    if (compareBytes(AdminPayload.encode(p.payload!).finish(), encoded) === 0) throw ErrDuplicateProposal.wrap(`proposal ${p.id}`);
  }
  if (!verifySecp256k1(key, digest(bytes), signature)) throw ErrInvalidSignature.wrap('proposer signature over the admin bytes');
  const id = keeper.nextProposalId(ctx);
  ctx.store(keeper.storeKey).set(Keys.nextProposal(), u64(id + 1n));
  const p = AdminProposal.fromPartial({ id, payload, approvals: [{ key, signature: Buffer.from(signature) }], height: BigInt(ctx.height) });
  ctx.store(keeper.storeKey).set(Keys.proposal(id), AdminProposal.encode(p).finish());
  ctx.events.emit(BridgeEvents.newAdminProposal, [['proposal_id', id.toString()], ['proposer', hex(key)]]);
  return { id, approved: maybeApprove(keeper, ctx, set, p) };
}

/** Any validator approves a pending proposal with its signature over the admin bytes. */
export function approveAdmin(keeper: BridgeState, ctx: Context, sender: string, proposalId: bigint, signature: Uint8Array, createdMs: bigint): boolean {
  const { set, key } = keeper.signer(ctx, sender, createdMs, 'member');
  const raw = ctx.store(keeper.storeKey).get(Keys.proposal(proposalId));
  if (!raw) throw ErrUnknownProposal.wrap(`proposal ${proposalId}`);
  const p = AdminProposal.decode(raw);
  if (p.approvals.some((a) => sameKey(a.key, key))) throw ErrDuplicateApproval.wrap(`proposal ${proposalId}`);
  const bytes = adminBytes(ctx.chainId, keeper.historyLength(ctx), p.payload!);
  if (!verifySecp256k1(key, digest(bytes), signature)) throw ErrInvalidSignature.wrap(`approval of proposal ${proposalId}`);
  p.approvals.push({ key, signature: Buffer.from(signature) });
  ctx.store(keeper.storeKey).set(Keys.proposal(proposalId), AdminProposal.encode(p).finish());
  return maybeApprove(keeper, ctx, set, p);
}

/** Applies a proposal that reached 2 of 3 groups (Upgrade: with the processor). */
export function maybeApprove(keeper: BridgeState, ctx: Context, set: ValidatorSet, p: AdminProposal): boolean {
  const payload = p.payload!;
  const signers = p.approvals.map((a) => a.key);
  if (!hasAdminQuorum(set, signers, payload.upgrade !== undefined)) return false;
  const approvals: Approval[] = p.approvals.filter((a) => isValidatorOf(set, a.key));
  const index = keeper.appendHistory(ctx, { approved: payload, approvals, proposalId: p.id, height: BigInt(ctx.height) });
  clearProposals(keeper, ctx);
  if (payload.newSet) {
    keeper.setValidatorSet(ctx, payload.newSet);
    announceSet(keeper, ctx, payload.newSet);
    processAllChains(keeper, ctx);
  } else if (payload.migrateContract) {
    const cs = keeper.chain(ctx, payload.migrateContract.chain);
    addAction(keeper, ctx, cs, { migrate: payload.migrateContract });
    keeper.setChain(ctx, cs);
  } else if (payload.upgrade) {
    // The runtime's upgrade gate refuses the next block on a binary of another version.
    keeper.upgrades.setChainVersion(ctx, payload.upgrade.desiredVersion);
  }
  ctx.events.emit(BridgeEvents.adminProposalApproved, [['proposal_id', p.id.toString()], ['history_index', index.toString()]]);
  return true;
}

export function clearProposals(keeper: BridgeState, ctx: Context): void {
  const store = ctx.store(keeper.storeKey);
  const [s, e] = Keys.allProposals();
  const keys: Uint8Array[] = [];
  for (const [k] of store.iterator(s, e)) keys.push(k);
  for (const k of keys) store.delete(k);
}

/** Every deployed contract must adopt a new set: one new-set action per chain. */
export function announceSet(keeper: BridgeState, ctx: Context, set: ValidatorSet): void {
  for (const cs of keeper.chains(ctx)) {
    if (cs.config!.contract === '') continue;
    addAction(keeper, ctx, cs, { newSet: set });
    keeper.setChain(ctx, cs);
  }
}

/**
 * A member replaces its own key in one group, at once (no vote). The change enters
 * the history with the old key's signature; pending proposals are cleared, since
 * their signatures are bound to the history index this change takes.
 */
export function selfReplace(keeper: BridgeState, ctx: Context, sender: string, role: Role, replacement: Uint8Array, signature: Uint8Array, createdMs: bigint): bigint {
  if (role !== Role.ROLE_PROCESSOR && role !== Role.ROLE_LISTENER && role !== Role.ROLE_APPROVER) throw ErrInvalidReplacement.wrap('role must be processor, listener or approver');
  const { set, key } = keeper.signer(ctx, sender, createdMs, role);
  if (!isCompressedKey(replacement)) throw ErrInvalidReplacement.wrap('the replacement is not a 33-byte compressed secp256k1 key');
  const group = role === Role.ROLE_PROCESSOR ? [set.processor] : role === Role.ROLE_LISTENER ? set.listeners : set.approvers;
  if (hasKey(group, replacement)) throw ErrInvalidReplacement.wrap(`the replacement is already a ${roleName(role)}`);
  const change = { role, current: key, replacement: Buffer.from(replacement) };
  const index = keeper.historyLength(ctx);
  if (!verifySecp256k1(key, digest(selfReplaceBytes(ctx.chainId, index, change)), signature)) throw ErrInvalidSignature.wrap('self replacement');
  const next = replaceKey(set, role, key, replacement);
  keeper.setValidatorSet(ctx, next);
  keeper.appendHistory(ctx, { selfReplace: change, approvals: [{ key, signature: Buffer.from(signature) }], proposalId: 0n, height: BigInt(ctx.height) });
  clearProposals(keeper, ctx);
  announceSet(keeper, ctx, next);
  processAllChains(keeper, ctx);
  ctx.events.emit(BridgeEvents.selfReplaced, [['role', roleName(role)], ['old', hex(key)], ['new', hex(replacement)], ['history_index', index.toString()]]);
  return index;
}
