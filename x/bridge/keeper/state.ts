/**
 * What every bridge operation shares: writing the bridge's records, the checks a validator
 * message starts with (timestamp, signing key, group), and the amount and wallet rules.
 * Caching: none. Every read goes to the context's store branch, so a failed tx leaves
 * nothing behind and nothing depends on the process's age.
 */
import type { Context } from '../../../runtime/context';
import { accAddressFromSecp256k1, addressToBech32 } from '../../../crypto/address';
import { sha256 } from '../../../crypto/hash';
import {
  ActionRecord,
  AdminProposal,
  BridgeEvent,
  ChainState,
  EventRecord,
  HistoryEntry,
  OverrideProposal,
  PendingWithdrawal,
  Role,
  ValidatorSet,
  type Amount,
  type Asset,
  type ChainConfig,
} from '../../../proto/gen/sekai/bridge/v1/bridge';
import { MAX_AMOUNT } from '../../../types/coins';
import {
  ErrInvalidAmount,
  ErrInvalidWallet,
  ErrMissingTimestamp,
  ErrNotApprover,
  ErrNotListener,
  ErrNotProcessor,
  ErrNotValidator,
  ErrTimestampInFuture,
  ErrTimestampInPast,
  ErrUnknownAsset,
} from '../types/errors';
import type { BridgeAccountKeeper, BridgeBankKeeper, BridgeUpgradeKeeper } from '../types/expectedKeepers';
import { Keys, u64 } from '../types/keys';
import { hasKey, isCompressedKey, isValidatorOf, sameKey, validateValidatorSet } from '../validatorSet';
import { BridgeViewKeeper } from './view';

/**
 * How far a bridge message's creation time may lie from the block time (Kolme's
 * timestamp rule): 2 minutes covers clock skew and mempool delay; a message older than
 * that may be a replay of a stale view of the external chain.
 */
export const TIMESTAMP_TOLERANCE_MS = 120_000n;

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
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

export function amountOf(list: readonly Amount[], denom: string): bigint {
  const a = list.find((x) => x.denom === denom);
  return a ? BigInt(a.amount) : 0n;
}

/** Sets a denom's amount in a sorted list, dropping zero entries. */
export function withAmount(list: readonly Amount[], denom: string, amount: bigint): Amount[] {
  const rest = list.filter((x) => x.denom !== denom);
  if (amount > 0n) rest.push({ denom, amount: amount.toString() });
  return rest.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
}

export const amountsText = (list: readonly Amount[]) => list.map((a) => `${a.amount}${a.denom}`).join(',');

export function eventKind(e: BridgeEvent): string {
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

/** The configured asset of `cs` whose local denom is `denom`. */
export function assetByLocal(cs: ChainState, denom: string): Asset {
  const a = cs.config!.assets.find((x) => x.localDenom === denom);
  if (!a) throw ErrUnknownAsset.wrap(`${denom} on ${cs.config!.name}`);
  return a;
}

/** The bridge's records and the sender checks, over the read-only view. */
export interface BridgeKeeperDeps {
  accounts: BridgeAccountKeeper;
  bank: BridgeBankKeeper;
  /** The runtime's upgrade store: an approved admin upgrade sets the chain version there. */
  upgrades: BridgeUpgradeKeeper;
}

export class BridgeState extends BridgeViewKeeper {
  readonly accounts: BridgeAccountKeeper;
  readonly bank: BridgeBankKeeper;
  readonly upgrades: BridgeUpgradeKeeper;

  constructor(deps: BridgeKeeperDeps) {
    super();
    this.accounts = deps.accounts;
    this.bank = deps.bank;
    this.upgrades = deps.upgrades;
  }

  setValidatorSet(ctx: Context, v: ValidatorSet): void {
    validateValidatorSet(v);
    ctx.store(this.storeKey).set(Keys.validatorSet(), ValidatorSet.encode(v).finish());
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

  putEvent(ctx: Context, chain: string, r: EventRecord): void {
    ctx.store(this.storeKey).set(Keys.event(chain, r.eventId), EventRecord.encode(r).finish());
  }

  putAction(ctx: Context, chain: string, a: ActionRecord): void {
    ctx.store(this.storeKey).set(Keys.action(chain, a.actionId), ActionRecord.encode(a).finish());
  }

  appendHistory(ctx: Context, entry: Omit<HistoryEntry, 'index'>): bigint {
    const index = this.historyLength(ctx);
    ctx.store(this.storeKey).set(Keys.history(index), HistoryEntry.encode({ ...entry, index }).finish());
    return index;
  }

  // ------------------------------------------------------------------ genesis import: records as exported

  putReverted(ctx: Context, chain: string, seq: bigint, r: EventRecord): void {
    ctx.store(this.storeKey).set(Keys.reverted(chain, seq), EventRecord.encode(r).finish());
  }

  putWithdrawal(ctx: Context, chain: string, w: PendingWithdrawal): void {
    ctx.store(this.storeKey).set(Keys.withdrawal(chain, w.seq), PendingWithdrawal.encode(w).finish());
  }

  putOverride(ctx: Context, chain: string, o: OverrideProposal): void {
    ctx.store(this.storeKey).set(Keys.override(chain, o.id), OverrideProposal.encode(o).finish());
  }

  putAdminProposal(ctx: Context, p: AdminProposal): void {
    ctx.store(this.storeKey).set(Keys.proposal(p.id), AdminProposal.encode(p).finish());
  }

  setNextAdminProposalId(ctx: Context, id: bigint): void {
    ctx.store(this.storeKey).set(Keys.nextProposal(), u64(id));
  }

  /** A history entry at its own index (appendHistory numbers new ones). */
  putHistory(ctx: Context, h: HistoryEntry): void {
    ctx.store(this.storeKey).set(Keys.history(h.index), HistoryEntry.encode(h).finish());
  }

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
  signer(ctx: Context, sender: string, createdMs: bigint, must?: Role | 'member'): { set: ValidatorSet; key: Buffer } {
    this.checkCreated(ctx, createdMs);
    const set = this.mustValidatorSet(ctx);
    const key = this.senderKey(ctx, sender);
    if (must === Role.ROLE_PROCESSOR && !sameKey(set.processor, key)) throw ErrNotProcessor.wrap(`key ${hex(key)}`);
    if (must === Role.ROLE_LISTENER && !hasKey(set.listeners, key)) throw ErrNotListener.wrap(`key ${hex(key)}`);
    if (must === Role.ROLE_APPROVER && !hasKey(set.approvers, key)) throw ErrNotApprover.wrap(`key ${hex(key)}`);
    if (must === 'member' && !isValidatorOf(set, key)) throw ErrNotValidator.wrap(`key ${hex(key)}`);
    return { set, key };
  }
}
