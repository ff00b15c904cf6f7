/**
 * The x/bank keeper: balances per AccountID, total supply per denom, denom metadata and
 * the transfer cap (per message and per tx). Satisfies the runtime's `BankKeeper`.
 *
 * Invariant: for every denom, supply = Σ balances. Only mint and burn change supply;
 * transfers move amounts between balances. No cache: all reads go to the context's
 * store branch.
 */
import { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import type { Context } from '../../runtime/context';
import { ErrInsufficientFunds } from '../../runtime/errors';
import type { BankKeeper, RuntimeAccount } from '../../runtime/expectedKeepers';
import { paginate, type PageRequestLike } from '../../runtime/schema';
import { Coins, MAX_AMOUNT, validateDenom, type Coin } from '../../types/coins';
import { sortedEntries } from '../../types/sorted';
import { ErrBlockedRecipient, ErrInvalidMetadata, ErrOverSendCap, ErrSupplyOverflow, ErrZeroAmount } from './types/errors';
import { BankEvents } from './types/events';
import type { BankAccountKeeper, StoreReader } from './types/expectedKeepers';
import { STORE_KEY, State, balancesOf } from './types/keys';

/**
 * Default transfer cap, in whole coins (per message and per tx): the LABS chains refuse more than
 * 1 000 000 coins at once. "Coins" are display units: for a denom whose metadata has a
 * display unit of exponent e, the cap is 1 000 000 × 10^e base units (1 000 000 KEX =
 * 10^12 ukex); a denom without metadata counts base units. 0 disables the cap.
 */
export const DEFAULT_SEND_CAP = 1_000_000n;

/**
 * The display exponent of stored metadata, by the identity of its shared decoding (one per
 * stored array, types/keys.ts), so entries die with the stored arrays. Saves walking the
 * metadata on every transfer.
 */
const exponentOfStored = new WeakMap<Metadata, number>();

export interface BankKeeperDeps {
  accounts: BankAccountKeeper;
}

export class BankKeeperImpl implements BankKeeper {
  readonly storeKey = STORE_KEY;
  readonly accounts: BankAccountKeeper;

  constructor(deps: BankKeeperDeps) {
    this.accounts = deps.accounts;
  }

  // ------------------------------------------------------------------ reads

  balance(ctx: StoreReader, id: bigint, denom: string): bigint {
    return State.balances.get(ctx, [id, denom]) ?? 0n;
  }

  /** Every non-zero balance of an account, sorted by denom. */
  allBalances(ctx: StoreReader, id: bigint): Coins {
    const list: Coin[] = [];
    for (const [[, denom], amount] of State.balances.entries(ctx, balancesOf(id))) list.push({ denom, amount });
    return Coins.from(list);
  }

  supplyOf(ctx: StoreReader, denom: string): bigint {
    return State.supply.get(ctx, denom) ?? 0n;
  }

  totalSupply(ctx: StoreReader): Coins {
    const list: Coin[] = [];
    for (const [denom, amount] of State.supply.entries(ctx)) list.push({ denom, amount });
    return Coins.from(list);
  }

  metadata(ctx: StoreReader, denom: string): Metadata | undefined {
    const md = State.metadata.get(ctx, denom);
    return md && Metadata.fromPartial(md);
  }

  allMetadata(ctx: StoreReader): Metadata[] {
    const out: Metadata[] = [];
    for (const md of State.metadata.values(ctx)) out.push(Metadata.fromPartial(md));
    return out;
  }

  /** One page of an account's balances by denom (pagination.key: the denom that starts the page). */
  balancesPage(ctx: StoreReader, id: bigint, page: PageRequestLike | undefined) {
    return paginate(ctx, State.balances, page, { range: balancesOf(id), map: ([, denom], amount) => ({ denom, amount: amount.toString() }) });
  }

  /** One page of the total supply by denom. */
  supplyPage(ctx: StoreReader, page: PageRequestLike | undefined) {
    return paginate(ctx, State.supply, page, { map: (denom, amount) => ({ denom, amount: amount.toString() }) });
  }

  /** One page of denom metadata by base denom. */
  metadataPage(ctx: StoreReader, page: PageRequestLike | undefined) {
    return paginate(ctx, State.metadata, page, { map: (_, md) => Metadata.fromPartial(md) });
  }

  sendCap(ctx: StoreReader): bigint {
    return State.sendCap.get(ctx) ?? DEFAULT_SEND_CAP;
  }

  /** The cap of one denom in base units (see DEFAULT_SEND_CAP); undefined when disabled. */
  sendCapOf(ctx: StoreReader, denom: string): bigint | undefined {
    const cap = this.sendCap(ctx);
    if (cap === 0n) return undefined;
    const md = State.metadata.get(ctx, denom);
    if (!md) return cap;
    let exponent = exponentOfStored.get(md);
    if (exponent === undefined) {
      exponent = displayExponent(md);
      exponentOfStored.set(md, exponent);
    }
    return cap * 10n ** BigInt(exponent);
  }

  // ------------------------------------------------------------------ writes

  private setBalance(ctx: Context, id: bigint, denom: string, amount: bigint): void {
    if (amount === 0n) State.balances.delete(ctx, [id, denom]);
    else State.balances.set(ctx, [id, denom], amount);
  }

  private setSupply(ctx: Context, denom: string, amount: bigint): void {
    if (amount === 0n) State.supply.delete(ctx, denom);
    else State.supply.set(ctx, denom, amount);
  }

  setSendCap(ctx: Context, cap: bigint): void {
    State.sendCap.set(ctx, cap);
  }

  setMetadata(ctx: Context, md: Metadata): void {
    validateMetadata(md);
    State.metadata.set(ctx, md.base, md);
  }

  /** Refuses an amount above the per-message cap of any of its denoms. */
  checkSendCap(ctx: StoreReader, amount: Coins): void {
    for (const c of amount.toArray()) {
      const cap = this.sendCapOf(ctx, c.denom);
      if (cap !== undefined && c.amount > cap) throw ErrOverSendCap.wrap(`${c.amount}${c.denom} is above the cap of ${cap}${c.denom}`);
    }
  }

  /** Takes `amount` from an account; ErrInsufficientFunds (sdk/5) when short in any denom. */
  subtract(ctx: Context, id: bigint, amount: Coins): void {
    for (const c of amount.toArray()) {
      const have = this.balance(ctx, id, c.denom);
      if (have < c.amount) throw ErrInsufficientFunds.wrap(`spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}`);
      this.setBalance(ctx, id, c.denom, have - c.amount);
    }
  }

  /** Adds `amount` to an account. Cannot overflow: a balance never exceeds the supply. */
  add(ctx: Context, id: bigint, amount: Coins): void {
    for (const c of amount.toArray()) this.setBalance(ctx, id, c.denom, this.balance(ctx, id, c.denom) + c.amount);
  }

  /** Moves coins between accounts; emits Cosmos-style transfer events. */
  sendCoins(ctx: Context, from: bigint, to: bigint, amount: Coins): void {
    this.subtract(ctx, from, amount);
    this.add(ctx, to, amount);
    const text = amount.toString();
    const sender = this.accounts.addressOf(ctx, from);
    const recipient = this.accounts.addressOf(ctx, to);
    ctx.events.emit(BankEvents.coinSpent, [['spender', sender], ['amount', text]]);
    ctx.events.emit(BankEvents.coinReceived, [['receiver', recipient], ['amount', text]]);
    ctx.events.emit(BankEvents.transfer, [
      ['recipient', recipient],
      ['sender', sender],
      ['amount', text],
      ['recipient_id', to.toString()],
      ['sender_id', from.toString()],
    ]);
  }

  /**
   * A user transfer (MsgSend): `to` is resolved on chain (ID, name, address, wallet; a
   * fresh address becomes a new account), module accounts are refused as recipients, and
   * the per-message cap applies.
   */
  send(ctx: Context, fromRef: string, toRef: string, amount: Coins): { from: bigint; to: bigint } {
    if (amount.isZero()) throw ErrZeroAmount.wrap('nothing to send');
    this.checkSendCap(ctx, amount);
    const from = this.accounts.resolve(ctx, fromRef);
    const to = this.accounts.resolveOrCreate(ctx, toRef);
    if (this.accounts.isModuleAccount(ctx, to)) throw ErrBlockedRecipient.wrap(`${toRef} is a module account`);
    this.sendCoins(ctx, from, to, amount);
    return { from, to };
  }

  sendCoinsFromAccountToModule(ctx: Context, from: RuntimeAccount, toModule: string, amount: Coins): void {
    this.sendCoins(ctx, from.accountNumber, this.accounts.moduleAccountId(ctx, toModule), amount);
  }

  sendCoinsFromModuleToAccount(ctx: Context, fromModule: string, to: bigint, amount: Coins): void {
    this.sendCoins(ctx, this.accounts.moduleAccountId(ctx, fromModule), to, amount);
  }

  /** Creates coins in a module account (bridge deposits, genesis); supply grows. */
  mintCoins(ctx: Context, module: string, amount: Coins): void {
    for (const c of amount.toArray()) {
      const next = this.supplyOf(ctx, c.denom) + c.amount;
      if (next > MAX_AMOUNT) throw ErrSupplyOverflow.wrap(`${c.denom} supply would exceed 2^256-1`);
      this.setSupply(ctx, c.denom, next);
    }
    this.add(ctx, this.accounts.moduleAccountId(ctx, module), amount);
    ctx.events.emit(BankEvents.coinbase, [['minter', module], ['amount', amount.toString()]]);
  }

  /** Destroys coins held by a module account; supply shrinks. */
  burnCoins(ctx: Context, module: string, amount: Coins): void {
    this.subtract(ctx, this.accounts.moduleAccountId(ctx, module), amount);
    for (const c of amount.toArray()) this.setSupply(ctx, c.denom, this.supplyOf(ctx, c.denom) - c.amount);
    ctx.events.emit(BankEvents.burn, [['burner', module], ['amount', amount.toString()]]);
  }

  /** Genesis: sets a balance and adds it to the supply. */
  initBalance(ctx: Context, id: bigint, amount: Coins): void {
    for (const c of amount.toArray()) {
      const next = this.supplyOf(ctx, c.denom) + c.amount;
      if (next > MAX_AMOUNT) throw ErrSupplyOverflow.wrap(`${c.denom} supply would exceed 2^256-1`);
      this.setSupply(ctx, c.denom, next);
    }
    this.add(ctx, id, amount);
  }

  /** Visits every balance in (AccountID, denom) order. O(balances). */
  forEachBalance(ctx: StoreReader, visit: (id: bigint, denom: string, amount: bigint) => void): void {
    for (const [[id, denom], amount] of State.balances.entries(ctx)) visit(id, denom, amount);
  }

  /** Supply = Σ balances for every denom; returns a description of the first breach. O(balances). */
  checkSupplyInvariant(ctx: StoreReader): string | undefined {
    const sums = new Map<string, bigint>();
    this.forEachBalance(ctx, (_id, denom, amount) => {
      if (amount <= 0n) throw new Error(`x/bank: stored balance ${amount}${denom} is not positive`);
      sums.set(denom, (sums.get(denom) ?? 0n) + amount);
    });
    const supply = this.totalSupply(ctx);
    const summed = Coins.from(sortedEntries(sums).map(([denom, amount]) => ({ denom, amount })));
    if (!supply.equals(summed)) return `supply ${supply.toString() || '0'} != sum of balances ${summed.toString() || '0'}`;
    return undefined;
  }
}

/** The exponent of a denom's display unit (0 without metadata or display unit). */
export function displayExponent(md: Metadata | undefined): number {
  if (!md) return 0;
  return md.denomUnits.find((u) => u.denom === md.display)?.exponent ?? 0;
}

/** Cosmos rules for metadata: base has exponent 0, exponents increase, display is a unit. */
export function validateMetadata(md: Metadata): void {
  try {
    validateDenom(md.base);
  } catch (err) {
    throw ErrInvalidMetadata.wrap(`base: ${(err as Error).message}`);
  }
  if (md.denomUnits.length === 0 || md.denomUnits[0].denom !== md.base || md.denomUnits[0].exponent !== 0) {
    throw ErrInvalidMetadata.wrap(`${md.base}: the first denom unit must be the base denom with exponent 0`);
  }
  const seen = new Set<string>();
  let last = -1;
  for (const u of md.denomUnits) {
    if (seen.has(u.denom)) throw ErrInvalidMetadata.wrap(`${md.base}: unit ${u.denom} is listed twice`);
    seen.add(u.denom);
    if (u.exponent <= last) throw ErrInvalidMetadata.wrap(`${md.base}: unit exponents must increase`);
    if (u.exponent > 36) throw ErrInvalidMetadata.wrap(`${md.base}: exponent ${u.exponent} is above 36`);
    last = u.exponent;
  }
  if (md.display !== '' && !seen.has(md.display)) throw ErrInvalidMetadata.wrap(`${md.base}: display ${md.display} is not a unit`);
}
