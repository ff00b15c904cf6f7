/**
 * The x/customstaking keeper: the curated validator set. It owns every validator record,
 * its indexes, statuses and the pending power changes that the one end-block hook turns
 * into CometBFT validator updates (ACTIVE = power 1, anything else = power 0).
 *
 * Rules that involve another module's state (ranks from signatures, pause / unpause /
 * activate) live in x/customslashing and reach this keeper through `setStatus`,
 * `setRankStreak` and the read methods.
 */
import { Context } from '../../runtime/context';
import { InfiniteGasMeter } from '../../runtime/gas';
import type { ValidatorPowerUpdate } from '../../runtime/module';
import { addressFromBech32, addressToBech32, consAddressFromEd25519 } from '../../crypto/address';
import { Dec } from '../../types/dec';
import { Validator, ValidatorStatus } from '../../proto/gen/sekai/staking/v1/staking';
import { Coins } from '../../types/coins';
import {
  ErrCommissionChangeTooEarly,
  ErrDepositBelowMinimum,
  ErrDepositLocked,
  ErrInvalidAmount,
  ErrNotWithdrawAccount,
  ErrWithdrawAccountFixed,
  ErrWithdrawAccountRequired,
  ErrWithdrawExceedsUnbonded,
  ErrWithdrawWhileJailed,
  ErrConsPubKeyExists,
  ErrInvalidConsPubKey,
  ErrJailNotExpired,
  ErrMonikerExists,
  ErrNoPendingCommissionChange,
  ErrNotPermitted,
  ErrNotValidatorOperator,
  ErrSameCommissionRate,
  ErrUnjailTimePassed,
  ErrUnknownAccount,
  ErrValidatorAlreadyClaimed,
  ErrValidatorJailed,
  ErrValidatorNotFound,
  ErrValidatorNotJailed,
} from './types/errors';
import { StakingEvents } from './types/events';
import type { AccountResolver, DepositBank, ModuleAccounts, PermissionChecker, StoreReader, ValidatorPropertiesSource } from './types/expectedKeepers';
import { STAKING_STORE_KEY, State } from './types/keys';
import { paginate, type PageLimits, type PageRequestLike } from '../../runtime/schema';
import { BOND_DENOM, DEFAULT_DEPOSIT_PROPERTIES, type DepositProperties, type ValidatorProperties } from './types/params';
import { blockSeconds, consensusPower, depositOf, normalizeMoniker, parseCommissionRate, parseValAddress, parseWithdrawAccount, statusName } from './validator';

export { Validator, ValidatorStatus };
export {
  MAX_MONIKER_LENGTH,
  blockSeconds,
  consensusPower,
  depositOf,
  normalizeMoniker,
  parseCommissionRate,
  parseDepositAmount,
  parseValAddress,
  parseWithdrawAccount,
  statusName,
  valKeyHex,
} from './validator';

/** Default and largest page of validators (well under the 4 MB query response); larger limits are served as 1000. */
export const VALIDATOR_PAGE_LIMITS: PageLimits = { default: 100n, max: 1000n, clamp: true };

/** sekai PermValue.PERMISSION_CLAIM_VALIDATOR. */
export const PERM_CLAIM_VALIDATOR = 2;

export interface StakingKeeperDeps {
  accounts: AccountResolver;
  permissions: PermissionChecker;
  properties: ValidatorPropertiesSource;
  /** Deposits move coins; without these only deposit-free seats can be claimed. */
  bank?: DepositBank;
  moduleAccounts?: ModuleAccounts;
}

/** The module account (`deposits@sys`) holding every validator deposit. */
export const DEPOSIT_ACCOUNT = 'deposits';

export interface ClaimValidatorParams {
  /** Signer reference of the operator account. */
  sender: string;
  moniker: string;
  /** 32-byte ed25519 consensus key. */
  pubKey: Uint8Array;
  /** Decimal text in [0, 1]; empty means 0. */
  commissionRate?: string;
  /** ukex moved from the operator into the deposit; at least MIN_VALIDATOR_DEPOSIT. */
  deposit?: bigint;
  /** kira… address of the withdraw account; required with a deposit. */
  withdrawAccount?: string;
}

