/**
 * The x/bridge keeper: a Kolme-style bridge. Listeners attest external-chain events,
 * which are processed strictly in id order once a quorum of current listeners agrees;
 * withdrawals become actions that approvers and then the processor sign, one at a time
 * in id order; a per-chain FIFO queue holds withdrawals the tracked balance cannot cover
 * yet; approvers can override a stuck action and listeners can revert a vanished event;
 * admin changes need two of the three groups and are kept in a provable history.
 *
 * Caching: none. Every read goes to the context's store branch, so a failed tx leaves
 * nothing behind and nothing depends on the process's age.
 */
import type { Context } from '../../runtime/context';
import { RUNTIME_STORE, writeChainVersion } from '../../runtime/upgrade';
import { accAddressFromSecp256k1, addressToBech32 } from '../../crypto/address';
import { sha256 } from '../../crypto/hash';
import { verifySecp256k1 } from '../../crypto/secp256k1';
import {
  ActionRecord,
  ActionStatus,
  AdminPayload,
  AdminProposal,
  BridgeEvent,
  ChainState,
  EventRecord,
  EventStatus,
  HistoryEntry,
  OverrideProposal,
  PendingWithdrawal,
  Role,
  ValidatorSet,
  type ActionBody,
  type Amount,
  type Approval,
  type Asset,
  type ChainConfig,
} from '../../proto/gen/sekai/bridge/v1/bridge';
import { Coins, MAX_AMOUNT } from '../../types/coins';
import { compareBytes } from '../../types/sorted';
import { externalToLocal, localToExternal } from './decimals';
import { actionPayload, adminBytes, digest, selfReplaceBytes } from './payload';
import { BridgeEvents } from './types/events';
import {
  ErrOverExportCap,
  ErrActionOutOfOrder,
  ErrAlreadyDeployed,
  ErrAlreadyProcessorApproved,
  ErrConflictingAttestation,
  ErrDuplicateApproval,
  ErrDuplicateAttestation,
  ErrDuplicateProposal,
  ErrDuplicateVote,
  ErrInvalidAmount,
  ErrInvalidChainConfig,
  ErrInvalidProposal,
  ErrInvalidReplacement,
  ErrInvalidSignature,
  ErrInvalidValidatorSet,
  ErrInvalidWallet,
  ErrMissingTimestamp,
  ErrNotApprover,
  ErrNotListener,
  ErrNotProcessor,
  ErrNotStuckAction,
  ErrNotValidator,
  ErrProcessorOrder,
  ErrQuorumShort,
  ErrRevertNotLast,
  ErrTimestampInFuture,
  ErrTimestampInPast,
  ErrUnknownAction,
  ErrUnknownAsset,
  ErrUnknownChain,
  ErrUnknownEvent,
  ErrUnknownOverride,
  ErrUnknownProposal,
  ErrWrongEventId,
} from './types/errors';
import type { BridgeAccountKeeper, BridgeBankKeeper, StoreReader } from './types/expected_keepers';
import { Keys, MODULE_ACCOUNT, STORE_KEY, readU64, u64 } from './types/keys';
import { hasAdminQuorum, hasKey, isCompressedKey, isValidatorOf, replaceKey, roleName, sameKey, validateValidatorSet } from './validatorSet';

/**
 * How far a bridge message's creation time may lie from the block time (Kolme's
 * timestamp rule): 2 minutes covers clock skew and mempool delay; a message older than
 * that may be a replay of a stale view of the external chain.
 */
export const TIMESTAMP_TOLERANCE_MS = 120_000n;

/** Default and largest page of the event and action queries. */
export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 1000;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const enc = new TextEncoder();
const WALLET_TEXT = /^[\x21-\x7e]{1,128}$/;

/** The home address of an account created by a deposit from `wallet`: no key derives it. */
export function walletHomeAddress(wallet: string): Uint8Array {
  return sha256(enc.encode(`sekai-bridge/wallet\x00${wallet}`)).slice(0, 20);
}

/** Parses a base-unit amount: decimal, positive, at most 2^256-1. */
export function parseAmount(text: string, what: string): bigint {
  if (!/^[0-9]{1,78}$/.test(text)) throw ErrInvalidAmount.wrap(`${what}: ${JSON.stringify(text)} is not a decimal amount`);
  const v = BigInt(text);
  if (v === 0n) throw ErrInvalidAmount.wrap(`${what} must be positive`);
  if (v > MAX_AMOUNT) throw ErrInvalidAmount.wrap(`${what} exceeds 2^256-1`);
  return v;
}

/** An external wallet or address as given to a bridge contract: 1–128 visible ASCII. */
export function checkDestWallet(wallet: string): void {
  if (!WALLET_TEXT.test(wallet)) throw ErrInvalidWallet.wrap(`${JSON.stringify(wallet)} is not 1-128 visible ASCII characters`);
}

function amountOf(list: readonly Amount[], denom: string): bigint {
  const a = list.find((x) => x.denom === denom);
  return a ? BigInt(a.amount) : 0n;
}

