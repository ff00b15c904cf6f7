/**
 * The hard override: approvers propose to skip or replace the chain's lowest pending (stuck)
 * action, and the processor applies it once enough approvers confirmed.
 */
import type { Context } from '../../../runtime/context';
import { ActionStatus, ChainState, OverrideProposal, Role, type ActionBody } from '../../../proto/gen/sekai/bridge/v1/bridge';
import { Coins } from '../../../types/coins';
import { actionPayload } from '../payload';
import { BridgeEvents } from '../types/events';
import {
  ErrDuplicateApproval,
  ErrInvalidProposal,
  ErrNotApprover,
  ErrNotStuckAction,
  ErrQuorumShort,
  ErrUnknownAsset,
  ErrUnknownOverride,
} from '../types/errors';
import { Keys, MODULE_ACCOUNT } from '../types/keys';
import { hasKey, sameKey, validateValidatorSet } from '../validatorSet';
import { BridgeState, amountOf, assetByLocal, checkDestWallet, hex, withAmount } from './state';
import { pendingAction } from './actions';
import { releaseQueue } from './withdraw';

/** An approver proposes to skip or replace the chain's lowest pending (stuck) action. */
export function proposeOverride(keeper: BridgeState, ctx: Context, sender: string, chain: string, actionId: bigint, skip: boolean, replacement: ActionBody | undefined, createdMs: bigint): bigint {
  const { key } = keeper.signer(ctx, sender, createdMs, Role.ROLE_APPROVER);
  const cs = keeper.chain(ctx, chain);
  const a = pendingAction(keeper, ctx, cs, actionId);
  if (actionId !== cs.firstPendingAction) throw ErrNotStuckAction.wrap(`action ${actionId} on ${chain}; the lowest pending action is ${cs.firstPendingAction}`);
  if (skip === (replacement !== undefined)) throw ErrInvalidProposal.wrap('an override either skips or carries a replacement');
  if (replacement) checkReplacement(keeper, cs, a.body!, replacement);
  const id = cs.nextOverrideId;
  cs.nextOverrideId += 1n;
  const o = OverrideProposal.fromPartial({ id, actionId, skip, replacement, confirmations: [key] });
  ctx.store(keeper.storeKey).set(Keys.override(chain, id), OverrideProposal.encode(o).finish());
  keeper.setChain(ctx, cs);
  ctx.events.emit(BridgeEvents.overrideProposed, [['chain', chain], ['override_id', id.toString()], ['action_id', actionId.toString()], ['skip', String(skip)]]);
  return id;
}

/** A replacement transfer pays the same account the same coins (only the route changes). */
export function checkReplacement(keeper: BridgeState, cs: ChainState, old: ActionBody, body: ActionBody): void {
  const kinds = [body.transfer, body.newSet, body.migrate].filter((x) => x !== undefined).length;
  if (kinds !== 1) throw ErrInvalidProposal.wrap('a replacement names exactly one action kind');
  if (body.newSet) validateValidatorSet(body.newSet);
  if (body.migrate && body.migrate.newCode === '') throw ErrInvalidProposal.wrap('migrate needs new code');
  if (body.transfer) {
    const t = body.transfer;
    const o = old.transfer;
    if (!o || o.localDenom !== t.localDenom || o.amount !== t.amount || o.externalAmount !== t.externalAmount || o.accountId !== t.accountId) {
      throw ErrInvalidProposal.wrap('a replacement transfer keeps the account, denom and amounts of the transfer it replaces');
    }
    checkDestWallet(t.destWallet);
    if (assetByLocal(cs, t.localDenom).externalDenom !== t.externalDenom) throw ErrUnknownAsset.wrap(`${t.externalDenom} is not ${t.localDenom}'s external denom`);
  }
}

/**
 * Approvers confirm an override; the processor's confirmation applies it once
 * needed_approvers current approvers confirmed. Returns true when applied.
 */
export function confirmOverride(keeper: BridgeState, ctx: Context, sender: string, chain: string, overrideId: bigint, createdMs: bigint): boolean {
  const { set, key } = keeper.signer(ctx, sender, createdMs);
  const cs = keeper.chain(ctx, chain);
  const okey = Keys.override(chain, overrideId);
  const raw = ctx.store(keeper.storeKey).get(okey);
  if (!raw) throw ErrUnknownOverride.wrap(`override ${overrideId} on ${chain}`);
  const o = OverrideProposal.decode(raw);
  if (!sameKey(set.processor, key)) {
    if (!hasKey(set.approvers, key)) throw ErrNotApprover.wrap(`key ${hex(key)}`);
    if (hasKey(o.confirmations, key)) throw ErrDuplicateApproval.wrap(`override ${overrideId} on ${chain}`);
    o.confirmations.push(key);
    ctx.store(keeper.storeKey).set(okey, OverrideProposal.encode(o).finish());
    return false;
  }
  const count = o.confirmations.filter((k) => hasKey(set.approvers, k)).length;
  if (count < set.neededApprovers) throw ErrQuorumShort.wrap(`override ${overrideId} on ${chain} has ${count} of ${set.neededApprovers} approver confirmations`);
  if (o.actionId !== cs.firstPendingAction) throw ErrNotStuckAction.wrap(`action ${o.actionId} on ${chain} is no longer the lowest pending action`);
  const a = pendingAction(keeper, ctx, cs, o.actionId);
  const old = a.body!.transfer;
  if (old && (o.skip || !o.replacement?.transfer)) {
    // The transfer will never leave the contract: its coins go back to the tracked
    // balance and, re-minted, to the account that withdrew them.
    const coins = Coins.from([{ denom: old.localDenom, amount: BigInt(old.amount) }]);
    cs.balances = withAmount(cs.balances, old.localDenom, amountOf(cs.balances, old.localDenom) + BigInt(old.amount));
    keeper.bank.mintCoins(ctx, MODULE_ACCOUNT, coins);
    keeper.bank.sendCoinsFromModuleToAccount(ctx, MODULE_ACCOUNT, old.accountId, coins);
  }
  if (o.skip) {
    a.status = ActionStatus.ACTION_STATUS_SKIPPED;
    cs.firstPendingAction += 1n;
    if (cs.nextProcessorApproval < cs.firstPendingAction) cs.nextProcessorApproval = cs.firstPendingAction;
  } else {
    a.body = o.replacement;
    a.payload = Buffer.from(actionPayload({ chainId: ctx.chainId, chain, contract: cs.config!.contract, actionId: a.actionId }, o.replacement!));
    a.approvals = [];
    a.processorSignature = Buffer.alloc(0);
    a.replaced += 1;
    cs.nextProcessorApproval = a.actionId;
  }
  keeper.putAction(ctx, chain, a);
  ctx.store(keeper.storeKey).delete(okey);
  if (old && (o.skip || !o.replacement?.transfer)) releaseQueue(keeper, ctx, cs);
  keeper.setChain(ctx, cs);
  ctx.events.emit(BridgeEvents.overrideApplied, [
    ['chain', chain],
    ['override_id', overrideId.toString()],
    ['action_id', a.actionId.toString()],
    ['skip', String(o.skip)],
    ['payload', hex(a.payload)],
  ]);
  return true;
}