export class StakingKeeper {
  readonly storeKey = STAKING_STORE_KEY;

  constructor(private readonly deps: StakingKeeperDeps) {}

  properties(ctx: StoreReader): ValidatorProperties {
    return this.deps.properties.validatorProperties(ctx);
  }

  depositProperties(ctx: StoreReader): DepositProperties {
    return this.deps.properties.depositProperties?.(ctx) ?? DEFAULT_DEPOSIT_PROPERTIES;
  }

  // ---------------------------------------------------------------- reads

  validator(ctx: StoreReader, valKey: Uint8Array): Validator | undefined {
    return State.validators.get(ctx, valKey);
  }

  mustValidator(ctx: StoreReader, valKey: Uint8Array): Validator {
    const v = this.validator(ctx, valKey);
    if (!v) throw ErrValidatorNotFound.wrap(addressToBech32('validator', valKey));
    return v;
  }

  validatorByConsAddr(ctx: StoreReader, consAddr: Uint8Array): Validator | undefined {
    const valKey = State.byConsAddr.get(ctx, consAddr);
    return valKey ? this.validator(ctx, valKey) : undefined;
  }

  validatorByMoniker(ctx: StoreReader, moniker: string): Validator | undefined {
    const valKey = State.byMoniker.get(ctx, moniker.trim());
    return valKey ? this.validator(ctx, valKey) : undefined;
  }

  validatorByAccount(ctx: StoreReader, accountId: bigint): Validator | undefined {
    const valKey = State.byAccount.get(ctx, accountId);
    return valKey ? this.validator(ctx, valKey) : undefined;
  }

  /** The validator of the account a reference names (kira…, name, ID), if it has one. */
  validatorByAccountRef(ctx: StoreReader, ref: string): Validator | undefined {
    const id = this.deps.accounts.tryResolve(ctx, ref);
    return id === undefined ? undefined : this.validatorByAccount(ctx, id);
  }

  /** Visits validators in operator-address order until `visit` returns false. O(validators). */
  forEachValidator(ctx: StoreReader, visit: (v: Validator) => boolean | void): void {
    for (const v of State.validators.values(ctx)) if (visit(v) === false) return;
  }

  /** Accounts that may claim a seat (permission 2): the `actors` of sekaid's validators query. O(actors). */
  seatClaimants(ctx: StoreReader): string[] {
    return this.deps.permissions.holders?.(ctx, PERM_CLAIM_VALIDATOR) ?? [];
  }

  /** One page of validators in operator-address order, of one status when given. */
  validatorsPage(ctx: StoreReader, page: PageRequestLike | undefined, status?: ValidatorStatus) {
    return paginate(ctx, State.validators, page, {
      limits: VALIDATOR_PAGE_LIMITS,
      filter: (_, v) => status === undefined || v.status === status,
      map: (_, v) => v,
    });
  }

  validators(ctx: StoreReader): Validator[] {
    const out: Validator[] = [];
    this.forEachValidator(ctx, (v) => void out.push(v));
    return out;
  }

  /** Number of ACTIVE validators. O(validators): the set is curated and small (sekai caps it at 1000). */
  activeCount(ctx: StoreReader): number {
    let n = 0;
    this.forEachValidator(ctx, (v) => void (v.status === ValidatorStatus.ACTIVE && n++));
    return n;
  }

  /**
   * The validator `valKeyText` (kiravaloper…, or the sender's own seat when empty), after
   * checking that `sender` is its operator: ErrNotValidatorOperator otherwise.
   */
  operatorValidator(ctx: StoreReader, sender: string, valKeyText: string): Validator {
    const id = this.deps.accounts.tryResolve(ctx, sender);
    if (id === undefined) throw ErrUnknownAccount.wrap(sender);
    if (valKeyText === '') {
      const own = this.validatorByAccount(ctx, id);
      if (!own) throw ErrValidatorNotFound.wrap(`${sender} has no validator seat`);
      return own;
    }
    const v = this.mustValidator(ctx, parseValAddress(valKeyText));
    if (v.accountId !== id) throw ErrNotValidatorOperator.wrap(`${sender} does not operate ${valKeyText}`);
    return v;
  }