/** Sets a denom's amount in a sorted list, dropping zero entries. */
function withAmount(list: readonly Amount[], denom: string, amount: bigint): Amount[] {
  const rest = list.filter((x) => x.denom !== denom);
  if (amount > 0n) rest.push({ denom, amount: amount.toString() });
  return rest.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
}

const amountsText = (list: readonly Amount[]) => list.map((a) => `${a.amount}${a.denom}`).join(',');

function eventKind(e: BridgeEvent): string {
  if (e.instantiated) return 'instantiated';
  if (e.regular) return 'regular';
  if (e.actionExecuted) return 'action_executed';
  if (e.balanceSync) return 'balance_sync';
  return 'none';
}

export interface AttestResult {
  attestations: number;
  processed: number;
}

export interface WithdrawResult {
  queued: boolean;
  actionId: bigint;
  queueSeq: bigint;
}

export class BridgeKeeper {
  readonly storeKey = STORE_KEY;

  constructor(
    readonly accounts: BridgeAccountKeeper,
    readonly bank: BridgeBankKeeper,
  ) {}

  // ------------------------------------------------------------------ reads

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

  setValidatorSet(ctx: Context, v: ValidatorSet): void {
    validateValidatorSet(v);
    ctx.store(this.storeKey).set(Keys.validatorSet(), ValidatorSet.encode(v).finish());
  }

  chain(ctx: StoreReader, name: string): ChainState {
    const raw = ctx.store(this.storeKey).get(Keys.chain(name));
    if (!raw) throw ErrUnknownChain.wrap(JSON.stringify(name));
    return ChainState.decode(raw);
  }

  /**
   * Gives each configured asset's local denom bank metadata when it has none: base unit the
   * local denom, display unit the external denom at `local_decimals`, so that the transfer
   * cap counts whole tokens (1 000 000 USDC = 10^12 uusdc) rather than base units.
   */
  ensureAssetMetadata(ctx: Context, config: ChainConfig): void {
    for (const a of config.assets) {
      if (this.bank.metadata(ctx, a.localDenom)) continue;
      const display = a.externalDenom === a.localDenom ? `${a.externalDenom}-display` : a.externalDenom;
      const units = [{ denom: a.localDenom, exponent: 0, aliases: [] }];
      if (a.localDecimals > 0) units.push({ denom: display, exponent: a.localDecimals, aliases: [] });
      this.bank.setMetadata(ctx, {
        description: `${a.externalDenom} bridged from ${config.name}`,
        denomUnits: units,
        base: a.localDenom,
        display: a.localDecimals > 0 ? display : a.localDenom,
        name: a.externalDenom.toUpperCase(),
        symbol: a.externalDenom.toUpperCase(),
        uri: '',
        uriHash: '',
      });
    }
  }

  setChain(ctx: Context, cs: ChainState): void {
    ctx.store(this.storeKey).set(Keys.chain(cs.config!.name), ChainState.encode(cs).finish());
  }

