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
import { Coins, MAX_AMOUNT, validateDenom, type Coin } from '../../types/coins';
import type { KVReader } from '../../store/types';
import { sortedEntries } from '../../types/sorted';
import { ErrBlockedRecipient, ErrInvalidMetadata, ErrOverSendCap, ErrSupplyOverflow, ErrZeroAmount } from './types/errors';
import type { BankAccountKeeper, StoreReader } from './types/expectedKeepers';
import { Keys, denomOfKey, parseBalanceKey, STORE_KEY } from './types/keys';

/**
 * Default transfer cap, in whole coins (per message and per tx): the LABS chains refuse more than
 * 1 000 000 coins at once. "Coins" are display units: for a denom whose metadata has a
 * display unit of exponent e, the cap is 1 000 000 × 10^e base units (1 000 000 KEX =
 * 10^12 ukex); a denom without metadata counts base units. 0 disables the cap.
 */
export const DEFAULT_SEND_CAP = 1_000_000n;

const ascii = new TextEncoder();
const unascii = new TextDecoder();

function readAmount(store: KVReader, key: Uint8Array): bigint {
  const raw = store.get(key);
  return raw ? decodeAmount(raw) : 0n;
}

/**
 * A stored amount: decimal ASCII. Digits only (every amount this keeper writes) are parsed
 * without the UTF-8 decoder; anything else takes the decoder path, so a value decodes
 * exactly as before whatever its bytes.
 */
function decodeAmount(raw: Uint8Array): bigint {
  if (raw.length === 0 || raw.length > 80) return BigInt(unascii.decode(raw));
  let s = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c < 0x30 || c > 0x39) return BigInt(unascii.decode(raw));
    s += String.fromCharCode(c);
  }
  return BigInt(s);
}

/** The decimal ASCII bytes of an amount (the form `decodeAmount` reads). */
function encodeAmount(amount: bigint): Uint8Array {
  const s = amount.toString();
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * The display exponent of stored metadata bytes, by the identity of the stored array.
 * Stored values are never mutated (store contract), so the exponent is a pure function of
 * the array; entries die with the arrays. Saves decoding the metadata on every transfer.
 */
const exponentOfStored = new WeakMap<Uint8Array, number>();

export class BankKeeperImpl implements BankKeeper {
  readonly storeKey = STORE_KEY;

  constructor(readonly accounts: BankAccountKeeper) {}

  // ------------------------------------------------------------------ reads

  balance(ctx: StoreReader, id: bigint, denom: string): bigint {
    return readAmount(ctx.store(this.storeKey), Keys.balance(id, denom));
  }

  /** Every non-zero balance of an account, sorted by denom. */
  allBalances(ctx: StoreReader, id: bigint): Coins {
    const [start, end] = Keys.balancesOf(id);
    const list: Coin[] = [];
    for (const [k, v] of ctx.store(this.storeKey).iterator(start, end)) {
      list.push({ denom: parseBalanceKey(k).denom, amount: BigInt(unascii.decode(v)) });
    }
    return Coins.from(list);
  }

  supplyOf(ctx: StoreReader, denom: string): bigint {
    return readAmount(ctx.store(this.storeKey), Keys.supply(denom));
  }

  totalSupply(ctx: StoreReader): Coins {
    const [start, end] = Keys.allSupply();
    const list: Coin[] = [];
    for (const [k, v] of ctx.store(this.storeKey).iterator(start, end)) list.push({ denom: denomOfKey(k), amount: BigInt(unascii.decode(v)) });
    return Coins.from(list);
  }

  metadata(ctx: StoreReader, denom: string): Metadata | undefined {
    const raw = ctx.store(this.storeKey).get(Keys.metadata(denom));
    return raw ? Metadata.decode(raw) : undefined;
  }

  allMetadata(ctx: StoreReader): Metadata[] {
    const [start, end] = Keys.allMetadata();
    const out: Metadata[] = [];
    for (const [, v] of ctx.store(this.storeKey).iterator(start, end)) out.push(Metadata.decode(v));
    return out;
  }

  sendCap(ctx: StoreReader): bigint {
    const raw = ctx.store(this.storeKey).get(Keys.sendCap());
    return raw ? decodeAmount(raw) : DEFAULT_SEND_CAP;
  }

  /** The cap of one denom in base units (see DEFAULT_SEND_CAP); undefined when disabled. */
  sendCapOf(ctx: StoreReader, denom: string): bigint | undefined {
    const cap = this.sendCap(ctx);
    if (cap === 0n) return undefined;
    const raw = ctx.store(this.storeKey).get(Keys.metadata(denom));
    if (!raw) return cap;
    let exponent = exponentOfStored.get(raw);
    if (exponent === undefined) {
      exponent = displayExponent(Metadata.decode(raw));
      exponentOfStored.set(raw, exponent);
    }
    return cap * 10n ** BigInt(exponent);
  }

  // ------------------------------------------------------------------ writes

  private setBalance(ctx: Context, id: bigint, denom: string, amount: bigint): void {
    const store = ctx.store(this.storeKey);
    const key = Keys.balance(id, denom);
    if (amount === 0n) store.delete(key);
    else store.set(key, encodeAmount(amount));
  }

  private setSupply(ctx: Context, denom: string, amount: bigint): void {
    const store = ctx.store(this.storeKey);
    if (amount === 0n) store.delete(Keys.supply(denom));
    else store.set(Keys.supply(denom), encodeAmount(amount));
  }

  setSendCap(ctx: Context, cap: bigint): void {
    ctx.store(this.storeKey).set(Keys.sendCap(), ascii.encode(cap.toString()));
  }

  setMetadata(ctx: Context, md: Metadata): void {
    validateMetadata(md);
    ctx.store(this.storeKey).set(Keys.metadata(md.base), Metadata.encode(md).finish());
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
    ctx.events.emit('coin_spent', [['spender', sender], ['amount', text]]);
    ctx.events.emit('coin_received', [['receiver', recipient], ['amount', text]]);
    ctx.events.emit('transfer', [
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
    ctx.events.emit('coinbase', [['minter', module], ['amount', amount.toString()]]);
  }

  /** Destroys coins held by a module account; supply shrinks. */
  burnCoins(ctx: Context, module: string, amount: Coins): void {
    this.subtract(ctx, this.accounts.moduleAccountId(ctx, module), amount);
    for (const c of amount.toArray()) this.setSupply(ctx, c.denom, this.supplyOf(ctx, c.denom) - c.amount);
    ctx.events.emit('burn', [['burner', module], ['amount', amount.toString()]]);
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
    const [start, end] = Keys.allBalances();
    for (const [k, v] of ctx.store(this.storeKey).iterator(start, end)) {
      const { id, denom } = parseBalanceKey(k);
      visit(id, denom, BigInt(unascii.decode(v)));
    }
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