  // ---------------------------------------------------------------- writes

  /**
   * Writes a record. When its status moved in or out of ACTIVE the power it should have
   * differs from what CometBFT holds, and the end-block hook is told to look at it.
   */
  setValidator(ctx: Context, v: Validator): void {
    State.validators.set(ctx, v.valKey, v);
    if (consensusPower(v) !== v.power) State.powerChanges.add(ctx, v.valKey);
  }

  /** Moves a validator to `status`, emitting an event; the power change follows at EndBlock. */
  setStatus(ctx: Context, v: Validator, status: ValidatorStatus, fields: Partial<Validator> = {}): Validator {
    const next: Validator = { ...v, ...fields, status };
    if (status === ValidatorStatus.ACTIVE && v.status !== ValidatorStatus.ACTIVE) this.requireMinimumDeposit(ctx, next);
    this.setValidator(ctx, next);
    if (status !== v.status) {
      ctx.events.emit(StakingEvents.statusChange, [
        ['validator', addressToBech32('validator', v.valKey)],
        ['from', statusName(v.status)],
        ['to', statusName(status)],
      ]);
    }
    return next;
  }

  /** Sets rank and streak (x/customslashing's per-block rules). */
  setRankStreak(ctx: Context, v: Validator, rank: bigint, streak: bigint): Validator {
    const next = { ...v, rank, streak };
    this.setValidator(ctx, next);
    return next;
  }

  /**
   * MsgClaimValidator: a new ACTIVE validator that joins consensus with power 1 at the end
   * of this block. Refuses an account without PermClaimValidator, an account or val_key
   * that already has a seat, a used moniker and a used consensus key (a shared consensus
   * key halted KIRA's testnet).
   */
  claimValidator(ctx: Context, p: ClaimValidatorParams): Validator {
    const id = this.deps.accounts.tryResolve(ctx, p.sender);
    if (id === undefined) throw ErrUnknownAccount.wrap(p.sender);
    const address = this.deps.accounts.addressOf(ctx, id);
    if (!this.deps.permissions.isAllowed(ctx, address, PERM_CLAIM_VALIDATOR)) throw ErrNotPermitted.wrap(address);
    const moniker = normalizeMoniker(p.moniker);
    if (!(p.pubKey instanceof Uint8Array) || p.pubKey.length !== 32) {
      throw ErrInvalidConsPubKey.wrap(`ed25519 key must be 32 bytes, got ${p.pubKey?.length ?? 0}`);
    }
    const rate = parseCommissionRate(p.commissionRate || '0');
    const deposit = p.deposit ?? 0n;
    const min = this.minDeposit(ctx);
    if (deposit < min) throw ErrDepositBelowMinimum.wrap(`deposit ${deposit}${BOND_DENOM}, MIN_VALIDATOR_DEPOSIT is ${min}${BOND_DENOM}`);
    const withdrawAccount = p.withdrawAccount ? parseWithdrawAccount(p.withdrawAccount) : '';
    if (deposit > 0n && withdrawAccount === '') throw ErrWithdrawAccountRequired.wrap('only the withdraw account can ever take the deposit back');
    const valKey = addressFromBech32('account', address);
    const valAddr = addressToBech32('validator', valKey);
    if (State.byAccount.has(ctx, id)) throw ErrValidatorAlreadyClaimed.wrap(`${address} already operates a validator`);
    if (State.validators.has(ctx, valKey)) throw ErrValidatorAlreadyClaimed.wrap(`${valAddr} exists`);
    if (State.byMoniker.has(ctx, moniker)) throw ErrMonikerExists.wrap(JSON.stringify(moniker));
    const consAddr = consAddressFromEd25519(p.pubKey);
    if (State.byConsAddr.has(ctx, consAddr)) throw ErrConsPubKeyExists.wrap(addressToBech32('consensus', consAddr));

    const v: Validator = {
      ...Validator.fromPartial({}),
      valKey: Buffer.from(valKey),
      pubKey: Buffer.from(p.pubKey),
      status: ValidatorStatus.ACTIVE,
      moniker,
      accountId: id,
      address,
      commissionRate: rate.toString(),
      startHeight: BigInt(ctx.height),
      withdrawAccount,
    };
    this.writeIndexes(ctx, v);
    this.setValidator(ctx, v);
    if (deposit > 0n) this.deposit(ctx, v, deposit, '');
    ctx.events.emit(StakingEvents.claimValidator, [
      ['validator', valAddr],
      ['moniker', moniker],
      ['cons_address', addressToBech32('consensus', consAddr)],
    ]);
    return v;
  }

