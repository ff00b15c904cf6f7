/** Event types of x/multistaking: one for every movement of ukex. */
export const MultistakingEvents = {
  /** Per block: fees swept, inflation minted, signers credited. */
  rewards: 'block_rewards',
  /** Per credited validator and block: its equal part, commission and delegators' part. */
  validatorReward: 'validator_reward',
  delegate: 'delegate',
  undelegate: 'undelegate',
  pushout: 'delegation_pushout',
  claimRewards: 'claim_rewards',
  claimCommission: 'claim_commission',
  communityPool: 'community_pool',
  activate: 'multistaking_activated',
} as const;
