/**
 * Outgoing actions (transfers, new validator sets, contract migrations): created in id order,
 * signed by approvers, then by the processor, one action at a time.
 */
import type { Context } from '../../../runtime/context';
import { verifySecp256k1 } from '../../../crypto/secp256k1';
import { ActionRecord, ActionStatus, ChainState, Role, type ActionBody } from '../../../proto/gen/sekai/bridge/v1/bridge';
import { actionPayload, digest } from '../payload';
import { BridgeEvents } from '../types/events';
import {
  ErrAlreadyProcessorApproved,
  ErrDuplicateApproval,
  ErrInvalidSignature,
  ErrProcessorOrder,
  ErrQuorumShort,
  ErrUnknownAction,
} from '../types/errors';
import type { StoreReader } from '../types/expectedKeepers';
import { hasKey, sameKey } from '../validatorSet';
import { BridgeState, hex } from './state';

/** Creates the chain's next action. Mutates `cs`; the caller saves it. */
export function addAction(keeper: BridgeState, ctx: Context, cs: ChainState, body: ActionBody): bigint {
  const chain = cs.config!.name;
  const actionId = cs.nextActionId;
  cs.nextActionId += 1n;
  const payload = actionPayload({ chainId: ctx.chainId, chain, contract: cs.config!.contract, actionId }, body);
  const a = ActionRecord.fromPartial({ actionId, body, payload: Buffer.from(payload), status: ActionStatus.ACTION_STATUS_PENDING, createdHeight: BigInt(ctx.height) });
  keeper.putAction(ctx, chain, a);
  ctx.events.emit(BridgeEvents.newAction, [
    ['chain', chain],
    ['action_id', actionId.toString()],
    ['kind', body.transfer ? 'transfer' : body.newSet ? 'new_set' : 'migrate'],
    ['payload', hex(payload)],
  ]);
  return actionId;
}

export function pendingAction(keeper: BridgeState, ctx: StoreReader, cs: ChainState, id: bigint): ActionRecord {
  const a = id < cs.firstPendingAction ? undefined : keeper.action(ctx, cs.config!.name, id);
  if (!a || a.status !== ActionStatus.ACTION_STATUS_PENDING) throw ErrUnknownAction.wrap(`action ${id} on ${cs.config!.name} is not pending`);
  return a;
}

/** An approver's signature over an action's payload; returns the current approvers' count. */
export function approve(keeper: BridgeState, ctx: Context, sender: string, chain: string, actionId: bigint, signature: Uint8Array, createdMs: bigint): number {
  const { set, key } = keeper.signer(ctx, sender, createdMs, Role.ROLE_APPROVER);
  const cs = keeper.chain(ctx, chain);
  const a = pendingAction(keeper, ctx, cs, actionId);
  if (a.approvals.some((x) => sameKey(x.key, key))) throw ErrDuplicateApproval.wrap(`action ${actionId} on ${chain}`);
  if (!verifySecp256k1(key, digest(a.payload), signature)) throw ErrInvalidSignature.wrap(`approval of action ${actionId} on ${chain}`);
  a.approvals.push({ key, signature: Buffer.from(signature) });
  keeper.putAction(ctx, chain, a);
  const count = a.approvals.filter((x) => hasKey(set.approvers, x.key)).length;
  ctx.events.emit(BridgeEvents.actionApproved, [['chain', chain], ['action_id', actionId.toString()], ['approver', hex(key)], ['approvals', String(count)]]);
  return count;
}

/**
 * The processor's signature completes an action once needed_approvers current
 * approvers signed; the processor approves one action at a time, in id order.
 */
export function processorApprove(keeper: BridgeState, ctx: Context, sender: string, chain: string, actionId: bigint, signature: Uint8Array, createdMs: bigint): void {
  const { set, key } = keeper.signer(ctx, sender, createdMs, Role.ROLE_PROCESSOR);
  const cs = keeper.chain(ctx, chain);
  const a = pendingAction(keeper, ctx, cs, actionId);
  if (a.processorSignature.length > 0) throw ErrAlreadyProcessorApproved.wrap(`action ${actionId} on ${chain}`);
  if (actionId !== cs.nextProcessorApproval) throw ErrProcessorOrder.wrap(`action ${actionId} on ${chain}: approve action ${cs.nextProcessorApproval} first`);
  const count = a.approvals.filter((x) => hasKey(set.approvers, x.key)).length;
  if (count < set.neededApprovers) throw ErrQuorumShort.wrap(`action ${actionId} on ${chain} has ${count} of ${set.neededApprovers} approvals`);
  if (!verifySecp256k1(key, digest(a.payload), signature)) throw ErrInvalidSignature.wrap(`processor approval of action ${actionId} on ${chain}`);
  a.processorSignature = Buffer.from(signature);
  keeper.putAction(ctx, chain, a);
  cs.nextProcessorApproval += 1n;
  keeper.setChain(ctx, cs);
  ctx.events.emit(BridgeEvents.actionReady, [['chain', chain], ['action_id', actionId.toString()]]);
}