  private writeIndexes(ctx: Context, v: Validator): void {
    State.byConsAddr.set(ctx, consAddressFromEd25519(v.pubKey), v.valKey);
    if (v.moniker !== '') State.byMoniker.set(ctx, v.moniker, v.valKey);
    State.byAccount.set(ctx, v.accountId, v.valKey);
  }

  // ---------------------------------------------------------------- deposits (Kroma v2)

  /**
   * MIN_VALIDATOR_DEPOSIT, read without charging gas: claim, activate and unpause cost the
   * same gas as before deposits existed (the golden workload pins every tx's gas).
   */
  private minDeposit(ctx: StoreReader): bigint {
    const free = ctx instanceof Context ? ctx.withGasMeter(new InfiniteGasMeter()) : ctx;
    return this.depositProperties(free).minValidatorDeposit;
  }

  /** ErrDepositBelowMinimum unless the deposit covers MIN_VALIDATOR_DEPOSIT (checked when a validator would become ACTIVE). */
  requireMinimumDeposit(ctx: StoreReader, v: Validator): void {
    const min = this.minDeposit(ctx);
    const have = depositOf(v);
    if (have < min) {
      throw ErrDepositBelowMinimum.wrap(`deposit ${have}${BOND_DENOM}, MIN_VALIDATOR_DEPOSIT is ${min}${BOND_DENOM}: deposit ${min - have}${BOND_DENOM} more first`);
    }
  }

  /**
   * The part of the deposit that is bonded: MIN_VALIDATOR_DEPOSIT while the validator is
   * ACTIVE (it is what keeps the seat active), nothing otherwise. Kroma bonds per output;
   * here the seat itself is the obligation.
   */
  bondedDeposit(ctx: StoreReader, v: Validator): bigint {
    if (v.status !== ValidatorStatus.ACTIVE) return 0n;
    const min = this.minDeposit(ctx);
    const have = depositOf(v);
    return have < min ? have : min;
  }

  private depositAccount(ctx: Context): bigint {
    if (!this.deps.moduleAccounts || !this.deps.bank) throw ErrInvalidAmount.wrap('deposits are not enabled on this chain');
    return this.deps.moduleAccounts.ensureModuleAccount(ctx, DEPOSIT_ACCOUNT).id;
  }

  /**
   * Adds `amount` ukex from the operator's balance to the deposit and restarts the
   * withdrawal wait (Kroma's lastDepositedAt). `withdrawAccount` sets the withdraw account
   * of a seat that has none; it never replaces one. Returns the new deposit.
   */
  deposit(ctx: Context, v: Validator, amount: bigint, withdrawAccountText: string): bigint {
    if (amount <= 0n) throw ErrInvalidAmount.wrap(`got ${amount}`);
    let withdrawAccount = v.withdrawAccount;
    if (withdrawAccountText !== '') {
      const wanted = parseWithdrawAccount(withdrawAccountText);
      if (withdrawAccount !== '' && withdrawAccount !== wanted) throw ErrWithdrawAccountFixed.wrap(`it is ${withdrawAccount}`);
      withdrawAccount = wanted;
    }
    if (withdrawAccount === '') throw ErrWithdrawAccountRequired.wrap('this seat has none yet: pass --withdraw-account');
    const to = this.depositAccount(ctx);
    this.deps.bank!.sendCoins(ctx, v.accountId, to, Coins.from([{ denom: BOND_DENOM, amount }]));
    const total = depositOf(v) + amount;
    const now = blockSeconds(ctx);
    this.setValidator(ctx, { ...this.mustValidator(ctx, v.valKey), deposit: total.toString(), withdrawAccount, lastDepositedAt: now });
    ctx.events.emit(StakingEvents.deposit, [
      ['validator', addressToBech32('validator', v.valKey)],
      ['amount', `${amount}${BOND_DENOM}`],
      ['deposit', `${total}${BOND_DENOM}`],
      ['withdraw_account', withdrawAccount],
      ['withdrawable_after', (now + this.depositProperties(ctx).minDelegationPeriod).toString()],
    ]);
    return total;
  }

