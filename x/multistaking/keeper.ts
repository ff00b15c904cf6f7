/**
 * The x/multistaking keeper: a vault per validator holding delegated ukex as shares
 * (Kroma's AssetManager vaults, with its DECIMAL_OFFSET inflation guard), and rewards that
 * accrue on chain until claimed (KuChain: undistributed rewards "stay and accumulate").
 *
 * Rewards use a lazy accumulator (Cosmos F1 / Kroma's rewardPerKghStored): each block
 * credits every ACTIVE validator that signed with an equal part of the fees and inflation
 * (equal power), takes its commission, and raises its vault's reward per share. A
 * delegation is settled only when its owner touches it, so a block costs O(validators),
 * never O(delegators). Nothing is pushed to balances.
 *
 * Exact accounting (no float, no loss): per vault the division remainder is carried to the
 * next block (`reward_carry`, scaled × 10^18); per settlement the fraction below one ukex
 * goes to the pool's scaled `dust`, which becomes whole ukex of the community pool.
 */
import type { Context } from '../../runtime/context';
import { addressFromBech32, addressToBech32, consAddressFromEd25519 } from '../../crypto/address';
import { Coins } from '../../types/coins';
import { Dec } from '../../types/dec';
import { NetworkProperty } from '../../proto/gen/sekai/gov/v1/network_properties';
import { Delegation, RewardPool, Vault } from '../../proto/gen/sekai/multistaking/v1/multistaking';
import { ValidatorStatus, type Validator } from '../../proto/gen/sekai/staking/v1/staking';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { encodeKey, uint64Key } from '../../runtime/schema';
import {
  ErrDelegationLocked,
  ErrDelegationNotFound,
  ErrDelegationTooSmall,
  ErrInsufficientDelegation,
  ErrInvalidAmount,
  ErrInvalidValidatorAddress,
  ErrNotWithdrawAccount,
  ErrNothingToClaim,
  ErrUnknownAccount,
  ErrValidatorFull,
  ErrValidatorJailed,
  ErrValidatorNotFound,
} from './types/errors';
import { MultistakingEvents as E } from './types/events';
import type { Accounts, Bank, NetworkProperties, StoreReader, ValidatorSource } from './types/expectedKeepers';
import { DelegatorVaults, Delegations, Pool, Vaults, valKeyCodec } from './types/keys';
import {
  DECIMAL_OFFSET,
  DELEGATION_DENOM,
  MAX_INFLATION_STEP,
  REWARDS_ACCOUNT,
  REWARD_SCALE,
  VAULT_ACCOUNT,
  type MultistakingProperties,
} from './types/params';

export { Delegation, RewardPool, Vault };

/** The module account that collects tx fees (x/bank's ante stage pays fees into it). */
const FEE_COLLECTOR = 'fee_collector';

export interface MultistakingKeeperDeps {
  validators: ValidatorSource;
  accounts: Accounts;
  bank: Bank;
  properties: NetworkProperties;
}

const big = (s: string): bigint => (s === '' ? 0n : BigInt(s));
const text = (n: bigint): string => (n === 0n ? '' : n.toString());
const coins = (amount: bigint) => Coins.from([{ denom: DELEGATION_DENOM, amount }]);
const ukex = (n: bigint) => `${n}${DELEGATION_DENOM}`;

/** Parses a ukex amount ("1000" or "1000ukex"); ErrInvalidAmount unless a positive integer below 2^256. */
export function parseAmount(input: string): bigint {
  const m = /^(\d+)(ukex)?$/.exec(input.trim());
  if (!m) throw ErrInvalidAmount.wrap(`got ${JSON.stringify(input)}`);
  const v = BigInt(m[1]);
  if (v === 0n) throw ErrInvalidAmount.wrap('got 0');
  if (v >= 1n << 256n) throw ErrInvalidAmount.wrap('beyond 256 bits');
  return v;
}

