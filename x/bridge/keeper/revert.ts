/**
 * Reverting the chain's last event (it vanished in a reorg or hard fork): listeners vote, the
 * processor confirms at quorum, and what the event changed is undone.
 */
import type { Context } from '../../../runtime/context';
import { ActionStatus, ChainState, EventRecord, EventStatus } from '../../../proto/gen/sekai/bridge/v1/bridge';
import { Coins } from '../../../types/coins';
import { BridgeEvents } from '../types/events';
import { ErrDuplicateVote, ErrNotListener, ErrQuorumShort, ErrRevertNotLast, ErrUnknownEvent } from '../types/errors';
import { Keys, MODULE_ACCOUNT } from '../types/keys';
import { hasKey, sameKey } from '../validatorSet';
import { BridgeState, amountOf, amountsText, hex, withAmount } from './state';

/**
 * Listeners vote to revert the chain's last event (it vanished in a reorg or hard
 * fork); the processor's confirmation at listener quorum rolls the next event id back
 * and burns what the deposit minted where it is still held, recording any shortfall.
 */
export function revertEvent(keeper: BridgeState, ctx: Context, sender: string, chain: string, eventId: bigint, createdMs: bigint): boolean {
  const { set, key } = keeper.signer(ctx, sender, createdMs);
  const isProcessor = sameKey(set.processor, key);
  if (!isProcessor && !hasKey(set.listeners, key)) throw ErrNotListener.wrap(`key ${hex(key)}`);
  const cs = keeper.chain(ctx, chain);
  if (eventId >= cs.nextEventId) throw ErrUnknownEvent.wrap(`event ${eventId} on ${chain}`);
  if (eventId !== cs.nextEventId - 1n) throw ErrRevertNotLast.wrap(`event ${eventId} on ${chain}; the last event is ${cs.nextEventId - 1n}`);
  const r = keeper.event(ctx, chain, eventId)!;
  if (!isProcessor) {
    if (hasKey(r.revertVotes, key)) throw ErrDuplicateVote.wrap(`event ${eventId} on ${chain}`);
    r.revertVotes.push(key);
    keeper.putEvent(ctx, chain, r);
    ctx.events.emit(BridgeEvents.revertVote, [['chain', chain], ['event_id', eventId.toString()], ['listener', hex(key)]]);
    return false;
  }
  const votes = r.revertVotes.filter((k) => hasKey(set.listeners, k)).length;
  if (votes < set.neededListeners) throw ErrQuorumShort.wrap(`revert of event ${eventId} on ${chain} has ${votes} of ${set.neededListeners} listener votes`);
  if (r.status === EventStatus.EVENT_STATUS_PROCESSED) {
    undoEvent(keeper, ctx, cs, r);
    cs.nextProcessId = eventId;
  }
  r.status = EventStatus.EVENT_STATUS_REVERTED;
  r.revertedHeight = BigInt(ctx.height);
  const seq = cs.nextRevertSeq;
  cs.nextRevertSeq += 1n;
  ctx.store(keeper.storeKey).delete(Keys.event(chain, eventId));
  ctx.store(keeper.storeKey).set(Keys.reverted(chain, seq), EventRecord.encode(r).finish());
  cs.nextEventId = eventId;
  keeper.setChain(ctx, cs);
  ctx.events.emit(BridgeEvents.eventReverted, [
    ['chain', chain],
    ['event_id', eventId.toString()],
    ['shortfall', amountsText(r.shortfall)],
  ]);
  return true;
}

/**
 * Undoes a processed event. A deposit's minted coins are burned from the account as
 * far as it still holds them; the rest is recorded as the event's shortfall (the
 * insolvency the revert leaves). The tracked balance loses the deposit, floored at 0.
 * A balance sync gives back the balances it replaced, less what actions claimed since
 * (current − synced + replaced); below 0, the difference is recorded as shortfall.
 * An executed migrate action restores the contract code it replaced.
 */
export function undoEvent(keeper: BridgeState, ctx: Context, cs: ChainState, r: EventRecord): void {
  const e = r.event!;
  if (e.instantiated) {
    cs.config!.contract = '';
  } else if (e.actionExecuted) {
    const a = keeper.action(ctx, cs.config!.name, e.actionExecuted.actionId)!;
    a.status = ActionStatus.ACTION_STATUS_PENDING;
    keeper.putAction(ctx, cs.config!.name, a);
    cs.firstPendingAction = a.actionId;
    if (a.body?.migrate) cs.contractCode = r.replacedContractCode;
  } else if (e.balanceSync) {
    for (const synced of r.syncedBalances) {
      const replaced = amountOf(r.replacedBalances, synced.denom);
      const restored = amountOf(cs.balances, synced.denom) - BigInt(synced.amount) + replaced;
      if (restored < 0n) r.shortfall.push({ denom: synced.denom, amount: (-restored).toString() });
      cs.balances = withAmount(cs.balances, synced.denom, restored > 0n ? restored : 0n);
    }
  } else if (e.regular) {
    const moduleId = keeper.accounts.moduleAccountId(ctx, MODULE_ACCOUNT);
    for (const m of r.minted) {
      const amount = BigInt(m.amount);
      const have = keeper.bank.balance(ctx, r.accountId, m.denom);
      const burn = have < amount ? have : amount;
      if (burn > 0n) {
        const coins = Coins.from([{ denom: m.denom, amount: burn }]);
        keeper.bank.sendCoins(ctx, r.accountId, moduleId, coins);
        keeper.bank.burnCoins(ctx, MODULE_ACCOUNT, coins);
      }
      if (burn < amount) r.shortfall.push({ denom: m.denom, amount: (amount - burn).toString() });
      const tracked = amountOf(cs.balances, m.denom);
      cs.balances = withAmount(cs.balances, m.denom, tracked > amount ? tracked - amount : 0n);
    }
  }
  if (r.shortfall.length > 0) {
    ctx.events.emit(BridgeEvents.insolvency, [
      ['chain', cs.config!.name],
      ['event_id', r.eventId.toString()],
      ['account_id', r.accountId.toString()],
      ['shortfall', amountsText(r.shortfall)],
    ]);
  }
}