  /**
   * Kroma's withdraw: only the withdraw account (`sender`), only MIN_DELEGATION_PERIOD
   * after the latest deposit, never while jailed, and at most the unbonded part. The coins
   * go to the withdraw account. Returns the deposit left.
   */
  withdraw(ctx: Context, sender: string, v: Validator, amount: bigint): bigint {
    const valAddr = addressToBech32('validator', v.valKey);
    const senderId = this.deps.accounts.tryResolve(ctx, sender);
    if (senderId === undefined) throw ErrUnknownAccount.wrap(sender);
    const withdrawId = v.withdrawAccount === '' ? undefined : this.deps.accounts.tryResolve(ctx, v.withdrawAccount);
    if (withdrawId === undefined || withdrawId !== senderId) {
      throw ErrNotWithdrawAccount.wrap(v.withdrawAccount === '' ? `${valAddr} has no withdraw account` : `${valAddr} pays out only to ${v.withdrawAccount}`);
    }
    const now = blockSeconds(ctx);
    const unlock = v.lastDepositedAt + this.depositProperties(ctx).minDelegationPeriod;
    if (now < unlock) throw ErrDepositLocked.wrap(`${unlock - now} seconds remaining (withdrawable from ${unlock})`);
    if (v.status === ValidatorStatus.JAILED) {
      throw ErrWithdrawWhileJailed.wrap(now < v.jailedUntil ? `${v.jailedUntil - now} seconds of jail remaining` : 'the jail has ended: unjail first');
    }
    if (amount <= 0n) throw ErrInvalidAmount.wrap(`got ${amount}`);
    const have = depositOf(v);
    const free = have - this.bondedDeposit(ctx, v);
    if (amount > free) throw ErrWithdrawExceedsUnbonded.wrap(`asked ${amount}${BOND_DENOM}, withdrawable ${free}${BOND_DENOM} of ${have}${BOND_DENOM} (MIN_VALIDATOR_DEPOSIT stays bonded while ACTIVE)`);
    const from = this.depositAccount(ctx);
    this.deps.bank!.sendCoins(ctx, from, withdrawId, Coins.from([{ denom: BOND_DENOM, amount }]));
    const left = have - amount;
    this.setValidator(ctx, { ...v, deposit: left === 0n ? '' : left.toString() });
    ctx.events.emit(StakingEvents.withdraw, [
      ['validator', valAddr],
      ['amount', `${amount}${BOND_DENOM}`],
      ['deposit', `${left}${BOND_DENOM}`],
      ['withdraw_account', v.withdrawAccount],
    ]);
    return left;
  }

  /** Σ deposits (invariant: equals the deposit account's ukex). O(validators). */
  totalDeposits(ctx: StoreReader): bigint {
    let sum = 0n;
    this.forEachValidator(ctx, (v) => void (sum += depositOf(v)));
    return sum;
  }

  /**
   * A validator below MIN_VALIDATOR_DEPOSIT cannot stay ACTIVE (the property was raised):
   * it becomes INACTIVE, free to `activate` once topped up. The last ACTIVE validator stays,
   * as with jail: CometBFT cannot run an empty set. O(validators), only when the minimum is set.
   */
  private enforceMinimumDeposit(ctx: Context): void {
    const min = this.minDeposit(ctx);
    if (min === 0n) return;
    const below: Validator[] = [];
    let active = 0;
    this.forEachValidator(ctx, (v) => {
      if (v.status !== ValidatorStatus.ACTIVE) return;
      active++;
      if (depositOf(v) < min) below.push(v);
    });
    for (const v of below) {
      if (active <= 1) break;
      active--;
      this.setStatus(ctx, v, ValidatorStatus.INACTIVE, { inactiveUntil: blockSeconds(ctx), streak: 0n });
      ctx.events.emit(StakingEvents.depositBelowMinimum, [
        ['validator', addressToBech32('validator', v.valKey)],
        ['deposit', `${depositOf(v)}${BOND_DENOM}`],
        ['minimum', `${min}${BOND_DENOM}`],
      ]);
    }
  }

