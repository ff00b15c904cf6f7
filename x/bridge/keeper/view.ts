/**
 * The bridge's state read-only: the validator set, chains, events, actions, the withdrawal
 * queues, overrides, admin proposals and the history. Queries and genesis export read through
 * this view; every mutation lives in the keeper's role files beside it.
 */
import {
  ActionRecord,
  AdminProposal,
  ChainState,
  EventRecord,
  HistoryEntry,
  OverrideProposal,
  PendingWithdrawal,
  ValidatorSet,
} from '../../../proto/gen/sekai/bridge/v1/bridge';
import { ErrInvalidValidatorSet, ErrUnknownChain } from '../types/errors';
import type { StoreReader } from '../types/expectedKeepers';
import { Keys, STORE_KEY, readU64 } from '../types/keys';

/** Default and largest page of the event and action queries. */
export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 1000;

export class BridgeViewKeeper {
  readonly storeKey = STORE_KEY;

  /** The validator set; undefined when the chain's genesis configured no bridge. */
  validatorSet(ctx: StoreReader): ValidatorSet | undefined {
    const raw = ctx.store(this.storeKey).get(Keys.validatorSet());
    return raw ? ValidatorSet.decode(raw) : undefined;
  }

  mustValidatorSet(ctx: StoreReader): ValidatorSet {
    const v = this.validatorSet(ctx);
    if (!v) throw ErrInvalidValidatorSet.wrap('the bridge has no validator set (genesis bridge-set)');
    return v;
  }

  chain(ctx: StoreReader, name: string): ChainState {
    const raw = ctx.store(this.storeKey).get(Keys.chain(name));
    if (!raw) throw ErrUnknownChain.wrap(JSON.stringify(name));
    return ChainState.decode(raw);
  }

  /** Decoded values of [start, end) in key order, at most `limit`. */
  protected list<T>(ctx: StoreReader, start: Uint8Array, end: Uint8Array, codec: { decode(b: Uint8Array): T }, limit = Number.MAX_SAFE_INTEGER): T[] {
    const out: T[] = [];
    for (const [, v] of ctx.store(this.storeKey).iterator(start, end)) {
      if (out.length >= limit) break;
      out.push(codec.decode(v));
    }
    return out;
  }

  /** Every chain, by name. */
  chains(ctx: StoreReader): ChainState[] {
    return this.list(ctx, ...Keys.allChains(), ChainState);
  }

  event(ctx: StoreReader, chain: string, id: bigint): EventRecord | undefined {
    const raw = ctx.store(this.storeKey).get(Keys.event(chain, id));
    return raw ? EventRecord.decode(raw) : undefined;
  }

  /** Live events (pending and processed) from `startId`, at most `limit`. */
  events(ctx: StoreReader, chain: string, startId = 0n, limit = DEFAULT_QUERY_LIMIT): EventRecord[] {
    return this.list(ctx, Keys.event(chain, startId), Keys.events(chain)[1], EventRecord, limit);
  }

  /** Reverted events, in revert order. */
  revertedEvents(ctx: StoreReader, chain: string): EventRecord[] {
    return this.list(ctx, ...Keys.allReverted(chain), EventRecord);
  }

  action(ctx: StoreReader, chain: string, id: bigint): ActionRecord | undefined {
    const raw = ctx.store(this.storeKey).get(Keys.action(chain, id));
    return raw ? ActionRecord.decode(raw) : undefined;
  }

  /** Actions from `startId`, at most `limit`. */
  actions(ctx: StoreReader, chain: string, startId = 0n, limit = DEFAULT_QUERY_LIMIT): ActionRecord[] {
    return this.list(ctx, Keys.action(chain, startId), Keys.actions(chain)[1], ActionRecord, limit);
  }

  /** The FIFO queue of a chain, in release order. */
  pendingWithdrawals(ctx: StoreReader, chain: string): PendingWithdrawal[] {
    return this.list(ctx, ...Keys.withdrawals(chain), PendingWithdrawal);
  }

  /** Open overrides of a chain, by id. */
  overrides(ctx: StoreReader, chain: string): OverrideProposal[] {
    return this.list(ctx, ...Keys.overrides(chain), OverrideProposal);
  }

  /** Pending admin proposals, by id. */
  proposals(ctx: StoreReader): AdminProposal[] {
    return this.list(ctx, ...Keys.allProposals(), AdminProposal);
  }

  nextProposalId(ctx: StoreReader): bigint {
    const raw = ctx.store(this.storeKey).get(Keys.nextProposal());
    return raw ? readU64(raw) : 0n;
  }

  /** The validator-set history from genesis (entry 0). */
  history(ctx: StoreReader): HistoryEntry[] {
    return this.list(ctx, ...Keys.allHistory(), HistoryEntry);
  }

  historyLength(ctx: StoreReader): bigint {
    const [s, e] = Keys.allHistory();
    for (const [k] of ctx.store(this.storeKey).reverseIterator(s, e)) return readU64(k, 1) + 1n;
    return 0n;
  }

  /** The queue bounds and counters of every chain are consistent. O(chains). */
  checkCounters(ctx: StoreReader): string | undefined {
    for (const cs of this.chains(ctx)) {
      const n = cs.config!.name;
      if (cs.nextProcessId > cs.nextEventId) return `${n}: next process id ${cs.nextProcessId} is above the next event id ${cs.nextEventId}`;
      if (cs.firstPendingAction > cs.nextActionId) return `${n}: first pending action ${cs.firstPendingAction} is above the next action id ${cs.nextActionId}`;
      if (cs.queueHead > cs.queueTail) return `${n}: queue head ${cs.queueHead} is above its tail ${cs.queueTail}`;
    }
    return undefined;
  }
}
