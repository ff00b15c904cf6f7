/**
 * Withdrawals: the coins are burned here and leave as a transfer action at once, or wait in
 * the chain's FIFO queue until the tracked balance covers them.
 */
import type { Context } from '../../../runtime/context';
import { ChainState, PendingWithdrawal } from '../../../proto/gen/sekai/bridge/v1/bridge';
import { Coins } from '../../../types/coins';
import { localToExternal } from '../decimals';
import { BridgeEvents } from '../types/events';
import { ErrOverExportCap, ErrInvalidChainConfig, ErrNotValidator } from '../types/errors';
import { Keys, MODULE_ACCOUNT } from '../types/keys';
import { BridgeState, type WithdrawResult, amountOf, assetByLocal, checkDestWallet, parseAmount, withAmount } from './state';
import { addAction } from './actions';

/**
 * Burns `amount` of `asset` from the sender and sends it to `destWallet` on `chain`:
 * an action at once when the queue is empty and the tracked balance covers it,
 * otherwise a place at the end of the chain's FIFO queue.
 */
export function withdraw(keeper: BridgeState, ctx: Context, sender: string, chain: string, asset: string, destWallet: string, amountText: string): WithdrawResult {
  const cs = keeper.chain(ctx, chain);
  if (cs.config!.contract === '') throw ErrInvalidChainConfig.wrap(`the bridge contract of ${chain} is not deployed yet`);
  const configured = assetByLocal(cs, asset);
  checkDestWallet(destWallet);
  const amount = parseAmount(amountText, 'amount');
  // Refused before anything is burned: a queued withdrawal must convert when released.
  localToExternal(configured, amount);
  // Komodo's export cap: no more than 1 000 000 coins leave for another chain at once.
  const cap = keeper.bank.sendCapOf(ctx, asset);
  if (cap !== undefined && amount > cap) throw ErrOverExportCap.wrap(`${amount}${asset} is above the cap of ${cap}${asset} per withdrawal`);
  const from = keeper.accounts.tryResolve(ctx, sender);
  if (from === undefined) throw ErrNotValidator.wrap(`${sender} is no account`);
  const coins = Coins.from([{ denom: asset, amount }]);
  keeper.bank.sendCoins(ctx, from, keeper.accounts.moduleAccountId(ctx, MODULE_ACCOUNT), coins);
  keeper.bank.burnCoins(ctx, MODULE_ACCOUNT, coins);
  let result: WithdrawResult;
  if (cs.queueHead === cs.queueTail && amountOf(cs.balances, asset) >= amount) {
    result = { queued: false, actionId: transferAction(keeper, ctx, cs, from, destWallet, asset, amount), queueSeq: 0n };
  } else {
    const seq = cs.queueTail;
    cs.queueTail += 1n;
    const w = PendingWithdrawal.fromPartial({ seq, accountId: from, destWallet, localDenom: asset, amount: amount.toString(), height: BigInt(ctx.height) });
    ctx.store(keeper.storeKey).set(Keys.withdrawal(chain, seq), PendingWithdrawal.encode(w).finish());
    ctx.events.emit(BridgeEvents.withdrawalQueued, [
      ['chain', chain],
      ['seq', seq.toString()],
      ['account_id', from.toString()],
      ['amount', `${amount}${asset}`],
    ]);
    result = { queued: true, actionId: 0n, queueSeq: seq };
  }
  keeper.setChain(ctx, cs);
  return result;
}

export function transferAction(keeper: BridgeState, ctx: Context, cs: ChainState, accountId: bigint, destWallet: string, denom: string, amount: bigint): bigint {
  cs.balances = withAmount(cs.balances, denom, amountOf(cs.balances, denom) - amount);
  const asset = assetByLocal(cs, denom);
  const externalAmount = localToExternal(asset, amount).toString();
  return addAction(keeper, ctx, cs, {
    transfer: { destWallet, externalDenom: asset.externalDenom, amount: amount.toString(), localDenom: denom, accountId, externalAmount },
  });
}

/** Releases queued withdrawals in order while the tracked balance covers the head. */
export function releaseQueue(keeper: BridgeState, ctx: Context, cs: ChainState): void {
  const chain = cs.config!.name;
  while (cs.queueHead < cs.queueTail) {
    const key = Keys.withdrawal(chain, cs.queueHead);
    const w = PendingWithdrawal.decode(ctx.store(keeper.storeKey).get(key)!);
    const amount = BigInt(w.amount);
    if (amountOf(cs.balances, w.localDenom) < amount) break;
    ctx.store(keeper.storeKey).delete(key);
    cs.queueHead += 1n;
    transferAction(keeper, ctx, cs, w.accountId, w.destWallet, w.localDenom, amount);
  }
}