  /**
   * Starts a commission change (Kroma's first step): records `rate` as pending and
   * restarts the delay. Refused while jailed and for the rate already in force.
   * Returns the block time (s) from which it may be finalized.
   */
  initCommissionChange(ctx: Context, v: Validator, rateText: string): bigint {
    if (v.status === ValidatorStatus.JAILED) throw ErrValidatorJailed.wrap('a jailed validator cannot change its commission');
    const rate = parseCommissionRate(rateText);
    if (rate.eq(Dec.fromString(v.commissionRate || '0'))) throw ErrSameCommissionRate.wrap(`rate is already ${rate.toString()}`);
    const now = blockSeconds(ctx);
    this.setValidator(ctx, { ...v, pendingCommissionRate: rate.toString(), commissionChangeInitiatedAt: now });
    const after = now + this.properties(ctx).commissionChangeDelay;
    ctx.events.emit(StakingEvents.commissionInit, [
      ['validator', addressToBech32('validator', v.valKey)],
      ['rate', rate.toString()],
      ['finalize_after', after.toString()],
    ]);
    return after;
  }

  /** Applies the pending commission once COMMISSION_CHANGE_DELAY seconds of block time have passed. */
  finalizeCommissionChange(ctx: Context, v: Validator): string {
    if (v.status === ValidatorStatus.JAILED) throw ErrValidatorJailed.wrap('a jailed validator cannot change its commission');
    if (v.pendingCommissionRate === '') throw ErrNoPendingCommissionChange.wrap('run `commission init --rate <r>` first');
    const ready = v.commissionChangeInitiatedAt + this.properties(ctx).commissionChangeDelay;
    const now = blockSeconds(ctx);
    if (now < ready) throw ErrCommissionChangeTooEarly.wrap(`${ready - now} seconds remaining`);
    const rate = v.pendingCommissionRate;
    this.setValidator(ctx, { ...v, commissionRate: rate, pendingCommissionRate: '', commissionChangeInitiatedAt: 0n });
    ctx.events.emit(StakingEvents.commissionFinalize, [
      ['validator', addressToBech32('validator', v.valKey)],
      ['rate', rate],
    ]);
    return rate;
  }

  /**
   * Jails the validator behind a double-sign: status JAILED (power 0 at EndBlock) until
   * block time + JAIL_PERIOD; a second offence while jailed extends from the later of now
   * and the current expiry, as Kroma does. A jail that would leave no ACTIVE validator is
   * skipped with an event: CometBFT cannot run an empty set, so the chain would halt.
   * Returns whether the validator was jailed.
   */
  jail(ctx: Context, consAddr: Uint8Array): boolean {
    const v = this.validatorByConsAddr(ctx, consAddr);
    if (!v) return false;
    const valAddr = addressToBech32('validator', v.valKey);
    if (v.status === ValidatorStatus.ACTIVE && this.activeCount(ctx) <= 1) {
      ctx.events.emit(StakingEvents.jailSkipped, [
        ['validator', valAddr],
        ['reason', 'last active validator'],
      ]);
      return false;
    }
    const now = blockSeconds(ctx);
    const from = v.status === ValidatorStatus.JAILED && v.jailedUntil > now ? v.jailedUntil : now;
    const until = from + this.properties(ctx).jailPeriod;
    this.setStatus(ctx, v, ValidatorStatus.JAILED, { jailedUntil: until, jailedAt: now, streak: 0n });
    ctx.events.emit(StakingEvents.jail, [
      ['validator', valAddr],
      ['jailed_until', until.toString()],
    ]);
    return true;
  }

