export { multistakingModule, MULTISTAKING_MODULE, type StoreActivation } from './module';
export { MultistakingKeeper, assetsOf, sharesFor, parseAmount, type MultistakingKeeperDeps } from './keeper';
export { TypeUrls as MultistakingTypeUrls } from './msgServer';
export { QueryPaths as MultistakingQueryPaths } from './queryServer';
export { delegateMsg, undelegateMsg, claimRewardsMsg, claimCommissionMsg, multistakingTxCommand, multistakingQueryCommand } from './cli';
export * from './types/errors';
export { MULTISTAKING_STORE_KEY } from './types/keys';
export { DECIMAL_OFFSET, REWARD_SCALE, MULTISTAKING_UPGRADE, VAULT_ACCOUNT, REWARDS_ACCOUNT, MAX_INFLATION_STEP } from './types/params';
