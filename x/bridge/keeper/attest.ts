/**
 * Events from the external chains: listeners attest each event, and an event is processed
 * once a quorum of current listeners agrees, strictly in id order (deposits mint and may
 * release queued withdrawals; executed actions advance the action queue; balance syncs reset
 * the tracked balance).
 */
import type { Context } from '../../../runtime/context';
import { addressToBech32 } from '../../../crypto/address';
import {
  ActionStatus,
  BridgeEvent,
  ChainState,
  EventRecord,
  EventStatus,
  Role,
  ValidatorSet,
  type Amount,
} from '../../../proto/gen/sekai/bridge/v1/bridge';
import { Coins } from '../../../types/coins';
import { compareBytes } from '../../../types/sorted';
import { externalToLocal } from '../decimals';
import { BridgeEvents } from '../types/events';
import {
  ErrActionOutOfOrder,
  ErrAlreadyDeployed,
  ErrConflictingAttestation,
  ErrDuplicateAttestation,
  ErrWrongEventId,
} from '../types/errors';
import type { StoreReader } from '../types/expectedKeepers';
import { MODULE_ACCOUNT } from '../types/keys';
import { hasKey } from '../validatorSet';
import { type AttestResult, BridgeState, amountOf, amountsText, eventKind, hex, walletHomeAddress, withAmount } from './state';
import { releaseQueue } from './withdraw';

/**
 * A listener attests `event` as the chain's event `eventId`. The first attestation of
 * an id must carry the chain's next event id; later ones must be identical; one per
 * listener. Then every ready event is processed in id order.
 */
export function attest(keeper: BridgeState, ctx: Context, sender: string, chain: string, eventId: bigint, event: BridgeEvent, createdMs: bigint): AttestResult {
  const { set, key } = keeper.signer(ctx, sender, createdMs, Role.ROLE_LISTENER);
  const cs = keeper.chain(ctx, chain);
  let record: EventRecord;
  if (eventId === cs.nextEventId) {
    record = EventRecord.fromPartial({ eventId, event, attesters: [key], status: EventStatus.EVENT_STATUS_PENDING });
    cs.nextEventId += 1n;
  } else if (eventId > cs.nextEventId) {
    throw ErrWrongEventId.wrap(`event ${eventId} on ${chain}: the next event id is ${cs.nextEventId}`);
  } else {
    const found = keeper.event(ctx, chain, eventId);
    if (!found || found.status !== EventStatus.EVENT_STATUS_PENDING) {
      throw ErrWrongEventId.wrap(`event ${eventId} on ${chain} is already processed; the next event id is ${cs.nextEventId}`);
    }
    if (compareBytes(BridgeEvent.encode(found.event!).finish(), BridgeEvent.encode(event).finish()) !== 0) {
      throw ErrConflictingAttestation.wrap(`event ${eventId} on ${chain}`);
    }
    if (hasKey(found.attesters, key)) throw ErrDuplicateAttestation.wrap(`event ${eventId} on ${chain}`);
    record = found;
    record.attesters.push(key);
  }
  keeper.putEvent(ctx, chain, record);
  ctx.events.emit(BridgeEvents.attested, [
    ['chain', chain],
    ['event_id', eventId.toString()],
    ['kind', eventKind(event)],
    ['listener', hex(key)],
    ['attestations', String(record.attesters.length)],
  ]);
  const processed = processReady(keeper, ctx, cs, set);
  keeper.setChain(ctx, cs);
  return { attestations: record.attesters.length, processed };
}

/**
 * Processes the chain's lowest unprocessed events while each is attested by
 * needed_listeners current listeners; a ready event waits behind an unready one.
 * Mutates `cs`; the caller saves it.
 */
export function processReady(keeper: BridgeState, ctx: Context, cs: ChainState, set: ValidatorSet): number {
  const chain = cs.config!.name;
  let done = 0;
  while (cs.nextProcessId < cs.nextEventId) {
    const r = keeper.event(ctx, chain, cs.nextProcessId);
    if (!r) throw new Error(`x/bridge: event ${cs.nextProcessId} of ${chain} is missing`);
    const current = r.attesters.filter((k) => hasKey(set.listeners, k)).length;
    if (current < set.neededListeners) break;
    processEvent(keeper, ctx, cs, r);
    r.status = EventStatus.EVENT_STATUS_PROCESSED;
    r.processedHeight = BigInt(ctx.height);
    keeper.putEvent(ctx, chain, r);
    cs.nextProcessId += 1n;
    done += 1;
  }
  return done;
}

/** Processing after a validator-set change: quorums are counted anew on every chain. */
export function processAllChains(keeper: BridgeState, ctx: Context): void {
  const set = keeper.mustValidatorSet(ctx);
  for (const cs of keeper.chains(ctx)) {
    if (processReady(keeper, ctx, cs, set) > 0) keeper.setChain(ctx, cs);
  }
}