  /** MsgUnjail: a JAILED validator whose jail has ended becomes INACTIVE (then `activate`). */
  unjail(ctx: Context, v: Validator): Validator {
    if (v.status !== ValidatorStatus.JAILED) throw ErrValidatorNotJailed.wrap(`status is ${statusName(v.status)}`);
    const now = blockSeconds(ctx);
    if (now < v.jailedUntil) throw ErrJailNotExpired.wrap(`${v.jailedUntil - now} seconds remaining`);
    const next = this.setStatus(ctx, v, ValidatorStatus.INACTIVE, { inactiveUntil: now });
    ctx.events.emit(StakingEvents.unjail, [['validator', addressToBech32('validator', v.valKey)]]);
    return next;
  }

  /**
   * The governance unjail proposal (permissions 20 / 21), as sekai applies it: the
   * validator must be JAILED and jailed no longer than UNJAIL_MAX_TIME ago; it becomes
   * INACTIVE and its operator must still `activate`.
   */
  unjailValidator(ctx: Context, valAddr: string, reference: string): void {
    const v = this.mustValidator(ctx, parseValAddress(valAddr));
    if (v.status !== ValidatorStatus.JAILED) throw ErrValidatorNotJailed.wrap(`status is ${statusName(v.status)}`);
    const now = blockSeconds(ctx);
    const deadline = v.jailedAt + this.properties(ctx).unjailMaxTime;
    if (now > deadline) throw ErrUnjailTimePassed.wrap(`jailed at ${v.jailedAt}, proposals could unjail until ${deadline}`);
    this.setStatus(ctx, v, ValidatorStatus.INACTIVE, { inactiveUntil: now, jailedUntil: now });
    ctx.events.emit(StakingEvents.unjail, [
      ['validator', valAddr],
      ['reference', reference],
    ]);
  }

  /**
   * The one place validator set changes leave the application: every validator whose
   * status moved in or out of ACTIVE since the last update gets exactly one update with
   * its new power, in operator-address order. A change undone within the block (pause
   * then unpause) sends nothing.
   */
  endBlock(ctx: Context): ValidatorPowerUpdate[] {
    this.enforceMinimumDeposit(ctx);
    const pending = [...State.powerChanges.keys(ctx)];
    const updates: ValidatorPowerUpdate[] = [];
    for (const valKey of pending) {
      State.powerChanges.delete(ctx, valKey);
      const v = this.validator(ctx, valKey);
      if (!v) continue;
      const power = consensusPower(v);
      if (power === v.power) continue;
      State.validators.set(ctx, valKey, { ...v, power });
      updates.push({ ed25519PubKey: v.pubKey, power });
      ctx.events.emit(StakingEvents.powerChange, [
        ['validator', addressToBech32('validator', valKey)],
        ['power', power.toString()],
      ]);
    }
    return updates;
  }

  /**
   * Genesis import of one record (already validated). Its power is what InitChain hands
   * CometBFT, so it is set here and no change is left pending.
   */
  importValidator(ctx: Context, v: Validator): void {
    const valAddr = addressToBech32('validator', v.valKey);
    if (State.validators.has(ctx, v.valKey)) throw ErrValidatorAlreadyClaimed.wrap(`${valAddr} appears twice`);
    if (State.byAccount.has(ctx, v.accountId)) throw ErrValidatorAlreadyClaimed.wrap(`account ${v.accountId} has two validators`);
    if (v.moniker !== '' && State.byMoniker.has(ctx, v.moniker)) throw ErrMonikerExists.wrap(JSON.stringify(v.moniker));
    if (State.byConsAddr.has(ctx, consAddressFromEd25519(v.pubKey))) throw ErrConsPubKeyExists.wrap(valAddr);
    const rec = { ...v, power: consensusPower(v) };
    this.writeIndexes(ctx, rec);
    State.validators.set(ctx, v.valKey, rec);
  }

  /** Resolves (or creates, at genesis) the account of an operator address. */
  genesisAccount(ctx: Context, address: string): bigint {
    return this.deps.accounts.resolveOrCreate(ctx, address);
  }
}