  /** Decoded values of [start, end) in key order, at most `limit`. */
  private list<T>(ctx: StoreReader, start: Uint8Array, end: Uint8Array, codec: { decode(b: Uint8Array): T }, limit = Number.MAX_SAFE_INTEGER): T[] {
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

  private putEvent(ctx: Context, chain: string, r: EventRecord): void {
    ctx.store(this.storeKey).set(Keys.event(chain, r.eventId), EventRecord.encode(r).finish());
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

  private putAction(ctx: Context, chain: string, a: ActionRecord): void {
    ctx.store(this.storeKey).set(Keys.action(chain, a.actionId), ActionRecord.encode(a).finish());
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

  appendHistory(ctx: Context, entry: Omit<HistoryEntry, 'index'>): bigint {
    const index = this.historyLength(ctx);
    ctx.store(this.storeKey).set(Keys.history(index), HistoryEntry.encode({ ...entry, index }).finish());
    return index;
  }

  // ------------------------------------------------------------------ who sends

  /**
   * Kolme's timestamp rule against the block time (never the wall clock): created_ms
   * more than 2 minutes after or before the block time is refused.
   */
  checkCreated(ctx: Context, createdMs: bigint): void {
    if (createdMs === 0n) throw ErrMissingTimestamp.wrap('created_ms is 0');
    const blockMs = ctx.time.seconds * 1000n + BigInt(ctx.time.nanos) / 1_000_000n;
    if (createdMs > blockMs + TIMESTAMP_TOLERANCE_MS) throw ErrTimestampInFuture.wrap(`created ${createdMs - blockMs} ms after block time`);
    if (createdMs < blockMs - TIMESTAMP_TOLERANCE_MS) throw ErrTimestampInPast.wrap(`created ${blockMs - createdMs} ms before block time`);
  }

  /**
   * The secp256k1 key with which `sender`'s account signed this tx: a key from the tx's
   * signer infos whose address belongs to that account, or the account's only key when
   * the signer info omits it (the ante handler accepts that only for one-key accounts).
   */
  senderKey(ctx: Context, sender: string): Buffer {
    const id = this.accounts.tryResolve(ctx, sender);
    if (id === undefined) throw ErrNotValidator.wrap(`${sender} is no account`);
    for (const k of this.accounts.signingKeys(ctx)) {
      if (!isCompressedKey(k)) continue;
      const owner = this.accounts.tryResolve(ctx, addressToBech32('account', accAddressFromSecp256k1(k)));
      if (owner === id) return Buffer.from(k);
    }
    const keys = this.accounts.get(ctx, id)?.pubKeys ?? [];
    if (keys.length === 1) return Buffer.from(keys[0]);
    throw ErrNotValidator.wrap(`no signing key of ${sender} is in this tx`);
  }

  /**
   * The checks every validator message starts with: its timestamp, the set, the key the
   * sender signed with, and (when `must` is given) that the key is in that group
   * ('member': any of the three).
   */
  private signer(ctx: Context, sender: string, createdMs: bigint, must?: Role | 'member'): { set: ValidatorSet; key: Buffer } {
    this.checkCreated(ctx, createdMs);
    const set = this.mustValidatorSet(ctx);
    const key = this.senderKey(ctx, sender);
    if (must === Role.ROLE_PROCESSOR && !sameKey(set.processor, key)) throw ErrNotProcessor.wrap(`key ${hex(key)}`);
    if (must === Role.ROLE_LISTENER && !hasKey(set.listeners, key)) throw ErrNotListener.wrap(`key ${hex(key)}`);
    if (must === Role.ROLE_APPROVER && !hasKey(set.approvers, key)) throw ErrNotApprover.wrap(`key ${hex(key)}`);
    if (must === 'member' && !isValidatorOf(set, key)) throw ErrNotValidator.wrap(`key ${hex(key)}`);
    return { set, key };
  }

  // ------------------------------------------------------------------ events

  /**
   * A listener attests `event` as the chain's event `eventId`. The first attestation of
   * an id must carry the chain's next event id; later ones must be identical; one per
   * listener. Then every ready event is processed in id order.
   */
  attest(ctx: Context, sender: string, chain: string, eventId: bigint, event: BridgeEvent, createdMs: bigint): AttestResult {
    const { set, key } = this.signer(ctx, sender, createdMs, Role.ROLE_LISTENER);
    const cs = this.chain(ctx, chain);
    let record: EventRecord;
    if (eventId === cs.nextEventId) {
      record = EventRecord.fromPartial({ eventId, event, attesters: [key], status: EventStatus.EVENT_STATUS_PENDING });
      cs.nextEventId += 1n;
    } else if (eventId > cs.nextEventId) {
      throw ErrWrongEventId.wrap(`event ${eventId} on ${chain}: the next event id is ${cs.nextEventId}`);
    } else {
      const found = this.event(ctx, chain, eventId);
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
    this.putEvent(ctx, chain, record);
    ctx.events.emit(BridgeEvents.attested, [
      ['chain', chain],
      ['event_id', eventId.toString()],
      ['kind', eventKind(event)],
      ['listener', hex(key)],
      ['attestations', String(record.attesters.length)],
    ]);
    const processed = this.processReady(ctx, cs, set);
    this.setChain(ctx, cs);
    return { attestations: record.attesters.length, processed };
  }

  /**
   * Processes the chain's lowest unprocessed events while each is attested by
   * needed_listeners current listeners; a ready event waits behind an unready one.
   * Mutates `cs`; the caller saves it.
   */
  processReady(ctx: Context, cs: ChainState, set: ValidatorSet): number {
    const chain = cs.config!.name;
    let done = 0;
    while (cs.nextProcessId < cs.nextEventId) {
      const r = this.event(ctx, chain, cs.nextProcessId);
      if (!r) throw new Error(`x/bridge: event ${cs.nextProcessId} of ${chain} is missing`);
      const current = r.attesters.filter((k) => hasKey(set.listeners, k)).length;
      if (current < set.neededListeners) break;
      this.processEvent(ctx, cs, r);
      r.status = EventStatus.EVENT_STATUS_PROCESSED;
      r.processedHeight = BigInt(ctx.height);
      this.putEvent(ctx, chain, r);
      cs.nextProcessId += 1n;
      done += 1;
    }
    return done;
  }

  /** Processing after a validator-set change: quorums are counted anew on every chain. */
  processAllChains(ctx: Context): void {
    const set = this.mustValidatorSet(ctx);
    for (const cs of this.chains(ctx)) {
      if (this.processReady(ctx, cs, set) > 0) this.setChain(ctx, cs);
    }
  }

  private processEvent(ctx: Context, cs: ChainState, r: EventRecord): void {
    const chain = cs.config!.name;
    const e = r.event!;
    const attrs: [string, string][] = [['chain', chain], ['event_id', r.eventId.toString()], ['kind', eventKind(e)]];
    if (e.instantiated) {
      if (cs.config!.contract !== '') throw ErrAlreadyDeployed.wrap(`${chain} runs ${cs.config!.contract}`);
      cs.config!.contract = e.instantiated.contract;
      attrs.push(['contract', e.instantiated.contract]);
    } else if (e.regular) {
      const id = this.depositAccount(ctx, e.regular.wallet);
      r.accountId = id;
      const ignored = e.regular.keys.filter((k) => !this.accounts.bindKey(ctx, id, k)).length;
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
        this.bank.mintCoins(ctx, MODULE_ACCOUNT, minted);
        this.bank.sendCoinsFromModuleToAccount(ctx, MODULE_ACCOUNT, id, minted);
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
      if (!minted.isZero()) this.releaseQueue(ctx, cs);
    } else if (e.actionExecuted) {
      const id = e.actionExecuted.actionId;
      if (id !== cs.firstPendingAction || id >= cs.nextActionId) {
        throw ErrActionOutOfOrder.wrap(`action ${id} executed on ${chain}; the lowest pending action is ${cs.firstPendingAction}`);
      }
      const a = this.action(ctx, chain, id)!;
      a.status = ActionStatus.ACTION_STATUS_EXECUTED;
      this.putAction(ctx, chain, a);
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
      const reserved = this.reservedByPendingTransfers(ctx, cs);
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
      this.releaseQueue(ctx, cs);
    }
    ctx.events.emit(BridgeEvents.eventProcessed, attrs);
  }

  /** Finds the account of a wallet, or creates one (see walletHomeAddress). */
  private depositAccount(ctx: Context, wallet: string): bigint {
    const byWallet = this.accounts.tryResolve(ctx, wallet);
    if (byWallet !== undefined) return byWallet;
    const home = walletHomeAddress(wallet);
    const existing = this.accounts.tryResolve(ctx, addressToBech32('account', home));
    const account = existing !== undefined ? this.accounts.get(ctx, existing)! : this.accounts.createAccount(ctx, home);
    this.accounts.bindWallet(ctx, account, wallet);
    return account.id;
  }

  private reservedByPendingTransfers(ctx: StoreReader, cs: ChainState): Amount[] {
    let out: Amount[] = [];
    for (let id = cs.firstPendingAction; id < cs.nextActionId; id++) {
      const t = this.action(ctx, cs.config!.name, id)?.body?.transfer;
      if (t) out = withAmount(out, t.localDenom, amountOf(out, t.localDenom) + BigInt(t.amount));
    }
    return out;
  }

  // ------------------------------------------------------------------ withdrawals

  private assetByLocal(cs: ChainState, denom: string): Asset {
    const a = cs.config!.assets.find((x) => x.localDenom === denom);
    if (!a) throw ErrUnknownAsset.wrap(`${denom} on ${cs.config!.name}`);
    return a;
  }

  /**
   * Burns `amount` of `asset` from the sender and sends it to `destWallet` on `chain`:
   * an action at once when the queue is empty and the tracked balance covers it,
   * otherwise a place at the end of the chain's FIFO queue.
   */
  withdraw(ctx: Context, sender: string, chain: string, asset: string, destWallet: string, amountText: string): WithdrawResult {
    const cs = this.chain(ctx, chain);
    if (cs.config!.contract === '') throw ErrInvalidChainConfig.wrap(`the bridge contract of ${chain} is not deployed yet`);
    const configured = this.assetByLocal(cs, asset);
    checkDestWallet(destWallet);
    const amount = parseAmount(amountText, 'amount');
    // Refused before anything is burned: a queued withdrawal must convert when released.
    localToExternal(configured, amount);
    // Komodo's export cap: no more than 1 000 000 coins leave for another chain at once.
    const cap = this.bank.sendCapOf(ctx, asset);
    if (cap !== undefined && amount > cap) throw ErrOverExportCap.wrap(`${amount}${asset} is above the cap of ${cap}${asset} per withdrawal`);
    const from = this.accounts.tryResolve(ctx, sender);
    if (from === undefined) throw ErrNotValidator.wrap(`${sender} is no account`);
    const coins = Coins.from([{ denom: asset, amount }]);
    this.bank.sendCoins(ctx, from, this.accounts.moduleAccountId(ctx, MODULE_ACCOUNT), coins);
    this.bank.burnCoins(ctx, MODULE_ACCOUNT, coins);
    let result: WithdrawResult;
    if (cs.queueHead === cs.queueTail && amountOf(cs.balances, asset) >= amount) {
      result = { queued: false, actionId: this.transferAction(ctx, cs, from, destWallet, asset, amount), queueSeq: 0n };
    } else {
      const seq = cs.queueTail;
      cs.queueTail += 1n;
      const w = PendingWithdrawal.fromPartial({ seq, accountId: from, destWallet, localDenom: asset, amount: amount.toString(), height: BigInt(ctx.height) });
      ctx.store(this.storeKey).set(Keys.withdrawal(chain, seq), PendingWithdrawal.encode(w).finish());
      ctx.events.emit(BridgeEvents.withdrawalQueued, [
        ['chain', chain],
        ['seq', seq.toString()],
        ['account_id', from.toString()],
        ['amount', `${amount}${asset}`],
      ]);
      result = { queued: true, actionId: 0n, queueSeq: seq };
    }
    this.setChain(ctx, cs);
    return result;
  }

  private transferAction(ctx: Context, cs: ChainState, accountId: bigint, destWallet: string, denom: string, amount: bigint): bigint {
    cs.balances = withAmount(cs.balances, denom, amountOf(cs.balances, denom) - amount);
    const asset = this.assetByLocal(cs, denom);
    const externalAmount = localToExternal(asset, amount).toString();
    return this.addAction(ctx, cs, {
      transfer: { destWallet, externalDenom: asset.externalDenom, amount: amount.toString(), localDenom: denom, accountId, externalAmount },
    });
  }

  /** Releases queued withdrawals in order while the tracked balance covers the head. */
  private releaseQueue(ctx: Context, cs: ChainState): void {
    const chain = cs.config!.name;
    while (cs.queueHead < cs.queueTail) {
      const key = Keys.withdrawal(chain, cs.queueHead);
      const w = PendingWithdrawal.decode(ctx.store(this.storeKey).get(key)!);
      const amount = BigInt(w.amount);
      if (amountOf(cs.balances, w.localDenom) < amount) break;
      ctx.store(this.storeKey).delete(key);
      cs.queueHead += 1n;
      this.transferAction(ctx, cs, w.accountId, w.destWallet, w.localDenom, amount);
    }
  }

  /** Creates the chain's next action. Mutates `cs`; the caller saves it. */
  addAction(ctx: Context, cs: ChainState, body: ActionBody): bigint {
    const chain = cs.config!.name;
    const actionId = cs.nextActionId;
    cs.nextActionId += 1n;
    const payload = actionPayload({ chainId: ctx.chainId, chain, contract: cs.config!.contract, actionId }, body);
    const a = ActionRecord.fromPartial({ actionId, body, payload: Buffer.from(payload), status: ActionStatus.ACTION_STATUS_PENDING, createdHeight: BigInt(ctx.height) });
    this.putAction(ctx, chain, a);
    ctx.events.emit(BridgeEvents.newAction, [
      ['chain', chain],
      ['action_id', actionId.toString()],
      ['kind', body.transfer ? 'transfer' : body.newSet ? 'new_set' : 'migrate'],
      ['payload', hex(payload)],
    ]);
    return actionId;
  }

  private pendingAction(ctx: StoreReader, cs: ChainState, id: bigint): ActionRecord {
    const a = id < cs.firstPendingAction ? undefined : this.action(ctx, cs.config!.name, id);
    if (!a || a.status !== ActionStatus.ACTION_STATUS_PENDING) throw ErrUnknownAction.wrap(`action ${id} on ${cs.config!.name} is not pending`);
    return a;
  }

  /** An approver's signature over an action's payload; returns the current approvers' count. */
  approve(ctx: Context, sender: string, chain: string, actionId: bigint, signature: Uint8Array, createdMs: bigint): number {
    const { set, key } = this.signer(ctx, sender, createdMs, Role.ROLE_APPROVER);
    const cs = this.chain(ctx, chain);
    const a = this.pendingAction(ctx, cs, actionId);
    if (a.approvals.some((x) => sameKey(x.key, key))) throw ErrDuplicateApproval.wrap(`action ${actionId} on ${chain}`);
    if (!verifySecp256k1(key, digest(a.payload), signature)) throw ErrInvalidSignature.wrap(`approval of action ${actionId} on ${chain}`);
    a.approvals.push({ key, signature: Buffer.from(signature) });
    this.putAction(ctx, chain, a);
    const count = a.approvals.filter((x) => hasKey(set.approvers, x.key)).length;
    ctx.events.emit(BridgeEvents.actionApproved, [['chain', chain], ['action_id', actionId.toString()], ['approver', hex(key)], ['approvals', String(count)]]);
    return count;
  }

  /**
   * The processor's signature completes an action once needed_approvers current
   * approvers signed; the processor approves one action at a time, in id order.
   */
  processorApprove(ctx: Context, sender: string, chain: string, actionId: bigint, signature: Uint8Array, createdMs: bigint): void {
    const { set, key } = this.signer(ctx, sender, createdMs, Role.ROLE_PROCESSOR);
    const cs = this.chain(ctx, chain);
    const a = this.pendingAction(ctx, cs, actionId);
    if (a.processorSignature.length > 0) throw ErrAlreadyProcessorApproved.wrap(`action ${actionId} on ${chain}`);
    if (actionId !== cs.nextProcessorApproval) throw ErrProcessorOrder.wrap(`action ${actionId} on ${chain}: approve action ${cs.nextProcessorApproval} first`);
    const count = a.approvals.filter((x) => hasKey(set.approvers, x.key)).length;
    if (count < set.neededApprovers) throw ErrQuorumShort.wrap(`action ${actionId} on ${chain} has ${count} of ${set.neededApprovers} approvals`);
    if (!verifySecp256k1(key, digest(a.payload), signature)) throw ErrInvalidSignature.wrap(`processor approval of action ${actionId} on ${chain}`);
    a.processorSignature = Buffer.from(signature);
    this.putAction(ctx, chain, a);
    cs.nextProcessorApproval += 1n;
    this.setChain(ctx, cs);
    ctx.events.emit(BridgeEvents.actionReady, [['chain', chain], ['action_id', actionId.toString()]]);
  }

  // ------------------------------------------------------------------ hard override

  /** An approver proposes to skip or replace the chain's lowest pending (stuck) action. */
  proposeOverride(ctx: Context, sender: string, chain: string, actionId: bigint, skip: boolean, replacement: ActionBody | undefined, createdMs: bigint): bigint {
    const { key } = this.signer(ctx, sender, createdMs, Role.ROLE_APPROVER);
    const cs = this.chain(ctx, chain);
    const a = this.pendingAction(ctx, cs, actionId);
    if (actionId !== cs.firstPendingAction) throw ErrNotStuckAction.wrap(`action ${actionId} on ${chain}; the lowest pending action is ${cs.firstPendingAction}`);
    if (skip === (replacement !== undefined)) throw ErrInvalidProposal.wrap('an override either skips or carries a replacement');
    if (replacement) this.checkReplacement(cs, a.body!, replacement);
    const id = cs.nextOverrideId;
    cs.nextOverrideId += 1n;
    const o = OverrideProposal.fromPartial({ id, actionId, skip, replacement, confirmations: [key] });
    ctx.store(this.storeKey).set(Keys.override(chain, id), OverrideProposal.encode(o).finish());
    this.setChain(ctx, cs);
    ctx.events.emit(BridgeEvents.overrideProposed, [['chain', chain], ['override_id', id.toString()], ['action_id', actionId.toString()], ['skip', String(skip)]]);
    return id;
  }

  /** A replacement transfer pays the same account the same coins (only the route changes). */
  private checkReplacement(cs: ChainState, old: ActionBody, body: ActionBody): void {
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
      if (this.assetByLocal(cs, t.localDenom).externalDenom !== t.externalDenom) throw ErrUnknownAsset.wrap(`${t.externalDenom} is not ${t.localDenom}'s external denom`);
    }
  }

  /**
   * Approvers confirm an override; the processor's confirmation applies it once
   * needed_approvers current approvers confirmed. Returns true when applied.
   */
  confirmOverride(ctx: Context, sender: string, chain: string, overrideId: bigint, createdMs: bigint): boolean {
    const { set, key } = this.signer(ctx, sender, createdMs);
    const cs = this.chain(ctx, chain);
    const okey = Keys.override(chain, overrideId);
    const raw = ctx.store(this.storeKey).get(okey);
    if (!raw) throw ErrUnknownOverride.wrap(`override ${overrideId} on ${chain}`);
    const o = OverrideProposal.decode(raw);
    if (!sameKey(set.processor, key)) {
      if (!hasKey(set.approvers, key)) throw ErrNotApprover.wrap(`key ${hex(key)}`);
      if (hasKey(o.confirmations, key)) throw ErrDuplicateApproval.wrap(`override ${overrideId} on ${chain}`);
      o.confirmations.push(key);
      ctx.store(this.storeKey).set(okey, OverrideProposal.encode(o).finish());
      return false;
    }
    const count = o.confirmations.filter((k) => hasKey(set.approvers, k)).length;
    if (count < set.neededApprovers) throw ErrQuorumShort.wrap(`override ${overrideId} on ${chain} has ${count} of ${set.neededApprovers} approver confirmations`);
    if (o.actionId !== cs.firstPendingAction) throw ErrNotStuckAction.wrap(`action ${o.actionId} on ${chain} is no longer the lowest pending action`);
    const a = this.pendingAction(ctx, cs, o.actionId);
    const old = a.body!.transfer;
    if (old && (o.skip || !o.replacement?.transfer)) {
      // The transfer will never leave the contract: its coins go back to the tracked
      // balance and, re-minted, to the account that withdrew them.
      const coins = Coins.from([{ denom: old.localDenom, amount: BigInt(old.amount) }]);
      cs.balances = withAmount(cs.balances, old.localDenom, amountOf(cs.balances, old.localDenom) + BigInt(old.amount));
      this.bank.mintCoins(ctx, MODULE_ACCOUNT, coins);
      this.bank.sendCoinsFromModuleToAccount(ctx, MODULE_ACCOUNT, old.accountId, coins);
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
    this.putAction(ctx, chain, a);
    ctx.store(this.storeKey).delete(okey);
    if (old && (o.skip || !o.replacement?.transfer)) this.releaseQueue(ctx, cs);
    this.setChain(ctx, cs);
    ctx.events.emit(BridgeEvents.overrideApplied, [
      ['chain', chain],
      ['override_id', overrideId.toString()],
      ['action_id', a.actionId.toString()],
      ['skip', String(o.skip)],
      ['payload', hex(a.payload)],
    ]);
    return true;
  }

  // ------------------------------------------------------------------ event revert

  /**
   * Listeners vote to revert the chain's last event (it vanished in a reorg or hard
   * fork); the processor's confirmation at listener quorum rolls the next event id back
   * and burns what the deposit minted where it is still held, recording any shortfall.
   */
  revertEvent(ctx: Context, sender: string, chain: string, eventId: bigint, createdMs: bigint): boolean {
    const { set, key } = this.signer(ctx, sender, createdMs);
    const isProcessor = sameKey(set.processor, key);
    if (!isProcessor && !hasKey(set.listeners, key)) throw ErrNotListener.wrap(`key ${hex(key)}`);
    const cs = this.chain(ctx, chain);
    if (eventId >= cs.nextEventId) throw ErrUnknownEvent.wrap(`event ${eventId} on ${chain}`);
    if (eventId !== cs.nextEventId - 1n) throw ErrRevertNotLast.wrap(`event ${eventId} on ${chain}; the last event is ${cs.nextEventId - 1n}`);
    const r = this.event(ctx, chain, eventId)!;
    if (!isProcessor) {
      if (hasKey(r.revertVotes, key)) throw ErrDuplicateVote.wrap(`event ${eventId} on ${chain}`);
      r.revertVotes.push(key);
      this.putEvent(ctx, chain, r);
      ctx.events.emit(BridgeEvents.revertVote, [['chain', chain], ['event_id', eventId.toString()], ['listener', hex(key)]]);
      return false;
    }
    const votes = r.revertVotes.filter((k) => hasKey(set.listeners, k)).length;
    if (votes < set.neededListeners) throw ErrQuorumShort.wrap(`revert of event ${eventId} on ${chain} has ${votes} of ${set.neededListeners} listener votes`);
    if (r.status === EventStatus.EVENT_STATUS_PROCESSED) {
      this.undoEvent(ctx, cs, r);
      cs.nextProcessId = eventId;
    }
    r.status = EventStatus.EVENT_STATUS_REVERTED;
    r.revertedHeight = BigInt(ctx.height);
    const seq = cs.nextRevertSeq;
    cs.nextRevertSeq += 1n;
    ctx.store(this.storeKey).delete(Keys.event(chain, eventId));
    ctx.store(this.storeKey).set(Keys.reverted(chain, seq), EventRecord.encode(r).finish());
    cs.nextEventId = eventId;
    this.setChain(ctx, cs);
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
  private undoEvent(ctx: Context, cs: ChainState, r: EventRecord): void {
    const e = r.event!;
    if (e.instantiated) {
      cs.config!.contract = '';
    } else if (e.actionExecuted) {
      const a = this.action(ctx, cs.config!.name, e.actionExecuted.actionId)!;
      a.status = ActionStatus.ACTION_STATUS_PENDING;
      this.putAction(ctx, cs.config!.name, a);
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
      const moduleId = this.accounts.moduleAccountId(ctx, MODULE_ACCOUNT);
      for (const m of r.minted) {
        const amount = BigInt(m.amount);
        const have = this.bank.balance(ctx, r.accountId, m.denom);
        const burn = have < amount ? have : amount;
        if (burn > 0n) {
          const coins = Coins.from([{ denom: m.denom, amount: burn }]);
          this.bank.sendCoins(ctx, r.accountId, moduleId, coins);
          this.bank.burnCoins(ctx, MODULE_ACCOUNT, coins);
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

  // ------------------------------------------------------------------ admin

  validatePayload(ctx: StoreReader, p: AdminPayload): void {
    const kinds = [p.newSet, p.migrateContract, p.upgrade].filter((x) => x !== undefined).length;
    if (kinds !== 1) throw ErrInvalidProposal.wrap('a proposal names exactly one of new_set, migrate_contract, upgrade');
    if (p.newSet) validateValidatorSet(p.newSet);
    if (p.migrateContract) {
      this.chain(ctx, p.migrateContract.chain);
      if (!/^[\x21-\x7e]{1,128}$/.test(p.migrateContract.newCode)) throw ErrInvalidProposal.wrap('new_code must be 1-128 visible ASCII characters');
    }
    if (p.upgrade && !/^[\x21-\x7e]{1,64}$/.test(p.upgrade.desiredVersion)) throw ErrInvalidProposal.wrap('desired_version must be 1-64 visible ASCII characters');
  }

  /**
   * Any validator proposes a NewSet, MigrateContract or Upgrade, signing the admin bytes
   * (payload.ts); an identical pending proposal is refused. Returns the id and whether
   * the proposal was approved at once.
   */
  proposeAdmin(ctx: Context, sender: string, payload: AdminPayload, signature: Uint8Array, createdMs: bigint): { id: bigint; approved: boolean } {
    const { set, key } = this.signer(ctx, sender, createdMs, 'member');
    this.validatePayload(ctx, payload);
    const bytes = adminBytes(ctx.chainId, this.historyLength(ctx), payload);
    const encoded = AdminPayload.encode(payload).finish();
    for (const p of this.proposals(ctx)) {
      if (compareBytes(AdminPayload.encode(p.payload!).finish(), encoded) === 0) throw ErrDuplicateProposal.wrap(`proposal ${p.id}`);
    }
    if (!verifySecp256k1(key, digest(bytes), signature)) throw ErrInvalidSignature.wrap('proposer signature over the admin bytes');
    const id = this.nextProposalId(ctx);
    ctx.store(this.storeKey).set(Keys.nextProposal(), u64(id + 1n));
    const p = AdminProposal.fromPartial({ id, payload, approvals: [{ key, signature: Buffer.from(signature) }], height: BigInt(ctx.height) });
    ctx.store(this.storeKey).set(Keys.proposal(id), AdminProposal.encode(p).finish());
    ctx.events.emit(BridgeEvents.newAdminProposal, [['proposal_id', id.toString()], ['proposer', hex(key)]]);
    return { id, approved: this.maybeApprove(ctx, set, p) };
  }

  /** Any validator approves a pending proposal with its signature over the admin bytes. */
  approveAdmin(ctx: Context, sender: string, proposalId: bigint, signature: Uint8Array, createdMs: bigint): boolean {
    const { set, key } = this.signer(ctx, sender, createdMs, 'member');
    const raw = ctx.store(this.storeKey).get(Keys.proposal(proposalId));
    if (!raw) throw ErrUnknownProposal.wrap(`proposal ${proposalId}`);
    const p = AdminProposal.decode(raw);
    if (p.approvals.some((a) => sameKey(a.key, key))) throw ErrDuplicateApproval.wrap(`proposal ${proposalId}`);
    const bytes = adminBytes(ctx.chainId, this.historyLength(ctx), p.payload!);
    if (!verifySecp256k1(key, digest(bytes), signature)) throw ErrInvalidSignature.wrap(`approval of proposal ${proposalId}`);
    p.approvals.push({ key, signature: Buffer.from(signature) });
    ctx.store(this.storeKey).set(Keys.proposal(proposalId), AdminProposal.encode(p).finish());
    return this.maybeApprove(ctx, set, p);
  }

  /** Applies a proposal that reached 2 of 3 groups (Upgrade: with the processor). */
  private maybeApprove(ctx: Context, set: ValidatorSet, p: AdminProposal): boolean {
    const payload = p.payload!;
    const signers = p.approvals.map((a) => a.key);
    if (!hasAdminQuorum(set, signers, payload.upgrade !== undefined)) return false;
    const approvals: Approval[] = p.approvals.filter((a) => isValidatorOf(set, a.key));
    const index = this.appendHistory(ctx, { approved: payload, approvals, proposalId: p.id, height: BigInt(ctx.height) });
    this.clearProposals(ctx);
    if (payload.newSet) {
      this.setValidatorSet(ctx, payload.newSet);
      this.announceSet(ctx, payload.newSet);
      this.processAllChains(ctx);
    } else if (payload.migrateContract) {
      const cs = this.chain(ctx, payload.migrateContract.chain);
      this.addAction(ctx, cs, { migrate: payload.migrateContract });
      this.setChain(ctx, cs);
    } else if (payload.upgrade) {
      // The runtime's upgrade gate refuses the next block on a binary of another version.
      writeChainVersion(ctx.store(RUNTIME_STORE), payload.upgrade.desiredVersion);
    }
    ctx.events.emit(BridgeEvents.adminProposalApproved, [['proposal_id', p.id.toString()], ['history_index', index.toString()]]);
    return true;
  }

  private clearProposals(ctx: Context): void {
    const store = ctx.store(this.storeKey);
    const [s, e] = Keys.allProposals();
    const keys: Uint8Array[] = [];
    for (const [k] of store.iterator(s, e)) keys.push(k);
    for (const k of keys) store.delete(k);
  }

  /** Every deployed contract must adopt a new set: one new-set action per chain. */
  private announceSet(ctx: Context, set: ValidatorSet): void {
    for (const cs of this.chains(ctx)) {
      if (cs.config!.contract === '') continue;
      this.addAction(ctx, cs, { newSet: set });
      this.setChain(ctx, cs);
    }
  }

  /**
   * A member replaces its own key in one group, at once (no vote). The change enters
   * the history with the old key's signature; pending proposals are cleared, since
   * their signatures are bound to the history index this change takes.
   */
  selfReplace(ctx: Context, sender: string, role: Role, replacement: Uint8Array, signature: Uint8Array, createdMs: bigint): bigint {
    if (role !== Role.ROLE_PROCESSOR && role !== Role.ROLE_LISTENER && role !== Role.ROLE_APPROVER) throw ErrInvalidReplacement.wrap('role must be processor, listener or approver');
    const { set, key } = this.signer(ctx, sender, createdMs, role);
    if (!isCompressedKey(replacement)) throw ErrInvalidReplacement.wrap('the replacement is not a 33-byte compressed secp256k1 key');
    const group = role === Role.ROLE_PROCESSOR ? [set.processor] : role === Role.ROLE_LISTENER ? set.listeners : set.approvers;
    if (hasKey(group, replacement)) throw ErrInvalidReplacement.wrap(`the replacement is already a ${roleName(role)}`);
    const change = { role, current: key, replacement: Buffer.from(replacement) };
    const index = this.historyLength(ctx);
    if (!verifySecp256k1(key, digest(selfReplaceBytes(ctx.chainId, index, change)), signature)) throw ErrInvalidSignature.wrap('self replacement');
    const next = replaceKey(set, role, key, replacement);
    this.setValidatorSet(ctx, next);
    this.appendHistory(ctx, { selfReplace: change, approvals: [{ key, signature: Buffer.from(signature) }], proposalId: 0n, height: BigInt(ctx.height) });
    this.clearProposals(ctx);
    this.announceSet(ctx, next);
    this.processAllChains(ctx);
    ctx.events.emit(BridgeEvents.selfReplaced, [['role', roleName(role)], ['old', hex(key)], ['new', hex(replacement)], ['history_index', index.toString()]]);
    return index;
  }

  // ------------------------------------------------------------------ invariants

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
