/**
 * The network properties the validator modules read. x/gov owns and governs them
 * (`set-network-property`); these are the genesis defaults (sekai x/gov/types/genesis.go,
 * and Kroma mainnet for the commission delay and hard jail period).
 */
import { Dec } from '../../../types/dec';

export interface ValidatorProperties {
  /** Consecutive misses tolerated before mischance counts (MISCHANCE_CONFIDENCE). */
  mischanceConfidence: bigint;
  /** Mischance above which an ACTIVE validator turns INACTIVE (MAX_MISCHANCE). */
  maxMischance: bigint;
  /** Rank lost per mischance (MISCHANCE_RANK_DECREASE_AMOUNT). */
  mischanceRankDecreaseAmount: bigint;
  /** Share of rank lost on inactivation, in [0, 1] (INACTIVE_RANK_DECREASE_PERCENT). */
  inactiveRankDecreasePercent: Dec;
  /** Voluntary exits never take the ACTIVE set below this (MIN_VALIDATORS). */
  minValidators: bigint;
  /** Seconds of block time between commission init and finalize (COMMISSION_CHANGE_DELAY). */
  commissionChangeDelay: bigint;
  /** Seconds a double-signer stays jailed (JAIL_PERIOD). */
  jailPeriod: bigint;
  /** Seconds an inactivated validator waits before it may activate (DOWNTIME_INACTIVE_DURATION). */
  downtimeInactiveDuration: bigint;
  /** Seconds after jailing during which an unjail proposal may still apply (UNJAIL_MAX_TIME). */
  unjailMaxTime: bigint;
}

/** The deposit properties, read apart so that txs without deposits pay the gas they paid before. */
export interface DepositProperties {
  /** ukex deposit an ACTIVE validator must hold; 0 = no deposit needed (MIN_VALIDATOR_DEPOSIT). */
  minValidatorDeposit: bigint;
  /** Seconds after the latest deposit before any of it may be withdrawn (MIN_DELEGATION_PERIOD). */
  minDelegationPeriod: bigint;
}

export const DEFAULT_DEPOSIT_PROPERTIES: Readonly<DepositProperties> = Object.freeze({
  minValidatorDeposit: 0n,
  minDelegationPeriod: 604_800n, // 7 days (Kroma mainnet)
});

/** The staking denom: deposits are held in it (KIRA's native token). */
export const BOND_DENOM = 'ukex';

export const DEFAULT_VALIDATOR_PROPERTIES: Readonly<ValidatorProperties> = Object.freeze({
  mischanceConfidence: 10n,
  maxMischance: 110n,
  mischanceRankDecreaseAmount: 10n,
  inactiveRankDecreasePercent: Dec.fromString('0.50'),
  minValidators: 1n,
  commissionChangeDelay: 1_209_600n, // 14 days
  jailPeriod: 604_800n, // 7 days
  downtimeInactiveDuration: 600n,
  unjailMaxTime: 600n,
});
