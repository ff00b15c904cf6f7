/** Event types and attribute keys of x/customstaking. */
export const StakingEvents = {
  claimValidator: 'claim_validator',
  commissionInit: 'commission_change_init',
  commissionFinalize: 'commission_change_finalize',
  jail: 'jail',
  jailSkipped: 'jail_skipped',
  unjail: 'unjail',
  statusChange: 'validator_status',
  powerChange: 'validator_power',
  deposit: 'validator_deposit',
  withdraw: 'validator_withdraw',
  depositBelowMinimum: 'deposit_below_minimum',
} as const;