/** The 20 bytes of a kiravaloper… address; ErrInvalidValidatorAddress otherwise. */
export function parseValAddress(input: string): Uint8Array {
  try {
    return addressFromBech32('validator', input);
  } catch (err) {
    throw ErrInvalidValidatorAddress.wrap(`${JSON.stringify(input)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Shares minted for `assets` (Kroma: assets · (totalShares + 10^6) / (totalAssets + 1), rounded down). */
export function sharesFor(v: Vault, assets: bigint): bigint {
  return (assets * (big(v.totalShares) + DECIMAL_OFFSET)) / (big(v.totalAssets) + 1n);
}

/** ukex that `shares` redeem (rounded down: rounding favours the vault). */
export function assetsOf(v: Vault, shares: bigint): bigint {
  return (shares * (big(v.totalAssets) + 1n)) / (big(v.totalShares) + DECIMAL_OFFSET);
}

function emptyVault(valKey: Uint8Array): Vault {
  return Vault.fromPartial({ valKey: Buffer.from(valKey) });
}

export class MultistakingKeeper {
  constructor(private readonly deps: MultistakingKeeperDeps) {}

  properties(ctx: StoreReader): MultistakingProperties {
    const p = this.deps.properties;
    return {
      inflationRate: p.dec(ctx, NetworkProperty.INFLATION_RATE),
      inflationPeriod: p.uint(ctx, NetworkProperty.INFLATION_PERIOD),
      maxDelegators: p.uint(ctx, NetworkProperty.MAX_DELEGATORS),
      minDelegationPushout: p.uint(ctx, NetworkProperty.MIN_DELEGATION_PUSHOUT),
      minDelegationPeriod: p.uint(ctx, NetworkProperty.MIN_DELEGATION_PERIOD),
    };
  }

  // ---------------------------------------------------------------- reads

  vault(ctx: StoreReader, valKey: Uint8Array): Vault | undefined {
    return Vaults.get(ctx, valKey);
  }

  vaults(ctx: StoreReader): Vault[] {
    return [...Vaults.values(ctx)];
  }

  delegation(ctx: StoreReader, valKey: Uint8Array, delegator: bigint): Delegation | undefined {
    return Delegations.get(ctx, [valKey, delegator]);
  }

  /** A delegator's delegations in operator-address order. O(its delegations). */
  delegationsOf(ctx: StoreReader, delegator: bigint): Delegation[] {
    const out: Delegation[] = [];
    for (const [, valKey] of DelegatorVaults.keys(ctx, { prefix: encodeKey(uint64Key, delegator) })) {
      const d = Delegations.get(ctx, [valKey, delegator]);
      if (d) out.push(d);
    }
    return out;
  }

  /** Every delegation of one vault, in AccountID order. O(its delegators). */
  delegationsTo(ctx: StoreReader, valKey: Uint8Array): Delegation[] {
    return [...Delegations.values(ctx, { prefix: encodeKey(valKeyCodec, valKey) })];
  }

  pool(ctx: StoreReader): RewardPool {
    return Pool.get(ctx) ?? RewardPool.fromPartial({});
  }

  /** ukex a delegation can claim now: settled rewards plus what its shares accrued since. */
  claimable(ctx: StoreReader, d: Delegation): bigint {
    const v = this.vault(ctx, d.valKey);
    const rps = v ? big(v.rewardPerShare) : 0n;
    return big(d.rewards) + (big(d.shares) * (rps - big(d.rewardPerSharePaid))) / REWARD_SCALE;
  }

  /** The current ukex value of a delegation's shares. */
  delegatedAmount(ctx: StoreReader, d: Delegation): bigint {
    const v = this.vault(ctx, d.valKey);
    return v ? assetsOf(v, big(d.shares)) : 0n;
  }

  // ---------------------------------------------------------------- delegation

  private delegatorId(ctx: StoreReader, ref: string): bigint {
    const id = this.deps.accounts.tryResolve(ctx, ref);
    if (id === undefined) throw ErrUnknownAccount.wrap(ref);
    return id;
  }

  private mustValidator(ctx: StoreReader, valKey: Uint8Array): Validator {
    const v = this.deps.validators.validator(ctx, valKey);
    if (!v) throw ErrValidatorNotFound.wrap(addressToBech32('validator', valKey));
    return v;
  }

  /**
   * Brings a delegation's rewards up to its vault's accumulator: the whole ukex join its
   * `rewards`, the fraction below one ukex goes to the pool's dust.
   */
  private settle(ctx: Context, v: Vault, d: Delegation, pool: RewardPool): Delegation {
    const rps = big(v.rewardPerShare);
    const owed = big(d.shares) * (rps - big(d.rewardPerSharePaid));
    if (owed > 0n) addDust(pool, owed % REWARD_SCALE);
    return { ...d, rewards: text(big(d.rewards) + owed / REWARD_SCALE), rewardPerSharePaid: text(rps) };
  }

  private writeDelegation(ctx: Context, d: Delegation): void {
    if (big(d.shares) === 0n && big(d.rewards) === 0n) {
      Delegations.delete(ctx, [d.valKey, d.delegator]);
      DelegatorVaults.delete(ctx, [d.delegator, d.valKey]);
    } else {
      Delegations.set(ctx, [d.valKey, d.delegator], d);
      DelegatorVaults.add(ctx, [d.delegator, d.valKey]);
    }
  }

  /**
   * A vault whose last shares left keeps what rounding left behind (rounding favours the
   * vault): that ukex and any carried reward fraction belong to no one and join the pool.
   */
  private writeVault(ctx: Context, v: Vault, pool: RewardPool): void {
    if (big(v.totalShares) === 0n) {
      const leftover = big(v.totalAssets);
      if (leftover > 0n) {
        const from = this.deps.accounts.ensureModuleAccount(ctx, VAULT_ACCOUNT).id;
        const to = this.deps.accounts.ensureModuleAccount(ctx, REWARDS_ACCOUNT).id;
        this.deps.bank.sendCoins(ctx, from, to, coins(leftover));
        pool.communityPool = text(big(pool.communityPool) + leftover);
        ctx.events.emit(E.communityPool, [['amount', ukex(leftover)], ['reason', 'vault rounding']]);
      }
      addDust(pool, big(v.rewardCarry));
      v = { ...v, totalAssets: '', rewardCarry: '' };
    }
    Vaults.set(ctx, v.valKey, v);
  }

  /**
   * MsgDelegate: ukex from the delegator into the vault for shares. The validator must be
   * registered and not jailed (Kroma). A newcomer to a vault with MAX_DELEGATORS
   * delegators must bring MIN_DELEGATION_PUSHOUT × the smallest delegation, which is then
   * pushed out: its ukex returns to its owner and its rewards stay claimable.
   */
  delegate(ctx: Context, sender: string, valKey: Uint8Array, amount: bigint): { shares: bigint; pushedOut: string } {
    const delegator = this.delegatorId(ctx, sender);
    const val = this.mustValidator(ctx, valKey);
    const valAddr = addressToBech32('validator', valKey);
    if (val.status === ValidatorStatus.JAILED) throw ErrValidatorJailed.wrap(`${valAddr} is jailed until ${val.jailedUntil}`);
    const props = this.properties(ctx);
    const pool = this.pool(ctx);
    let v = this.vault(ctx, valKey) ?? emptyVault(valKey);
    let d = this.delegation(ctx, valKey, delegator) ?? Delegation.fromPartial({ valKey: Buffer.from(valKey), delegator });
    let pushedOut = '';
    const newcomer = big(d.shares) === 0n;
    if (newcomer && BigInt(v.delegators) >= props.maxDelegators) {
      const smallest = this.smallestDelegation(ctx, v);
      const need = smallest ? assetsOf(v, big(smallest.shares)) * props.minDelegationPushout : 0n;
      if (!smallest || amount < need) {
        throw ErrValidatorFull.wrap(`${valAddr} has ${v.delegators} delegators (MAX_DELEGATORS ${props.maxDelegators}); delegate at least ${ukex(need)} (MIN_DELEGATION_PUSHOUT ${props.minDelegationPushout} × the smallest) to push the smallest out`);
      }
      v = this.pushOut(ctx, v, smallest, pool);
      pushedOut = this.deps.accounts.addressOf(ctx, smallest.delegator);
    }
    const shares = sharesFor(v, amount);
    if (shares === 0n) throw ErrDelegationTooSmall.wrap(`${ukex(amount)} buys 0 shares of ${valAddr}`);
    const vaultAccount = this.deps.accounts.ensureModuleAccount(ctx, VAULT_ACCOUNT).id;
    this.deps.bank.sendCoins(ctx, delegator, vaultAccount, coins(amount));
    d = this.settle(ctx, v, d, pool);
    d = { ...d, shares: text(big(d.shares) + shares), lastDelegatedAt: ctx.time.seconds };
    v = {
      ...v,
      totalShares: text(big(v.totalShares) + shares),
      totalAssets: text(big(v.totalAssets) + amount),
      delegators: newcomer ? v.delegators + 1n : v.delegators,
    };
    this.writeDelegation(ctx, d);
    this.writeVault(ctx, v, pool);
    Pool.set(ctx, pool);
    ctx.events.emit(E.delegate, [
      ['delegator', sender],
      ['validator', valAddr],
      ['amount', ukex(amount)],
      ['shares', shares.toString()],
      ['undelegatable_after', (ctx.time.seconds + props.minDelegationPeriod).toString()],
    ]);
    return { shares, pushedOut };
  }

  /** The smallest delegation of a vault (ties: the lowest AccountID). O(its delegators) ≤ MAX_DELEGATORS. */
  private smallestDelegation(ctx: StoreReader, v: Vault): Delegation | undefined {
    let min: Delegation | undefined;
    for (const d of this.delegationsTo(ctx, v.valKey)) {
      if (big(d.shares) === 0n) continue;
      if (!min || big(d.shares) < big(min.shares)) min = d;
    }
    return min;
  }

  /** Returns a delegation's ukex to its owner and burns its shares; its rewards stay claimable. */
  private pushOut(ctx: Context, v: Vault, d: Delegation, pool: RewardPool): Vault {
    const settled = this.settle(ctx, v, d, pool);
    const shares = big(d.shares);
    const amount = assetsOf(v, shares);
    const vaultAccount = this.deps.accounts.ensureModuleAccount(ctx, VAULT_ACCOUNT).id;
    if (amount > 0n) this.deps.bank.sendCoins(ctx, vaultAccount, d.delegator, coins(amount));
    this.writeDelegation(ctx, { ...settled, shares: '' });
    ctx.events.emit(E.pushout, [
      ['delegator', this.deps.accounts.addressOf(ctx, d.delegator)],
      ['validator', addressToBech32('validator', v.valKey)],
      ['amount', ukex(amount)],
    ]);
    return { ...v, totalShares: text(big(v.totalShares) - shares), totalAssets: text(big(v.totalAssets) - amount), delegators: v.delegators - 1n };
  }

  /**
   * MsgUndelegate: returns `amount` ukex (the shares it takes, rounded up) to the delegator,
   * MIN_DELEGATION_PERIOD after its latest delegation. Allowed whatever the validator's
   * status; accrued rewards stay claimable.
   */
  undelegate(ctx: Context, sender: string, valKey: Uint8Array, amount: bigint): bigint {
    const delegator = this.delegatorId(ctx, sender);
    const valAddr = addressToBech32('validator', valKey);
    let d = this.delegation(ctx, valKey, delegator);
    let v = this.vault(ctx, valKey);
    if (!d || !v || big(d.shares) === 0n) throw ErrDelegationNotFound.wrap(`${sender} has no delegation to ${valAddr}`);
    const props = this.properties(ctx);
    const unlock = d.lastDelegatedAt + props.minDelegationPeriod;
    const now = ctx.time.seconds;
    if (now < unlock) throw ErrDelegationLocked.wrap(`${unlock - now} seconds remaining (undelegatable from ${unlock})`);
    const owned = big(d.shares);
    const worth = assetsOf(v, owned);
    if (amount > worth) throw ErrInsufficientDelegation.wrap(`asked ${ukex(amount)}, delegated ${ukex(worth)}`);
    const totalShares = big(v.totalShares) + DECIMAL_OFFSET;
    const totalAssets = big(v.totalAssets) + 1n;
    // Shares burned round up (rounding favours the vault); the whole delegation burns all.
    let burn = amount === worth ? owned : (amount * totalShares + totalAssets - 1n) / totalAssets;
    if (burn > owned) burn = owned;
    const pool = this.pool(ctx);
    d = this.settle(ctx, v, d, pool);
    const left = owned - burn;
    d = { ...d, shares: text(left) };
    v = {
      ...v,
      totalShares: text(big(v.totalShares) - burn),
      totalAssets: text(big(v.totalAssets) - amount),
      delegators: left === 0n ? v.delegators - 1n : v.delegators,
    };
    const vaultAccount = this.deps.accounts.ensureModuleAccount(ctx, VAULT_ACCOUNT).id;
    this.deps.bank.sendCoins(ctx, vaultAccount, delegator, coins(amount));
    this.writeDelegation(ctx, d);
    this.writeVault(ctx, v, pool);
    Pool.set(ctx, pool);
    ctx.events.emit(E.undelegate, [
      ['delegator', sender],
      ['validator', valAddr],
      ['amount', ukex(amount)],
      ['shares', burn.toString()],
    ]);
    return burn;
  }

  /** MsgClaimRewards: pays everything the sender's delegations accrued, whatever their validators' status. */
  claimRewards(ctx: Context, sender: string): bigint {
    const delegator = this.delegatorId(ctx, sender);
    const pool = this.pool(ctx);
    let total = 0n;
    for (const d0 of this.delegationsOf(ctx, delegator)) {
      const v = this.vault(ctx, d0.valKey) ?? emptyVault(d0.valKey);
      const d = this.settle(ctx, v, d0, pool);
      const amount = big(d.rewards);
      total += amount;
      this.writeDelegation(ctx, { ...d, rewards: '' });
      if (amount > 0n) ctx.events.emit(E.claimRewards, [['delegator', sender], ['validator', addressToBech32('validator', d.valKey)], ['amount', ukex(amount)]]);
    }
    if (total === 0n) throw ErrNothingToClaim.wrap(`${sender} has no accrued rewards`);
    Pool.set(ctx, pool);
    this.deps.bank.sendCoins(ctx, this.deps.accounts.ensureModuleAccount(ctx, REWARDS_ACCOUNT).id, delegator, coins(total));
    return total;
  }

  /**
   * The account a validator's commission is paid to: its withdraw account (Kroma: fixed at
   * registration), or the operator for a seat claimed before withdraw accounts existed.
   */
  commissionAccount(ctx: StoreReader, val: Validator): bigint | undefined {
    return val.withdrawAccount !== '' ? this.deps.accounts.tryResolve(ctx, val.withdrawAccount) : val.accountId;
  }

  /** MsgClaimCommission: the validator's accrued commission to its withdraw account (the sender). */
  claimCommission(ctx: Context, sender: string, valKey: Uint8Array): bigint {
    const id = this.delegatorId(ctx, sender);
    const val = this.mustValidator(ctx, valKey);
    const valAddr = addressToBech32('validator', valKey);
    if (this.commissionAccount(ctx, val) !== id) {
      throw ErrNotWithdrawAccount.wrap(`${valAddr} pays its commission only to ${val.withdrawAccount || val.address}`);
    }
    const v = this.vault(ctx, valKey);
    const amount = v ? big(v.commission) : 0n;
    if (!v || amount === 0n) throw ErrNothingToClaim.wrap(`${valAddr} has no accrued commission`);
    Vaults.set(ctx, valKey, { ...v, commission: '' });
    this.deps.bank.sendCoins(ctx, this.deps.accounts.ensureModuleAccount(ctx, REWARDS_ACCOUNT).id, id, coins(amount));
    ctx.events.emit(E.claimCommission, [['validator', valAddr], ['withdraw_account', sender], ['amount', ukex(amount)]]);
    return amount;
  }

  // ---------------------------------------------------------------- per block

  /**
   * BeginBlock: sweeps the fees collected, mints the inflation due since the previous block
   * (INFLATION_RATE of the supply per INFLATION_PERIOD, at most MAX_INFLATION_STEP seconds'
   * worth), and credits equal parts to the ACTIVE validators that signed the previous
   * block. O(validators): delegations are untouched.
   */
  distribute(ctx: Context): void {
    const { accounts, bank } = this.deps;
    const pool = this.pool(ctx);
    const rewardsAccount = accounts.ensureModuleAccount(ctx, REWARDS_ACCOUNT).id;
    const feeAccount = accounts.moduleAccountId(ctx, FEE_COLLECTOR);
    const fees = bank.balance(ctx, feeAccount, DELEGATION_DENOM);
    if (fees > 0n) bank.sendCoins(ctx, feeAccount, rewardsAccount, coins(fees));

    const now = ctx.time.seconds;
    let minted = 0n;
    if (pool.lastDistributionTime > 0n && now > pool.lastDistributionTime) {
      const props = this.properties(ctx);
      const dt = now - pool.lastDistributionTime < MAX_INFLATION_STEP ? now - pool.lastDistributionTime : MAX_INFLATION_STEP;
      const den = REWARD_SCALE * props.inflationPeriod;
      if (den > 0n) {
        const num = bank.supplyOf(ctx, DELEGATION_DENOM) * props.inflationRate.scaled * dt + big(pool.inflationCarry);
        minted = num / den;
        pool.inflationCarry = text(num % den);
      }
      if (minted > 0n) {
        bank.mintCoins(ctx, REWARDS_ACCOUNT, coins(minted));
        pool.minted = text(big(pool.minted) + minted);
      }
    }
    pool.lastDistributionTime = now;

    const reward = fees + minted;
    const signers = this.signers(ctx);
    ctx.events.emit(E.rewards, [
      ['fees', ukex(fees)],
      ['minted', ukex(minted)],
      ['signers', String(signers.length)],
    ]);
    if (reward > 0n) {
      if (signers.length === 0) {
        pool.communityPool = text(big(pool.communityPool) + reward);
        ctx.events.emit(E.communityPool, [['amount', ukex(reward)], ['reason', 'no active signer']]);
      } else {
        const n = BigInt(signers.length);
        const each = reward / n;
        const rest = reward % n;
        if (rest > 0n) {
          pool.communityPool = text(big(pool.communityPool) + rest);
          ctx.events.emit(E.communityPool, [['amount', ukex(rest)], ['reason', 'equal split remainder']]);
        }
        if (each > 0n) for (const val of signers) this.credit(ctx, val, each);
      }
    }
    Pool.set(ctx, pool);
  }

  /** ACTIVE validators whose vote for the previous block was a commit, by operator address. */
  private signers(ctx: Context): Validator[] {
    const seen = new Set<string>();
    const out: Validator[] = [];
    for (const vote of ctx.decidedLastCommit.votes) {
      if (vote.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT || !vote.validator) continue;
      const v = this.deps.validators.validatorByConsAddr(ctx, vote.validator.address);
      if (!v || v.status !== ValidatorStatus.ACTIVE) continue;
      const k = Buffer.from(v.valKey).toString('hex');
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(v);
    }
    return out.sort((a, b) => Buffer.compare(Buffer.from(a.valKey), Buffer.from(b.valKey)));
  }

  /**
   * One validator's equal part: its current (finalized) commission rate goes to the
   * validator, the rest to its delegators pro rata to shares via the accumulator. A vault
   * with no shares leaves the delegators' part to the validator.
   */
  private credit(ctx: Context, val: Validator, amount: bigint): void {
    const v = this.vault(ctx, val.valKey) ?? emptyVault(val.valKey);
    const rate = Dec.fromString(val.commissionRate || '0').scaled;
    let commission = (amount * rate) / REWARD_SCALE;
    const toDelegators = amount - commission;
    const shares = big(v.totalShares);
    let rps = big(v.rewardPerShare);
    let carry = big(v.rewardCarry);
    if (shares === 0n) commission += toDelegators;
    else {
      const num = toDelegators * REWARD_SCALE + carry;
      rps += num / shares;
      carry = num % shares;
    }
    Vaults.set(ctx, val.valKey, { ...v, rewardPerShare: text(rps), rewardCarry: text(carry), commission: text(big(v.commission) + commission) });
    ctx.events.emit(E.validatorReward, [
      ['validator', addressToBech32('validator', val.valKey)],
      ['amount', ukex(amount)],
      ['commission', ukex(commission)],
      ['delegators', ukex(shares === 0n ? 0n : toDelegators)],
    ]);
  }

  // ---------------------------------------------------------------- invariants and genesis

  /**
   * The module's books against the bank, exactly: the vault account holds Σ vault assets;
   * the rewards account × 10^18 equals every unsettled accrual (shares × Δ reward per
   * share), carries and dust, plus × 10^18 every settled reward, commission and the
   * community pool. Also: shares add up per vault and no delegation is owed more than its
   * vault accrued. O(delegations): for tests and `invariantCheckPeriod`, never per block.
   */
  checkBooks(ctx: StoreReader): string | undefined {
    const { accounts, bank } = this.deps;
    let assets = 0n;
    let owedScaled = 0n;
    for (const v of this.vaults(ctx)) {
      assets += big(v.totalAssets);
      owedScaled += big(v.rewardCarry) + big(v.commission) * REWARD_SCALE;
      let shares = 0n;
      let delegators = 0n;
      const rps = big(v.rewardPerShare);
      for (const d of this.delegationsTo(ctx, v.valKey)) {
        shares += big(d.shares);
        if (big(d.shares) > 0n) delegators++;
        const paid = big(d.rewardPerSharePaid);
        if (paid > rps) return `delegation of ${d.delegator} to ${addressToBech32('validator', v.valKey)} was paid past its vault's reward per share`;
        owedScaled += big(d.shares) * (rps - paid) + big(d.rewards) * REWARD_SCALE;
      }
      if (shares !== big(v.totalShares)) return `vault ${addressToBech32('validator', v.valKey)} has ${v.totalShares} shares, its delegations ${shares}`;
      if (delegators !== v.delegators) return `vault ${addressToBech32('validator', v.valKey)} counts ${v.delegators} delegators, holds ${delegators}`;
    }
    const pool = this.pool(ctx);
    owedScaled += big(pool.dust) + big(pool.communityPool) * REWARD_SCALE;
    const balanceOf = (module: string): bigint => {
      try {
        return bank.balance(ctx, accounts.moduleAccountId(ctx, module), DELEGATION_DENOM);
      } catch {
        return 0n; // not created yet: nothing was ever delegated or rewarded
      }
    };
    const held = balanceOf(VAULT_ACCOUNT);
    if (held !== assets) return `${VAULT_ACCOUNT}@sys holds ${ukex(held)}, vaults account for ${ukex(assets)}`;
    const rewards = balanceOf(REWARDS_ACCOUNT);
    if (rewards * REWARD_SCALE !== owedScaled) {
      return `${REWARDS_ACCOUNT}@sys holds ${ukex(rewards)}, the books owe ${owedScaled / REWARD_SCALE}.${(owedScaled % REWARD_SCALE).toString().padStart(18, '0')} ukex`;
    }
    return undefined;
  }

  importVault(ctx: Context, v: Vault): void {
    Vaults.set(ctx, v.valKey, v);
  }

  importDelegation(ctx: Context, d: Delegation): void {
    this.writeDelegation(ctx, d);
  }

  importPool(ctx: Context, p: RewardPool): void {
    Pool.set(ctx, p);
  }

  /** Every delegation, vault by vault. O(delegations). */
  allDelegations(ctx: StoreReader): Delegation[] {
    return [...Delegations.values(ctx)];
  }

  consAddressOf(v: Validator): Uint8Array {
    return consAddressFromEd25519(v.pubKey);
  }
}

/** Adds a scaled fraction to the pool's dust; each whole ukex moves to the community pool. */
function addDust(pool: RewardPool, scaled: bigint): void {
  if (scaled === 0n) return;
  const dust = big(pool.dust) + scaled;
  pool.dust = text(dust % REWARD_SCALE);
  if (dust >= REWARD_SCALE) pool.communityPool = text(big(pool.communityPool) + dust / REWARD_SCALE);
}