export function processEvent(keeper: BridgeState, ctx: Context, cs: ChainState, r: EventRecord): void {
  const chain = cs.config!.name;
  const e = r.event!;
  const attrs: [string, string][] = [['chain', chain], ['event_id', r.eventId.toString()], ['kind', eventKind(e)]];
  if (e.instantiated) {
    if (cs.config!.contract !== '') throw ErrAlreadyDeployed.wrap(`${chain} runs ${cs.config!.contract}`);
    cs.config!.contract = e.instantiated.contract;
    attrs.push(['contract', e.instantiated.contract]);
  } else if (e.regular) {
    const id = depositAccount(keeper, ctx, e.regular.wallet);
    r.accountId = id;
    const ignored = e.regular.keys.filter((k) => !keeper.accounts.bindKey(ctx, id, k)).length;
    let minted = Coins.empty();
    for (const f of e.regular.funds) {
      const asset = cs.config!.assets.find((a) => a.externalDenom === f.denom);
      if (!asset) {
        r.unclaimed.push({ denom: f.denom, amount: f.amount });
        continue;
      }
      const { local, dust } = externalToLocal(asset, BigInt(f.amount));
      if (local > 0n) minted = minted.add(Coins.from([{ denom: asset.localDenom, amount: local }]));
      if (dust > 0n) r.dust.push({ denom: f.denom, amount: dust.toString() });
    }
    if (!minted.isZero()) {
      keeper.bank.mintCoins(ctx, MODULE_ACCOUNT, minted);
      keeper.bank.sendCoinsFromModuleToAccount(ctx, MODULE_ACCOUNT, id, minted);
      for (const c of minted.toArray()) cs.balances = withAmount(cs.balances, c.denom, amountOf(cs.balances, c.denom) + c.amount);
    }
    r.minted = minted.toProto();
    attrs.push(['account_id', id.toString()], ['wallet', e.regular.wallet], ['minted', minted.toString()], ['ignored_keys', String(ignored)]);
    if (r.unclaimed.length > 0 || r.dust.length > 0) {
      ctx.events.emit(BridgeEvents.unclaimedFunds, [
        ['chain', chain],
        ['event_id', r.eventId.toString()],
        ['wallet', e.regular.wallet],
        ['funds', amountsText(r.unclaimed)],
        ['dust', amountsText(r.dust)],
      ]);
    }
    if (!minted.isZero()) releaseQueue(keeper, ctx, cs);
  } else if (e.actionExecuted) {
    const id = e.actionExecuted.actionId;
    if (id !== cs.firstPendingAction || id >= cs.nextActionId) {
      throw ErrActionOutOfOrder.wrap(`action ${id} executed on ${chain}; the lowest pending action is ${cs.firstPendingAction}`);
    }
    const a = keeper.action(ctx, chain, id)!;
    a.status = ActionStatus.ACTION_STATUS_EXECUTED;
    keeper.putAction(ctx, chain, a);
    if (a.body?.migrate) {
      r.replacedContractCode = cs.contractCode;
      cs.contractCode = a.body.migrate.newCode;
      attrs.push(['contract_code', cs.contractCode]);
    }
    cs.firstPendingAction += 1n;
    if (cs.nextProcessorApproval < cs.firstPendingAction) cs.nextProcessorApproval = cs.firstPendingAction;
    attrs.push(['action_id', id.toString()]);
    ctx.events.emit(BridgeEvents.actionExecuted, [['chain', chain], ['action_id', id.toString()]]);
  } else if (e.balanceSync) {
    // The contract's holdings include funds that pending transfers will pay out; the
    // tracked balance is what no action has claimed.
    const reserved = reservedByPendingTransfers(keeper, ctx, cs);
    for (const h of e.balanceSync.holdings) {
      const asset = cs.config!.assets.find((a) => a.externalDenom === h.denom);
      if (!asset) {
        r.unclaimed.push({ denom: h.denom, amount: h.amount });
        continue;
      }
      const { local, dust } = externalToLocal(asset, BigInt(h.amount));
      if (dust > 0n) r.dust.push({ denom: h.denom, amount: dust.toString() });
      const free = local - amountOf(reserved, asset.localDenom);
      const synced = free > 0n ? free : 0n;
      r.replacedBalances.push({ denom: asset.localDenom, amount: amountOf(cs.balances, asset.localDenom).toString() });
      r.syncedBalances.push({ denom: asset.localDenom, amount: synced.toString() });
      cs.balances = withAmount(cs.balances, asset.localDenom, synced);
    }
    releaseQueue(keeper, ctx, cs);
  }
  ctx.events.emit(BridgeEvents.eventProcessed, attrs);
}

/** Finds the account of a wallet, or creates one (see walletHomeAddress). */
export function depositAccount(keeper: BridgeState, ctx: Context, wallet: string): bigint {
  const byWallet = keeper.accounts.tryResolve(ctx, wallet);
  if (byWallet !== undefined) return byWallet;
  const home = walletHomeAddress(wallet);
  const existing = keeper.accounts.tryResolve(ctx, addressToBech32('account', home));
  const account = existing !== undefined ? keeper.accounts.get(ctx, existing)! : keeper.accounts.createAccount(ctx, home);
  keeper.accounts.bindWallet(ctx, account, wallet);
  return account.id;
}

export function reservedByPendingTransfers(keeper: BridgeState, ctx: StoreReader, cs: ChainState): Amount[] {
  let out: Amount[] = [];
  for (let id = cs.firstPendingAction; id < cs.nextActionId; id++) {
    const t = keeper.action(ctx, cs.config!.name, id)?.body?.transfer;
    if (t) out = withAmount(out, t.localDenom, amountOf(out, t.localDenom) + BigInt(t.amount));
  }
  return out;
}
