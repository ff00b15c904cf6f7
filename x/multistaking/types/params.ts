/**
 * Constants and network properties of x/multistaking.
 */
import type { Dec } from '../../../types/dec';

/** The delegated denom (KIRA's native token). */
export const DELEGATION_DENOM = 'ukex';

/**
 * Kroma's AssetManager inflation guard: shares = assets · (totalShares + 10^6) / (totalAssets + 1).
 * The first delegation mints 10^6 shares per ukex, so a donation to an empty vault cannot
 * round the next delegator's shares to zero (the classic ERC-4626 inflation attack).
 */
export const DECIMAL_OFFSET = 1_000_000n;

/** Reward per share is kept × 10^18: one ukex over 10^24 shares still moves the accumulator. */
export const REWARD_SCALE = 10n ** 18n;

/**
 * Inflation accrues for at most this many seconds per block (10 minutes). Blocks are what
 * generate rewards (KuChain: rewards "are generated with blocks getting validated"), so the
 * first block after a halt does not mint the whole halt's inflation at once.
 */
export const MAX_INFLATION_STEP = 600n;

/** The module accounts: delegated ukex, and rewards not yet claimed (plus the community pool). */
export const VAULT_ACCOUNT = 'multistaking';
export const REWARDS_ACCOUNT = 'rewards';

/** The upgrade plan name that adds the module's store to the state. */
export const MULTISTAKING_UPGRADE = 'multistaking';

export interface MultistakingProperties {
  /** INFLATION_RATE: share of the ukex supply minted per INFLATION_PERIOD. */
  inflationRate: Dec;
  /** INFLATION_PERIOD, seconds. */
  inflationPeriod: bigint;
  /** MAX_DELEGATORS per validator. */
  maxDelegators: bigint;
  /** MIN_DELEGATION_PUSHOUT: a newcomer to a full vault must bring this multiple of the smallest delegation. */
  minDelegationPushout: bigint;
  /** MIN_DELEGATION_PERIOD, seconds between the latest delegation and an undelegation. */
  minDelegationPeriod: bigint;
}
